// SPDX-License-Identifier: GPL-3.0-or-later
#include "MainWindow.h"

#include "AddDeviceDialog.h"
#include "AddLxdHostDialog.h" // issue 3
#include "ConfigLogsWidget.h"
#include "DeviceSummaryWidget.h"
#include "InstanceLogsWidget.h" // issue 6
#include "InstancesView.h"
#include "JobDialog.h"
#include "KeychainSecrets.h"
#include "LxdConsole.h"
#include "MigrationController.h" // issue 5
#include "OperationsDock.h"
#include "PasswordDialog.h"
#include "PlainTextDelegate.h"
#include "StatusDotDelegate.h"
#include "charts/InstanceChartsView.h"
#include "domain/PlainText.h"
#include "fleet/FleetJob.h"
#include "fleet/FleetService.h"
#include "fleet/Journal.h"
#include "item/FleetTreeModel.h"
#include "item/InstancesTableModel.h"
#include "item/JobOperations.h"
#include "item/OperationsModel.h"
#include "item/SnapsTableModel.h"
#include "lxd/LxdService.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

QSettings layoutSettings()
{
    // explicit names: the layout is the same whatever the application object says
    return QSettings(u"Canyon"_s, u"canyon"_s);
}

QIcon themeIcon(const QString &name, QStyle::StandardPixmap fallback, const QWidget *w)
{
    return QIcon::fromTheme(name, w->style()->standardIcon(fallback, nullptr, w));
}

} // namespace

MainWindow::MainWindow(FleetService *service, QWidget *parent)
    : MainWindow(service, Options {}, parent)
{
}

MainWindow::MainWindow(FleetService *service, const Options &options, QWidget *parent)
    : QMainWindow(parent)
    , m_service(service)
    , m_options(options)
{
    setWindowTitle(tr("Canyon"));
    setObjectName(u"MainWindow"_s);

    m_fleetModel = new FleetTreeModel(this);
    m_fleetProxy = new QSortFilterProxyModel(this);
    m_fleetProxy->setSourceModel(m_fleetModel);
    m_fleetProxy->setRecursiveFilteringEnabled(true);
    m_fleetProxy->setAutoAcceptChildRows(true);
    m_fleetProxy->setFilterRole(FleetTreeModel::SearchRole);
    m_fleetProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_fleetProxy->setSortRole(FleetTreeModel::SortRole);
    m_fleetProxy->setSortCaseSensitivity(Qt::CaseInsensitive);

    m_snapsModel = new SnapsTableModel(this);
    m_snapsProxy = new QSortFilterProxyModel(this);
    m_snapsProxy->setSourceModel(m_snapsModel);
    m_snapsProxy->setFilterKeyColumn(-1);
    m_snapsProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_snapsProxy->setSortRole(SnapsTableModel::SortRole);
    m_snapsProxy->setSortCaseSensitivity(Qt::CaseInsensitive);

    createActions();
    createWidgets();
    setupJobs();
    setupLxd();
    setupViewer(); // after the other tabs: Snaps, Instances, Charts, Config & Logs

    connect(m_service, &FleetService::hostsChanged, this, &MainWindow::hostsChanged);
    connect(m_service, &FleetService::deviceRefreshStarted, this, &MainWindow::deviceRefreshStarted);
    connect(m_service, &FleetService::deviceInventoryReady, this, &MainWindow::deviceInventoryReady);
    connect(m_service, &FleetService::refreshFinished, this, &MainWindow::refreshFinished);
    connect(m_fleetModel, &FleetTreeModel::countsChanged, m_statusTimer, qOverload<>(&QTimer::start));
    // Whatever changes the current row (a result, a refresh start, a host edit) updates the details.
    connect(m_fleetModel, &QAbstractItemModel::dataChanged, this,
        [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
            const QModelIndex current = m_fleetProxy->mapToSource(m_tree->selectionModel()->currentIndex());
            if (current.isValid() && current.parent() == topLeft.parent() && current.row() >= topLeft.row()
                && current.row() <= bottomRight.row())
                updateDetails();
        });

    // The last known fleet, at once; then live.
    hostsChanged();
    restoreLayout();
    updateActions();
    updateStatusBar();
    m_tree->setFocus(Qt::OtherFocusReason);
    // Remembered secrets are read from the keychain first (asynchronously), so no device's first
    // refresh goes without the password it needs.
    m_keychain->loadRemembered(this, [this] {
        if (m_options.refreshOnStart)
            refreshAll();
    });
}

MainWindow::~MainWindow() = default;

// --- issue 6: config & logs, secrets --------------------------------------------------------

