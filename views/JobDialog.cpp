// SPDX-License-Identifier: GPL-3.0-or-later
#include "JobDialog.h"

#include "PlainTextDelegate.h"
#include "domain/PlainText.h"
#include "fleet/FleetJob.h"
#include "fleet/FleetService.h"
#include "item/JobItemsModel.h"

#include <QCheckBox>
#include <QClipboard>
#include <QCloseEvent>
#include <QFileDialog>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSpinBox>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

// Colours the status column by outcome; everything else as PlainTextDelegate does.
class JobStatusDelegate : public PlainTextDelegate
{
public:
    using PlainTextDelegate::PlainTextDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        PlainTextDelegate::initStyleOption(option, index);
        if (index.column() != JobItemsModel::StatusColumn)
            return;
        const auto s = JobItemStatus(index.data(JobItemsModel::StatusRole).toInt());
        QColor c;
        if (isFailureStatus(s))
            c = QColor(0xc0, 0x1c, 0x28);
        else if (isSuccessStatus(s))
            c = QColor(0x26, 0x80, 0x3c);
        else if (s == JobItemStatus::Running)
            c = QColor(0x1a, 0x5f, 0xb4);
        if (c.isValid() && !(option->state & QStyle::State_Selected))
            option->palette.setColor(QPalette::Text, c);
        if (s == JobItemStatus::Running || isFailureStatus(s))
            option->font.setBold(true);
    }
};

// What a refresh of every snap is expected to move on a device: "name from→to".
QStringList expectedUpdates(const DeviceInventory &inv)
{
    QStringList out;
    const bool snappy = inv.dialect == Dialect::Snappy;
    for (const Snap &s : inv.snaps) {
        if (!s.active || s.updateKnowledge != UpdateKnowledge::Available)
            continue;
        const QString from = snappy ? s.version : s.revision.value_or(QString());
        const QString to = snappy ? s.update.version : s.update.revision.value_or(s.update.version);
        out << s.name + u' ' + from + u"→"_s + to;
    }
    return out;
}

QString actionTitle(SnapAction a)
{
    switch (a) {
    case SnapAction::Refresh:
        return JobDialog::tr("Update");
    case SnapAction::Revert:
        return JobDialog::tr("Roll Back");
    case SnapAction::Hold:
        return JobDialog::tr("Hold Refreshes");
    case SnapAction::Unhold:
        return JobDialog::tr("Release Refresh Hold");
    case SnapAction::Install:
        return JobDialog::tr("Install Snap");
    case SnapAction::Remove:
        return JobDialog::tr("Remove Snaps");
    }
    return {};
}

QStringList splitSnaps(const QString &text)
{
    static const QRegularExpression sep(u"[\\s,]+"_s);
    return text.split(sep, Qt::SkipEmptyParts);
}

} // namespace

