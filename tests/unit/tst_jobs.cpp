// SPDX-License-Identifier: GPL-3.0-or-later
// Fleet jobs without a network: batch arithmetic, the --max-fail rule, the plan, the journal
// (round trip and crash safety) and snapd change/task parsing on real samples.
#include "fleet/FleetJob.h"
#include "fleet/Journal.h"
#include "snap/SnapActions.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace canyon;

class TestJobs : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void batchSizes_data();
    void batchSizes();
    void badBatches_data();
    void badBatches();
    void maxFail_data();
    void maxFail();
    void planRevertNeedsPreviousRevision();
    void planUnreachableAndHold();
    void journalRoundTrip();
    void journalTornTailIsIgnored();
    void journalPendingAndClose();
    void snapdChangesSample();
    void snapdChangeAndAsync();
    void snapChangesText();
    void snapTasksText_data();
    void snapTasksText();
    void cliCommands();
    void holdInstallRemoveCommands();
    void planHoldInstallRemove();
    void sudoAndChangeId();
};

void TestJobs::batchSizes_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<int>("devices");
    QTest::addColumn<QList<int>>("sizes");
    QTest::addRow("canary of 20") << u"1,10%,100%"_s << 20 << QList<int> { 1, 2, 17 };
    QTest::addRow("canary of 1") << u"1,10%,100%"_s << 1 << QList<int> { 1 };
    QTest::addRow("canary of 2") << u"1,10%,100%"_s << 2 << QList<int> { 1, 1 };
    QTest::addRow("ceil 10%% of 11") << u"10%,100%"_s << 11 << QList<int> { 2, 9 };
    QTest::addRow("ceil 10%% of 200") << u"1,10%,100%"_s << 200 << QList<int> { 1, 20, 179 };
    QTest::addRow("rest beyond listed") << u"2,3"_s << 10 << QList<int> { 2, 3, 5 };
    QTest::addRow("more than there is") << u"50"_s << 7 << QList<int> { 7 };
    QTest::addRow("100%% alone") << u"100%"_s << 5 << QList<int> { 5 };
    QTest::addRow("none") << u"1,100%"_s << 0 << QList<int> {};
    QTest::addRow("33%% thrice") << u"33%,33%,33%"_s << 10 << QList<int> { 4, 4, 2 };
}

void TestJobs::batchSizes()
{
    QFETCH(QString, spec);
    QFETCH(int, devices);
    QFETCH(QList<int>, sizes);
    QList<BatchSpec> b;
    QString error;
    QVERIFY2(parseBatches(spec, &b, &error), qPrintable(error));
    QCOMPARE(canyon::batchSizes(b, devices), sizes);
}

void TestJobs::badBatches_data()
{
    QTest::addColumn<QString>("spec");
    for (const QString &s : { u""_s, u"0"_s, u"1,,2"_s, u"101%"_s, u"-1"_s, u"ten"_s, u"5%%"_s, u"1.5"_s })
        QTest::addRow("%s", qPrintable(s)) << s;
}

void TestJobs::badBatches()
{
    QFETCH(QString, spec);
    QList<BatchSpec> b;
    QString error;
    QVERIFY(!parseBatches(spec, &b, &error));
    QVERIFY(!error.isEmpty());
}

void TestJobs::maxFail_data()
{
    QTest::addColumn<int>("failed");
    QTest::addColumn<int>("size");
    QTest::addColumn<double>("pct");
    QTest::addColumn<bool>("stop");
    QTest::addRow("R3: 2 of 2 > 10%%") << 2 << 2 << 10.0 << true;
    QTest::addRow("1 of 10 = 10%% does not exceed") << 1 << 10 << 10.0 << false;
    QTest::addRow("2 of 10 > 10%%") << 2 << 10 << 10.0 << true;
    QTest::addRow("3 of 17 > 10%%") << 3 << 17 << 10.0 << true;
    QTest::addRow("0 of 5 at 0%%") << 0 << 5 << 0.0 << false;
    QTest::addRow("1 of 5 at 0%%") << 1 << 5 << 0.0 << true;
    QTest::addRow("all at 100%% never stops") << 5 << 5 << 100.0 << false;
    QTest::addRow("empty batch") << 0 << 0 << 10.0 << false;
}

