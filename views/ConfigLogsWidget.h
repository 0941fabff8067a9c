// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "domain/Device.h"

#include <QByteArray>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;

namespace canyon {

class FleetService;
class TextViewer;
struct ReadCommandResult;

// The main window's "Config & logs" tab for one device: `snap info NAME`, `snap changes`,
// `snap tasks ID` and `snap logs NAME -n 500` (2014 snappy: `snappy info`, `snappy versions -a`),
// read over the device's kept SSH session (FleetService::runReadCommand) and shown in a
// TextViewer: plain text, control characters visible, long output streamed in. Commands are
// built from validated names and digits only; an answer for an older request is dropped.
class ConfigLogsWidget : public QWidget
{
    Q_OBJECT
public:
    enum class View { SnapInfo, Changes, Tasks, Logs, SnappyInfo, SnappyVersions };

    explicit ConfigLogsWidget(FleetService *service, QWidget *parent = nullptr);

    void setDevice(const QString &name); // "" = none
    QString device() const { return m_device; }
    // Fetches and shows one view for the current device (snap/change from the combos).
    bool fetch(View view);
    bool isFetching() const { return m_requestId != 0; }
    TextViewer *viewer() const { return m_viewer; }

    // The command line for a view; empty (with *error) when it cannot be built safely.
    static QByteArray commandFor(
        View view, Dialect dialect, const QString &snap, const QString &changeId, QString *error);
    static constexpr int LogLines = 500;
    static constexpr int TimeoutMs = 30000;

Q_SIGNALS:
    void fetched(canyon::ConfigLogsWidget::View view, bool ok); // the answer is in the viewer

private:
    void finished(int requestId, const canyon::ReadCommandResult &result);
    void inventoryChanged(const canyon::DeviceInventory &inventory);
    void updateSnaps();
    void updateButtons();
    void setStatus(const QString &text, bool error = false);
    Dialect dialect() const;

    FleetService *m_service;
    QString m_device;
    QComboBox *m_snap = nullptr;
    QComboBox *m_change = nullptr;
    QPushButton *m_info = nullptr;
    QPushButton *m_logs = nullptr;
    QPushButton *m_changes = nullptr;
    QPushButton *m_tasks = nullptr;
    QPushButton *m_versions = nullptr;
    QLabel *m_status = nullptr;
    TextViewer *m_viewer = nullptr;
    int m_requestId = 0;
    View m_view = View::Changes;
};

} // namespace canyon