void MainWindow::setupViewer()
{
    m_keychain = new KeychainSecrets(m_service, {}, this);
    connect(m_keychain, &KeychainSecrets::stored, this,
        [this](const QString &device, bool ok, const QString &error) {
            if (!ok)
                showProblem(tr("Not remembered"),
                    tr("The secret of %1 could not be stored in the keychain: %2")
                        .arg(visibleText(device, 128), error));
        });

    // "Config & logs" beside the snaps table
    m_configLogs = new ConfigLogsWidget(m_service, this);
    QTabWidget *tabs = detailTabs();
    // ... and for an LXD instance its configuration and log files, on the same tab
    auto *stack = new QStackedWidget(this);
    stack->setObjectName(u"configLogsStack"_s);
    stack->addWidget(m_configLogs);
    m_instanceLogs = new InstanceLogsWidget(m_lxd, stack);
    stack->addWidget(m_instanceLogs);
    m_configLogsTab = stack;
    tabs->addTab(stack, tr("Config && Logs"));
    const auto follow = [this, stack] {
        const QModelIndex current = m_tree->selectionModel()->currentIndex();
        const auto kind = FleetTreeModel::NodeKind(current.data(FleetTreeModel::KindRole).toInt());
        if (current.isValid()
            && (kind == FleetTreeModel::NodeKind::Instance || kind == FleetTreeModel::NodeKind::LxdHost)) {
            const QString name = current.data(FleetTreeModel::NameRole).toString();
            if (kind == FleetTreeModel::NodeKind::Instance)
                m_instanceLogs->setInstance(current.data(FleetTreeModel::GroupRole).toString(), name);
            else
                m_instanceLogs->setInstance(name, {});
            stack->setCurrentWidget(m_instanceLogs);
        } else {
            stack->setCurrentWidget(m_configLogs);
        }
        m_configLogs->setDevice(m_currentDevice);
    };
    // From the Instances tab: its context menu opens the instance here.
    auto *showInstanceLogs = new QAction(tr("Show Config && &Logs"), this);
    showInstanceLogs->setObjectName(u"actionInstanceConfigLogs"_s);
    showInstanceLogs->setToolTip(tr("The instance's configuration and log files, read-only"));
    m_instancesView->table()->addAction(showInstanceLogs);
    connect(showInstanceLogs, &QAction::triggered, this, [this, stack, tabs] {
        const auto selected = m_instancesView->selectedInstances();
        if (selected.isEmpty())
            return;
        m_instanceLogs->setInstance(selected.first().first, selected.first().second);
        stack->setCurrentWidget(m_instanceLogs);
        tabs->setCurrentWidget(stack);
    });
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, m_configLogs, follow);
    connect(m_service, &FleetService::hostsChanged, m_configLogs, follow, Qt::QueuedConnection);

    // Asked on demand when no secret is remembered (or no keychain is there to remember it).
    m_passwordAction = new QAction(tr("Enter &Password…"), this);
    m_passwordAction->setObjectName(u"actionEnterPassword"_s);
    m_passwordAction->setToolTip(tr("Give the password or key passphrase this device needs"));
    m_passwordAction->setEnabled(false);
    m_tree->addAction(m_passwordAction);
    connect(m_tree->selectionModel(), &QItemSelectionModel::selectionChanged, m_passwordAction,
        [this] { m_passwordAction->setEnabled(selectedDevices().size() == 1); });
    connect(m_passwordAction, &QAction::triggered, this, [this] {
        const QStringList names = selectedDevices();
        const std::optional<HostConfig> host
            = names.size() == 1 ? m_service->host(names.first()) : std::nullopt;
        if (!host)
            return;
        auto *dialog = new PasswordDialog(host->name,
            host->identityFile.isEmpty() ? PasswordDialog::Kind::Password
                                         : PasswordDialog::Kind::KeyPassphrase,
            m_keychain, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QDialog::accepted, this, [this, dialog] {
            AuthSecrets secrets;
            (dialog->kind() == PasswordDialog::Kind::Password ? secrets.password : secrets.keyPassphrase)
                = dialog->secret();
            m_service->setSecrets(dialog->device(), secrets); // in memory, for this run
            if (dialog->remember())
                m_keychain->remember(dialog->device(), secrets);
            refresh({ dialog->device() });
        });
        dialog->open();
    });
    connect(m_service, &FleetService::deviceInventoryReady, this, [this](const DeviceInventory &inv) {
        if (inv.status == DeviceStatus::AuthFailed)
            statusBar()->showMessage(
                tr("%1: authentication failed. Use “Enter Password…” in its context menu.")
                    .arg(visibleText(inv.host, 128)),
                8000);
    });
}

void MainWindow::createActions()
{
    m_addAction = new QAction(
        themeIcon(u"list-add"_s, QStyle::SP_FileDialogNewFolder, this), tr("&Add Device…"), this);
    m_addAction->setObjectName(u"actionAddDevice"_s);
    m_addAction->setShortcut(QKeySequence::New);
    m_addAction->setToolTip(tr("Add an SSH device to the fleet (Ctrl+N)"));
    connect(m_addAction, &QAction::triggered, this, &MainWindow::addDevice);

    m_refreshAction
        = new QAction(themeIcon(u"view-refresh"_s, QStyle::SP_BrowserReload, this), tr("&Refresh"), this);
    m_refreshAction->setObjectName(u"actionRefresh"_s);
    m_refreshAction->setShortcut(QKeySequence(Qt::Key_F5));
    m_refreshAction->setToolTip(tr("Refresh the inventory of every device (F5)"));
    connect(m_refreshAction, &QAction::triggered, this, &MainWindow::refreshAll);

    m_refreshSelectedAction = new QAction(tr("Refresh &Selected"), this);
    m_refreshSelectedAction->setObjectName(u"actionRefreshSelected"_s);
    m_refreshSelectedAction->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
    connect(m_refreshSelectedAction, &QAction::triggered, this, &MainWindow::refreshSelected);

    m_stopAction = new QAction(themeIcon(u"process-stop"_s, QStyle::SP_BrowserStop, this), tr("S&top"), this);
    m_stopAction->setObjectName(u"actionStop"_s);
    m_stopAction->setToolTip(tr("Stop the refresh: devices not yet contacted are skipped"));
    connect(m_stopAction, &QAction::triggered, this, &MainWindow::stopRefresh);

    // Enabled and explained by setupJobs() from the selection.
    m_updateAction
        = new QAction(themeIcon(u"system-software-update"_s, QStyle::SP_ArrowUp, this), tr("&Update…"), this);
    m_updateAction->setObjectName(u"actionUpdate"_s);
    m_updateAction->setEnabled(false);
    m_rollbackAction
        = new QAction(themeIcon(u"edit-undo"_s, QStyle::SP_ArrowBack, this), tr("Roll &Back…"), this);
    m_rollbackAction->setObjectName(u"actionRollBack"_s);
    m_rollbackAction->setEnabled(false);

    m_removeAction
        = new QAction(themeIcon(u"list-remove"_s, QStyle::SP_TrashIcon, this), tr("Re&move Device…"), this);
    m_removeAction->setObjectName(u"actionRemoveDevice"_s);
    m_removeAction->setShortcut(QKeySequence::Delete);
    m_removeAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_removeAction, &QAction::triggered, this, &MainWindow::removeSelected);

    m_findAction = new QAction(tr("&Filter"), this);
    m_findAction->setObjectName(u"actionFilter"_s);
    m_findAction->setShortcut(QKeySequence::Find);

    m_quitAction = new QAction(
        themeIcon(u"application-exit"_s, QStyle::SP_DialogCloseButton, this), tr("&Quit"), this);
    m_quitAction->setObjectName(u"actionQuit"_s);
    m_quitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    QMenu *fleet = menuBar()->addMenu(tr("&Fleet"));
    fleet->addAction(m_addAction);
    fleet->addAction(m_removeAction);
    fleet->addSeparator();
    fleet->addAction(m_refreshAction);
    fleet->addAction(m_refreshSelectedAction);
    fleet->addAction(m_stopAction);
    fleet->addSeparator();
    fleet->addAction(m_updateAction);
    fleet->addAction(m_rollbackAction);
    fleet->addSeparator();
    fleet->addAction(m_quitAction);
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_findAction);
}