JobDialog::JobDialog(FleetService *fleet, const Request &request, QWidget *parent)
    : QDialog(parent)
    , m_fleet(fleet)
    , m_request(request)
{
    setObjectName(u"JobDialog"_s);
    setModal(false);
    const bool revert = request.action == SnapAction::Revert;
    const bool install = request.action == SnapAction::Install;
    if (request.reattach)
        setWindowTitle(tr("Reattach Interrupted Job"));
    else
        setWindowTitle(actionTitle(request.action));

    m_model = new JobItemsModel(this);

    m_header = new QLabel(this);
    m_header->setObjectName(u"jobHeader"_s);
    m_header->setTextFormat(Qt::PlainText);
    m_header->setWordWrap(true);
    QFont bold = m_header->font();
    bold.setBold(true);
    m_header->setFont(bold);
    const int n = int(request.devices.size());
    if (request.reattach)
        m_header->setText(tr("Follow the unfinished %1 work of a job that was interrupted, on %n device(s), "
                             "to its true outcome. "
                             "Changes already sent are followed by their id, never sent again.",
            nullptr, n)
                              .arg(snapActionName(request.action)));
    else if (revert)
        m_header->setText(tr("Revert %1 to its previous revision on %n device(s)", nullptr, n)
                              .arg(visibleText(request.snaps.value(0), 100)));
    else if (request.action == SnapAction::Hold)
        m_header->setText(
            tr("Hold refreshes of snaps, indefinitely, on %n device(s) (snapd 2.58 or newer)", nullptr, n));
    else if (request.action == SnapAction::Unhold)
        m_header->setText(tr("Release the refresh hold of snaps on %n device(s)", nullptr, n));
    else if (install)
        m_header->setText(tr("Install a snap on %n device(s)", nullptr, n));
    else if (request.action == SnapAction::Remove)
        m_header->setText(tr("Remove snaps, with every kept revision, from %n device(s)", nullptr, n));
    else
        m_header->setText(tr("Refresh snaps on %n device(s)", nullptr, n));

    // Rollout controls.
    m_controls = new QWidget(this);
    auto *form = new QFormLayout(m_controls);
    form->setContentsMargins(0, 0, 0, 0);
    m_snapsEdit = new QLineEdit(m_controls);
    m_snapsEdit->setObjectName(u"snapsEdit"_s);
    if (request.action == SnapAction::Refresh) {
        m_snapsEdit->setPlaceholderText(tr("every snap"));
        m_snapsEdit->setToolTip(tr("Snap names separated by spaces or commas; empty refreshes every snap"));
    } else {
        m_snapsEdit->setPlaceholderText(install ? tr("a snap name") : tr("snap names"));
        m_snapsEdit->setToolTip(
            install ? tr("The name of the snap to install") : tr("Snap names separated by spaces or commas"));
    }
    m_snapsEdit->setText(request.snaps.join(u' '));
    m_channelEdit = new QLineEdit(m_controls);
    m_channelEdit->setObjectName(u"channelEdit"_s);
    m_channelEdit->setPlaceholderText(tr("the tracked channel"));
    m_channelEdit->setToolTip(
        tr("Switch to this channel while refreshing (one snap only), e.g. latest/candidate"));
    m_fileEdit = new QLineEdit(m_controls);
    m_fileEdit->setObjectName(u"fileEdit"_s);
    m_fileEdit->setPlaceholderText(tr("from the store"));
    m_fileEdit->setToolTip(tr("A .snap file already on every device (absolute path), installed with "
                              "--dangerous; empty installs from the store"));
    m_devmodeCheck = new QCheckBox(tr("&Devmode (the snap file was built for it)"), m_controls);
    m_devmodeCheck->setObjectName(u"devmodeCheck"_s);
    m_batchesEdit = new QLineEdit(u"1,10%,100%"_s, m_controls);
    m_batchesEdit->setObjectName(u"batchesEdit"_s);
    m_batchesEdit->setToolTip(
        tr("Batch sizes in rollout order: a number of devices or a share of all of them; "
           "\"1,10%,100%\" is one canary, then 10%, then the rest"));
    m_maxFailSpin = new QSpinBox(m_controls);
    m_maxFailSpin->setObjectName(u"maxFailSpin"_s);
    m_maxFailSpin->setRange(0, 100);
    m_maxFailSpin->setValue(10);
    m_maxFailSpin->setSuffix(tr(" %"));
    m_maxFailSpin->setToolTip(
        tr("When more than this share of a batch's devices fails, later batches do not start"));
    m_concurrencySpin = new QSpinBox(m_controls);
    m_concurrencySpin->setObjectName(u"concurrencySpin"_s);
    m_concurrencySpin->setRange(1, 512);
    m_concurrencySpin->setValue(16);
    m_concurrencySpin->setToolTip(tr("Devices worked on at the same time"));
    if (!revert && !request.reattach) {
        form->addRow(install ? tr("&Snap:") : tr("&Snaps:"), m_snapsEdit);
        if (request.action == SnapAction::Refresh || install)
            form->addRow(tr("C&hannel:"), m_channelEdit);
        else
            m_channelEdit->hide();
    } else {
        m_snapsEdit->hide();
        m_channelEdit->hide();
    }
    if (install && !request.reattach) {
        form->addRow(tr("Snap &file on the devices:"), m_fileEdit);
        form->addRow(QString(), m_devmodeCheck);
    } else {
        m_fileEdit->hide();
        m_devmodeCheck->hide();
    }
    if (!request.reattach) {
        form->addRow(tr("&Batches:"), m_batchesEdit);
        form->addRow(tr("Stop when &failures exceed:"), m_maxFailSpin);
    } else {
        m_batchesEdit->hide();
        m_maxFailSpin->hide();
    }
    form->addRow(tr("&Concurrency:"), m_concurrencySpin);

    m_planLabel = new QLabel(this);
    m_planLabel->setObjectName(u"planLabel"_s);
    m_planLabel->setTextFormat(Qt::PlainText);
    m_planLabel->setWordWrap(true);

    m_view = new QTableView(this);
    m_view->setObjectName(u"jobItemsView"_s);
    m_view->setModel(m_model);
    m_view->setItemDelegate(new JobStatusDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    QHeaderView *h = m_view->horizontalHeader();
    h->setStretchLastSection(true);
    h->resizeSection(JobItemsModel::DeviceColumn, 110);
    h->resizeSection(JobItemsModel::SnapColumn, 100);
    h->resizeSection(JobItemsModel::BatchColumn, 50);
    h->resizeSection(JobItemsModel::StatusColumn, 120);
    h->resizeSection(JobItemsModel::RevisionColumn, 240);
    h->resizeSection(JobItemsModel::ChangeColumn, 60);
    h->resizeSection(JobItemsModel::ProgressColumn, 66);

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(u"jobProgress"_s);
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setTextVisible(true);
    m_progress->setFormat(tr("%p %"));
    m_progress->hide();
    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(u"jobStatus"_s);
    m_statusLabel->setTextFormat(Qt::PlainText);
    m_statusLabel->setWordWrap(true);
    m_statusLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_startButton = new QPushButton(request.reattach ? tr("&Reattach") : tr("&Start"), this);
    m_startButton->setObjectName(u"startButton"_s);
    m_startButton->setDefault(true);
    m_pauseButton = new QPushButton(tr("&Pause"), this);
    m_pauseButton->setObjectName(u"pauseButton"_s);
    m_pauseButton->setToolTip(tr("No new device starts; changes already running are still followed"));
    m_cancelButton = new QPushButton(tr("Cance&l Job"), this);
    m_cancelButton->setObjectName(u"cancelJobButton"_s);
    m_cancelButton->setToolTip(
        tr("Devices not started yet are left alone; running changes are followed to their end"));
    m_copyButton = new QPushButton(tr("C&opy"), this);
    m_copyButton->setObjectName(u"copyButton"_s);
    m_copyButton->setToolTip(tr("Copy the plan or the result as text"));
    m_saveButton = new QPushButton(tr("Sa&ve As…"), this);
    m_saveButton->setObjectName(u"saveButton"_s);
    m_saveButton->setToolTip(tr("Save the plan or the result as CSV or JSON"));
    m_closeButton = new QPushButton(tr("Close"), this);
    m_closeButton->setObjectName(u"closeButton"_s);
    m_closeButton->setAutoDefault(false);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_copyButton);
    buttons->addWidget(m_saveButton);
    buttons->addStretch(1);
    buttons->addWidget(m_pauseButton);
    buttons->addWidget(m_cancelButton);
    buttons->addWidget(m_startButton);
    buttons->addWidget(m_closeButton);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_header);
    layout->addWidget(m_controls);
    layout->addWidget(m_planLabel);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_statusLabel);
    layout->addLayout(buttons);
    resize(900, 520);

    connect(m_startButton, &QPushButton::clicked, this, &JobDialog::start);
    connect(m_pauseButton, &QPushButton::clicked, this, &JobDialog::togglePause);
    connect(m_cancelButton, &QPushButton::clicked, this, &JobDialog::cancelJob);
    connect(m_copyButton, &QPushButton::clicked, this, &JobDialog::copyReport);
    connect(m_saveButton, &QPushButton::clicked, this, &JobDialog::saveReportAs);
    connect(m_closeButton, &QPushButton::clicked, this, &JobDialog::reject);

    m_planTimer = new QTimer(this);
    m_planTimer->setSingleShot(true);
    m_planTimer->setInterval(150);
    connect(m_planTimer, &QTimer::timeout, this, &JobDialog::rebuildPlan);
    m_progressTimer = new QTimer(this);
    m_progressTimer->setSingleShot(true);
    m_progressTimer->setInterval(100);
    connect(m_progressTimer, &QTimer::timeout, this, &JobDialog::updateProgress);

    for (QLineEdit *e : { m_snapsEdit, m_channelEdit, m_fileEdit, m_batchesEdit })
        connect(e, &QLineEdit::textChanged, m_planTimer, qOverload<>(&QTimer::start));
    connect(m_devmodeCheck, &QCheckBox::toggled, m_planTimer, qOverload<>(&QTimer::start));
    for (QSpinBox *s : { m_maxFailSpin, m_concurrencySpin })
        connect(s, &QSpinBox::valueChanged, m_planTimer, qOverload<>(&QTimer::start));
    // The plan follows what the devices report until the job starts.
    connect(m_fleet, &FleetService::deviceInventoryReady, this, [this](const DeviceInventory &inv) {
        if (!m_job && m_request.devices.contains(inv.host))
            m_planTimer->start();
    });

    rebuildPlan();
}