void TestJobs::maxFail()
{
    QFETCH(int, failed);
    QFETCH(int, size);
    QFETCH(double, pct);
    QFETCH(bool, stop);
    QCOMPARE(batchExceedsMaxFail(failed, size, pct), stop);
    double parsed = -1;
    QVERIFY(parsePercent(u"10%"_s, &parsed));
    QCOMPARE(parsed, 10.0);
    QVERIFY(!parsePercent(u"150%"_s, &parsed));
}

namespace {

Snap snap(const QString &name, const QString &rev, bool active)
{
    Snap s;
    s.name = name;
    s.version = u"v"_s + rev;
    s.revision = rev;
    s.active = active;
    if (!active)
        s.notes << u"disabled"_s;
    return s;
}

DeviceInventory device(const QString &name, const SnapList &snaps, const QString &snapd = u"2.61.3"_s)
{
    DeviceInventory inv;
    inv.host = name;
    inv.status = DeviceStatus::Ok;
    inv.dialect = Dialect::SnapCli;
    inv.system.snapdVersion = snapd;
    inv.snaps = snaps;
    return inv;
}

} // namespace

void TestJobs::planRevertNeedsPreviousRevision()
{
    QHash<QString, DeviceInventory> invs;
    invs.insert(
        u"a"_s, device(u"a"_s, { snap(u"tb-app"_s, u"x2"_s, true), snap(u"tb-app"_s, u"x1"_s, false) }));
    invs.insert(u"b"_s, device(u"b"_s, { snap(u"tb-app"_s, u"x1"_s, true) }));
    invs.insert(u"c"_s, device(u"c"_s, { snap(u"other"_s, u"5"_s, true) }));
    invs.insert(u"d"_s,
        device(u"d"_s,
            { snap(u"tb-app"_s, u"30"_s, true), snap(u"tb-app"_s, u"12"_s, false),
                snap(u"tb-app"_s, u"29"_s, false) }));
    JobSpec spec;
    spec.action = SnapAction::Revert;
    spec.snaps = { u"tb-app"_s };
    spec.devices = { u"a"_s, u"b"_s, u"c"_s, u"d"_s };
    const QList<JobItem> plan = FleetJob::buildPlan(spec, [&](const QString &n) { return invs.value(n); });
    QCOMPARE(plan.size(), 4);
    QCOMPARE(plan[0].status, JobItemStatus::Waiting);
    QCOMPARE(plan[0].fromRevision, u"x2"_s);
    QCOMPARE(plan[0].toRevision, u"x1"_s);
    QCOMPARE(plan[1].status, JobItemStatus::Skipped);
    QVERIFY(plan[1].error.contains(u"no previous revision"_s));
    QCOMPARE(plan[2].status, JobItemStatus::Skipped);
    QVERIFY(plan[2].error.contains(u"not installed"_s));
    QCOMPARE(plan[3].toRevision, u"29"_s); // the newest kept one, not the oldest
}

void TestJobs::planUnreachableAndHold()
{
    QHash<QString, DeviceInventory> invs;
    DeviceInventory down;
    down.host = u"down"_s;
    down.status = DeviceStatus::Unreachable;
    down.error = u"connection refused"_s;
    invs.insert(u"down"_s, down);
    Snap m = snap(u"mosquitto"_s, u"870"_s, true);
    m.updateKnowledge = UpdateKnowledge::Available;
    m.update = { u"2.0.19"_s, u"901"_s };
    invs.insert(u"old"_s, device(u"old"_s, { m }, u"2.57.6"_s));
    invs.insert(u"new"_s, device(u"new"_s, { m }));
    JobSpec spec;
    spec.snaps = { u"mosquitto"_s };
    spec.devices = { u"down"_s, u"old"_s, u"new"_s };
    spec.batches = { { 1, false }, { 100, true } };
    QList<JobItem> plan = FleetJob::buildPlan(spec, [&](const QString &n) { return invs.value(n); });
    QCOMPARE(plan[0].status, JobItemStatus::Unreachable);
    QCOMPARE(plan[0].batch, 0);
    QCOMPARE(plan[1].batch, 1);
    QCOMPARE(plan[1].fromRevision, u"870"_s);
    QCOMPARE(plan[1].toRevision, u"901"_s);
    spec.action = SnapAction::Hold;
    plan = FleetJob::buildPlan(spec, [&](const QString &n) { return invs.value(n); });
    QCOMPARE(plan[1].status, JobItemStatus::Skipped); // snapd 2.57.6 has no per-snap hold
    QCOMPARE(plan[2].status, JobItemStatus::Waiting);
}