void MainWindow::createWidgets()
{
    QToolBar *toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(u"mainToolBar"_s);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->setMovable(false);
    toolbar->addAction(m_addAction);
    toolbar->addAction(m_refreshAction);
    toolbar->addAction(m_stopAction);
    toolbar->addSeparator();
    toolbar->addAction(m_updateAction);
    toolbar->addAction(m_rollbackAction);
    auto *spacer = new QWidget(toolbar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    toolbar->addWidget(spacer);
    m_filter = new QLineEdit(toolbar);
    m_filter->setObjectName(u"filterEdit"_s);
    m_filter->setClearButtonEnabled(true);
    m_filter->setPlaceholderText(tr("Filter devices and snaps (Ctrl+F)"));
    m_filter->setMinimumWidth(220);
    m_filter->setMaximumWidth(360);
    toolbar->addWidget(m_filter);
    connect(m_filter, &QLineEdit::textChanged, this, &MainWindow::filterChanged);
    connect(m_findAction, &QAction::triggered, this, [this] {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });

    m_tree = new QTreeView(this);
    m_tree->setObjectName(u"fleetTree"_s);
    m_tree->setModel(m_fleetProxy);
    m_tree->setItemDelegate(new StatusDotDelegate(m_tree));
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setSortingEnabled(true);
    m_tree->sortByColumn(FleetTreeModel::NameColumn, Qt::AscendingOrder);
    m_tree->setUniformRowHeights(true);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_tree->addAction(m_refreshSelectedAction);
    m_tree->addAction(m_removeAction);
    QHeaderView *treeHeader = m_tree->header();
    treeHeader->setStretchLastSection(true);
    treeHeader->resizeSection(FleetTreeModel::NameColumn, 140);
    treeHeader->resizeSection(FleetTreeModel::StatusColumn, 132);
    treeHeader->resizeSection(FleetTreeModel::DialectColumn, 58);
    treeHeader->resizeSection(FleetTreeModel::SnapsColumn, 48);
    treeHeader->resizeSection(FleetTreeModel::UpdatesColumn, 62);
    connect(m_fleetProxy, &QAbstractItemModel::rowsInserted, this,
        [this](const QModelIndex &parent, int first, int last) {
            if (parent.isValid())
                return;
            for (int r = first; r <= last; ++r)
                m_tree->expand(m_fleetProxy->index(r, 0));
        });
    connect(
        m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, &MainWindow::currentChanged);
    connect(m_tree->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateDetails();
        updateActions();
    });

    m_summary = new DeviceSummaryWidget(this);
    m_summary->setObjectName(u"deviceSummary"_s);

    m_table = new QTableView(this);
    m_table->setObjectName(u"snapsTable"_s);
    m_table->setModel(m_snapsProxy);
    m_table->setItemDelegate(new PlainTextDelegate(m_table));
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(SnapsTableModel::NameColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    QHeaderView *tableHeader = m_table->horizontalHeader();
    tableHeader->setStretchLastSection(true);
    tableHeader->resizeSection(SnapsTableModel::NameColumn, 150);
    tableHeader->resizeSection(SnapsTableModel::VersionColumn, 105);
    tableHeader->resizeSection(SnapsTableModel::RevisionColumn, 68);
    tableHeader->resizeSection(SnapsTableModel::ChannelColumn, 105);
    tableHeader->resizeSection(SnapsTableModel::PublisherColumn, 95);
    tableHeader->resizeSection(SnapsTableModel::NotesColumn, 115);

    m_detailSplitter = new QSplitter(Qt::Vertical, this);
    m_detailSplitter->setObjectName(u"detailSplitter"_s);
    m_detailSplitter->addWidget(m_summary);
    m_detailSplitter->addWidget(m_table);
    m_detailSplitter->setStretchFactor(0, 0);
    m_detailSplitter->setStretchFactor(1, 1);
    m_detailSplitter->setChildrenCollapsible(false);

    m_mainSplitter = new QSplitter(Qt::Horizontal, this);
    m_mainSplitter->setObjectName(u"mainSplitter"_s);
    m_mainSplitter->addWidget(m_tree);
    m_mainSplitter->addWidget(m_detailSplitter);
    m_mainSplitter->setStretchFactor(0, 0);
    m_mainSplitter->setStretchFactor(1, 1);
    m_mainSplitter->setChildrenCollapsible(false);
    setCentralWidget(m_mainSplitter);

    m_counts = new QLabel(this);
    m_counts->setObjectName(u"statusCounts"_s);
    m_counts->setTextFormat(Qt::PlainText);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(u"refreshProgress"_s);
    m_progress->setMaximumWidth(180);
    m_progress->setFormat(tr("%v/%m"));
    m_progress->hide();
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_counts);

    m_statusTimer = new QTimer(this);
    m_statusTimer->setSingleShot(true);
    m_statusTimer->setInterval(50); // coalesce a burst of per-device results into one update
    connect(m_statusTimer, &QTimer::timeout, this, &MainWindow::updateStatusBar);
}

