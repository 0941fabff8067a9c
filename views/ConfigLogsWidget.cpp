// SPDX-License-Identifier: GPL-3.0-or-later
#include "ConfigLogsWidget.h"

#include "TextViewer.h"
#include "domain/PlainText.h"
#include "fleet/FleetService.h"
#include "item/FleetTreeModel.h"
#include "snap/SnapActions.h"

#include <QComboBox>
#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

bool isChangeId(const QString &id)
{
    static const QRegularExpression digits(u"^[0-9]{1,12}$"_s);
    return digits.match(id).hasMatch();
}

TextViewer::Syntax syntaxFor(ConfigLogsWidget::View view)
{
    switch (view) {
    case ConfigLogsWidget::View::SnapInfo:
    case ConfigLogsWidget::View::SnappyInfo:
        return TextViewer::Syntax::Yaml;
    case ConfigLogsWidget::View::Logs:
        return TextViewer::Syntax::Log;
    default:
        return TextViewer::Syntax::Plain;
    }
}

} // namespace

ConfigLogsWidget::ConfigLogsWidget(FleetService *service, QWidget *parent)
    : QWidget(parent)
    , m_service(service)
{
    setObjectName(u"configLogs"_s);
    auto *layout = new QVBoxLayout(this);
    auto *grid = new QGridLayout;
    layout->addLayout(grid);

    auto *snapLabel = new QLabel(tr("S&nap:"), this);
    m_snap = new QComboBox(this);
    m_snap->setObjectName(u"configLogsSnap"_s);
    m_snap->setMinimumContentsLength(18);
    m_snap->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    snapLabel->setBuddy(m_snap);
    m_info = new QPushButton(tr("&Info"), this);
    m_info->setObjectName(u"configLogsInfo"_s);
    m_logs = new QPushButton(tr("&Logs (last %1 lines)").arg(LogLines), this);
    m_logs->setObjectName(u"configLogsLogs"_s);
    m_logs->setToolTip(tr("The journal of the snap's services: snap logs NAME -n %1").arg(LogLines));
    m_versions = new QPushButton(tr("&Versions"), this);
    m_versions->setObjectName(u"configLogsVersions"_s);
    m_versions->setToolTip(tr("Every installed version of every part: snappy versions -a"));
    grid->addWidget(snapLabel, 0, 0);
    grid->addWidget(m_snap, 0, 1);
    grid->addWidget(m_info, 0, 2);
    grid->addWidget(m_logs, 0, 3);
    grid->addWidget(m_versions, 0, 4);

    auto *changeLabel = new QLabel(tr("C&hange:"), this);
    m_change = new QComboBox(this);
    m_change->setObjectName(u"configLogsChange"_s);
    m_change->setMinimumContentsLength(40);
    m_change->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_change->setPlaceholderText(tr("Show the changes first"));
    changeLabel->setBuddy(m_change);
    m_changes = new QPushButton(tr("&Changes"), this);
    m_changes->setObjectName(u"configLogsChanges"_s);
    m_changes->setToolTip(tr("The device's recent changes: snap changes"));
    m_tasks = new QPushButton(tr("&Tasks"), this);
    m_tasks->setObjectName(u"configLogsTasks"_s);
    m_tasks->setToolTip(tr("The tasks of the selected change: snap tasks ID"));
    grid->addWidget(changeLabel, 1, 0);
    grid->addWidget(m_change, 1, 1);
    grid->addWidget(m_changes, 1, 2);
    grid->addWidget(m_tasks, 1, 3);
    grid->setColumnStretch(5, 1);

    m_status = new QLabel(this);
    m_status->setObjectName(u"configLogsStatus"_s);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);

    m_viewer = new TextViewer(this);
    m_viewer->setObjectName(u"configLogsViewer"_s);
    layout->addWidget(m_viewer, 1);

    connect(m_info, &QPushButton::clicked, this,
        [this] { fetch(dialect() == Dialect::Snappy ? View::SnappyInfo : View::SnapInfo); });
    connect(m_logs, &QPushButton::clicked, this, [this] { fetch(View::Logs); });
    connect(m_versions, &QPushButton::clicked, this, [this] { fetch(View::SnappyVersions); });
    connect(m_changes, &QPushButton::clicked, this, [this] { fetch(View::Changes); });
    connect(m_tasks, &QPushButton::clicked, this, [this] { fetch(View::Tasks); });
    connect(m_service, &FleetService::readCommandFinished, this, &ConfigLogsWidget::finished);
    connect(m_service, &FleetService::deviceInventoryReady, this, &ConfigLogsWidget::inventoryChanged);
    connect(m_service, &FleetService::hostsChanged, this, [this] {
        if (!m_device.isEmpty() && !m_service->host(m_device))
            setDevice({});
    });
    setDevice({});
}