JobDialog::~JobDialog() = default;

bool JobDialog::isRunning() const
{
    return m_job && m_job->isRunning();
}

bool JobDialog::buildSpec(JobSpec *spec, QString *error) const
{
    spec->action = m_request.action;
    spec->devices = m_request.devices;
    spec->reattachOnly = m_request.reattach;
    const SnapAction a = m_request.action;
    if (a != SnapAction::Revert && !m_request.reattach) {
        spec->snaps = splitSnaps(m_snapsEdit->text());
        spec->snaps.removeDuplicates();
        if (a == SnapAction::Refresh || a == SnapAction::Install)
            spec->channel = m_channelEdit->text().trimmed();
        if (a == SnapAction::Install) {
            spec->path = m_fileEdit->text().trimmed();
            spec->devmode = !spec->path.isEmpty() && m_devmodeCheck->isChecked();
        }
    } else if (!m_request.reattach) {
        spec->snaps = m_request.snaps;
    }
    if (!m_request.reattach) {
        if (a == SnapAction::Install && spec->snaps.size() != 1) {
            *error = tr("Name exactly one snap to install.");
            return false;
        }
        if (a != SnapAction::Refresh && spec->snaps.isEmpty()) {
            *error = tr("Name the snaps to %1.").arg(snapActionName(a));
            return false;
        }
        if (!spec->path.isEmpty() && !isValidDevicePath(spec->path)) {
            *error = tr("Not a plain absolute path: %1").arg(visibleText(spec->path, 200));
            return false;
        }
        if (!spec->path.isEmpty() && !spec->channel.isEmpty()) {
            *error = tr("A channel is for the store; a snap file has none.");
            return false;
        }
    }
    for (const QString &s : std::as_const(spec->snaps))
        if (!isValidSnapName(s)) {
            *error = tr("Not a snap name: %1").arg(visibleText(s, 80));
            return false;
        }
    if (!spec->channel.isEmpty()) {
        if (spec->snaps.size() != 1) {
            *error = tr("A channel needs exactly one snap.");
            return false;
        }
        if (!isValidChannel(spec->channel)) {
            *error = tr("Not a channel: %1").arg(visibleText(spec->channel, 80));
            return false;
        }
    }
    if (!m_request.reattach) {
        const QString batches = m_batchesEdit->text().trimmed();
        QString why;
        if (!batches.isEmpty() && !parseBatches(batches, &spec->batches, &why)) {
            *error = tr("Batches: %1").arg(why);
            return false;
        }
        spec->maxFailPercent = m_maxFailSpin->value();
    }
    spec->concurrency = m_concurrencySpin->value();
    if (spec->devices.isEmpty()) {
        *error = tr("No devices selected.");
        return false;
    }
    return true;
}