void MainWindow::restoreLayout()
{
    QSettings s = layoutSettings();
    s.beginGroup(u"MainWindow"_s);
    if (!restoreGeometry(s.value(u"geometry"_s).toByteArray()))
        resize(1200, 760);
    restoreState(s.value(u"state"_s).toByteArray());
    if (!m_mainSplitter->restoreState(s.value(u"mainSplitter"_s).toByteArray()))
        m_mainSplitter->setSizes({ 460, 740 });
    if (!m_detailSplitter->restoreState(s.value(u"detailSplitter"_s).toByteArray()))
        m_detailSplitter->setSizes({ m_summary->sizeHint().height(), 600 });
    m_tree->header()->restoreState(s.value(u"fleetHeader"_s).toByteArray());
    m_table->horizontalHeader()->restoreState(s.value(u"snapsHeader"_s).toByteArray());
    s.endGroup();
}

void MainWindow::saveLayout() const
{
    QSettings s = layoutSettings();
    s.beginGroup(u"MainWindow"_s);
    s.setValue(u"geometry"_s, saveGeometry());
    s.setValue(u"state"_s, saveState());
    s.setValue(u"mainSplitter"_s, m_mainSplitter->saveState());
    s.setValue(u"detailSplitter"_s, m_detailSplitter->saveState());
    s.setValue(u"fleetHeader"_s, m_tree->header()->saveState());
    s.setValue(u"snapsHeader"_s, m_table->horizontalHeader()->saveState());
    s.endGroup();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    QString error;
    m_service->saveInventoryCache(&error); // best effort: the next start shows this fleet at once
    QMainWindow::closeEvent(event);
}

// --- service -> models --------------------------------------------------------------------

void MainWindow::hostsChanged()
{
    const QStringList added = m_fleetModel->setHosts(m_service->hosts());
    for (const QString &name : added) {
        DeviceInventory inv = m_service->inventory(name);
        if (inv.host.isEmpty())
            continue; // nothing known yet
        if (inv.host == name)
            m_fleetModel->setInventory(inv);
    }
    if (!m_currentDevice.isEmpty() && !m_fleetModel->host(m_currentDevice))
        m_currentDevice.clear();
    if (!m_tree->selectionModel()->currentIndex().isValid()) {
        // something useful on the right from the first moment: the first device
        const QModelIndex firstGroup = m_fleetProxy->index(0, 0);
        const QModelIndex first = m_fleetProxy->index(0, 0, firstGroup);
        if (first.isValid())
            m_tree->selectionModel()->setCurrentIndex(
                first, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
    updateDetails();
    updateActions();
    m_statusTimer->start();
}

void MainWindow::deviceRefreshStarted(const QString &name)
{
    m_fleetModel->setRefreshing(name); // the details follow through dataChanged
}

void MainWindow::deviceInventoryReady(const DeviceInventory &inventory)
{
    m_fleetModel->setInventory(inventory);
    ++m_refreshDone;
    if (m_progress->isVisible())
        m_progress->setValue(qMin(m_refreshDone, m_progress->maximum()));
}

void MainWindow::refreshFinished()
{
    m_fleetModel->clearRefreshing();
    m_progress->hide();
    if (m_pendingAll) {
        m_pendingAll = false;
        m_pendingNames.clear();
        QTimer::singleShot(0, this, &MainWindow::refreshAll);
    } else if (!m_pendingNames.isEmpty()) {
        const QStringList names = std::exchange(m_pendingNames, {});
        QTimer::singleShot(0, this, [this, names] { refresh(names); });
    }
    updateActions();
    updateStatusBar();
    if (!m_currentDevice.isEmpty())
        updateDetails();
}

// --- actions ------------------------------------------------------------------------------

void MainWindow::refreshAll()
{
    if (m_lxdConsole) // LXD hosts re-list with the devices (an LXD-only fleet too)
        m_lxdConsole->refresh();
    refresh({});
}

void MainWindow::refreshSelected()
{
    const QStringList names = selectedDevices();
    if (!names.isEmpty())
        refresh(names);
}

void MainWindow::refresh(const QStringList &names)
{
    if (m_fleetModel->deviceCount() == 0)
        return;
    if (m_service->isRefreshing()) {
        if (names.isEmpty())
            m_pendingAll = true;
        else
            for (const QString &n : names)
                if (!m_pendingNames.contains(n))
                    m_pendingNames << n;
        statusBar()->showMessage(tr("A refresh is running; this one starts when it ends."), 4000);
        return;
    }
    if (!m_service->refresh(names)) {
        statusBar()->showMessage(tr("The refresh could not be started."), 4000);
        return;
    }
    m_refreshTotal = names.isEmpty() ? m_fleetModel->deviceCount() : int(names.size());
    m_refreshDone = 0;
    m_progress->setRange(0, m_refreshTotal);
    m_progress->setValue(0);
    m_progress->setVisible(m_service->isRefreshing());
    updateActions();
    m_statusTimer->start();
}

void MainWindow::stopRefresh()
{
    m_pendingAll = false;
    m_pendingNames.clear();
    if (m_service->isRefreshing()) {
        m_service->cancel();
        statusBar()->showMessage(tr("Stopping the refresh…"), 3000);
    }
}

void MainWindow::addDevice()
{
    if (auto *open = findChild<AddDeviceDialog *>()) {
        open->raise();
        open->activateWindow();
        return;
    }
    auto *dialog = new AddDeviceDialog(m_service, this);
    dialog->setKeychain(m_keychain);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &AddDeviceDialog::deviceAdded, this, [this](const QString &name) {
        hostsChanged(); // in case the service did not signal it
        const QModelIndex source = m_fleetModel->indexForDevice(name);
        const QModelIndex proxy = m_fleetProxy->mapFromSource(source);
        if (proxy.isValid())
            m_tree->selectionModel()->setCurrentIndex(
                proxy, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        if (m_fleetModel->status(name) == DeviceStatus::NotYetContacted)
            refresh({ name });
    });
    dialog->open();
}

void MainWindow::removeSelected()
{
    const QStringList names = selectedDevices();
    if (names.isEmpty())
        return;
    QStringList shown;
    for (const QString &n : names)
        shown << visibleText(n, 128);
    auto *box = new QMessageBox(QMessageBox::Question, tr("Remove devices"),
        tr("Remove %n device(s) from the fleet?", nullptr, int(names.size())), QMessageBox::Cancel, this);
    box->setInformativeText(shown.mid(0, 20).join(u", "_s) + (shown.size() > 20 ? u" …"_s : QString()));
    box->setTextFormat(Qt::PlainText);
    QPushButton *remove = box->addButton(tr("Remove"), QMessageBox::DestructiveRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, remove, names](QAbstractButton *clicked) {
        if (clicked != static_cast<QAbstractButton *>(remove))
            return;
        QStringList errors;
        for (const QString &n : names) {
            QString error;
            if (!m_service->removeHost(n, &error))
                errors << visibleText(n, 128) + u": "_s + visibleText(error, 512);
        }
        hostsChanged();
        if (!errors.isEmpty())
            showProblem(tr("Remove devices"), errors.join(u'\n'));
    });
    box->open();
}

void MainWindow::showProblem(const QString &title, const QString &text)
{
    auto *box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Close, this);
    box->setTextFormat(Qt::PlainText);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setModal(false);
    box->show();
    statusBar()->showMessage(title, 8000);
}

