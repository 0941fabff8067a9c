// SPDX-License-Identifier: GPL-3.0-or-later
// JobItemsModel over a plan and over a live FleetJob (QAbstractItemModelTester, precise
// dataChanged), its reports (text, CSV, JSON), and FleetJob's reattach-only plan from a journal.
#include "fleet/Config.h"
#include "fleet/FleetJob.h"
#include "fleet/FleetService.h"
#include "fleet/Journal.h"
#include "item/JobItemsModel.h"
#include "item/JobOperations.h"
#include "item/OperationsModel.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace canyon;

namespace {

JobItem item(const QString &device, const QString &snap, int batch, JobItemStatus status,
    const QString &from = {}, const QString &to = {})
{
    JobItem it;
    it.device = device;
    it.snap = snap;
    it.batch = batch;
    it.status = status;
    it.fromRevision = from;
    it.toRevision = to;
    return it;
}

Snap snap(const QString &name, const QString &rev, bool active, const QString &updateRev = {})
{
    Snap s;
    s.name = name;
    s.version = u"1.0"_s;
    s.revision = rev;
    s.active = active;
    if (!active)
        s.notes << u"disabled"_s;
    s.updateKnowledge = updateRev.isEmpty() ? UpdateKnowledge::None : UpdateKnowledge::Available;
    if (!updateRev.isEmpty())
        s.update = SnapUpdate { u"1.1"_s, updateRev };
    return s;
}

// A fleet over a temporary config whose devices have a known (injected) inventory.
struct Fleet
{
    QTemporaryDir dir;
    std::unique_ptr<FleetService> service;

    explicit Fleet(const QStringList &names)
    {
        Config config = Config::fromDirectory(dir.path());
        QList<HostConfig> hosts;
        for (const QString &n : names) {
            HostConfig h;
            h.name = n;
            h.ssh = { u"admin"_s, u"127.0.0.1"_s, 1 };
            hosts << h;
        }
        QString error;
        if (!config.saveHosts(hosts, &error))
            qFatal("saveHosts: %s", qPrintable(error));
        service = std::make_unique<FleetService>(config);
        if (!service->load(&error))
            qFatal("load: %s", qPrintable(error));
        for (const QString &n : names) {
            DeviceInventory inv;
            inv.host = n;
            inv.status = DeviceStatus::Ok;
            inv.reachable = true;
            inv.dialect = Dialect::SnapCli;
            inv.system.snapdVersion = u"2.61.3"_s;
            inv.snaps = { snap(u"mosquitto"_s, u"870"_s, true, u"901"_s),
                snap(u"mosquitto"_s, u"812"_s, false), snap(u"node-red"_s, u"1114"_s, true) };
            service->rememberInventory(inv);
        }
    }
};

} // namespace

class TestJobModels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void planRows_data();
    void planRows();
    void expectedMovesOfEverySnap();
    void followsJobWithPreciseDataChanged();
    void reports();
    void reattachOnlyPlanFromJournal();
    void jobRowsInOperationsModel();
    void cancelJobFromOperationsRow();
};

void TestJobModels::planRows_data()
{
    QTest::addColumn<JobItem>("item");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("revision");
    QTest::addColumn<int>("progress");
    QTest::addRow("waiting refresh") << item(
        u"a"_s, u"mosquitto"_s, 0, JobItemStatus::Waiting, u"870"_s, u"901"_s)
                                     << u"waiting"_s << u"870 → 901"_s << -1;
    QTest::addRow("unknown target") << item(u"a"_s, u"node-red"_s, 0, JobItemStatus::Waiting, u"1114"_s)
                                    << u"waiting"_s << u"1114 → ?"_s << -1;
    QTest::addRow("done") << item(u"b"_s, u"mosquitto"_s, 1, JobItemStatus::Done, u"870"_s, u"901"_s)
                          << u"done"_s << u"870 → 901"_s << 100;
    QTest::addRow("undone") << item(u"b"_s, u"mosquitto"_s, 1, JobItemStatus::Undone, u"870"_s, u"870"_s)
                            << u"undone by snapd"_s << u"870"_s << -1;
    QTest::addRow("not started") << item(
        u"c"_s, u"mosquitto"_s, 2, JobItemStatus::NotStarted, u"870"_s, u"901"_s)
                                 << u"not started"_s << u"870 → 901"_s << -1;
    QTest::addRow("pending reboot") << item(
        u"d"_s, u"ubuntu-core"_s, 0, JobItemStatus::PendingReboot, u"141"_s, u"142"_s)
                                    << u"pending reboot"_s << u"141 → 142"_s << 100;
    QTest::addRow("skipped, no revisions")
        << item(u"e"_s, u"x"_s, 0, JobItemStatus::Skipped) << u"skipped"_s << QString() << -1;
}