void TestJobs::journalRoundTrip()
{
    QTemporaryDir dir;
    QString error;
    auto j = Journal::create(dir.path(), u"job1"_s, u"refresh mosquitto"_s, &error);
    QVERIFY2(j, qPrintable(error));
    JournalRecord a { u"dev1"_s, u"mosquitto"_s, u"refresh"_s, JournalRecord::State::Submitting, {}, u"12"_s,
        {}, u"870"_s, u"901"_s, QDateTime::currentDateTimeUtc() };
    QVERIFY(j->append(a));
    JournalRecord b = a;
    b.state = JournalRecord::State::Started;
    b.changeId = u"13"_s;
    b.changeIdBefore.clear();
    QVERIFY(j->append(b));
    QList<JournalRecord> recs;
    bool closed = true;
    QVERIFY(Journal::read(j->path(), &recs, &closed, &error));
    QVERIFY(!closed);
    QCOMPARE(recs.size(), 2);
    QCOMPARE(recs[0].changeIdBefore, u"12"_s);
    QCOMPARE(recs[1].changeId, u"13"_s);
    QCOMPARE(recs[1].state, JournalRecord::State::Started);
    QCOMPARE(recs[1].fromRevision, u"870"_s);
    QCOMPARE(recs[1].at.toMSecsSinceEpoch(), b.at.toMSecsSinceEpoch());
    QVERIFY(j->close());
    QVERIFY(Journal::read(j->path(), &recs, &closed, &error));
    QVERIFY(closed);
    QVERIFY(Journal::pending(dir.path()).isEmpty());
}

void TestJobs::journalTornTailIsIgnored()
{
    QTemporaryDir dir;
    QString error;
    auto j = Journal::create(dir.path(), u"job2"_s, u"x"_s, &error);
    QVERIFY(j);
    JournalRecord a { u"dev1"_s, u"mosquitto"_s, u"refresh"_s, JournalRecord::State::Started, u"7"_s, {}, {},
        {}, {}, {} };
    QVERIFY(j->append(a));
    const QString path = j->path();
    j.reset(); // the process "dies" here
    {
        // A crash in the middle of the next append: half a line, no newline.
        QFile f(path);
        QVERIFY(f.open(QIODevice::Append));
        f.write(R"({"t":"rec","device":"dev1","snap":"mosquitto","action":"refresh","state":"fin)");
    }
    QList<JournalRecord> recs;
    bool closed = false;
    QVERIFY(Journal::read(path, &recs, &closed, &error));
    QCOMPARE(recs.size(), 1);
    const auto pending = Journal::pending(dir.path());
    QCOMPARE(pending.size(), 1);
    QCOMPARE(pending[0].record.changeId, u"7"_s);
    // Closing after a torn tail still ends the journal (the marker starts a fresh line).
    QVERIFY(Journal::closeFile(path));
    QVERIFY(Journal::pending(dir.path()).isEmpty());
}