// --- selection and details ----------------------------------------------------------------

QStringList MainWindow::selectedDevices() const
{
    QStringList names;
    const QModelIndexList rows = m_tree->selectionModel()->selectedRows(0);
    for (const QModelIndex &proxy : rows) {
        const auto kind = FleetTreeModel::NodeKind(proxy.data(FleetTreeModel::KindRole).toInt());
        const QString name = proxy.data(FleetTreeModel::NameRole).toString();
        if (kind == FleetTreeModel::NodeKind::Device) {
            if (!names.contains(name))
                names << name;
        } else if (kind == FleetTreeModel::NodeKind::Group) {
            // a selected group stands for all of its (visible) devices
            for (int r = 0; r < m_fleetProxy->rowCount(proxy); ++r) {
                const QString child
                    = m_fleetProxy->index(r, 0, proxy).data(FleetTreeModel::NameRole).toString();
                if (!names.contains(child))
                    names << child;
            }
        }
    }
    return names;
}

void MainWindow::currentChanged()
{
    updateDetails();
}

void MainWindow::updateDetails()
{
    const QModelIndex current = m_tree->selectionModel()->currentIndex();
    const auto kind = FleetTreeModel::NodeKind(current.data(FleetTreeModel::KindRole).toInt());
    const QString name = current.data(FleetTreeModel::NameRole).toString();

    if (current.isValid() && kind == FleetTreeModel::NodeKind::Device && m_fleetModel->host(name)) {
        m_currentDevice = name;
        DeviceInventory inv = m_fleetModel->inventory(name);
        inv.host = name;
        const int selected = int(selectedDevices().size());
        m_summary->showDevice(*m_fleetModel->host(name), inv, m_fleetModel->status(name), selected);
        m_snapsModel->setInventory(inv);
    } else if (current.isValid() && kind == FleetTreeModel::NodeKind::Group) {
        m_currentDevice.clear();
        const QModelIndex group = current.siblingAtColumn(0);
        int devices = 0;
        int reachable = 0;
        const QModelIndex source = m_fleetProxy->mapToSource(group);
        for (int r = 0; r < m_fleetModel->rowCount(source); ++r) {
            ++devices;
            if (m_fleetModel->index(r, 0, source).data(FleetTreeModel::ReachableRole).toBool())
                ++reachable;
        }
        m_summary->showGroup(group.data(Qt::DisplayRole).toString(), devices, reachable);
        m_snapsModel->clear();
    } else {
        m_currentDevice.clear();
        m_summary->showNothing();
        m_snapsModel->clear();
    }
    updateSnapsFilter();
}

void MainWindow::filterChanged(const QString &text)
{
    m_fleetProxy->setFilterFixedString(text);
    if (!text.isEmpty())
        m_tree->expandAll();
    updateSnapsFilter();
}

void MainWindow::updateSnapsFilter()
{
    // The filter narrows the snaps only when it is about snaps: a device matched by its own
    // name, group or address shows all of its snaps.
    const QString text = m_filter->text();
    QString snapsFilter = text;
    if (!text.isEmpty() && !m_currentDevice.isEmpty()) {
        const QModelIndex device = m_fleetModel->indexForDevice(m_currentDevice);
        if (device.data(FleetTreeModel::DeviceSearchRole).toString().contains(text, Qt::CaseInsensitive))
            snapsFilter.clear();
    }
    if (m_snapsProxy->filterRegularExpression().pattern() != QRegularExpression::escape(snapsFilter))
        m_snapsProxy->setFilterFixedString(snapsFilter);
}

void MainWindow::updateStatusBar()
{
    const int total = m_fleetModel->deviceCount();
    const int reachable = m_fleetModel->reachableCount();
    const int refreshing = m_fleetModel->refreshingCount();
    QString text = tr("%1/%2 devices reachable").arg(reachable).arg(total);
    if (refreshing > 0 || m_service->isRefreshing())
        text += tr(", refreshing %1").arg(refreshing);
    m_counts->setText(text);
}

void MainWindow::updateActions()
{
    const bool refreshing = m_service->isRefreshing();
    const bool haveDevices = m_fleetModel->deviceCount() > 0;
    const bool haveSelection = !selectedDevices().isEmpty();
    m_refreshAction->setEnabled(haveDevices || (m_lxd && !m_lxd->hostNames().isEmpty()));
    m_refreshSelectedAction->setEnabled(haveSelection);
    m_removeAction->setEnabled(haveSelection);
    m_stopAction->setEnabled(refreshing);
}

// --- fleet jobs (issue 4) -----------------------------------------------------------------

