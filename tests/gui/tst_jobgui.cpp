// SPDX-License-Identifier: GPL-3.0-or-later
// Update and Roll Back from the main window, offscreen, against the real simulator
// (canyon-fleetsim serve, with its fault knobs): the plan with from/to revisions and batches,
// a run to the end with the snaps tables showing the new revisions, Roll Back disabled where
// no previous revision is kept, and a canary batch over --max-fail stopping later batches.
#include "DemoFleet.h"
#include "JobDialog.h"
#include "MainWindow.h"
#include "OperationsDock.h"
#include "SimulatorProcess.h"
#include "fleet/Config.h"
#include "fleet/FleetJob.h"
#include "fleet/FleetService.h"
#include "fleet/Journal.h"
#include "item/FleetTreeModel.h"
#include "item/JobItemsModel.h"
#include "item/OperationsModel.h"
#include "item/SnapsTableModel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <memory>

using namespace Qt::StringLiterals;
using namespace canyon;

class TestJobGui : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void rollBackOnlyWherePreviousRevisionKept();
    void updatePlanRunAndFreshTables();
    void maxFailStopsLaterBatches();
    void reattachAfterKilledJob();
    void holdInstallRemoveWithOperationsRows();
    void cancelJobFromOperationsDock();

private:
    bool startSim(int devices, const QStringList &extra);
    std::unique_ptr<FleetService> fleet(int devices);
    std::unique_ptr<FleetService> reopen();
    bool waitInventory(MainWindow &w, FleetService &service, int devices);
    void selectDevices(MainWindow &w, const QStringList &names, bool group = false);
    void selectSnap(MainWindow &w, const QString &snap);
    QString activeRevision(MainWindow &w, const QString &snap);
    JobDialog *openDialog(MainWindow &w, const QString &action);

    QTemporaryDir m_settings;
    QTemporaryDir m_keys;
    std::unique_ptr<QTemporaryDir> m_cfg;
    std::unique_ptr<QTemporaryDir> m_simState;
    QProcess m_sim;
    int m_port = 0;
};

void TestJobGui::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settings.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());
    QVERIFY(testsupport::makeSimulatorKeys(m_keys.path()));
}

void TestJobGui::cleanup()
{
    testsupport::stopSimulator(m_sim);
}

bool TestJobGui::startSim(int devices, const QStringList &extra)
{
    m_simState = std::make_unique<QTemporaryDir>();
    m_port = testsupport::startSimulator(m_sim, m_keys.path(),
        QStringList { u"--devices"_s, QString::number(devices), u"--snappy-share"_s, u"0"_s, u"--state-dir"_s,
            m_simState->path() }
            + extra);
    return m_port > 0;
}

std::unique_ptr<FleetService> TestJobGui::fleet(int devices)
{
    m_cfg = std::make_unique<QTemporaryDir>();
    const QString cfg = m_cfg->path();
    if (!testsupport::trustSimulator(m_keys.path(), m_port, cfg + u"/known_hosts"_s))
        return {};
    QString error;
    {
        FleetService setup(Config::fromDirectory(cfg));
        for (int i = 0; i < devices; ++i) {
            HostConfig h;
            h.name = DemoFleet::deviceUser(i);
            h.ssh = { h.name, u"127.0.0.1"_s, m_port };
            h.identityFile = m_keys.filePath(u"client"_s);
            h.group = u"lab"_s;
            if (!setup.addHost(h, &error))
                return {};
        }
    }
    auto service = std::make_unique<FleetService>(Config::fromDirectory(cfg));
    service->setSshConfigFile(u"none"_s);
    service->setUserKnownHostsFile(cfg + u"/none"_s);
    if (!service->load(&error))
        return {};
    return service;
}

std::unique_ptr<FleetService> TestJobGui::reopen()
{
    auto service = std::make_unique<FleetService>(Config::fromDirectory(m_cfg->path()));
    service->setSshConfigFile(u"none"_s);
    service->setUserKnownHostsFile(m_cfg->path() + u"/none"_s);
    QString error;
    if (!service->load(&error))
        return {};
    return service;
}

