// SPDX-License-Identifier: GPL-3.0-or-later
// Member moves inside the testbed's REAL two-member LXD 5.0.2 cluster (issue 5: "within a
// cluster, a member move (?target=)"): stopped and running containers moved between the members
// by canyonctl and checked with `lxc` against the cluster; a move to the member the instance is
// on already and to a member that does not exist are refused without touching anything; and
// moves between the cluster and the independent second daemon keep working (pull out of the
// cluster, and back in onto a chosen member); and the console killed in the middle of a member
// move: the rerun recovers it from the journal (one copy, on the chosen member, running again).
#include "CtlAndLxc.h"
#include "TestbedEnv.h"
#include "lxd/LxdClient.h"
#include "lxd/LxdClientCertificate.h"
#include "lxd/LxdMigration.h"
#include "lxd/MigrationJournal.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>
#include <optional>

using namespace canyon;
using namespace Qt::StringLiterals;

namespace {

using testbed::CtlRun;

// `lxc` against the cluster (any member's LXD_DIR sees all of it) or the second daemon.
enum class Daemon { Cluster, Second };
QString lxc(Daemon d, const QStringList &args, int *exitCode = nullptr)
{
    return testbed::lxcIn(
        testbed::env(d == Daemon::Cluster ? "CANYON_LXDC_DIR" : "CANYON_LXD2_DIR"), args, exitCode, 120000);
}

struct Where
{
    QString status; // "RUNNING" / "STOPPED" / "" (absent)
    QString location; // cluster member ("" on the second daemon, or absent)
};

Where where(Daemon d, const QString &name)
{
    // (column L, the location, exists only on a cluster: lxc refuses it elsewhere)
    const QString out
        = lxc(d, { u"list"_s, u"--format"_s, u"csv"_s, u"-c"_s, d == Daemon::Cluster ? u"nsL"_s : u"ns"_s });
    for (const QString &line : out.split(u'\n')) {
        const QStringList f = line.split(u',');
        if (f.size() >= 2 && f.at(0) == name)
            return { f.at(1), d == Daemon::Cluster ? f.value(2) : QString() };
    }
    return {};
}

// "" when LXD (one `lxc list`) has instance `name` on cluster member `member` in `status`;
// otherwise what it has instead, for the failure message.
QString misplaced(const QString &name, const QString &member, const QString &status)
{
    const Where w = where(Daemon::Cluster, name);
    if (w.location == member && w.status == status)
        return {};
    return u"%1 is on \"%2\" (%3), expected \"%4\" (%5)"_s.arg(name, w.location, w.status, member, status);
}

QString pinOf(const QString &certFile)
{
    const auto certs = QSslCertificate::fromPath(certFile);
    return certs.isEmpty() ? QString() : certificateSha256(certs.first());
}

QJsonArray problemsOf(const CtlRun &r)
{
    return r.json().value(u"plan"_s).toObject().value(u"problems"_s).toArray();
}

// Why a migration was refused: the kind of its plan's one problem (exit status 1), else what
// happened instead ("exit 0, 0 problems"), for a QCOMPARE to show.
QString refusal(const CtlRun &r)
{
    const QJsonArray problems = problemsOf(r);
    if (r.code == 1 && problems.size() == 1)
        return problems.first().toObject().value(u"kind"_s).toString();
    return u"exit %1, %2 problems"_s.arg(r.code).arg(problems.size());
}

} // namespace