void JobDialog::rebuildPlan()
{
    if (m_job && (m_job->isRunning() || m_job->isFinished()))
        return;
    JobSpec spec;
    QString error;
    m_planValid = buildSpec(&spec, &error);
    if (!m_planValid) {
        m_model->clear();
        m_planLabel->setText(error);
        updateButtons();
        return;
    }
    QList<JobItem> items;
    if (m_request.reattach) {
        // The reattach plan comes from the journal: a job made now and started with Reattach.
        delete m_job.data(); // not started: made again with the current controls
        m_job = new FleetJob(*m_fleet, spec, this);
        items = m_job->plan();
    } else {
        items = FleetJob::buildPlan(spec, [this](const QString &n) { return m_fleet->inventory(n); });
        for (JobItem &it : items)
            if (it.snap.isEmpty() && it.status == JobItemStatus::Waiting)
                it.changedSnaps = expectedUpdates(m_fleet->inventory(it.device));
    }
    m_model->setPlan(items);

    const QList<int> sizes = batchSizes(spec.batches, int(spec.devices.size()));
    QStringList sizeTexts;
    for (int s : sizes)
        sizeTexts << QString::number(s);
    int toDo = 0, skipped = 0, unreachable = 0;
    for (const JobItem &it : std::as_const(items)) {
        if (it.status == JobItemStatus::Unreachable)
            ++unreachable;
        else if (isFinalStatus(it.status) && it.status != JobItemStatus::PendingReboot)
            ++skipped;
        else
            ++toDo;
    }
    QString text = tr("Plan: %n batch(es), devices per batch: %1", nullptr, int(sizes.size()))
                       .arg(sizeTexts.join(u" + "_s));
    if (!m_request.reattach && spec.maxFailPercent < 100)
        text += tr("; later batches stop when more than %1% of a batch fails").arg(spec.maxFailPercent);
    text += u". "_s + tr("%n to run", nullptr, toDo);
    if (skipped > 0)
        text += u", "_s + tr("%n skipped", nullptr, skipped);
    if (unreachable > 0)
        text += u", "_s + tr("%n unreachable", nullptr, unreachable);
    text += u". "_s + tr("Revisions are the devices' last known state.");
    m_planLabel->setText(text);
    m_planValid = toDo > 0;
    updateButtons();
}