void TestJobs::journalPendingAndClose()
{
    QTemporaryDir dir;
    QString error;
    auto j = Journal::create(dir.path(), u"job3"_s, u"x"_s, &error);
    QVERIFY(j);
    auto rec = [](const QString &dev, JournalRecord::State s, const QString &id) {
        return JournalRecord { dev, u"snap1"_s, u"refresh"_s, s, id, u"3"_s, {}, u"1"_s, {}, {} };
    };
    QVERIFY(j->append(rec(u"a"_s, JournalRecord::State::Submitting, {})));
    QVERIFY(j->append(rec(u"b"_s, JournalRecord::State::Submitting, {})));
    QVERIFY(j->append(rec(u"b"_s, JournalRecord::State::Started, u"4"_s)));
    QVERIFY(j->append(rec(u"c"_s, JournalRecord::State::Started, u"9"_s)));
    JournalRecord fin = rec(u"c"_s, JournalRecord::State::Final, u"9"_s);
    fin.status = u"done"_s;
    QVERIFY(j->append(fin));
    const auto pending = Journal::pending(dir.path());
    QCOMPARE(pending.size(), 2); // a (id unknown) and b (id 4); c is final
    QCOMPARE(pending[0].record.device, u"a"_s);
    QVERIFY(pending[0].record.changeId.isEmpty());
    QCOMPARE(pending[0].record.changeIdBefore, u"3"_s);
    QCOMPARE(pending[1].record.changeId, u"4"_s);
    // A second journal cannot be created under the same id (O_EXCL): no silent overwrite.
    QVERIFY(!Journal::create(dir.path(), u"job3"_s, u"x"_s, &error));
    // Pruning keeps open journals whatever their age, and the newest closed ones.
    for (const QString &id : { u"job0"_s, u"job1"_s, u"job2"_s }) {
        auto old = Journal::create(dir.path(), id, u"x"_s, &error);
        QVERIFY(old && old->close());
    }
    Journal::pruneClosed(dir.path(), 1);
    QCOMPARE(QDir(Journal::jobsDir(dir.path())).entryList({ u"*.jsonl"_s }, QDir::Files),
        (QStringList { u"job3.jsonl"_s }));
}

void TestJobs::snapdChangesSample()
{
    QFile f(QStringLiteral(CANYON_TEST_DATA_DIR "/snapd-2.57.6/snapd-v2-changes.json"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QList<ChangeInfo> changes;
    QString error;
    QVERIFY2(parseSnapdChanges(f.readAll(), &changes, &error), qPrintable(error));
    QCOMPARE(changes.size(), 8);
    QHash<QString, ChangeInfo> byId;
    for (const ChangeInfo &c : changes)
        byId.insert(c.id, c);
    const ChangeInfo done = byId.value(u"6"_s);
    QCOMPARE(done.kind, u"install-snap"_s);
    QCOMPARE(changeOutcome(done), ChangeOutcome::Done);
    QCOMPARE(done.tasks.size(), 13);
    QCOMPARE(done.progressDone(), done.progressTotal());
    QVERIFY(done.spawnTime.isValid());
    const ChangeInfo running = byId.value(u"3"_s);
    QCOMPARE(changeOutcome(running), ChangeOutcome::Running);
    const ChangeInfo failed = byId.value(u"4"_s);
    QCOMPARE(changeOutcome(failed), ChangeOutcome::Failed); // Error, tasks on Hold: nothing undone
    QVERIFY(changeError(failed).contains(u"cannot perform the following tasks"_s));
}

void TestJobs::snapdChangeAndAsync()
{
    const QByteArray one
        = R"({"type":"sync","status-code":200,"status":"OK","result":{"id":"12","kind":"refresh-snap",
        "summary":"Refresh \"tb-app\" snap","status":"Error","ready":true,"err":"cannot perform: health check",
        "tasks":[{"id":"1","kind":"prerequisites","summary":"p","status":"Undone","progress":{"label":"","done":1,"total":1}},
                 {"id":"2","kind":"run-hook","summary":"Run health check","status":"Error","progress":{"label":"","done":1,"total":1}},
                 {"id":"3","kind":"download-snap","summary":"d","status":"Hold","progress":{"label":"","done":0,"total":5000}}]}})";
    ChangeInfo c;
    QString error;
    QVERIFY2(parseSnapdChange(one, &c, &error), qPrintable(error));
    QCOMPARE(c.id, u"12"_s);
    QCOMPARE(changeOutcome(c), ChangeOutcome::Undone);
    QCOMPARE(c.progressDone(), 2);
    QCOMPARE(c.progressTotal(), 5002);
    QVERIFY(!parseSnapdChange(
        R"({"type":"error","status-code":404,"status":"Not Found","result":{"message":"cannot find change with id \"99\"","kind":""}})",
        &c, &error));
    QVERIFY(error.contains(u"cannot find change"_s));

    QString id, kind;
    QVERIFY(parseSnapdAsync(
        R"({"type":"async","status-code":202,"status":"Accepted","result":null,"change":"17"})", &id,
        &error));
    QCOMPARE(id, u"17"_s);
    QVERIFY(!parseSnapdAsync(
        R"({"type":"error","status-code":401,"status":"Unauthorized","result":{"message":"access denied","kind":"login-required"}})",
        &id, &error, &kind));
    QCOMPARE(kind, u"login-required"_s);
    QVERIFY(error.contains(u"access denied"_s));
}

