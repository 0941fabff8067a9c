// SPDX-License-Identifier: GPL-3.0-or-later
#include "InstanceLogsWidget.h"

#include "TextViewer.h"
#include "domain/PlainText.h"
#include "domain/Yaml.h"
#include "lxd/LxdService.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

TextViewer::Syntax syntaxForFile(const QString &file)
{
    return file.endsWith(u".log"_s) ? TextViewer::Syntax::Log : TextViewer::Syntax::Plain;
}

QString dataSize(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

} // namespace

InstanceLogsWidget::InstanceLogsWidget(LxdService *service, QWidget *parent)
    : QWidget(parent)
    , m_service(service)
    , m_decoder(QStringDecoder::Utf8)
{
    setObjectName(u"instanceLogs"_s);
    auto *layout = new QVBoxLayout(this);
    auto *row = new QHBoxLayout;
    layout->addLayout(row);
    auto *label = new QLabel(tr("S&how:"), this);
    m_what = new QComboBox(this);
    m_what->setObjectName(u"instanceLogsWhat"_s);
    m_what->setMinimumContentsLength(30);
    m_what->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_what->setToolTip(tr("The instance's configuration, or one of its log files"));
    label->setBuddy(m_what);
    m_reload = new QPushButton(tr("&Reload"), this);
    m_reload->setObjectName(u"instanceLogsReload"_s);
    m_reload->setToolTip(tr("Read the configuration, the list of log files and the shown file again"));
    m_stop = new QPushButton(tr("S&top"), this);
    m_stop->setObjectName(u"instanceLogsStop"_s);
    m_stop->setToolTip(tr("Stop the download; what arrived stays shown"));
    m_stop->setEnabled(false);
    row->addWidget(label);
    row->addWidget(m_what);
    row->addWidget(m_reload);
    row->addWidget(m_stop);
    row->addStretch(1);

    m_status = new QLabel(this);
    m_status->setObjectName(u"instanceLogsStatus"_s);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);

    m_viewer = new TextViewer(this);
    m_viewer->setObjectName(u"instanceLogsViewer"_s);
    layout->addWidget(m_viewer, 1);

    connect(m_what, &QComboBox::activated, this, &InstanceLogsWidget::choose);
    connect(m_reload, &QPushButton::clicked, this, &InstanceLogsWidget::reload);
    connect(m_stop, &QPushButton::clicked, this, &InstanceLogsWidget::stop);
    connect(m_viewer, &TextViewer::streamDrained, this, &InstanceLogsWidget::viewerDrained);
    setInstance({}, {});
}

InstanceLogsWidget::~InstanceLogsWidget()
{
    ++m_generation;
    if (m_streamId && m_streamClient)
        m_streamClient->cancelStream(m_streamId);
}

LxdClient *InstanceLogsWidget::client(QString *error) const
{
    return m_service->client(m_host, error);
}

void InstanceLogsWidget::setInstance(const QString &host, const QString &name)
{
    if (host == m_host && name == m_instance && !name.isEmpty())
        return;
    stop();
    ++m_generation; // whatever is in flight for the previous instance is dropped
    m_busy = false;
    m_done = false;
    m_host = host;
    m_instance = name;
    m_shownFile.clear();
    m_viewer->clear();
    m_what->clear();
    m_what->addItem(tr("Configuration (expanded)"), QString());
    const bool have = !host.isEmpty() && !name.isEmpty();
    m_what->setEnabled(have);
    m_reload->setEnabled(have);
    m_stop->setEnabled(false);
    m_dirty = false;
    if (!have) {
        setStatus(host.isEmpty() ? tr("Select an LXD instance to read its configuration and log files.")
                                 : tr("Select an instance of %1 to read its configuration and log files.")
                                       .arg(visibleText(host, 256)));
        return;
    }
    if (isVisible())
        reload();
    else
        m_dirty = true;
}

void InstanceLogsWidget::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_dirty) {
        m_dirty = false;
        reload();
    }
}

QStringList InstanceLogsWidget::logFiles() const
{
    QStringList files;
    for (int i = 1; i < m_what->count(); ++i)
        files << m_what->itemData(i).toString();
    return files;
}

void InstanceLogsWidget::reload()
{
    if (m_instance.isEmpty())
        return;
    fetchLogList();
    if (m_shownFile.isEmpty())
        showConfig();
    else
        showLog(m_shownFile);
}

void InstanceLogsWidget::fetchLogList()
{
    QString error;
    LxdClient *c = client(&error);
    if (!c) {
        setStatus(error, true);
        Q_EMIT logListReady(false);
        return;
    }
    QPointer<InstanceLogsWidget> guard(this);
    const QString host = m_host;
    const QString name = m_instance;
    c->fetchInstanceLogs(name, [guard, host, name](const LxdResult &r, const QStringList &files) {
        if (!guard || guard->m_host != host || guard->m_instance != name)
            return;
        if (r.ok()) {
            const QString current = guard->m_what->currentData().toString();
            while (guard->m_what->count() > 1)
                guard->m_what->removeItem(1);
            for (const QString &f : files)
                guard->m_what->addItem(tr("Log: %1").arg(visibleText(f, 256)), f);
            const int keep = guard->m_what->findData(current);
            guard->m_what->setCurrentIndex(std::max(keep, 0));
        } else if (!guard->m_busy) {
            guard->setStatus(
                tr("The log files of %1 could not be listed: %2").arg(visibleText(name, 256), resultText(r)),
                true);
        }
        Q_EMIT guard->logListReady(r.ok());
    });
}