void MainWindow::setupJobs()
{
    // A job is for the selected devices (a group stands for its devices); with nothing selected,
    // for the whole fleet (a selection of LXD hosts only means no devices, not all of them).
    auto jobTargets = [this]() -> QStringList {
        // In the order the tree shows them (the rollout order), not the order they were clicked.
        const QStringList selected = selectedDevices();
        QSet<QString> wanted(selected.cbegin(), selected.cend());
        QStringList names;
        for (int g = 0; g < m_fleetProxy->rowCount(); ++g) {
            const QModelIndex top = m_fleetProxy->index(g, 0);
            for (int r = -1; r < m_fleetProxy->rowCount(top); ++r) {
                const QModelIndex idx = r < 0 ? top : m_fleetProxy->index(r, 0, top);
                const QString name = idx.data(FleetTreeModel::NameRole).toString();
                if (wanted.remove(name))
                    names << name;
            }
        }
        for (const QString &name : selected)
            if (wanted.contains(name))
                names << name;
        if (names.isEmpty() && !m_tree->selectionModel()->hasSelection())
            for (const HostConfig &h : m_service->hosts())
                if (h.kind == HostKind::Device)
                    names << h.name;
        return names;
    };
    // The snaps selected in the snaps table (the current device's), by name.
    auto selectedSnaps = [this]() -> QStringList {
        QStringList snaps;
        const QModelIndexList rows = m_table->selectionModel()->selectedRows(SnapsTableModel::NameColumn);
        for (const QModelIndex &row : rows) {
            const QString name = row.data(SnapsTableModel::NameRole).toString();
            if (!name.isEmpty() && !snaps.contains(name))
                snaps << name;
        }
        return snaps;
    };
    auto openJob = [this](const JobDialog::Request &request) {
        auto *dialog = new JobDialog(m_service, request, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        // The job re-read its devices (FleetService::deviceInventoryReady updated the tree):
        // show the current device as it is now.
        connect(dialog, &JobDialog::jobFinished, this, [this] {
            updateDetails();
            updateStatusBar();
        });
        // A running job is also a row of the operations dock, with progress and Cancel.
        connect(dialog, &JobDialog::jobStarted, this, [this](FleetJob *job) {
            auto *ops = findChild<JobOperations *>(u"jobOperations"_s, Qt::FindDirectChildrenOnly);
            if (!ops && m_operationsDock) {
                ops = new JobOperations(m_operationsDock->model(), this);
                ops->setObjectName(u"jobOperations"_s);
                m_operationsDock->addCanceller(
                    u"job:"_s, [ops](const QString &id) { return ops->cancel(id); });
            }
            if (ops)
                ops->track(job, {});
        });
        // Not open(): that makes it window-modal; the console stays usable while jobs run.
        dialog->show();
        dialog->raise();
        dialog->activateWindow();
    };

    auto *actionsTimer = new QTimer(this);
    actionsTimer->setSingleShot(true);
    actionsTimer->setInterval(50); // one update for a burst of selection and inventory changes
    connect(actionsTimer, &QTimer::timeout, this, [this, jobTargets, selectedSnaps] {
        const QStringList devices = jobTargets();
        const QStringList snaps = selectedSnaps();
        const int n = int(devices.size());
        QString updateTip;
        if (devices.isEmpty())
            updateTip = tr("Select snap devices to update (or nothing, for the whole fleet)");
        else if (snaps.isEmpty())
            updateTip = tr("Refresh every snap on %n device(s), with a plan first", nullptr, n);
        else
            updateTip = tr("Refresh %1 on %n device(s), with a plan first", nullptr, n)
                            .arg(visibleText(snaps.join(u", "_s), 200));
        m_updateAction->setEnabled(!devices.isEmpty());
        // QToolTip guesses rich text: a snap named "<b>…" would render as markup
        m_updateAction->setToolTip(PlainTextDelegate::toolTipFor(updateTip));
        m_updateAction->setStatusTip(updateTip);

        QString reason;
        int possible = 0;
        if (devices.isEmpty())
            reason = tr("Select snap devices to roll back (or nothing, for the whole fleet)");
        else if (snaps.isEmpty())
            reason = tr("Select the snap to roll back in the snaps table");
        else if (snaps.size() > 1)
            reason = tr("Select one snap to roll back (%1 are selected)").arg(snaps.size());
        if (reason.isEmpty()) {
            // The job's own rule: a previous revision must be kept on the device.
            JobSpec spec;
            spec.action = SnapAction::Revert;
            spec.snaps = snaps;
            spec.devices = devices;
            const QList<JobItem> plan = FleetJob::buildPlan(
                spec, [this](const QString &name) { return m_service->inventory(name); });
            for (const JobItem &it : plan)
                if (!isFinalStatus(it.status))
                    ++possible;
            if (possible == 0)
                reason = tr(
                    "No previous revision of %1 is kept on the selected devices: nothing to roll back to")
                             .arg(visibleText(snaps.first(), 100));
        }
        const QString rollbackTip = reason.isEmpty()
            ? tr("Revert %1 to its previous revision on %n device(s), with a plan first", nullptr, possible)
                  .arg(visibleText(snaps.first(), 100))
            : reason;
        m_rollbackAction->setEnabled(reason.isEmpty());
        m_rollbackAction->setToolTip(PlainTextDelegate::toolTipFor(rollbackTip));
        m_rollbackAction->setStatusTip(rollbackTip);
    });
    auto later = [actionsTimer] { actionsTimer->start(); };
    connect(m_tree->selectionModel(), &QItemSelectionModel::selectionChanged, actionsTimer, later);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, actionsTimer, later);
    connect(m_snapsProxy, &QAbstractItemModel::modelReset, actionsTimer, later);
    connect(m_service, &FleetService::deviceInventoryReady, actionsTimer, later);
    connect(m_service, &FleetService::hostsChanged, actionsTimer, later);
    actionsTimer->start();

    connect(m_updateAction, &QAction::triggered, this, [openJob, jobTargets, selectedSnaps] {
        const QStringList devices = jobTargets();
        if (!devices.isEmpty())
            openJob({ SnapAction::Refresh, devices, selectedSnaps(), false });
    });
    connect(m_rollbackAction, &QAction::triggered, this, [openJob, jobTargets, selectedSnaps] {
        const QStringList devices = jobTargets();
        const QStringList snaps = selectedSnaps();
        if (!devices.isEmpty() && snaps.size() == 1)
            openJob({ SnapAction::Revert, devices, snaps, false });
    });

    // Hold / Release Hold / Install / Remove: the same plan-then-run JobDialog; the plan says
    // per device where an action is impossible (snappy has no holds, snapd < 2.58, ...).
    struct MoreAction
    {
        SnapAction action;
        const char *objectName;
        QString text;
        QString tip;
    };
    const QList<MoreAction> more {
        { SnapAction::Hold, "actionHoldRefreshes", tr("&Hold Refreshes…"),
            tr("Hold refreshes of the selected snaps indefinitely (snapd 2.58 or newer), with a plan "
               "first") },
        { SnapAction::Unhold, "actionReleaseHold", tr("Release Hol&d…"),
            tr("Release the refresh hold of the selected snaps, with a plan first") },
        { SnapAction::Install, "actionInstallSnap", tr("&Install Snap…"),
            tr("Install a snap from the store or from a file on the devices, with a plan first") },
        { SnapAction::Remove, "actionRemoveSnap", tr("Remove S&nap…"),
            tr("Remove the selected snaps from the devices, with a plan first") },
    };
    QList<QAction *> moreActions;
    for (const MoreAction &m : more) {
        auto *a = new QAction(m.text, this);
        a->setObjectName(QLatin1String(m.objectName));
        a->setToolTip(m.tip);
        a->setStatusTip(m.tip);
        a->setEnabled(false);
        for (QObject *o : m_rollbackAction->associatedObjects())
            if (auto *menu = qobject_cast<QMenu *>(o)) {
                // after Roll Back and the ones added before this one
                const QList<QAction *> list = menu->actions();
                const qsizetype at = list.indexOf(m_rollbackAction) + 1 + moreActions.size();
                menu->insertAction(list.value(at), a);
            }
        connect(a, &QAction::triggered, this, [openJob, jobTargets, selectedSnaps, action = m.action] {
            const QStringList devices = jobTargets();
            if (!devices.isEmpty())
                openJob({ action, devices, action == SnapAction::Install ? QStringList() : selectedSnaps(),
                    false });
        });
        moreActions << a;
    }
    connect(actionsTimer, &QTimer::timeout, this, [jobTargets, moreActions] {
        const bool any = !jobTargets().isEmpty();
        for (QAction *a : moreActions)
            a->setEnabled(any);
    });

    // Work of a job that was killed (journal entries never closed): offer to follow it to its
    // end instead of leaving devices shown in a state nobody checked (QUALITY.md R2).
    QTimer::singleShot(0, this, [this, openJob] {
        QHash<QString, QStringList> devicesOf; // action -> devices
        int open = 0;
        for (const Journal::Pending &p : Journal::pending(m_service->config().stateDir())) {
            // Any write a job sends (Update, Roll Back, Hold, Install, Remove, and canyonctl's).
            if (!m_service->host(p.record.device) || p.record.action.isEmpty())
                continue;
            ++open;
            QStringList &devices = devicesOf[p.record.action];
            if (!devices.contains(p.record.device))
                devices << p.record.device;
        }
        if (devicesOf.isEmpty())
            return;
        auto *box = new QMessageBox(QMessageBox::Question, tr("Interrupted job"),
            tr("A fleet job did not finish: %n change(s) were still open when it was stopped.", nullptr,
                open),
            QMessageBox::NoButton, this);
        box->setObjectName(u"reattachBox"_s);
        box->setTextFormat(Qt::PlainText);
        box->setInformativeText(tr("Reattach to follow them to their true outcome? Changes already sent are "
                                   "followed, never sent again. Later keeps them for the next start."));
        QPushButton *reattach = box->addButton(tr("&Reattach"), QMessageBox::AcceptRole);
        box->addButton(tr("&Later"), QMessageBox::RejectRole);
        box->setDefaultButton(reattach);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->setModal(false);
        connect(
            box, &QMessageBox::buttonClicked, this, [openJob, reattach, devicesOf](QAbstractButton *clicked) {
                if (clicked != static_cast<QAbstractButton *>(reattach))
                    return;
                for (auto it = devicesOf.cbegin(); it != devicesOf.cend(); ++it) {
                    for (SnapAction action : { SnapAction::Refresh, SnapAction::Revert, SnapAction::Hold,
                             SnapAction::Unhold, SnapAction::Install, SnapAction::Remove })
                        if (snapActionName(action) == it.key())
                            openJob({ action, it.value(), {}, true });
                }
            });
        box->show();
    });
}