Dialect ConfigLogsWidget::dialect() const
{
    return m_device.isEmpty() ? Dialect::Unknown : m_service->inventory(m_device).dialect;
}

void ConfigLogsWidget::setDevice(const QString &name)
{
    if (name == m_device && !name.isEmpty())
        return;
    m_device = name;
    m_requestId = 0; // an answer for the previous device is dropped
    m_viewer->clear();
    m_change->clear();
    updateSnaps();
    if (m_device.isEmpty())
        setStatus(tr("Select a device to read its snap details, changes and logs."));
    else if (dialect() == Dialect::Unknown)
        setStatus(tr("Refresh %1 first: its snap dialect is not known yet.").arg(visibleText(m_device, 256)));
    else
        setStatus(tr("Choose what to show for %1.").arg(visibleText(m_device, 256)));
}

void ConfigLogsWidget::inventoryChanged(const DeviceInventory &inventory)
{
    if (inventory.host != m_device || m_device.isEmpty())
        return;
    const bool wasUnknown = m_snap->count() == 0;
    updateSnaps();
    if (wasUnknown && !isFetching() && dialect() != Dialect::Unknown && m_viewer->text().isEmpty())
        setStatus(tr("Choose what to show for %1.").arg(visibleText(m_device, 256)));
}

void ConfigLogsWidget::updateSnaps()
{
    const QString previous = m_snap->currentData().toString();
    m_snap->clear();
    if (!m_device.isEmpty()) {
        const DeviceInventory inv = m_service->inventory(m_device);
        QStringList names;
        for (const Snap &s : inv.snaps)
            if (s.active && isValidSnapName(s.name) && !names.contains(s.name))
                names << s.name; // a name that could not be passed safely is not offered
        names.sort();
        for (const QString &n : std::as_const(names))
            m_snap->addItem(n, n);
        const int keep = m_snap->findData(previous);
        if (keep >= 0)
            m_snap->setCurrentIndex(keep);
    }
    updateButtons();
}

void ConfigLogsWidget::updateButtons()
{
    const Dialect d = dialect();
    const bool known = d != Dialect::Unknown;
    const bool snappy = d == Dialect::Snappy;
    const bool haveSnap = m_snap->count() > 0;
    m_info->setEnabled(known && (snappy || haveSnap));
    m_info->setToolTip(snappy ? tr("The device's release and parts: snappy info")
                              : tr("Details of the selected snap: snap info NAME"));
    m_snap->setEnabled(known && !snappy && haveSnap);
    m_logs->setEnabled(known && !snappy && haveSnap);
    m_versions->setVisible(snappy);
    m_versions->setEnabled(snappy);
    m_changes->setEnabled(known && !snappy);
    m_change->setEnabled(known && !snappy && m_change->count() > 0);
    m_tasks->setEnabled(known && !snappy && m_change->count() > 0);
    if (snappy) {
        const QString none = tr("The 2014 snappy command line has no changes, tasks or service logs.");
        m_logs->setToolTip(none);
        m_changes->setToolTip(none);
        m_tasks->setToolTip(none);
    }
}