bool TestJobGui::waitInventory(MainWindow &w, FleetService &service, int devices)
{
    w.refreshAll();
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 30000) {
        QTest::qWait(50);
        if (service.isRefreshing())
            continue;
        int ok = 0;
        for (int i = 0; i < devices; ++i)
            ok += w.fleetModel()->status(DemoFleet::deviceUser(i)) == DeviceStatus::Ok ? 1 : 0;
        if (ok == devices)
            return true;
    }
    return false;
}

void TestJobGui::selectDevices(MainWindow &w, const QStringList &names, bool group)
{
    auto *tree = w.findChild<QTreeView *>(u"fleetTree"_s);
    QVERIFY(tree);
    QAbstractItemModel *proxy = tree->model();
    QItemSelectionModel *sel = tree->selectionModel();
    sel->clearSelection();
    bool first = true;
    for (int g = 0; g < proxy->rowCount(); ++g) {
        const QModelIndex groupIndex = proxy->index(g, 0);
        if (group) {
            sel->setCurrentIndex(groupIndex, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            // the snaps table shows a device: make the first one current, keep the group selected
            sel->setCurrentIndex(
                proxy->index(0, 0, groupIndex), QItemSelectionModel::Select | QItemSelectionModel::Rows);
            return;
        }
        for (int r = 0; r < proxy->rowCount(groupIndex); ++r) {
            const QModelIndex idx = proxy->index(r, 0, groupIndex);
            if (!names.contains(idx.data(FleetTreeModel::NameRole).toString()))
                continue;
            sel->setCurrentIndex(idx,
                (first ? QItemSelectionModel::ClearAndSelect : QItemSelectionModel::Select)
                    | QItemSelectionModel::Rows);
            first = false;
        }
    }
    QVERIFY(!first);
}

void TestJobGui::selectSnap(MainWindow &w, const QString &snap)
{
    auto *table = w.findChild<QTableView *>(u"snapsTable"_s);
    QAbstractItemModel *m = table->model();
    for (int r = 0; r < m->rowCount(); ++r) {
        const QModelIndex idx = m->index(r, 0);
        if (idx.data(SnapsTableModel::NameRole).toString() == snap
            && idx.data(SnapsTableModel::ActiveRole).toBool()) {
            table->selectionModel()->setCurrentIndex(
                idx, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            return;
        }
    }
    QFAIL(qPrintable(u"snap not shown: "_s + snap));
}

QString TestJobGui::activeRevision(MainWindow &w, const QString &snap)
{
    const SnapsTableModel *m = w.snapsModel();
    for (int r = 0; r < m->rowCount(); ++r) {
        const QModelIndex idx = m->index(r, 0);
        if (idx.data(SnapsTableModel::NameRole).toString() == snap
            && idx.data(SnapsTableModel::ActiveRole).toBool())
            return idx.data(SnapsTableModel::RevisionRole).toString();
    }
    return {};
}

JobDialog *TestJobGui::openDialog(MainWindow &w, const QString &action)
{
    auto *a = w.findChild<QAction *>(action);
    if (!a || !a->isEnabled())
        return nullptr;
    a->trigger();
    JobDialog *d = w.findChild<JobDialog *>();
    return d && d->isVisible() ? d : nullptr;
}

void TestJobGui::rollBackOnlyWherePreviousRevisionKept()
{
    QVERIFY(startSim(3, {}));
    auto service = fleet(3);
    QVERIFY(service);
    MainWindow w(service.get(), MainWindow::Options { false });
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(waitInventory(w, *service, 3));
    QAction *rollback = w.findChild<QAction *>(u"actionRollBack"_s);
    QAction *update = w.findChild<QAction *>(u"actionUpdate"_s);

    selectDevices(w, { u"dev0001"_s, u"dev0002"_s });
    QTRY_COMPARE(w.currentDevice(), u"dev0002"_s);
    QTRY_VERIFY(update->isEnabled());
    QTRY_VERIFY(!rollback->isEnabled()); // no snap selected
    QVERIFY(rollback->toolTip().contains(u"Select the snap"_s));

    selectSnap(w, u"node-red"_s); // no disabled older revision anywhere
    QTRY_VERIFY(rollback->toolTip().contains(u"No previous revision of node-red"_s));
    QVERIFY(!rollback->isEnabled());

    selectSnap(w, u"core22"_s); // kept only where index % 3 == 0: not on devices 1, 2
    QTRY_VERIFY(rollback->toolTip().contains(u"No previous revision of core22"_s));
    QVERIFY(!rollback->isEnabled());

    selectSnap(w, u"mosquitto"_s); // 2.0.17 is kept disabled on every device
    QTRY_VERIFY(rollback->isEnabled());
    QVERIFY(rollback->toolTip().contains(u"mosquitto"_s));

    JobDialog *d = openDialog(w, u"actionRollBack"_s);
    QVERIFY(d);
    const JobItemsModel *m = d->itemsModel();
    QCOMPARE(m->rowCount(), 2);
    QCOMPARE(m->index(0, JobItemsModel::DeviceColumn).data().toString(), u"dev0001"_s);
    QCOMPARE(m->index(0, JobItemsModel::RevisionColumn).data().toString(), u"871 → 813"_s);
    QCOMPARE(m->index(1, JobItemsModel::RevisionColumn).data().toString(), u"872 → 814"_s);
    QVERIFY(d->findChild<QPushButton *>(u"startButton"_s)->isEnabled());
    d->findChild<QPushButton *>(u"closeButton"_s)->click();
    QTRY_VERIFY(w.findChild<JobDialog *>() == nullptr); // closed and deleted: nothing was started
}

void TestJobGui::updatePlanRunAndFreshTables()
{
    QVERIFY(startSim(4, {}));
    auto service = fleet(4);
    QVERIFY(service);
    MainWindow w(service.get(), MainWindow::Options { false });
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(waitInventory(w, *service, 4));

    // devices 0 and 2 have a mosquitto update (870 → 901, 872 → 903)
    selectDevices(w, { u"dev0002"_s, u"dev0000"_s });
    QTRY_COMPARE(w.currentDevice(), u"dev0002"_s);
    QTRY_COMPARE(activeRevision(w, u"mosquitto"_s), u"872"_s);
    selectSnap(w, u"mosquitto"_s);
    QTRY_VERIFY(w.findChild<QAction *>(u"actionUpdate"_s)->toolTip().contains(u"mosquitto"_s));

    JobDialog *d = openDialog(w, u"actionUpdate"_s);
    QVERIFY(d);
    QVERIFY(!d->isModal());
    QCOMPARE(QApplication::activeModalWidget(), nullptr); // the console stays usable
    QCOMPARE(d->findChild<QLineEdit *>(u"snapsEdit"_s)->text(), u"mosquitto"_s);
    QCOMPARE(d->findChild<QLineEdit *>(u"batchesEdit"_s)->text(), u"1,10%,100%"_s);
    const JobItemsModel *m = d->itemsModel();
    QCOMPARE(m->rowCount(), 2);
    QCOMPARE(m->items().at(0).device, u"dev0000"_s); // tree order
    QCOMPARE(m->index(0, JobItemsModel::RevisionColumn).data().toString(), u"870 → 901"_s);
    QCOMPARE(m->index(1, JobItemsModel::RevisionColumn).data().toString(), u"872 → 903"_s);
    QCOMPARE(m->index(0, JobItemsModel::BatchColumn).data().toInt(), 1); // canary
    QCOMPARE(m->index(1, JobItemsModel::BatchColumn).data().toInt(), 2); // ceil(10% of 2)
    QVERIFY(d->findChild<QLabel *>(u"planLabel"_s)->text().contains(u"1 + 1"_s));

    // a bad batch spec keeps Start disabled and says why
    auto *batches = d->findChild<QLineEdit *>(u"batchesEdit"_s);
    auto *start = d->findChild<QPushButton *>(u"startButton"_s);
    batches->setText(u"1,x"_s);
    QTRY_VERIFY(!start->isEnabled());
    QVERIFY(d->findChild<QLabel *>(u"planLabel"_s)->text().contains(u"x"_s));
    batches->setText(u"1,10%,100%"_s);
    QTRY_VERIFY(start->isEnabled());

    start->click();
    QVERIFY(d->job());
    QVERIFY(d->isRunning());
    QVERIFY(d->findChild<QPushButton *>(u"pauseButton"_s)->isVisible());
    QVERIFY(!d->findChild<QPushButton *>(u"closeButton"_s)->isEnabled());
    d->reject(); // refused while running
    QVERIFY(d->isVisible());
    // the main window stays usable meanwhile
    QVERIFY(w.isEnabled());

    QTRY_VERIFY_WITH_TIMEOUT(d->job()->isFinished(), 60000);
    for (int r = 0; r < 2; ++r)
        QCOMPARE(m->index(r, JobItemsModel::StatusColumn).data().toString(), u"done"_s);
    QCOMPARE(m->index(0, JobItemsModel::ProgressColumn).data().toString(), u"100 %"_s);
    QVERIFY(!m->index(0, JobItemsModel::ChangeColumn).data().toString().isEmpty());
    // the job finishes (isFinished) before it re-reads inventory and signals the dialog: wait for that
    QTRY_COMPARE_WITH_TIMEOUT(d->findChild<QProgressBar *>(u"jobProgress"_s)->value(), 1000, 20000);
    QTRY_VERIFY(d->findChild<QLabel *>(u"jobStatus"_s)->text().contains(u"every device succeeded"_s));

    // what is shown is what is installed: the current device's table has the new revision
    QTRY_COMPARE_WITH_TIMEOUT(activeRevision(w, u"mosquitto"_s), u"903"_s, 10000);
    selectDevices(w, { u"dev0000"_s });
    QTRY_COMPARE(activeRevision(w, u"mosquitto"_s), u"901"_s);

    // the result can be saved
    QTemporaryDir out;
    QString error;
    QVERIFY2(d->saveReport(out.filePath(u"r.json"_s), &error), qPrintable(error));
    QFile f(out.filePath(u"r.json"_s));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonArray results = QJsonDocument::fromJson(f.readAll()).object().value(u"results"_s).toArray();
    QCOMPARE(results.size(), 2);
    QCOMPARE(results.at(1).toObject().value(u"to"_s).toString(), u"903"_s);
    QVERIFY(d->saveReport(out.filePath(u"r.csv"_s), &error));
    QVERIFY(d->reportText().contains(u"2 done"_s));

    d->findChild<QPushButton *>(u"closeButton"_s)->click();
    QTRY_VERIFY(w.findChild<JobDialog *>() == nullptr);
}

void TestJobGui::maxFailStopsLaterBatches()
{
    // 6 devices, batches 1 + 1 + 4; device 1 (the whole of batch 2) fails its refresh
    QVERIFY(startSim(6, { u"--fail-refresh"_s, u"1"_s }));
    auto service = fleet(6);
    QVERIFY(service);
    MainWindow w(service.get(), MainWindow::Options { false });
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(waitInventory(w, *service, 6));

    selectDevices(w, {}, true); // the group "lab" stands for its devices
    QTRY_COMPARE(w.currentDevice(), u"dev0000"_s);
    QTRY_VERIFY(!activeRevision(w, u"mosquitto"_s).isEmpty());
    selectSnap(w, u"mosquitto"_s);
    QTRY_VERIFY(w.findChild<QAction *>(u"actionUpdate"_s)->toolTip().contains(u"on 6 device"_s));
    JobDialog *d = openDialog(w, u"actionUpdate"_s);
    QVERIFY(d);
    const JobItemsModel *m = d->itemsModel();
    QCOMPARE(m->rowCount(), 6);
    QCOMPARE(m->index(5, JobItemsModel::BatchColumn).data().toInt(), 3);
    d->findChild<QPushButton *>(u"startButton"_s)->click();
    QVERIFY(d->isRunning());
    QTRY_VERIFY_WITH_TIMEOUT(d->job()->isFinished(), 60000);

    QCOMPARE(m->index(0, JobItemsModel::StatusColumn).data().toString(), u"done"_s);
    QCOMPARE(m->index(1, JobItemsModel::StatusColumn).data().toString(), u"undone by snapd"_s);
    QVERIFY(!m->index(1, JobItemsModel::ErrorColumn).data().toString().isEmpty());
    for (int r = 2; r < 6; ++r) {
        QCOMPARE(m->index(r, JobItemsModel::StatusColumn).data().toString(), u"not started"_s);
        QVERIFY(m->index(r, JobItemsModel::ErrorColumn).data().toString().contains(u"max-fail"_s));
    }
    QVERIFY(d->job()->stoppedByMaxFail());
    // the job finishes (isFinished) before it re-reads inventory and signals the dialog: wait for that
    QTRY_VERIFY_WITH_TIMEOUT(
        d->findChild<QLabel *>(u"jobStatus"_s)->text().contains(u"later batches were not started"_s), 20000);
    const QString status = d->findChild<QLabel *>(u"jobStatus"_s)->text();
    QVERIFY2(status.contains(u"later batches were not started"_s), qPrintable(status));
    QVERIFY2(status.contains(u"4 not started"_s), qPrintable(status));
}

void TestJobGui::reattachAfterKilledJob()
{
    QVERIFY(startSim(4, {}));
    JobSpec spec;
    spec.snaps = { u"mosquitto"_s };
    spec.devices = { u"dev0000"_s, u"dev0002"_s }; // both have an update: a change each
    spec.pollMs = 300;
    {
        auto service = fleet(4);
        QVERIFY(service);
        QSignalSpy read(service.get(), &FleetService::refreshFinished);
        QVERIFY(service->refresh());
        QVERIFY(read.wait(30000));
        auto job = std::make_unique<FleetJob>(*service, spec);
        QString error;
        QVERIFY2(job->start(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(job->items().cbegin(), job->items().cend(),
                                     [](const JobItem &it) { return !it.changeId.isEmpty(); }),
            15000);
        QVERIFY(!job->isFinished());
        job.reset(); // the console is killed: the journal stays open
    }

    auto service = reopen();
    QVERIFY(service);
    MainWindow w(service.get(), MainWindow::Options { false });
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = w.findChild<QMessageBox *>(u"reattachBox"_s)) != nullptr);
    QVERIFY(box->text().contains(u"2 change"_s));
    QVERIFY(waitInventory(w, *service, 4));
    QAbstractButton *reattach = nullptr;
    for (QAbstractButton *b : box->buttons())
        if (box->buttonRole(b) == QMessageBox::AcceptRole)
            reattach = b;
    QVERIFY(reattach);
    reattach->click();
    JobDialog *d = nullptr;
    QTRY_VERIFY((d = w.findChild<JobDialog *>()) != nullptr);
    const JobItemsModel *m = d->itemsModel();
    QCOMPARE(m->rowCount(), 2);
    QVERIFY(!m->items().at(0).changeId.isEmpty()); // followed by the journalled id
    QVERIFY(m->items().at(0).reattached);
    d->findChild<QPushButton *>(u"startButton"_s)->click();
    QTRY_VERIFY_WITH_TIMEOUT(d->job() && d->job()->isFinished(), 60000);
    for (int r = 0; r < 2; ++r) {
        QCOMPARE(m->items().at(r).status, JobItemStatus::Done);
        QVERIFY(m->items().at(r).reattached);
    }
    QCOMPARE(m->index(0, JobItemsModel::StatusColumn).data().toString(), u"done (reattached)"_s);
    for (const JobItem &it : m->items())
        QCOMPARE(it.toRevision, it.device == u"dev0000"_s ? u"901"_s : u"903"_s);
    QVERIFY(Journal::pending(service->config().stateDir()).isEmpty());
}

void TestJobGui::holdInstallRemoveWithOperationsRows()
{
    // dev0005 runs snapd 2.57.6: no per-snap hold there, and the plan says so before Start.
    QVERIFY(startSim(6, {}));
    auto service = fleet(6);
    QVERIFY(service);
    MainWindow w(service.get(), MainWindow::Options { false });
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(waitInventory(w, *service, 6));
    auto *dock = w.findChild<OperationsDock *>();
    QVERIFY(dock);
    OperationsModel *ops = dock->model();
    QAbstractItemModelTester tester(ops, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const int opsBefore = ops->rowCount();
    auto jobRow = [ops](int n) -> std::optional<OperationsModel::Row> {
        return ops->row(u"job:"_s + QString::number(n));
    };

    // Hold
    selectDevices(w, { u"dev0000"_s, u"dev0005"_s });
    QTRY_COMPARE(w.currentDevice(), u"dev0005"_s);
    selectSnap(w, u"mosquitto"_s);
    QTRY_VERIFY(w.findChild<QAction *>(u"actionHoldRefreshes"_s)->isEnabled());
    JobDialog *d = openDialog(w, u"actionHoldRefreshes"_s);
    QVERIFY(d);
    QCOMPARE(d->windowTitle(), u"Hold Refreshes"_s);
    QCOMPARE(d->findChild<QLineEdit *>(u"snapsEdit"_s)->text(), u"mosquitto"_s);
    QVERIFY(!d->findChild<QLineEdit *>(u"channelEdit"_s)->isVisible());
    const JobItemsModel *m = d->itemsModel();
    QTRY_COMPARE(m->rowCount(), 2);
    QCOMPARE(m->items().at(0).status, JobItemStatus::Waiting);
    QCOMPARE(m->items().at(1).status, JobItemStatus::Skipped);
    QVERIFY(
        m->index(1, JobItemsModel::ErrorColumn).data().toString().contains(u"needs snapd 2.58 or newer"_s));
    QVERIFY(d->findChild<QLabel *>(u"planLabel"_s)->text().contains(u"1 skipped"_s));
    d->findChild<QPushButton *>(u"startButton"_s)->click();
    QVERIFY(d->isRunning());
    // the running job is a row of the operations dock, beside LXD operations
    QTRY_COMPARE(ops->rowCount(), opsBefore + 1);
    QVERIFY(jobRow(1));
    QCOMPARE(jobRow(1)->title, u"Hold mosquitto on 2 device(s)"_s);
    QTRY_VERIFY_WITH_TIMEOUT(d->job()->isFinished(), 30000);
    QCOMPARE(m->items().at(0).status, JobItemStatus::Done);
    QTRY_COMPARE_WITH_TIMEOUT(
        jobRow(1)->state, OperationsModel::State::Failed, 20000); // skipped is no success
    QCOMPARE(jobRow(1)->status, u"1 done, 1 skipped"_s);
    QCOMPARE(jobRow(1)->progress, 100);
    QTRY_VERIFY(d->findChild<QLabel *>(u"jobStatus"_s)->text().contains(u"problems"_s));
    d->findChild<QPushButton *>(u"closeButton"_s)->click();
    QTRY_VERIFY(w.findChild<JobDialog *>() == nullptr);

    // Install from the store on dev0000
    selectDevices(w, { u"dev0000"_s });
    QTRY_COMPARE(w.currentDevice(), u"dev0000"_s);
    QTRY_VERIFY(w.findChild<QAction *>(u"actionInstallSnap"_s)->isEnabled());
    d = openDialog(w, u"actionInstallSnap"_s);
    QVERIFY(d);
    auto *start = d->findChild<QPushButton *>(u"startButton"_s);
    QVERIFY(d->findChild<QLineEdit *>(u"fileEdit"_s)->isVisible());
    QVERIFY(d->findChild<QCheckBox *>(u"devmodeCheck"_s)->isVisible());
    QVERIFY(!start->isEnabled()); // no snap named yet
    d->findChild<QLineEdit *>(u"snapsEdit"_s)->setText(u"hello-world"_s);
    QTRY_VERIFY(start->isEnabled());
    QCOMPARE(d->itemsModel()->items().at(0).status, JobItemStatus::Waiting);
    start->click();
    QTRY_VERIFY_WITH_TIMEOUT(d->job()->isFinished(), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(jobRow(2)->state, OperationsModel::State::Succeeded, 20000);
    QCOMPARE(jobRow(2)->title, u"Install hello-world on 1 device(s)"_s);
    QTRY_COMPARE_WITH_TIMEOUT(activeRevision(w, u"hello-world"_s), u"29"_s, 10000); // re-read
    d->findChild<QPushButton *>(u"closeButton"_s)->click();
    QTRY_VERIFY(w.findChild<JobDialog *>() == nullptr);

    // Remove what was just installed
    selectSnap(w, u"hello-world"_s);
    QTRY_VERIFY(w.findChild<QAction *>(u"actionRemoveSnap"_s)->isEnabled());
    d = openDialog(w, u"actionRemoveSnap"_s);
    QVERIFY(d);
    QCOMPARE(d->findChild<QLineEdit *>(u"snapsEdit"_s)->text(), u"hello-world"_s);
    QTRY_COMPARE(d->itemsModel()->rowCount(), 1);
    QCOMPARE(d->itemsModel()->items().at(0).fromRevision, u"29"_s);
    d->findChild<QPushButton *>(u"startButton"_s)->click();
    QTRY_VERIFY_WITH_TIMEOUT(d->job()->isFinished(), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(jobRow(3)->state, OperationsModel::State::Succeeded, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(activeRevision(w, u"hello-world"_s), QString(), 10000);
    d->findChild<QPushButton *>(u"closeButton"_s)->click();
    QTRY_VERIFY(w.findChild<JobDialog *>() == nullptr);
}

void TestJobGui::cancelJobFromOperationsDock()
{
    QVERIFY(startSim(6, { u"--slow-ms"_s, u"300"_s, u"--slow-share"_s, u"100"_s }));
    auto service = fleet(6);
    QVERIFY(service);
    MainWindow w(service.get(), MainWindow::Options { false });
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(waitInventory(w, *service, 6));
    auto *dock = w.findChild<OperationsDock *>();
    OperationsModel *ops = dock->model();
    QAbstractItemModelTester tester(ops, QAbstractItemModelTester::FailureReportingMode::QtTest);

    selectDevices(w, { u"dev0000"_s, u"dev0002"_s, u"dev0004"_s });
    QTRY_VERIFY(!w.currentDevice().isEmpty());
    selectSnap(w, u"mosquitto"_s);
    JobDialog *d = openDialog(w, u"actionUpdate"_s);
    QVERIFY(d);
    d->findChild<QLineEdit *>(u"batchesEdit"_s)->setText(QString());
    auto *concurrency = d->findChild<QSpinBox *>(u"concurrencySpin"_s);
    concurrency->setValue(1);
    QTRY_VERIFY(d->findChild<QPushButton *>(u"startButton"_s)->isEnabled());
    d->findChild<QPushButton *>(u"startButton"_s)->click();
    QTRY_VERIFY(ops->row(u"job:1"_s).has_value());
    QTRY_VERIFY_WITH_TIMEOUT(d->job()->items().at(0).status == JobItemStatus::Running, 15000);

    // Cancel from the dock's row
    QTableView *view = dock->view();
    const QModelIndex rowIndex = [ops] {
        for (int r = 0; r < ops->rowCount(); ++r)
            if (ops->index(r, 0).data(OperationsModel::IdRole).toString() == u"job:1"_s)
                return ops->index(r, 0);
        return QModelIndex();
    }();
    QVERIFY(rowIndex.data(OperationsModel::CancellableRole).toBool());
    view->selectionModel()->select(rowIndex, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    auto *cancel = dock->findChild<QPushButton *>(u"cancelOperationButton"_s);
    QTRY_VERIFY(cancel->isEnabled());
    cancel->click();
    QVERIFY(d->job()->isCancelled());
    QTRY_VERIFY(!d->findChild<QPushButton *>(u"cancelJobButton"_s)->isEnabled()); // the dialog knows
    QTRY_VERIFY_WITH_TIMEOUT(d->job()->isFinished(), 30000);
    QCOMPARE(d->job()->items().at(0).status, JobItemStatus::Done); // followed to its end
    QCOMPARE(d->job()->items().at(1).status, JobItemStatus::NotStarted);
    QCOMPARE(d->job()->items().at(2).status, JobItemStatus::NotStarted);
    QTRY_COMPARE_WITH_TIMEOUT(ops->row(u"job:1"_s)->state, OperationsModel::State::Cancelled, 20000);
    QCOMPARE(ops->row(u"job:1"_s)->status, u"1 done, 2 not-started"_s);
    QVERIFY(!ops->row(u"job:1"_s)->cancellable);
}

QTEST_MAIN(TestJobGui)
#include "tst_jobgui.moc"
