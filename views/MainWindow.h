// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>
#include <QStringList>

class QTabWidget;
class QAction;
class QLabel;
class QLineEdit;
class QProgressBar;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;
class QTimer;
class QTreeView;

namespace canyon {

struct DeviceInventory;
class DeviceSummaryWidget;
class FleetService;
class FleetTreeModel;
class SnapsTableModel;
class ConfigLogsWidget; // issue 6: setupViewer()
class InstanceLogsWidget;
class KeychainSecrets;
class InstanceChartsView; // issue 3: setupLxd()
class InstancesView;
class LxdConsole;
class LxdService;
class OperationsDock;

// The console: fleet tree on the left, the selected device's summary and snaps on the right,
// a filter over both. Shows the cached fleet at once and refreshes it live; never blocks.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    struct Options
    {
        bool refreshOnStart = true;
    };

    explicit MainWindow(FleetService *service, QWidget *parent = nullptr);
    MainWindow(FleetService *service, const Options &options, QWidget *parent = nullptr);
    ~MainWindow() override;

    void refreshAll();
    void refreshSelected();
    void stopRefresh();
    void addDevice();
    void removeSelected();
    // Non-modal: the window stays usable while the message is shown.
    void showProblem(const QString &title, const QString &text);
    void saveLayout() const;

    FleetTreeModel *fleetModel() const { return m_fleetModel; }
    SnapsTableModel *snapsModel() const { return m_snapsModel; }
    QString currentDevice() const { return m_currentDevice; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    QTabWidget *detailTabs();
    void createActions();
    void createWidgets();
    void setupViewer(); // issue 6: the "Config & logs" tab, keychain secrets, "Enter Password…"
    void restoreLayout();
    void refresh(const QStringList &names);
    void hostsChanged();
    void deviceRefreshStarted(const QString &name);
    void deviceInventoryReady(const canyon::DeviceInventory &inventory);
    void refreshFinished();
    void currentChanged();
    void updateDetails();
    void updateSnapsFilter();
    void filterChanged(const QString &text);
    void updateStatusBar();
    void updateActions();
    QStringList selectedDevices() const;
    void setupJobs(); // Update / Roll Back and reattaching interrupted jobs (JobDialog)
    void setupLxd(); // issue 3: LXD hosts in the tree, Instances and Charts tabs, operations dock

    FleetService *m_service;
    Options m_options;
    FleetTreeModel *m_fleetModel = nullptr;
    SnapsTableModel *m_snapsModel = nullptr;
    QSortFilterProxyModel *m_fleetProxy = nullptr;
    QSortFilterProxyModel *m_snapsProxy = nullptr;

    QTreeView *m_tree = nullptr;
    QTableView *m_table = nullptr;
    DeviceSummaryWidget *m_summary = nullptr;
    QSplitter *m_mainSplitter = nullptr;
    QSplitter *m_detailSplitter = nullptr;
    QLineEdit *m_filter = nullptr;
    QLabel *m_counts = nullptr;
    QProgressBar *m_progress = nullptr;
    QTimer *m_statusTimer = nullptr;

    QAction *m_addAction = nullptr;
    QAction *m_refreshAction = nullptr;
    QAction *m_refreshSelectedAction = nullptr;
    QAction *m_stopAction = nullptr;
    QAction *m_updateAction = nullptr;
    QAction *m_rollbackAction = nullptr;
    QAction *m_removeAction = nullptr;
    QAction *m_findAction = nullptr;
    QAction *m_quitAction = nullptr;
    ConfigLogsWidget *m_configLogs = nullptr; // setupViewer()
    InstanceLogsWidget *m_instanceLogs = nullptr; // an LXD instance's config and logs
    QWidget *m_configLogsTab = nullptr; // the "Config & Logs" page: one of the two above
    KeychainSecrets *m_keychain = nullptr;
    QAction *m_passwordAction = nullptr;
    LxdService *m_lxd = nullptr; // setupLxd()
    LxdConsole *m_lxdConsole = nullptr;
    InstancesView *m_instancesView = nullptr;
    InstanceChartsView *m_chartsView = nullptr;
    OperationsDock *m_operationsDock = nullptr;

    QString m_currentDevice; // the device whose snaps are shown ("" = none)
    // A refresh asked for while one runs is started when it finishes (FleetService queues none).
    bool m_pendingAll = false;
    QStringList m_pendingNames;
    int m_refreshTotal = 0;
    int m_refreshDone = 0;
};

} // namespace canyon