void TestJobs::snapChangesText()
{
    QFile f(QStringLiteral(CANYON_TEST_DATA_DIR "/snapd-2.57.6/snap-changes.txt"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QList<ChangeInfo> changes;
    QString error;
    QVERIFY2(parseSnapChangesText(f.readAll(), &changes, &error), qPrintable(error));
    QCOMPARE(changes.size(), 8);
    QCOMPARE(changes[2].id, u"3"_s);
    QCOMPARE(changes[2].status, u"Doing"_s);
    QVERIFY(!changes[2].ready);
    QCOMPARE(changes[3].status, u"Error"_s);
    QVERIFY(changes[3].ready);
    QCOMPARE(changes[5].summary, u"Install \"tb-app\" snap from file \"/root/tb-app_0.1_all.snap\""_s);
    QVERIFY(parseSnapChangesText("no changes found\n", &changes, &error));
    QVERIFY(changes.isEmpty());
    QVERIFY(!parseSnapChangesText(
        "error: cannot communicate with server: connection refused\n", &changes, &error));
}

void TestJobs::snapTasksText_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("outcome");
    QTest::addColumn<int>("done");
    QTest::addColumn<int>("total");
    QTest::addRow("running") << QByteArray(
        "Status  Spawn               Ready               Summary\n"
        "Done    today at 10:00 UTC  today at 10:00 UTC  Ensure prerequisites for \"a\" are available\n"
        "Doing   today at 10:00 UTC  -                   Download snap \"a\" from channel \"stable\"\n"
        "Do      today at 10:00 UTC  -                   Mount snap \"a\"\n")
                             << int(ChangeOutcome::Running) << 1 << 3;
    QTest::addRow("done") << QByteArray(
        "Status  Spawn               Ready               Summary\n"
        "Done    today at 10:00 UTC  today at 10:00 UTC  Ensure prerequisites\n"
        "Done    today at 10:00 UTC  today at 10:01 UTC  Mount snap \"a\"\n")
                          << int(ChangeOutcome::Done) << 2 << 2;
    QTest::addRow("undone") << QByteArray(
        "Status  Spawn               Ready               Summary\n"
        "Undone  today at 10:00 UTC  today at 10:00 UTC  Ensure prerequisites\n"
        "Error   today at 10:00 UTC  today at 10:01 UTC  Run health check of \"a\" snap\n"
        "\n"
        "......................................................................\n"
        "Run health check of \"a\" snap\n")
                            << int(ChangeOutcome::Undone) << 2 << 2;
}

void TestJobs::snapTasksText()
{
    QFETCH(QByteArray, text);
    QFETCH(int, outcome);
    QFETCH(int, done);
    QFETCH(int, total);
    ChangeInfo c;
    c.id = u"5"_s;
    QString error;
    QVERIFY2(parseSnapTasksText(text, &c, &error), qPrintable(error));
    QCOMPARE(int(changeOutcome(c)), outcome);
    QCOMPARE(c.progressDone(), done);
    QCOMPARE(c.progressTotal(), total);
    QCOMPARE(c.id, u"5"_s);
}

void TestJobs::cliCommands()
{
    ActionRequest r { SnapAction::Refresh, u"mosquitto"_s, u"latest/edge"_s, {} };
    QCOMPARE(snapCliCommand(r), QByteArray("sudo -n snap refresh --no-wait --channel=latest/edge mosquitto"));
    QCOMPARE(snapdActionBody(r), QByteArray(R"({"action":"refresh","channel":"latest/edge"})"));
    QCOMPARE(snapdActionPath(r), QByteArray("/v2/snaps/mosquitto"));
    r = { SnapAction::Revert, u"tb-app"_s, {}, {} };
    QCOMPARE(snapCliCommand(r), QByteArray("sudo -n snap revert --no-wait tb-app"));
    QCOMPARE(snapdActionBody(r), QByteArray(R"({"action":"revert"})"));
    QCOMPARE(snappyCommand(r), QByteArray("sudo -n snappy rollback tb-app"));
    r = { SnapAction::Refresh, {}, {}, {} };
    QCOMPARE(snapCliCommand(r), QByteArray("sudo -n snap refresh --no-wait"));
    QVERIFY(snapdActionPath(r).isEmpty());
    QCOMPARE(snappyCommand(r), QByteArray("sudo -n snappy update"));
    r = { SnapAction::Install, {}, {}, u"/var/lib/canyon-testbed/tb-app_0.2_all.snap"_s };
    QCOMPARE(snapCliCommand(r),
        QByteArray("sudo -n snap install --dangerous --no-wait /var/lib/canyon-testbed/tb-app_0.2_all.snap"));
    QVERIFY(isValidSnapName(u"tb-app"_s));
    for (const QString &bad : { u"a;rm -rf /"_s, u"$(x)"_s, u"A"_s, u"-x"_s, u""_s })
        QVERIFY2(!isValidSnapName(bad), qPrintable(bad));
    QVERIFY(!isValidChannel(u"stable; reboot"_s));
    QVERIFY(!isValidDevicePath(u"/tmp/../etc/x"_s));
    QVERIFY(!isValidDevicePath(u"relative.snap"_s));
}

void TestJobs::holdInstallRemoveCommands()
{
    ActionRequest r { SnapAction::Hold, u"mosquitto"_s, {}, {} };
    QCOMPARE(snapCliCommand(r), QByteArray("sudo -n snap refresh --hold=forever mosquitto"));
    QCOMPARE(snapdActionPath(r), QByteArray("/v2/snaps/mosquitto"));
    // snapd requires time and hold-level with "hold" (daemon/api_snaps.go validate())...
    QCOMPARE(snapdActionBody(r), QByteArray(R"({"action":"hold","hold-level":"general","time":"forever"})"));
    QVERIFY(snappyCommand(r).isEmpty()); // snappy has no holds
    // ...and refuses both with any other action, unhold included.
    r.action = SnapAction::Unhold;
    QCOMPARE(snapCliCommand(r), QByteArray("sudo -n snap refresh --unhold mosquitto"));
    QCOMPARE(snapdActionBody(r), QByteArray(R"({"action":"unhold"})"));
    QVERIFY(snappyCommand(r).isEmpty());

    r = { SnapAction::Install, u"hello-world"_s, u"latest/candidate"_s, {} };
    QCOMPARE(snapCliCommand(r),
        QByteArray("sudo -n snap install --no-wait --channel=latest/candidate hello-world"));
    QCOMPARE(snapdActionPath(r), QByteArray("/v2/snaps/hello-world"));
    QCOMPARE(snapdActionBody(r), QByteArray(R"({"action":"install","channel":"latest/candidate"})"));
    QCOMPARE(snappyCommand(r), QByteArray("sudo -n snappy install hello-world"));
    r = { SnapAction::Install, u"tb-app"_s, {}, u"/var/lib/canyon-testbed/tb-app_0.1_all.snap"_s, true };
    QCOMPARE(snapCliCommand(r),
        QByteArray("sudo -n snap install --dangerous --no-wait --devmode "
                   "/var/lib/canyon-testbed/tb-app_0.1_all.snap"));
    QVERIFY(snapdActionPath(r).isEmpty()); // a device-local file: no single REST call
    QVERIFY(snappyCommand(r).isEmpty());

    r = { SnapAction::Remove, u"tb-app"_s, {}, {} };
    QCOMPARE(snapCliCommand(r), QByteArray("sudo -n snap remove --no-wait tb-app"));
    QCOMPARE(snapdActionBody(r), QByteArray(R"({"action":"remove"})"));
    QCOMPARE(snappyCommand(r), QByteArray("sudo -n snappy remove tb-app"));
}

void TestJobs::planHoldInstallRemove()
{
    QHash<QString, DeviceInventory> invs;
    invs.insert(u"old"_s, device(u"old"_s, { snap(u"tb-app"_s, u"x1"_s, true) }, u"2.57.6"_s));
    invs.insert(u"new"_s, device(u"new"_s, { snap(u"tb-app"_s, u"x1"_s, true) }, u"2.58"_s));
    DeviceInventory snappy = device(u"snappy"_s, { snap(u"tb-app"_s, u"1.0"_s, true) }, {});
    snappy.dialect = Dialect::Snappy;
    invs.insert(u"snappy"_s, snappy);
    auto plan = [&invs](const JobSpec &spec) {
        return FleetJob::buildPlan(spec, [&invs](const QString &n) { return invs.value(n); });
    };
    JobSpec spec;
    spec.devices = { u"old"_s, u"new"_s, u"snappy"_s };
    spec.snaps = { u"tb-app"_s };
    for (SnapAction a : { SnapAction::Hold, SnapAction::Unhold }) {
        spec.action = a;
        const QList<JobItem> items = plan(spec);
        QCOMPARE(items[0].status, JobItemStatus::Skipped);
        QVERIFY2(items[0].error.contains(u"needs snapd 2.58 or newer (old runs 2.57.6)"_s),
            qPrintable(items[0].error));
        QCOMPARE(items[1].status, JobItemStatus::Waiting);
        QCOMPARE(items[2].status, JobItemStatus::Skipped);
        QVERIFY(items[2].error.contains(u"not supported by snappy"_s));
        QVERIFY(!isSuccessStatus(items[2].status)); // never a silent success: exit status 1
    }
    spec.action = SnapAction::Remove;
    QList<JobItem> items = plan(spec);
    for (const JobItem &it : items)
        QCOMPARE(it.status, JobItemStatus::Waiting); // snappy has `snappy remove`
    QCOMPARE(items[0].fromRevision, u"x1"_s);

    // Install from the store: only where it is not installed yet.
    spec.action = SnapAction::Install;
    spec.snaps = { u"hello-world"_s };
    items = plan(spec);
    for (const JobItem &it : items)
        QCOMPARE(it.status, JobItemStatus::Waiting);
    spec.snaps = { u"tb-app"_s };
    items = plan(spec);
    QCOMPARE(items[1].status, JobItemStatus::Skipped);
    QVERIFY(items[1].error.contains(u"installed on new already (x1)"_s));
    // A local file is a sideload refresh on snap devices; snappy cannot.
    spec.path = u"/var/lib/canyon-testbed/tb-app_0.2_all.snap"_s;
    items = plan(spec);
    QCOMPARE(items[1].status, JobItemStatus::Waiting);
    QCOMPARE(items[2].status, JobItemStatus::Skipped);
    QVERIFY(items[2].error.contains(u"not supported by snappy"_s));
}

void TestJobs::sudoAndChangeId()
{
    QCOMPARE(changeIdFromCliOutput("42\n"), u"42"_s);
    QCOMPARE(changeIdFromCliOutput("sudo: unable to resolve host x\n1234\n"), u"1234"_s);
    QVERIFY(changeIdFromCliOutput("mosquitto 2.0.19 refreshed\n").isEmpty());
    QVERIFY(sudoRefusal("sudo: a password is required\n", u"dev7"_s)
                .contains(u"sudo needs a password on dev7"_s));
    QVERIFY(!sudoRefusal("sudo: a terminal is required to read the password\n", u"d"_s).isEmpty());
    QVERIFY(sudoRefusal("error: snap \"x\" is not installed\n", u"d"_s).isEmpty());
}

QTEST_APPLESS_MAIN(TestJobs)
#include "tst_jobs.moc"