void InstanceLogsWidget::choose(int index)
{
    const QString file = m_what->itemData(index).toString();
    if (file.isEmpty())
        showConfig();
    else
        showLog(file);
}

bool InstanceLogsWidget::showConfig()
{
    if (m_instance.isEmpty())
        return false;
    QString error;
    LxdClient *c = client(&error);
    if (!c) {
        setStatus(error, true);
        return false;
    }
    stop();
    const quint64 generation = ++m_generation;
    m_shownFile.clear();
    m_what->setCurrentIndex(0);
    m_busy = true;
    m_done = false;
    m_viewer->clear();
    m_viewer->setSyntax(TextViewer::Syntax::Yaml);
    setStatus(tr("Reading the configuration of %1…").arg(visibleText(m_instance, 256)));
    QPointer<InstanceLogsWidget> guard(this);
    c->fetchInstanceJson(m_instance, [guard, generation](const LxdResult &r, const QJsonObject &instance) {
        if (!guard || generation != guard->m_generation)
            return;
        const QString name = visibleText(guard->m_instance, 256);
        guard->m_doneOk = r.ok();
        if (r.ok()) {
            // YAML text, never markup: the viewer shows it as plain text
            guard->m_viewer->setText(lxdInstanceConfigYaml(instance));
            guard->m_doneText
                = tr("The configuration of %1, expanded with its profiles (as “lxc config show --expanded”).")
                      .arg(name);
        } else {
            guard->m_doneText = tr("The configuration of %1 could not be read: %2").arg(name, resultText(r));
        }
        guard->m_done = true;
        if (guard->m_viewer->pendingLines() == 0)
            guard->endRequest();
    });
    return true;
}

bool InstanceLogsWidget::showLog(const QString &file)
{
    if (m_instance.isEmpty() || !LxdClient::isValidLogFileName(file))
        return false;
    QString error;
    LxdClient *c = client(&error);
    if (!c) {
        setStatus(error, true);
        return false;
    }
    stop();
    const quint64 generation = ++m_generation;
    m_shownFile = file;
    if (const int i = m_what->findData(file); i > 0)
        m_what->setCurrentIndex(i);
    m_busy = true;
    m_done = false;
    m_paused = false;
    m_received = 0;
    m_decoder = QStringDecoder(QStringDecoder::Utf8);
    m_viewer->clear();
    m_viewer->setSyntax(syntaxForFile(file));
    m_stop->setEnabled(true);
    const QString shownFile = visibleText(file, 256);
    const QString name = visibleText(m_instance, 256);
    setStatus(tr("Reading %1 of %2…").arg(shownFile, name));

    QPointer<InstanceLogsWidget> guard(this);
    auto progress = std::make_shared<QElapsedTimer>();
    progress->start();
    const auto chunk = [guard, generation, progress, shownFile, name](const QByteArray &bytes) {
        if (!guard || generation != guard->m_generation)
            return;
        guard->m_received += bytes.size();
        guard->m_viewer->appendText(guard->m_decoder.decode(bytes));
        if (!guard->m_paused && guard->m_viewer->pendingLines() > PauseAtPendingLines
            && guard->m_streamClient) {
            guard->m_paused = true; // the viewer is behind: hold the download until it drains
            guard->m_streamClient->setStreamPaused(guard->m_streamId, true);
        }
        if (progress->elapsed() >= 250) {
            progress->restart();
            guard->setStatus(tr("Receiving %1 of %2: %3…").arg(shownFile, name, dataSize(guard->m_received)));
        }
    };
    const auto done = [guard, generation, shownFile, name, progress](const LxdResult &r) {
        if (!guard || generation != guard->m_generation)
            return;
        guard->m_streamId = 0;
        guard->m_paused = false;
        guard->m_stop->setEnabled(false);
        guard->m_viewer->finishStream();
        guard->m_doneOk = r.ok();
        const QString size = dataSize(guard->m_received);
        if (r.ok())
            guard->m_doneText = tr("%1 of %2: %3.").arg(shownFile, name, size);
        else if (r.kind == LxdResultKind::Cancelled)
            guard->m_doneText = tr("Stopped: %1 of %2 is shown up to %3.").arg(shownFile, name, size);
        else
            guard->m_doneText = tr("%1 of %2 could not be read completely (%3 arrived): %4")
                                    .arg(shownFile, name, size, resultText(r));
        guard->m_done = true;
        if (guard->m_viewer->pendingLines() == 0)
            guard->endRequest();
    };
    m_streamClient = c;
    m_streamId = c->streamInstanceLog(m_instance, file, chunk, done);
    return true;
}

void InstanceLogsWidget::stop()
{
    if (m_streamId && m_streamClient)
        m_streamClient->cancelStream(m_streamId); // done() reports "Stopped" (unless superseded)
    m_streamId = 0;
    m_paused = false;
}

void InstanceLogsWidget::viewerDrained()
{
    if (m_paused && m_streamId && m_streamClient) {
        m_paused = false;
        m_streamClient->setStreamPaused(m_streamId, false);
    }
    if (m_done)
        endRequest();
}

void InstanceLogsWidget::endRequest()
{
    m_busy = false;
    m_done = false;
    m_stop->setEnabled(false);
    setStatus(m_doneText, !m_doneOk);
    Q_EMIT shown(m_shownFile, m_doneOk);
}

void InstanceLogsWidget::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? u"color: #b3261e;"_s : QString());
}

QString InstanceLogsWidget::resultText(const LxdResult &result)
{
    return visibleText(result.error, 1024);
}

} // namespace canyon