void JobDialog::start()
{
    if (isRunning() || m_finished || !m_planValid)
        return;
    m_planTimer->stop();
    JobSpec spec;
    QString error;
    if (!buildSpec(&spec, &error)) {
        m_planLabel->setText(error);
        return;
    }
    m_fleet->setMaxConcurrency(qMax(spec.concurrency, m_fleet->maxConcurrency()));
    FleetJob *job = m_job;
    if (!job)
        job = new FleetJob(*m_fleet, spec, this);
    connect(job, &FleetJob::itemChanged, m_progressTimer, qOverload<>(&QTimer::start));
    connect(job, &FleetJob::batchStarted, this, &JobDialog::updateProgress);
    connect(job, &FleetJob::finished, this, &JobDialog::jobDone);
    if (!job->start(&error)) {
        m_statusLabel->setText(tr("The job could not start: %1").arg(visibleText(error, 500)));
        if (job != m_job)
            delete job;
        return;
    }
    m_job = job;
    m_model->setJob(job);
    m_controls->setEnabled(false);
    m_progress->show();
    updateProgress();
    updateButtons();
    Q_EMIT jobStarted(job);
}

void JobDialog::togglePause()
{
    if (!isRunning())
        return;
    if (m_job->isPaused())
        m_job->resume();
    else
        m_job->pause();
    updateProgress();
    updateButtons();
}

void JobDialog::cancelJob()
{
    if (!isRunning())
        return;
    m_job->cancel();
    m_cancelButton->setEnabled(false);
    updateProgress();
}