void TestJobModels::planRows()
{
    QFETCH(JobItem, item);
    QFETCH(QString, status);
    QFETCH(QString, revision);
    QFETCH(int, progress);
    JobItemsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPlan({ item });
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.columnCount(), int(JobItemsModel::ColumnCount));
    QCOMPARE(model.index(0, JobItemsModel::StatusColumn).data().toString(), status);
    QCOMPARE(model.index(0, JobItemsModel::RevisionColumn).data().toString(), revision);
    QCOMPARE(model.index(0, JobItemsModel::BatchColumn).data().toInt(), item.batch + 1);
    QCOMPARE(model.index(0, 0).data(JobItemsModel::ProgressRole).toInt(), progress);
    QCOMPARE(model.index(0, 0).data(JobItemsModel::StatusRole).toInt(), int(item.status));
    QCOMPARE(model.index(0, 0).data(JobItemsModel::DeviceRole).toString(), item.device);
}

void TestJobModels::expectedMovesOfEverySnap()
{
    JobItemsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    JobItem all = item(u"dev\x1b[31m"_s, QString(), 0, JobItemStatus::Waiting);
    all.changedSnaps = { u"mosquitto 870→901"_s, u"core22 1122→1177"_s };
    JobItem none = item(u"b"_s, QString(), 0, JobItemStatus::Waiting);
    model.setPlan({ all, none });
    QCOMPARE(model.index(0, JobItemsModel::SnapColumn).data().toString(), u"(all snaps)"_s);
    QCOMPARE(model.index(0, JobItemsModel::RevisionColumn).data().toString(),
        u"mosquitto 870→901, core22 1122→1177"_s);
    QCOMPARE(model.index(1, JobItemsModel::RevisionColumn).data().toString(), u"no update known"_s);
    // remote text is shown with control characters made visible
    QVERIFY(!model.index(0, JobItemsModel::DeviceColumn).data().toString().contains(QChar(0x1b)));
    QCOMPARE(model.items().at(0).changedSnaps, QStringList()); // expected moves are not results

    JobItem reboot = item(u"snappy"_s, QString(), 0, JobItemStatus::PendingReboot);
    reboot.changedSnaps = { u"ubuntu-core 141→142"_s };
    model.setPlan({ reboot });
    QCOMPARE(model.index(0, JobItemsModel::RevisionColumn).data().toString(),
        u"ubuntu-core 141→142 after a reboot"_s);
}

void TestJobModels::followsJobWithPreciseDataChanged()
{
    Fleet fleet({ u"a"_s, u"b"_s, u"c"_s });
    JobSpec spec;
    spec.snaps = { u"mosquitto"_s };
    spec.devices = { u"a"_s, u"b"_s, u"c"_s };
    QVERIFY(parseBatches(u"1,10%,100%"_s, &spec.batches, nullptr));
    FleetJob job(*fleet.service, spec);
    JobItemsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPlan(job.plan());
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(2, JobItemsModel::BatchColumn).data().toInt(), 3); // batches 1 + 1 + 1
    QCOMPARE(model.index(0, JobItemsModel::RevisionColumn).data().toString(), u"870 → 901"_s);

    QString error;
    QVERIFY2(job.start(&error), qPrintable(error));
    model.setJob(&job);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    job.cancel(); // before anything ran: every item becomes not-started, no SSH at all
    QCOMPARE(changed.size(), 3);
    for (int i = 0; i < 3; ++i) {
        const QModelIndex tl = changed.at(i).at(0).toModelIndex();
        const QModelIndex br = changed.at(i).at(1).toModelIndex();
        QCOMPARE(tl.row(), i);
        QCOMPARE(br.row(), i);
        // status, revision (depends on status), change, progress, message: not device/snap/batch
        QCOMPARE(tl.column(), int(JobItemsModel::StatusColumn));
        QCOMPARE(br.column(), int(JobItemsModel::ErrorColumn));
    }
    QSignalSpy finished(&job, &FleetJob::finished);
    QVERIFY(finished.wait(5000));
    QCOMPARE(reset.size(), 0);
    QCOMPARE(model.index(1, JobItemsModel::StatusColumn).data().toString(), u"not started"_s);
    QCOMPARE(model.index(1, JobItemsModel::ErrorColumn).data().toString(), u"cancelled"_s);
    QCOMPARE(model.summaryText(), u"3 not started"_s);
}