// --- issue 3: LXD hosts ------------------------------------------------------------------

void MainWindow::setupLxd()
{
    m_lxd = new LxdService(m_service, this);
    m_lxd->setObjectName(u"lxdService"_s);
    auto *instances = new InstancesTableModel(this);
    auto *operations = new OperationsModel(this);
    m_lxdConsole = new LxdConsole(m_service, m_lxd, m_fleetModel, instances, operations, this);
    m_lxdConsole->setObjectName(u"lxdConsole"_s);
    connect(m_lxdConsole, &LxdConsole::problem, this, &MainWindow::showProblem);

    // Instances and Charts beside Snaps
    QTabWidget *tabs = detailTabs();
    m_instancesView = new InstancesView(m_lxdConsole, this);
    m_chartsView = new InstanceChartsView(m_lxdConsole, this);
    tabs->addTab(m_instancesView, tr("&Instances"));
    tabs->addTab(m_chartsView, tr("C&harts"));
    connect(m_filter, &QLineEdit::textChanged, m_instancesView, &InstancesView::setFilterText);

    m_operationsDock = new OperationsDock(operations, this);
    m_operationsDock->setCanceller([this](const QString &id) { return m_lxdConsole->cancel(id); });
    addDockWidget(Qt::BottomDockWidgetArea, m_operationsDock);
    resizeDocks({ m_operationsDock }, { 140 }, Qt::Vertical); // a saved layout wins (restoreLayout)

    auto *addLxd = new QAction(
        themeIcon(u"network-server"_s, QStyle::SP_DriveNetIcon, this), tr("Add &LXD Host…"), this);
    addLxd->setObjectName(u"actionAddLxdHost"_s);
    addLxd->setToolTip(tr("Add an LXD container host over HTTPS"));
    for (QObject *o : m_addAction->associatedObjects()) {
        if (auto *bar = qobject_cast<QToolBar *>(o))
            bar->insertAction(m_refreshAction, addLxd);
        else if (auto *menu = qobject_cast<QMenu *>(o))
            menu->insertAction(m_removeAction, addLxd);
    }
    for (QObject *o : m_findAction->associatedObjects())
        if (auto *menu = qobject_cast<QMenu *>(o))
            menu->addAction(m_operationsDock->toggleViewAction());
    connect(addLxd, &QAction::triggered, this, [this] {
        if (auto *open = findChild<AddLxdHostDialog *>()) {
            open->raise();
            open->activateWindow();
            return;
        }
        auto *dialog = new AddLxdHostDialog(m_service, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &AddLxdHostDialog::lxdHostAdded, this, [this](const QString &name) {
            hostsChanged();
            const QModelIndex proxy = m_fleetProxy->mapFromSource(m_fleetModel->indexForLxdHost(name));
            if (proxy.isValid())
                m_tree->selectionModel()->setCurrentIndex(
                    proxy, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        });
        dialog->open();
    });
    connect(m_refreshAction, &QAction::triggered, m_lxdConsole, [this] { m_lxdConsole->refresh(); });

    // The tree's selection drives the Instances and Charts tabs: LXD hosts show their
    // instances, selected instances are selected in the table and charted.
    const auto follow = [this, tabs](bool fromSelection) {
        QStringList hosts;
        QList<InstanceChartsView::Key> picked;
        const QModelIndexList rows = m_tree->selectionModel()->selectedRows(0);
        for (const QModelIndex &idx : rows) {
            const auto kind = FleetTreeModel::NodeKind(idx.data(FleetTreeModel::KindRole).toInt());
            const QString name = idx.data(FleetTreeModel::NameRole).toString();
            QString host;
            if (kind == FleetTreeModel::NodeKind::LxdHost)
                host = name;
            else if (kind == FleetTreeModel::NodeKind::Instance) {
                host = idx.data(FleetTreeModel::GroupRole).toString();
                picked.append({ host, name });
            } else
                continue;
            if (!hosts.contains(host))
                hosts << host;
        }
        if (hosts.isEmpty()) {
            if (fromSelection
                && (tabs->currentWidget() == m_instancesView || tabs->currentWidget() == m_chartsView)
                && !selectedDevices().isEmpty())
                tabs->setCurrentIndex(0);
            return;
        }
        m_lxdConsole->setShownHosts(hosts);
        QList<InstanceChartsView::Key> charted = picked;
        QString title;
        if (charted.isEmpty()) {
            // a whole host: its first running instances only (each charted one is polled)
            constexpr qsizetype HostChartLimit = 24;
            qsizetype running = 0;
            for (const QString &h : std::as_const(hosts))
                for (const Instance &i : m_lxd->instances(h))
                    if (i.statusCode == 103 && running++ < HostChartLimit)
                        charted.append({ h, i.name });
            title = tr("Running instances of %1").arg(visibleText(hosts.join(u", "_s), 256));
            if (running > HostChartLimit)
                title += u' '
                    + tr("(%1 of %2: select instances to chart others)").arg(HostChartLimit).arg(running);
        } else {
            QStringList names;
            for (const auto &k : std::as_const(charted))
                names << k.second;
            title = visibleText(names.join(u", "_s), 256);
        }
        m_chartsView->setTargets(charted, title);
        if (!fromSelection)
            return;
        if (!picked.isEmpty())
            m_instancesView->selectInstance(picked.first().first, picked.first().second);
        if (tabs->currentWidget() != m_instancesView && tabs->currentWidget() != m_chartsView
            && tabs->currentWidget() != m_configLogsTab) // issue 6: instances have config & logs too
            tabs->setCurrentWidget(m_instancesView);
    };
    connect(
        m_tree->selectionModel(), &QItemSelectionModel::selectionChanged, this, [follow] { follow(true); });
    connect(m_lxd, &LxdService::instancesRefreshed, this, [this, follow](const QString &host) {
        // nothing selected yet (e.g. a fleet of LXD hosts only): the first host that answers
        if (!m_tree->selectionModel()->currentIndex().isValid()) {
            const QModelIndex proxy = m_fleetProxy->mapFromSource(m_fleetModel->indexForLxdHost(host));
            if (proxy.isValid())
                m_tree->selectionModel()->setCurrentIndex(
                    proxy, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        }
        follow(false);
    });
    connect(m_instancesView, &InstancesView::selectionChanged, this, [this] {
        const auto selected = m_instancesView->selectedInstances();
        if (selected.isEmpty())
            return;
        QStringList names;
        for (const auto &k : selected)
            names << k.second;
        m_chartsView->setTargets(selected, visibleText(names.join(u", "_s), 256));
    });
    // issue 5: drag instances onto another LXD host / Migrate…, migrations in the operations dock
    auto *migrations = new MigrationController(
        this, m_tree, m_fleetModel, m_lxd, m_instancesView, m_operationsDock, m_service->config().stateDir());
    migrations->setObjectName(u"migrationController"_s);
    if (m_options.refreshOnStart)
        QTimer::singleShot(0, m_lxdConsole, &LxdConsole::start);
}

// The details' tab widget around the snaps table, made on first use: each area (viewer, LXD,
// ...) adds its tabs beside "Snaps".
QTabWidget *MainWindow::detailTabs()
{
    for (QWidget *w = m_table->parentWidget(); w && w != this; w = w->parentWidget())
        if (auto *tabs = qobject_cast<QTabWidget *>(w))
            return tabs;
    auto *splitter = qobject_cast<QSplitter *>(m_table->parentWidget());
    Q_ASSERT(splitter);
    auto *tabs = new QTabWidget;
    tabs->setObjectName(u"detailTabs"_s);
    tabs->setDocumentMode(true);
    splitter->replaceWidget(splitter->indexOf(m_table), tabs);
    tabs->addTab(m_table, tr("Snaps"));
    return tabs;
}

} // namespace canyon