class TestClusterMove : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_cfg;
    QStringList m_created;
    int m_seq = 0;

    QString name(const QString &what)
    {
        const QString n
            = u"cm-%1-%2-%3"_s.arg(what).arg(QCoreApplication::applicationPid() % 100000).arg(++m_seq);
        m_created << n;
        return n;
    }
    // A busybox container on a member of the cluster (no NIC: the cluster has no network).
    bool launch(const QString &n, const QString &member, bool running)
    {
        int rc = -1;
        lxc(Daemon::Cluster,
            { running ? u"launch"_s : u"init"_s, testbed::env("CANYON_LXD_IMAGE"), n, u"--target"_s, member,
                u"-q"_s },
            &rc);
        return rc == 0;
    }
    CtlRun migrate(const QStringList &args)
    {
        return testbed::runCtl(
            QStringList { u"--config"_s, m_cfg, u"migrate"_s } + args + QStringList { u"--json"_s }, 180000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        CANYON_NEED_ENV("CANYON_LXDC_URL");
        CANYON_NEED_ENV("CANYON_LXDC_DIR");
        CANYON_NEED_ENV("CANYON_LXDC_MEMBERS");
        CANYON_NEED_ENV("CANYON_LXD2_HTTPS");
        CANYON_NEED_ENV("CANYON_LXD2_DIR");
        CANYON_NEED_ENV("CANYON_LXD_IMAGE");
        QVERIFY(m_dir.isValid());
        QCOMPARE(testbed::env("CANYON_LXDC_MEMBERS"), u"m1 m2"_s);
        m_cfg = m_dir.filePath(u"cfg"_s);
        const QString pw = testbed::env("CANYON_LXD_TRUST_PASSWORD").isEmpty()
            ? u"canyon-testbed"_s
            : testbed::env("CANYON_LXD_TRUST_PASSWORD");
        // a cluster's https endpoint presents the cluster certificate (the same on every member)
        const QString pinC = pinOf(testbed::env("CANYON_LXDC_DIR") + u"/cluster.crt"_s);
        const QString pinB = pinOf(testbed::env("CANYON_LXD2_DIR") + u"/server.crt"_s);
        QVERIFY(!pinC.isEmpty() && !pinB.isEmpty());
        CtlRun c = testbed::runCtl({ u"--config"_s, m_cfg, u"hosts"_s, u"add"_s, u"c"_s, u"--lxd"_s,
            testbed::env("CANYON_LXDC_URL"), u"--trust-password"_s, pw, u"--accept-certificate"_s, pinC });
        QVERIFY2(c.code == 0, qPrintable(c.err));
        CtlRun b = testbed::runCtl({ u"--config"_s, m_cfg, u"hosts"_s, u"add"_s, u"b"_s, u"--lxd"_s,
            u"https://"_s + testbed::env("CANYON_LXD2_HTTPS"), u"--trust-password"_s, pw,
            u"--accept-certificate"_s, pinB });
        QVERIFY2(b.code == 0, qPrintable(b.err));
    }

    void cleanupTestCase()
    {
        for (const QString &n : std::as_const(m_created))
            for (Daemon d : { Daemon::Cluster, Daemon::Second })
                if (!where(d, n).status.isEmpty())
                    lxc(d, { u"delete"_s, u"-f"_s, n });
    }

    void memberMove_data()
    {
        QTest::addColumn<bool>("running");
        QTest::newRow("stopped") << false;
        QTest::newRow("running") << true;
    }
    void memberMove()
    {
        QFETCH(bool, running);
        const QString n = name(running ? u"run"_s : u"stop"_s);
        QVERIFY(launch(n, u"m1"_s, running));
        lxc(Daemon::Cluster, { u"snapshot"_s, n, u"snap0"_s });
        const QString state = running ? u"RUNNING"_s : u"STOPPED"_s;
        QCOMPARE(where(Daemon::Cluster, n).location, u"m1"_s);

        const CtlRun r = migrate({ u"c/"_s + n, u"c"_s, u"--member"_s, u"m2"_s });
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        const QJsonObject j = r.json();
        QCOMPARE(j.value(u"ok"_s).toBool(), true);
        QCOMPARE(j.value(u"mode"_s).toString(), u"member"_s);
        QCOMPARE(j.value(u"member_move"_s).toBool(), true);
        QCOMPARE(j.value(u"source_member"_s).toString(), u"m1"_s);
        QCOMPARE(j.value(u"target_member"_s).toString(), u"m2"_s);
        QCOMPARE(j.value(u"authoritative"_s).toString(), u"target"_s);
        QCOMPARE(j.value(u"target_verified"_s).toBool(), true);
        QVERIFY(j.value(u"cleaned"_s).toArray().isEmpty()); // nothing created or deleted by Canyon
        QVERIFY(j.value(u"leftovers"_s).toArray().isEmpty());
        QStringList stages;
        for (const QJsonValue &s : j.value(u"stages"_s).toArray())
            stages << s.toObject().value(u"stage"_s).toString();
        QVERIFY2(!stages.contains(u"deleting-source"_s), qPrintable(stages.join(u',')));
        QCOMPARE(stages.contains(u"stopping-source"_s), running);
        QCOMPARE(stages.contains(u"starting-target"_s), running);

        // independently of Canyon: one instance, on m2, in the same state, with its snapshot
        const Where w = where(Daemon::Cluster, n);
        QCOMPARE(w.location, u"m2"_s);
        QCOMPARE(w.status, state);
        QVERIFY(lxc(Daemon::Cluster, { u"info"_s, n }).contains(u"snap0"_s));
        int count = 0;
        for (const QString &line :
            lxc(Daemon::Cluster, { u"list"_s, u"--format"_s, u"csv"_s, u"-c"_s, u"n"_s }).split(u'\n'))
            count += line == n ? 1 : 0;
        QCOMPARE(count, 1);
        QVERIFY(MigrationJournal::openJournals(m_cfg).isEmpty());
        // the journal of the move is there, closed, and says what kind of move it was
        const QString id = j.value(u"id"_s).toString();
        QVERIFY(!id.isEmpty());
        const QList<QJsonObject> recs
            = MigrationJournal::read(MigrationJournal::dir(m_cfg) + u'/' + id + u".jsonl"_s);
        QVERIFY(!recs.isEmpty());
        QCOMPARE(recs.first().value(u"kind"_s).toString(), u"member-move"_s);

        // and back to m1 (human output says one server, one copy)
        const CtlRun back = testbed::runCtl(
            { u"--config"_s, m_cfg, u"migrate"_s, u"c/"_s + n, u"c"_s, u"--member"_s, u"m1"_s }, 180000);
        QVERIFY2(back.code == 0, qPrintable(back.err + back.out));
        QVERIFY2(back.out.contains(u"one server, one copy"_s), qPrintable(back.out));
        QCOMPARE(misplaced(n, u"m1"_s, state), QString());
    }

    void consoleKilledMidMemberMove()
    {
        const QString n = name(u"kill"_s);
        QVERIFY(launch(n, u"m1"_s, true));
        int rc = -1;
        // data to move, so that the move lasts while the console is killed
        lxc(Daemon::Cluster,
            { u"exec"_s, n, u"--"_s, u"dd"_s, u"if=/dev/urandom"_s, u"of=/data.bin"_s, u"bs=1M"_s,
                u"count=150"_s },
            &rc);
        QCOMPARE(rc, 0);
        QProcess ctl;
        ctl.start(QStringLiteral(CANYON_BINARY_DIR) + u"/app/canyonctl"_s,
            { u"--config"_s, m_cfg, u"migrate"_s, u"c/"_s + n, u"c"_s, u"--member"_s, u"m2"_s, u"--json"_s });
        QVERIFY(ctl.waitForStarted());
        QElapsedTimer t;
        t.start();
        bool moving = false;
        while (t.elapsed() < 60000 && !moving && ctl.state() == QProcess::Running) {
            for (const QString &p : MigrationJournal::openJournals(m_cfg))
                for (const QJsonObject &rec : MigrationJournal::read(p))
                    moving = moving || rec.value(u"step"_s).toString() == u"source-operation";
            QTest::qWait(10);
        }
        QVERIFY2(moving, "the move never started");
        ctl.kill(); // SIGKILL while LXD moves it: no cleanup of any kind
        QVERIFY(ctl.waitForFinished(10000));
        QCOMPARE(MigrationJournal::openJournals(m_cfg).size(), 1);
        QVERIFY(!where(Daemon::Cluster, n).status.isEmpty()); // never lost

        const CtlRun r = migrate({ u"c/"_s + n, u"c"_s, u"--member"_s, u"m2"_s });
        qInfo().noquote() << "rerun after the console was killed:" << r.out.left(2000);
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        const QJsonObject j = r.json();
        QCOMPARE(j.value(u"recovered"_s).toBool(), true);
        QCOMPARE(j.value(u"authoritative"_s).toString(), u"target"_s);
        const Where w = where(Daemon::Cluster, n);
        QCOMPARE(w.location, u"m2"_s);
        QCOMPARE(w.status, u"RUNNING"_s); // started again, as it was before the move
        int count = 0;
        for (const QString &line :
            lxc(Daemon::Cluster, { u"list"_s, u"--format"_s, u"csv"_s, u"-c"_s, u"n"_s }).split(u'\n'))
            count += line == n ? 1 : 0;
        QCOMPARE(count, 1);
        QVERIFY(MigrationJournal::openJournals(m_cfg).isEmpty());
    }

    void alreadyOnMemberRefused()
    {
        const QString n = name(u"there"_s);
        QVERIFY(launch(n, u"m2"_s, false));
        const CtlRun r = migrate({ u"c/"_s + n, u"c"_s, u"--member"_s, u"m2"_s });
        QCOMPARE(refusal(r), u"already-on-member"_s);
        QCOMPARE(r.json().value(u"authoritative"_s).toString(), u"source"_s);
        QVERIFY(r.err.contains(u"already"_s));
        QCOMPARE(misplaced(n, u"m2"_s, u"STOPPED"_s), QString()); // untouched
        QVERIFY(MigrationJournal::openJournals(m_cfg).isEmpty());
    }

    void missingMemberRefused()
    {
        const QString n = name(u"nomember"_s);
        QVERIFY(launch(n, u"m1"_s, true));
        const CtlRun r = migrate({ u"c/"_s + n, u"c"_s, u"--member"_s, u"m9"_s });
        QCOMPARE(refusal(r), u"missing-member"_s);
        QVERIFY2(problemsOf(r).first().toObject().value(u"message"_s).toString().contains(u"m1, m2"_s),
            qPrintable(r.out));
        QCOMPARE(misplaced(n, u"m1"_s, u"RUNNING"_s), QString()); // not even stopped
        // a member of a server that is no cluster: refused the same way
        const CtlRun s = migrate({ u"c/"_s + n, u"b"_s, u"--member"_s, u"m1"_s });
        QCOMPARE(refusal(s), u"missing-member"_s);
        QVERIFY(s.err.contains(u"not a cluster"_s));
        QVERIFY(where(Daemon::Second, n).status.isEmpty());
        // the same host without a member is a usage error that says how to ask for a member move
        const CtlRun u = migrate({ u"c/"_s + n, u"c"_s });
        QCOMPARE(u.code, 2);
        QVERIFY2(u.err.contains(u"--member"_s), qPrintable(u.err));
        // and a missing instance
        const CtlRun m = migrate({ u"c/"_s + n + u"-absent"_s, u"c"_s, u"--member"_s, u"m2"_s });
        QCOMPARE(refusal(m), u"source-missing"_s);
    }

    // The API a GUI uses: the plan of a member move says where the instance is and how it moves.
    void planThroughTheApi()
    {
        const QString n = name(u"plan"_s);
        QVERIFY(launch(n, u"m2"_s, false));
        LxdClientCertificate id;
        QString err;
        QVERIFY2(LxdClientCertificate::ensure(m_cfg, &id, &err), qPrintable(err));
        LxdClient c(QUrl(testbed::env("CANYON_LXDC_URL")),
            pinOf(testbed::env("CANYON_LXDC_DIR") + u"/cluster.crt"_s), id);
        LxdMigrator migrator([&c](const QString &h, QString *) { return h == u"c" ? &c : nullptr; },
            m_dir.filePath(u"api-state"_s));
        MigrationRequest req;
        req.sourceHost = u"c"_s;
        req.instance = n;
        req.targetHost = u"c"_s;
        req.targetMember = u"m1"_s;
        std::optional<MigrationPlan> plan;
        migrator.plan(req, [&plan](const MigrationPlan &p) { plan = p; });
        QTRY_VERIFY_WITH_TIMEOUT(plan.has_value(), 30000);
        QVERIFY2(plan->ok(), plan->problems.isEmpty() ? "" : qPrintable(plan->problems.first().message));
        QCOMPARE(plan->mode, MigrationMode::Member);
        QCOMPARE(plan->sourceMember, u"m2"_s);
        QCOMPARE(plan->targetMembers, (QStringList { u"m1"_s, u"m2"_s }));
        QVERIFY(plan->modeReason.contains(u"one copy"_s));
        QCOMPARE(where(Daemon::Cluster, n).location, u"m2"_s); // planning changes nothing
    }

    // Out of the cluster to the independent daemon (the existing pull path), and back in onto
    // a chosen member (create with ?target=).
    void clusterToIndependentAndBack()
    {
        const QString n = name(u"out"_s);
        QVERIFY(launch(n, u"m2"_s, true));
        const CtlRun out = migrate({ u"c/"_s + n, u"b"_s });
        QVERIFY2(out.code == 0, qPrintable(out.err + out.out));
        QCOMPARE(out.json().value(u"mode"_s).toString(), u"pull"_s);
        QCOMPARE(out.json().value(u"member_move"_s).toBool(), false);
        QVERIFY(where(Daemon::Cluster, n).status.isEmpty());
        QCOMPARE(where(Daemon::Second, n).status, u"RUNNING"_s);

        const CtlRun in = migrate({ u"b/"_s + n, u"c"_s, u"--member"_s, u"m1"_s });
        QVERIFY2(in.code == 0, qPrintable(in.err + in.out));
        QCOMPARE(in.json().value(u"authoritative"_s).toString(), u"target"_s);
        QCOMPARE(in.json().value(u"member_move"_s).toBool(), false);
        QVERIFY(where(Daemon::Second, n).status.isEmpty());
        QCOMPARE(misplaced(n, u"m1"_s, u"RUNNING"_s), QString());
        QVERIFY(MigrationJournal::openJournals(m_cfg).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestClusterMove)
#include "tst_clustermove.moc"