void TestJobModels::reports()
{
    JobItemsModel model;
    JobItem ok = item(u"a"_s, u"mosquitto"_s, 0, JobItemStatus::Done, u"870"_s, u"901"_s);
    ok.changeId = u"17"_s;
    JobItem bad = item(u"b"_s, u"mosquitto"_s, 1, JobItemStatus::Failed, u"870"_s, u"901"_s);
    bad.error = u"=cmd|' /C calc'!A0, \"quoted\""_s;
    model.setPlan({ ok, bad });

    const QByteArray csv = model.toCsv();
    const QList<QByteArray> lines = csv.split('\n');
    QVERIFY(lines.at(0).startsWith("host,snap,batch,status,from,to,change"));
    QVERIFY(lines.at(1).startsWith("a,mosquitto,1,done,870,901,17,"));
    // a formula is defused and the cell quoted
    QVERIFY(lines.at(2).contains("\"'=cmd|' /C calc'!A0, \"\"quoted\"\"\""));

    const QJsonObject doc = QJsonDocument::fromJson(model.toJson()).object();
    const QJsonArray results = doc.value(u"results"_s).toArray();
    QCOMPARE(results.size(), 2);
    QCOMPARE(results.at(0).toObject().value(u"status"_s).toString(), u"done"_s);
    QCOMPARE(results.at(0).toObject().value(u"change"_s).toString(), u"17"_s);
    QCOMPARE(results.at(1).toObject().value(u"batch"_s).toInt(), 2);
    QCOMPARE(results.at(1).toObject().value(u"error"_s).toString(), bad.error);

    const QString text = model.toText();
    QVERIFY(text.contains(u"a  mosquitto  batch 1  done  870 → 901  change 17"_s));
    QVERIFY(text.endsWith(u"1 done, 1 failed\n"_s));
}

void TestJobModels::reattachOnlyPlanFromJournal()
{
    Fleet fleet({ u"a"_s, u"b"_s });
    const QString stateDir = fleet.service->config().stateDir();
    QString error;
    {
        std::unique_ptr<Journal> killed
            = Journal::create(stateDir, u"20260101-000000-000-x"_s, u"refresh"_s, &error);
        QVERIFY2(killed, qPrintable(error));
        JournalRecord r;
        r.device = u"b"_s;
        r.snap = u"mosquitto"_s;
        r.action = u"refresh"_s;
        r.state = JournalRecord::State::Started;
        r.changeId = u"42"_s;
        r.fromRevision = u"870"_s;
        r.toRevision = u"901"_s;
        QVERIFY(killed->append(r, &error));
        r.snap = u"node-red"_s;
        r.action = u"revert"_s;
        QVERIFY(killed->append(r, &error));
        // never closed: the console was killed
    }
    JobSpec spec;
    spec.devices = { u"a"_s, u"b"_s };
    spec.reattachOnly = true;
    FleetJob job(*fleet.service, spec);
    const QList<JobItem> plan = job.plan();
    QCOMPARE(plan.size(), 1); // b's refresh only; a has nothing open, the revert is another action
    QCOMPARE(plan.at(0).device, u"b"_s);
    QCOMPARE(plan.at(0).snap, u"mosquitto"_s);
    QCOMPARE(plan.at(0).changeId, u"42"_s);
    QCOMPARE(plan.at(0).fromRevision, u"870"_s);
    QVERIFY(plan.at(0).reattached);
    QCOMPARE(plan.at(0).status, JobItemStatus::Waiting);
}