void JobDialog::updateProgress()
{
    if (!m_job || (!m_job->isRunning() && !m_job->isFinished()))
        return;
    m_progress->setValue(int(m_job->progress() * 1000));
    m_cancelButton->setEnabled(!m_job->isCancelled()); // also when cancelled from the operations dock
    QString text;
    if (m_finished) {
        text = m_job->succeeded() ? tr("Finished: every device succeeded.") : tr("Finished with problems.");
        if (m_job->stoppedByMaxFail()) {
            int batch = -1;
            for (const JobItem &it : m_job->items())
                if (it.status == JobItemStatus::NotStarted)
                    batch = batch < 0 ? it.batch : qMin(batch, it.batch);
            text += u' '
                + tr("Failures in batch %1 exceeded the maximum: later batches were not started.").arg(batch);
        }
    } else if (m_job->isPaused()) {
        text = tr("Paused: no new device starts; running changes are still followed.");
    } else {
        text = tr("Batch %1 of %2").arg(qMax(0, m_job->currentBatch()) + 1).arg(qMax(1, m_job->batchCount()));
        if (m_job->isCancelled())
            text += u' ' + tr("(cancelling: running changes are followed to their end)");
        text += u'.';
    }
    m_statusLabel->setText(text + u' ' + m_model->summaryText() + u'.');
}

void JobDialog::jobDone()
{
    m_finished = true;
    m_progressTimer->stop();
    m_progress->setValue(1000);
    updateProgress();
    updateButtons();
    Q_EMIT jobFinished();
}

void JobDialog::updateButtons()
{
    const bool running = isRunning();
    const bool started = m_job && (running || m_finished);
    m_startButton->setVisible(!started);
    m_startButton->setEnabled(m_planValid);
    m_pauseButton->setVisible(running);
    m_pauseButton->setText(m_job && m_job->isPaused() ? tr("&Resume") : tr("&Pause"));
    m_cancelButton->setVisible(running);
    m_closeButton->setEnabled(!running);
    m_closeButton->setToolTip(
        running ? tr("Cancel the job, or wait for it to end, to close this window") : QString());
    m_copyButton->setEnabled(m_model->rowCount() > 0);
    m_saveButton->setEnabled(m_model->rowCount() > 0);
}

QString JobDialog::reportText() const
{
    return m_header->text() + u'\n' + m_model->toText();
}

void JobDialog::copyReport()
{
    QGuiApplication::clipboard()->setText(reportText());
    m_statusLabel->setText(tr("Copied %n row(s) to the clipboard.", nullptr, m_model->rowCount()));
}

bool JobDialog::saveReport(const QString &path, QString *error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = file.errorString();
        return false;
    }
    file.write(path.endsWith(u".json"_s, Qt::CaseInsensitive) ? m_model->toJson() : m_model->toCsv());
    if (!file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

void JobDialog::saveReportAs()
{
    auto *fd = new QFileDialog(this, tr("Save Job Report"));
    fd->setAcceptMode(QFileDialog::AcceptSave);
    fd->setNameFilters({ tr("CSV (*.csv)"), tr("JSON (*.json)") });
    fd->setDefaultSuffix(u"csv"_s);
    fd->selectFile(u"canyon-job.csv"_s);
    fd->setAttribute(Qt::WA_DeleteOnClose);
    connect(fd, &QFileDialog::filterSelected, fd, [fd](const QString &filter) {
        fd->setDefaultSuffix(filter.contains(u"json"_s) ? u"json"_s : u"csv"_s);
    });
    connect(fd, &QFileDialog::fileSelected, this, [this](const QString &path) {
        QString error;
        if (saveReport(path, &error))
            m_statusLabel->setText(tr("Saved to %1.").arg(path));
        else
            m_statusLabel->setText(tr("Could not save %1: %2").arg(path, error));
    });
    fd->open();
}

void JobDialog::reject()
{
    if (isRunning()) {
        m_statusLabel->setText(
            tr("The job is running: cancel it, or wait for it to end, to close this window."));
        return;
    }
    QDialog::reject();
}

void JobDialog::closeEvent(QCloseEvent *event)
{
    if (isRunning()) {
        event->ignore();
        reject();
        return;
    }
    QDialog::closeEvent(event);
}

} // namespace canyon
