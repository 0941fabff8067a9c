// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointer>
#include <QStringDecoder>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;

namespace canyon {

class LxdClient;
class LxdService;
class TextViewer;
struct LxdResult;

// The "Config & logs" tab for one LXD instance: its configuration as `lxc config show
// --expanded` shows it (YAML of expanded_config and expanded_devices) and its log files
// (GET /1.0/instances/NAME/logs), read-only in a TextViewer with highlighting, search, copy and
// save-as. A log streams in as it arrives (LxdClient::streamInstanceLog): the viewer takes the
// lines a few milliseconds at a time, and while it is behind the download is paused, so memory
// stays bounded and the window never waits. An answer for an older request is dropped.
class InstanceLogsWidget : public QWidget
{
    Q_OBJECT
public:
    explicit InstanceLogsWidget(LxdService *service, QWidget *parent = nullptr);
    ~InstanceLogsWidget() override;

    // "" = none. hostOnly: an LXD host without a chosen instance (a hint is shown).
    void setInstance(const QString &host, const QString &name);
    QString host() const { return m_host; }
    QString instance() const { return m_instance; }

    void reload(); // the configuration and the list of log files, then what was shown
    bool showConfig();
    bool showLog(const QString &file);
    void stop(); // cancels a download in flight; what arrived stays
    QStringList logFiles() const;
    bool isBusy() const { return m_busy; }
    bool isPaused() const { return m_paused; }
    qint64 bytesReceived() const { return m_received; }
    TextViewer *viewer() const { return m_viewer; }

    // Lines waiting in the viewer above which the download is paused until the viewer catches up.
    static constexpr int PauseAtPendingLines = 20000;

Q_SIGNALS:
    void logListReady(bool ok);
    // The configuration ("" file) or a log file is completely in the viewer (or failed).
    void shown(const QString &file, bool ok);

protected:
    void showEvent(QShowEvent *event) override;

private:
    LxdClient *client(QString *error) const;
    void fetchLogList();
    void choose(int index);
    void endRequest();
    void viewerDrained();
    void setStatus(const QString &text, bool error = false);
    static QString resultText(const LxdResult &result);

    LxdService *m_service;
    QString m_host;
    QString m_instance;
    QComboBox *m_what = nullptr;
    QPushButton *m_reload = nullptr;
    QPushButton *m_stop = nullptr;
    QLabel *m_status = nullptr;
    TextViewer *m_viewer = nullptr;
    bool m_dirty = false; // an instance was set while hidden: load when shown
    bool m_busy = false;
    bool m_paused = false;
    bool m_done = false; // the stream's end arrived; shown when the viewer has drained
    quint64 m_generation = 0; // answers of an older request are dropped
    quint64 m_streamId = 0;
    QPointer<LxdClient> m_streamClient;
    QString m_shownFile; // "" = the configuration
    QString m_doneText;
    bool m_doneOk = false;
    qint64 m_received = 0;
    QStringDecoder m_decoder;
};

} // namespace canyon