void TestJobModels::jobRowsInOperationsModel()
{
    // Devices on a closed port: the job runs, every item ends unreachable, the row says so.
    Fleet fleet({ u"a"_s, u"b"_s });
    OperationsModel ops;
    QAbstractItemModelTester tester(&ops, QAbstractItemModelTester::FailureReportingMode::QtTest);
    OperationsModel::Row lxd; // an LXD operation beside it
    lxd.id = u"lxd:h:1"_s;
    lxd.source = u"h"_s;
    lxd.title = u"Stop c1"_s;
    ops.upsert(lxd);
    JobOperations jobs(&ops);
    JobSpec spec;
    spec.action = SnapAction::Hold;
    spec.snaps = { u"mosquitto"_s };
    spec.devices = { u"a"_s, u"b"_s };
    FleetJob job(*fleet.service, spec);
    QString error;
    QVERIFY2(job.start(&error), qPrintable(error));
    const QString id = jobs.track(&job, {});
    QVERIFY(JobOperations::isJobId(id));
    QCOMPARE(jobs.jobOf(id), &job);
    QCOMPARE(ops.rowCount(), 2);
    std::optional<OperationsModel::Row> row = ops.row(id);
    QVERIFY(row);
    QCOMPARE(row->state, OperationsModel::State::Running);
    QCOMPARE(row->title, u"Hold mosquitto on 2 device(s)"_s);
    QCOMPARE(row->source, u"fleet"_s);
    QVERIFY(ops.index(0, 0).data(OperationsModel::CancellableRole).toBool());
    QCOMPARE(ops.runningCount(), 2);
    QSignalSpy done(&job, &FleetJob::finished);
    QVERIFY(done.wait(30000));
    row = ops.row(id);
    QCOMPARE(row->state, OperationsModel::State::Failed);
    QCOMPARE(row->status, u"2 unreachable"_s);
    QCOMPARE(row->progress, 100);
    QVERIFY(!row->cancellable);
    QCOMPARE(ops.runningCount(), 1); // the LXD row runs on
    QVERIFY(!jobs.cancel(id)); // finished: nothing to cancel
    const QModelIndex status = ops.index(0, OperationsModel::StatusColumn);
    QCOMPARE(status.data().toString(), u"Failed: 2 unreachable"_s);
}

void TestJobModels::cancelJobFromOperationsRow()
{
    Fleet fleet({ u"a"_s, u"b"_s, u"c"_s });
    OperationsModel ops;
    QAbstractItemModelTester tester(&ops, QAbstractItemModelTester::FailureReportingMode::QtTest);
    JobOperations jobs(&ops);
    JobSpec spec;
    spec.snaps = { u"mosquitto"_s };
    spec.devices = { u"a"_s, u"b"_s, u"c"_s };
    FleetJob job(*fleet.service, spec);
    QString error;
    QVERIFY(job.start(&error));
    const QString id = jobs.track(&job, u"Update the lab"_s);
    QVERIFY(!jobs.cancel(u"job:999"_s));
    QVERIFY(jobs.cancel(id)); // before any device started: none will
    QVERIFY(job.isCancelled());
    QVERIFY(!ops.row(id)->cancellable);
    QVERIFY(ops.row(id)->status.startsWith(u"cancelling"_s));
    QSignalSpy done(&job, &FleetJob::finished);
    QVERIFY(done.wait(30000));
    const OperationsModel::Row row = *ops.row(id);
    QCOMPARE(row.state, OperationsModel::State::Cancelled);
    QCOMPARE(row.title, u"Update the lab"_s);
    QCOMPARE(row.status, u"3 not-started"_s);
    for (const JobItem &it : job.items())
        QCOMPARE(it.status, JobItemStatus::NotStarted);
}

QTEST_GUILESS_MAIN(TestJobModels)
#include "tst_jobmodels.moc"