QByteArray ConfigLogsWidget::commandFor(
    View view, Dialect dialect, const QString &snap, const QString &changeId, QString *error)
{
    const bool snappy = dialect == Dialect::Snappy;
    const auto needSnap = [&]() -> bool {
        if (isValidSnapName(snap))
            return true;
        *error = snap.isEmpty() ? tr("Choose a snap first.")
                                : tr("This snap name cannot be passed to the device.");
        return false;
    };
    switch (view) {
    case View::SnapInfo:
        if (snappy || !needSnap())
            break;
        return "snap info " + snap.toUtf8();
    case View::Logs:
        if (snappy || !needSnap())
            break;
        return "snap logs " + snap.toUtf8() + " -n " + QByteArray::number(LogLines);
    case View::Changes:
        if (snappy)
            break;
        return "snap changes";
    case View::Tasks:
        if (snappy)
            break;
        if (!isChangeId(changeId)) {
            *error = tr("Choose a change first.");
            return {};
        }
        return "snap tasks " + changeId.toLatin1();
    case View::SnappyInfo:
        if (!snappy)
            break;
        return "snappy info";
    case View::SnappyVersions:
        if (!snappy)
            break;
        return "snappy versions -a";
    }
    if (error->isEmpty())
        *error = snappy ? tr("The 2014 snappy command line cannot show this.")
                        : tr("This device's command line cannot show this.");
    return {};
}

bool ConfigLogsWidget::fetch(View view)
{
    if (m_device.isEmpty())
        return false;
    QString error;
    const QByteArray command = commandFor(
        view, dialect(), m_snap->currentData().toString(), m_change->currentData().toString(), &error);
    if (command.isEmpty()) {
        setStatus(error, true);
        return false;
    }
    const int id = m_service->runReadCommand(m_device, command, TimeoutMs);
    if (id == 0) {
        setStatus(tr("%1 is not a device of this fleet.").arg(visibleText(m_device, 256)), true);
        return false;
    }
    m_requestId = id;
    m_view = view;
    m_viewer->clear();
    m_viewer->setSyntax(syntaxFor(view));
    setStatus(tr("Running “%1” on %2…").arg(QString::fromLatin1(command), visibleText(m_device, 256)));
    return true;
}

void ConfigLogsWidget::finished(int requestId, const ReadCommandResult &r)
{
    if (requestId == 0 || requestId != m_requestId)
        return;
    m_requestId = 0;
    const QString command = QString::fromLatin1(r.command);
    const QString device = visibleText(r.device, 256);
    const QString seconds = QLocale().toString(double(r.elapsedMs) / 1000.0, 'f', 1);
    if (!r.completed) {
        QString text
            = tr("“%1” on %2 failed: %3.").arg(command, device, FleetTreeModel::statusText(r.status));
        if (!r.error.isEmpty())
            text += u' ' + visibleText(r.error, 1024);
        setStatus(text, true);
        Q_EMIT fetched(m_view, false);
        return;
    }
    // The remote bytes go to the viewer as they are (decoded, never as markup); it makes
    // control characters visible and moves long output in a few milliseconds at a time.
    const QString out = decodeRemote(r.out);
    const QString err = decodeRemote(r.err);
    if (!out.isEmpty())
        m_viewer->setText(out);
    else if (!err.isEmpty())
        m_viewer->setText(err);
    const bool ok = r.exitCode == 0;
    if (ok) {
        const QStringView shown = QStringView(out).trimmed();
        const qsizetype lines = shown.isEmpty() ? 0 : shown.count(u'\n') + 1;
        setStatus(tr("“%1” on %2: %n line(s) in %3 s.", nullptr, int(lines)).arg(command, device, seconds));
    } else {
        const QString firstLine = visibleText(err.section(u'\n', 0, 0).trimmed(), 512);
        setStatus(tr("“%1” on %2 ended with exit status %3. %4")
                      .arg(command, device)
                      .arg(r.exitCode)
                      .arg(firstLine),
            true);
    }
    if (m_view == View::Changes && ok) {
        QList<ChangeInfo> changes;
        QString parseError;
        const QString previous = m_change->currentData().toString();
        m_change->clear();
        if (parseSnapChangesText(r.out, &changes, &parseError)) {
            for (auto it = changes.crbegin(); it != changes.crend(); ++it) { // newest first
                if (!isChangeId(it->id))
                    continue;
                m_change->addItem(
                    u"%1  %2  %3"_s.arg(it->id, visibleText(it->status, 32), visibleText(it->summary, 200)),
                    it->id);
            }
        }
        const int keep = m_change->findData(previous);
        m_change->setCurrentIndex(keep >= 0 ? keep : (m_change->count() > 0 ? 0 : -1));
        updateButtons();
    }
    Q_EMIT fetched(m_view, ok);
}

void ConfigLogsWidget::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? u"color: #b3261e;"_s : QString());
}

} // namespace canyon
