// SPDX-License-Identifier: GPL-3.0-or-later
// Migration between the testbed's two REAL LXD 5.0.2 daemons (issue 5, QUALITY.md R4):
// pull/push/relay of stopped and running containers, plan refusals (name clash, missing
// profile, live not possible), a source delete that fails after a good copy, the target daemon
// killed mid-copy, and the console (canyonctl) killed mid-migration then rerun; cancel during the
// copy and at the stage boundaries, the link to the target cut mid-copy (a silent TCP proxy),
// two migrations of one instance at the same moment, relay flow control against a throttled
// target, and auto mode falling back from pull to push for a real reason.
#include "CtlAndLxc.h"
#include "TestbedEnv.h"
#include "fleet/CtlCommands.h"
#include "lxd/LxdClient.h"
#include "lxd/LxdMigration.h"
#include "lxd/MigrationJournal.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>
#include <QTimer>
#include <arpa/inet.h>
#include <csignal>
#include <memory>
#include <netinet/in.h>
#include <optional>
#include <sys/socket.h>

using namespace canyon;
using namespace Qt::StringLiterals;

namespace {

using testbed::CtlRun;
CtlRun runCtl(const QStringList &args)
{
    return testbed::runCtl(args, 180000); // moving a few hundred MB on a loaded machine
}

// The lxc CLI on one of the testbed daemons (1 or 2): fixtures and independent checks only.
QString lxc(int daemon, const QStringList &args, int *exitCode = nullptr)
{
    return testbed::lxcIn(
        testbed::env(daemon == 1 ? "CANYON_LXD_DIR" : "CANYON_LXD2_DIR"), args, exitCode, 120000);
}

// "RUNNING" / "STOPPED" / "" (absent)
QString status(int daemon, const QString &name)
{
    const QString out = lxc(daemon, { u"list"_s, u"--format"_s, u"csv"_s, u"-c"_s, u"ns"_s });
    for (const QString &line : out.split(u'\n')) {
        const QStringList f = line.split(u',');
        if (f.size() == 2 && f.at(0) == name)
            return f.at(1);
    }
    return {};
}

QString pinOf(const char *dirVar)
{
    const auto certs = QSslCertificate::fromPath(testbed::env(dirVar) + u"/server.crt"_s);
    return certs.isEmpty() ? QString() : certificateSha256(certs.first());
}

// A TCP proxy in front of a daemon's https port (TLS passes through untouched: the console still
// checks the daemon's own pinned certificate). cut(): the link goes silent like a pulled cable
// (no byte forwarded either way, new connections accepted and ignored); restore() heals it for
// new connections. throttle: upstream bytes per second (a slow target). consoleOnly: only
// connections from this process (the console) get through; any other (e.g. the other LXD
// daemon) is refused, like a bastion or NAT only the console can pass.
class TcpProxy : public QObject
{
public:
    explicit TcpProxy(quint16 upstreamPort)
        : m_upstream(upstreamPort)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *c = m_server.nextPendingConnection())
                accept(c);
        });
        m_tick.setInterval(10);
        connect(&m_tick, &QTimer::timeout, this, [this] { pumpAll(); });
        m_tick.start();
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    quint16 port() const { return m_server.serverPort(); }
    QString url() const { return u"https://127.0.0.1:%1"_s.arg(port()); }
    void cut() { m_cut = true; }
    void restore()
    {
        m_cut = false;
        for (const QPointer<QTcpSocket> &c : std::as_const(m_silent))
            if (c)
                c->abort();
        m_silent.clear();
        for (const Pair &p : std::as_const(m_pairs)) { // the silent ones are dead for good
            p.client->abort();
            if (p.server)
                p.server->abort();
        }
    }
    qint64 throttleBytesPerSecond = 0; // 0: as fast as it goes
    bool consoleOnly = false;
    int refused = 0; // connections refused by consoleOnly
    qint64 forwarded = 0; // client -> daemon bytes

private:
    struct Pair
    {
        QPointer<QTcpSocket> client, server;
    };
    static bool ownedByThisProcess(quint16 peerPort)
    {
        const QDir fds(u"/proc/self/fd"_s);
        for (const QString &f : fds.entryList(QDir::Files | QDir::System)) {
            const int fd = f.toInt();
            sockaddr_in a {};
            socklen_t len = sizeof a;
            if (::getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len) == 0 && a.sin_family == AF_INET
                && ntohs(a.sin_port) == peerPort)
                return true;
        }
        return false;
    }
    void accept(QTcpSocket *c)
    {
        c->setParent(this);
        if (consoleOnly && !ownedByThisProcess(c->peerPort())) {
            ++refused;
            c->abort();
            c->deleteLater();
            return;
        }
        if (m_cut) {
            m_silent << c; // accepted, never answered
            return;
        }
        auto *s = new QTcpSocket(this);
        c->setReadBufferSize(64 * 1024);
        s->setReadBufferSize(64 * 1024);
        m_pairs << Pair { c, s };
        connect(s, &QTcpSocket::connected, this, [this] { pumpAll(); });
        connect(c, &QTcpSocket::readyRead, this, [this] { pumpAll(); });
        connect(s, &QTcpSocket::readyRead, this, [this] { pumpAll(); });
        connect(c, &QTcpSocket::disconnected, s, [s] { s->disconnectFromHost(); });
        connect(s, &QTcpSocket::disconnected, c, [c] { c->disconnectFromHost(); });
        s->connectToHost(QHostAddress::LocalHost, m_upstream);
    }
    void pumpAll()
    {
        if (m_cut)
            return;
        // token bucket: at most throttleBytesPerSecond on average, bursts of 10 ms
        qint64 left = -1;
        if (throttleBytesPerSecond > 0) {
            if (!m_clock.isValid())
                m_clock.start();
            const qint64 now = m_clock.elapsed();
            m_tokens = std::min(m_tokens + (now - m_lastRefill) * throttleBytesPerSecond / 1000,
                throttleBytesPerSecond / 100);
            m_lastRefill = now;
            left = m_tokens;
        }
        for (const Pair &p : std::as_const(m_pairs)) {
            if (!p.client || !p.server || p.server->state() != QAbstractSocket::ConnectedState)
                continue;
            while (p.server->bytesAvailable() > 0 && p.client->bytesToWrite() < 256 * 1024)
                p.client->write(p.server->read(64 * 1024));
            while (p.client->bytesAvailable() > 0 && p.server->bytesToWrite() < 256 * 1024 && left != 0) {
                const QByteArray b = p.client->read(left < 0 ? 64 * 1024 : std::min<qint64>(left, 64 * 1024));
                if (left > 0) {
                    left -= b.size();
                    m_tokens -= b.size();
                }
                forwarded += b.size();
                p.server->write(b);
            }
        }
    }
    QTcpServer m_server;
    QTimer m_tick;
    quint16 m_upstream = 0;
    bool m_cut = false;
    QList<Pair> m_pairs;
    QList<QPointer<QTcpSocket>> m_silent;
    QElapsedTimer m_clock;
    qint64 m_lastRefill = 0;
    qint64 m_tokens = 0;
};

quint16 portOf(const char *hostPortVar)
{
    return quint16(testbed::env(hostPortVar).section(u':', -1).toUInt());
}

// One console in this process: clients for hosts a and b (a or b through a proxy if given).
struct Console
{
    LxdClientCertificate id;
    std::unique_ptr<LxdClient> a, b;
    std::unique_ptr<LxdMigrator> migrator;
    Console(const QString &cfg, const QString &stateDir, const QString &urlA = {}, const QString &urlB = {})
    {
        QString err;
        LxdClientCertificate::ensure(cfg, &id, &err);
        a = std::make_unique<LxdClient>(
            QUrl(urlA.isEmpty() ? u"https://"_s + testbed::env("CANYON_LXD_HTTPS") : urlA),
            pinOf("CANYON_LXD_DIR"), id);
        b = std::make_unique<LxdClient>(
            QUrl(urlB.isEmpty() ? u"https://"_s + testbed::env("CANYON_LXD2_HTTPS") : urlB),
            pinOf("CANYON_LXD2_DIR"), id);
        migrator = std::make_unique<LxdMigrator>(
            [this](const QString &h, QString *) -> LxdClient * {
                return h == u"a" ? a.get() : h == u"b" ? b.get() : nullptr;
            },
            stateDir);
    }
    // Runs one migration to its end (or the deadline); the result, or nullopt on timeout.
    std::optional<MigrationResult> run(
        const MigrationRequest &req, int timeoutMs = 120000, std::function<void(LxdMigration *)> setup = {})
    {
        LxdMigration *m = migrator->start(req);
        if (setup)
            setup(m);
        std::optional<MigrationResult> out;
        QObject::connect(m, &LxdMigration::finished, m, [&out](const MigrationResult &r) { out = r; });
        QElapsedTimer t;
        t.start();
        while (!out && t.elapsed() < timeoutMs)
            QTest::qWait(20);
        return out;
    }
};

MigrationRequest req(const QString &n, MigrationMode mode)
{
    return MigrationRequest { u"a"_s, n, u"b"_s, {}, mode, true, false, false };
}

} // namespace

class TestMigration : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_cfg;
    QStringList m_created; // container names to remove from both daemons at the end
    int m_seq = 0;

    QString name(const QString &what)
    {
        const QString n
            = u"mg-%1-%2-%3"_s.arg(what).arg(QCoreApplication::applicationPid() % 100000).arg(++m_seq);
        m_created << n;
        return n;
    }
    bool launch(const QString &n, bool running, const QStringList &extra = {})
    {
        int rc = -1;
        lxc(1,
            QStringList { running ? u"launch"_s : u"init"_s, testbed::env("CANYON_LXD_IMAGE"), n, u"-q"_s }
                + extra,
            &rc);
        return rc == 0;
    }
    // Fills the container with incompressible data so a copy takes a while.
    bool fill(const QString &n, int mb)
    {
        int rc = -1;
        const bool wasRunning = status(1, n) == u"RUNNING";
        if (!wasRunning)
            lxc(1, { u"start"_s, n }, &rc);
        lxc(1,
            { u"exec"_s, n, u"--"_s, u"dd"_s, u"if=/dev/urandom"_s, u"of=/data.bin"_s, u"bs=1M"_s,
                u"count=%1"_s.arg(mb) },
            &rc);
        if (!wasRunning)
            lxc(1, { u"stop"_s, u"-f"_s, n });
        return rc == 0;
    }
    CtlRun migrate(const QStringList &args)
    {
        return runCtl(
            QStringList { u"--config"_s, m_cfg, u"migrate"_s } + args + QStringList { u"--json"_s });
    }
    QString testbedScript(const QString &s) const
    {
        return QStringLiteral(CANYON_SOURCE_DIR) + u"/tests/testbed/"_s + s;
    }
    QString lxd2Dir() const { return QFileInfo(testbed::env("CANYON_LXD2_DIR")).absolutePath(); }
    QString ctlBinary() const { return QStringLiteral(CANYON_BINARY_DIR) + u"/app/canyonctl"_s; }

private Q_SLOTS:
    void initTestCase()
    {
        CANYON_NEED_ENV("CANYON_LXD_HTTPS");
        CANYON_NEED_ENV("CANYON_LXD_DIR");
        CANYON_NEED_ENV("CANYON_LXD2_HTTPS");
        CANYON_NEED_ENV("CANYON_LXD2_DIR");
        CANYON_NEED_ENV("CANYON_LXD_IMAGE");
        QVERIFY(m_dir.isValid());
        m_cfg = m_dir.filePath(u"cfg"_s);
        const QString pw = testbed::env("CANYON_LXD_TRUST_PASSWORD");
        const QString pinA = pinOf("CANYON_LXD_DIR"), pinB = pinOf("CANYON_LXD2_DIR");
        QVERIFY(!pinA.isEmpty() && !pinB.isEmpty());
        CtlRun a = runCtl({ u"--config"_s, m_cfg, u"hosts"_s, u"add"_s, u"a"_s, u"--lxd"_s,
            u"https://"_s + testbed::env("CANYON_LXD_HTTPS"), u"--trust-password"_s, pw,
            u"--accept-certificate"_s, pinA });
        QVERIFY2(a.code == 0, qPrintable(a.err));
        CtlRun b = runCtl({ u"--config"_s, m_cfg, u"hosts"_s, u"add"_s, u"b"_s, u"--lxd"_s,
            u"https://"_s + testbed::env("CANYON_LXD2_HTTPS"), u"--trust-password"_s, pw,
            u"--accept-certificate"_s, pinB });
        QVERIFY2(b.code == 0, qPrintable(b.err));
    }

    void cleanupTestCase()
    {
        for (const QString &n : std::as_const(m_created)) {
            for (int d : { 1, 2 }) {
                for (const QString &nn : QStringList { n, n + u"-new"_s }) {
                    if (status(d, nn).isEmpty())
                        continue;
                    lxc(d, { u"config"_s, u"unset"_s, nn, u"security.protection.delete"_s });
                    lxc(d, { u"delete"_s, u"-f"_s, nn });
                }
            }
        }
        lxc(1, { u"profile"_s, u"delete"_s, u"mg-only-a"_s });
    }

    void moves_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<bool>("running");
        for (const QString &m : { u"pull"_s, u"push"_s, u"relay"_s }) {
            QTest::newRow(qPrintable(m + u"-stopped"_s)) << m << false;
            QTest::newRow(qPrintable(m + u"-running"_s)) << m << true;
        }
    }
    void moves()
    {
        QFETCH(QString, mode);
        QFETCH(bool, running);
        const QString n = name(mode);
        QVERIFY(launch(n, running));
        QCOMPARE(status(1, n), running ? u"RUNNING"_s : u"STOPPED"_s);
        // a snapshot must come along (and be counted by the verification)
        lxc(1, { u"snapshot"_s, n, u"snap0"_s });
        const CtlRun r = migrate({ u"a/"_s + n, u"b"_s, u"--mode"_s, mode });
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        const QJsonObject j = r.json();
        QCOMPARE(j.value(u"ok"_s).toBool(), true);
        QCOMPARE(j.value(u"mode"_s).toString(), mode);
        QCOMPARE(j.value(u"authoritative"_s).toString(), u"target"_s);
        QCOMPARE(j.value(u"source_exists"_s).toBool(), false);
        // independently of Canyon: gone from A, on B in the same state, with its snapshot
        QCOMPARE(status(1, n), QString());
        QCOMPARE(status(2, n), running ? u"RUNNING"_s : u"STOPPED"_s);
        QVERIFY(lxc(2, { u"info"_s, n }).contains(u"snap0"_s));
        // no journal left open
        QVERIFY(MigrationJournal::openJournals(m_cfg).isEmpty());
    }

    void nameClash()
    {
        const QString n = name(u"clash"_s);
        QVERIFY(launch(n, false));
        int rc = -1;
        lxc(2, { u"init"_s, testbed::env("CANYON_LXD_IMAGE"), n, u"-q"_s }, &rc);
        QCOMPARE(rc, 0);
        const QString createdOnB = lxc(2, { u"list"_s, n, u"--format"_s, u"csv"_s, u"-c"_s, u"nN"_s });
        const CtlRun r = migrate({ u"a/"_s + n, u"b"_s });
        QCOMPARE(r.code, 1);
        const QJsonObject j = r.json();
        QCOMPARE(j.value(u"authoritative"_s).toString(), u"source"_s);
        const QJsonArray problems = j.value(u"plan"_s).toObject().value(u"problems"_s).toArray();
        QCOMPARE(problems.size(), 1);
        QCOMPARE(problems.first().toObject().value(u"kind"_s).toString(), u"name-clash"_s);
        QVERIFY(r.err.contains(u"exists on b already"_s));
        QCOMPARE(status(1, n), u"STOPPED"_s); // untouched
        QCOMPARE(lxc(2, { u"list"_s, n, u"--format"_s, u"csv"_s, u"-c"_s, u"nN"_s }), createdOnB);
        // TARGET/NEWNAME resolves it
        const CtlRun r2 = migrate({ u"a/"_s + n, u"b/"_s + n + u"-new"_s });
        QVERIFY2(r2.code == 0, qPrintable(r2.err));
        QCOMPARE(status(2, n + u"-new"_s), u"STOPPED"_s);
        QCOMPARE(status(1, n), QString());
    }

    void missingProfile()
    {
        int rc = -1;
        lxc(1, { u"profile"_s, u"create"_s, u"mg-only-a"_s }, &rc);
        const QString n = name(u"prof"_s);
        QVERIFY(launch(n, false, { u"-p"_s, u"default"_s, u"-p"_s, u"mg-only-a"_s }));
        const CtlRun r = migrate({ u"a/"_s + n, u"b"_s });
        QCOMPARE(r.code, 1);
        const QJsonArray problems = r.json().value(u"plan"_s).toObject().value(u"problems"_s).toArray();
        QCOMPARE(problems.size(), 1);
        QCOMPARE(problems.first().toObject().value(u"kind"_s).toString(), u"missing-profile"_s);
        QCOMPARE(problems.first().toObject().value(u"subject"_s).toString(), u"mg-only-a"_s);
        QCOMPARE(status(1, n), u"STOPPED"_s);
        QCOMPARE(status(2, n), QString()); // nothing copied
    }

    void liveIsGreyedForContainers()
    {
        const QString n = name(u"live"_s);
        QVERIFY(launch(n, true));
        LxdClientCertificate id;
        QString err;
        QVERIFY(LxdClientCertificate::ensure(m_cfg, &id, &err));
        LxdClient a(QUrl(u"https://"_s + testbed::env("CANYON_LXD_HTTPS")), pinOf("CANYON_LXD_DIR"), id);
        LxdClient b(QUrl(u"https://"_s + testbed::env("CANYON_LXD2_HTTPS")), pinOf("CANYON_LXD2_DIR"), id);
        LxdMigrator m(
            [&](const QString &h, QString *) -> LxdClient * {
                return h == u"a" ? &a : h == u"b" ? &b : nullptr;
            },
            m_dir.filePath(u"state-live"_s));
        MigrationRequest req { u"a"_s, n, u"b"_s, {}, MigrationMode::Auto, false, true, false };
        std::optional<MigrationPlan> plan;
        m.plan(req, [&](const MigrationPlan &p) { plan = p; });
        QTRY_VERIFY_WITH_TIMEOUT(plan.has_value(), 20000);
        QVERIFY(plan->sourceRunning);
        QVERIFY(!plan->livePossible);
        QVERIFY(plan->liveReason.contains(u"containers"_s));
        QCOMPARE(plan->mode, MigrationMode::Pull);
        QVERIFY(!plan->ok());
        QCOMPARE(plan->problems.first().kind, MigrationProblem::Kind::LiveNotPossible);
        QCOMPARE(status(1, n), u"RUNNING"_s);
    }

    void sourceDeleteFailsAfterGoodCopy()
    {
        const QString n = name(u"protect"_s);
        QVERIFY(launch(n, false, { u"-c"_s, u"security.protection.delete=true"_s }));
        const CtlRun r = migrate({ u"a/"_s + n, u"b"_s, u"--mode"_s, u"push"_s });
        QCOMPARE(r.code, 1);
        const QJsonObject j = r.json();
        QCOMPARE(j.value(u"authoritative"_s).toString(), u"target"_s);
        QCOMPARE(j.value(u"target_verified"_s).toBool(), true);
        QCOMPARE(j.value(u"source_exists"_s).toBool(), true);
        QVERIFY(j.value(u"leftovers"_s).toArray().first().toString().contains(u"two copies"_s));
        QCOMPARE(status(1, n), u"STOPPED"_s);
        QCOMPARE(status(2, n), u"STOPPED"_s);
        QVERIFY(MigrationJournal::openJournals(m_cfg).isEmpty()); // reported, resolved truthfully
    }

    void targetDaemonKilledMidCopy()
    {
        const QString n = name(u"tkill"_s);
        QVERIFY(launch(n, false));
        QVERIFY(fill(n, 200));
        const QString pidFile = lxd2Dir() + u"/lxd.pid"_s;
        QFile f(pidFile);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const qint64 pid = f.readAll().trimmed().toLongLong();
        QVERIFY(pid > 1);
        // the console as a process; kill the target daemon once the copy runs
        QProcess ctl;
        ctl.start(ctlBinary(),
            { u"--config"_s, m_cfg, u"migrate"_s, u"a/"_s + n, u"b"_s, u"--mode"_s, u"pull"_s, u"--json"_s });
        QVERIFY(ctl.waitForStarted());
        QElapsedTimer t;
        t.start();
        bool copying = false;
        while (t.elapsed() < 30000 && !copying) {
            for (const QString &p : MigrationJournal::openJournals(m_cfg))
                for (const QJsonObject &rec : MigrationJournal::read(p))
                    copying = copying || rec.value(u"step"_s).toString() == u"target-operation";
            QTest::qWait(20);
        }
        QVERIFY2(copying, "the copy never started");
        QTest::qWait(150);
        QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);
        QVERIFY(ctl.waitForFinished(120000));
        const QByteArray killedOut = ctl.readAllStandardOutput();
        qInfo().noquote() << "console while the target died:" << killedOut;
        const QJsonObject j = QJsonDocument::fromJson(killedOut).object();
        QCOMPARE(ctl.exitCode(), 1);
        QCOMPARE(j.value(u"ok"_s).toBool(), false);
        QCOMPARE(j.value(u"authoritative"_s).toString(), u"source"_s);
        QCOMPARE(status(1, n), u"STOPPED"_s); // the source is intact
        // bring the target back; a rerun resolves what was left there and moves exactly once
        QProcess restart;
        restart.start(testbedScript(u"lxd-second.sh"_s), { u"restart"_s, lxd2Dir() });
        QVERIFY(restart.waitForFinished(90000));
        QCOMPARE(restart.exitCode(), 0);
        const CtlRun r = migrate({ u"a/"_s + n, u"b"_s });
        qInfo().noquote() << "rerun after the target came back:" << r.out;
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        QCOMPARE(r.json().value(u"authoritative"_s).toString(), u"target"_s);
        QCOMPARE(status(1, n), QString());
        QCOMPARE(status(2, n), u"STOPPED"_s);
        QVERIFY(MigrationJournal::openJournals(m_cfg).isEmpty());
    }

    void consoleKilledMidMigration_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::newRow("pull") << u"pull"_s; // LXD finishes the copy without the console
        QTest::newRow("relay") << u"relay"_s; // the copy dies with the console
    }
    void consoleKilledMidMigration()
    {
        QFETCH(QString, mode);
        const QString n = name(u"ckill"_s);
        QVERIFY(launch(n, true));
        QVERIFY(fill(n, 200));
        QProcess ctl;
        ctl.start(ctlBinary(),
            { u"--config"_s, m_cfg, u"migrate"_s, u"a/"_s + n, u"b"_s, u"--mode"_s, mode, u"--json"_s });
        QVERIFY(ctl.waitForStarted());
        QElapsedTimer t;
        t.start();
        bool copying = false;
        while (t.elapsed() < 30000 && !copying) {
            for (const QString &p : MigrationJournal::openJournals(m_cfg))
                for (const QJsonObject &rec : MigrationJournal::read(p))
                    copying = copying || rec.value(u"step"_s).toString() == u"source-operation";
            QTest::qWait(10);
        }
        QVERIFY2(copying, "the copy never started");
        QTest::qWait(100);
        ctl.kill(); // SIGKILL: no cleanup of any kind
        QVERIFY(ctl.waitForFinished(10000));
        QCOMPARE(MigrationJournal::openJournals(m_cfg).size(), 1);
        // at this moment: the source is there (stopped for the move), never deleted
        QVERIFY(!status(1, n).isEmpty());
        const CtlRun r = migrate({ u"a/"_s + n, u"b"_s, u"--mode"_s, mode });
        qInfo().noquote() << "rerun after the console was killed:" << r.out;
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        const QJsonObject j = r.json();
        QCOMPARE(j.value(u"recovered"_s).toBool(), true);
        QCOMPARE(j.value(u"authoritative"_s).toString(), u"target"_s);
        // exactly one copy, running like the source was
        QCOMPARE(status(1, n), QString());
        QCOMPARE(status(2, n), u"RUNNING"_s);
        QVERIFY(MigrationJournal::openJournals(m_cfg).isEmpty());
    }

    // ---- Cancel (issue 5: cancel from the operations dock) ----

    void cancelDuringCopy()
    {
        // a running container with enough data that the copy takes a few seconds
        const QString n = name(u"cancel"_s);
        QVERIFY(launch(n, true));
        QVERIFY(fill(n, 120));
        const QString state = m_dir.filePath(u"state-cancel"_s);
        Console con(m_cfg, state);
        bool cancelled = false;
        qint64 cancelAtBytes = -1;
        QElapsedTimer sinceCancel;
        const auto r = con.run(req(n, MigrationMode::Pull), 120000, [&](LxdMigration *m) {
            QObject::connect(m, &LxdMigration::progressChanged, m, [&, m](const MigrationProgress &p) {
                // cancel once LXD reports bytes moving (the copy is under way, not finished)
                if (!cancelled && p.stage == MigrationStage::Copying && p.bytes > 0) {
                    QVERIFY(m->canCancel());
                    cancelled = true;
                    cancelAtBytes = p.bytes;
                    sinceCancel.start();
                    m->cancel();
                    QVERIFY(!m->canCancel());
                }
            });
        });
        QVERIFY(r.has_value());
        qInfo() << "cancelled at" << cancelAtBytes << "bytes; ended" << sinceCancel.elapsed()
                << "ms later; stages:" << r->stages.size() << "cleaned:" << r->cleaned
                << "leftovers:" << r->leftovers;
        QVERIFY2(cancelled, "the copy never reported progress: cannot cancel during it");
        QCOMPARE(r->ok, false);
        QCOMPARE(r->kind, LxdResultKind::Cancelled);
        QCOMPARE(r->authoritative, MigrationAuthority::Source);
        QVERIFY(r->leftovers.isEmpty());
        QVERIFY(!r->targetVerified);
        // independently: the source is intact and running again, no partial target, journal closed
        QCOMPARE(status(1, n), u"RUNNING"_s);
        QCOMPARE(status(2, n), QString());
        QVERIFY(lxc(1, { u"exec"_s, n, u"--"_s, u"ls"_s, u"-l"_s, u"/data.bin"_s }).contains(u"125829120"_s));
        QVERIFY(MigrationJournal::openJournals(state).isEmpty());
        // a retry works (relay this time: the same container, the console's own data path)
        const auto again = con.run(req(n, MigrationMode::Relay));
        QVERIFY(again.has_value());
        QVERIFY2(again->ok, qPrintable(again->error));
        QCOMPARE(status(1, n), QString());
        QCOMPARE(status(2, n), u"RUNNING"_s);
        QVERIFY(lxc(2, { u"exec"_s, n, u"--"_s, u"ls"_s, u"-l"_s, u"/data.bin"_s }).contains(u"125829120"_s));
        QVERIFY(MigrationJournal::openJournals(state).isEmpty());
    }

    // The rule at the stage boundaries, timed by the stage signals (deterministic): while the
    // target is being verified a cancel is honoured (rolled back); once it was verified (the
    // source is being deleted) it is refused and the move completes.
    void cancelAtStageBoundaries()
    {
        const QString state = m_dir.filePath(u"state-cancel2"_s);
        Console con(m_cfg, state);
        const QString v = name(u"cverify"_s);
        QVERIFY(launch(v, false));
        const auto r1 = con.run(req(v, MigrationMode::Push), 60000, [](LxdMigration *m) {
            QObject::connect(m, &LxdMigration::stageChanged, m, [m](MigrationStage s) {
                if (s == MigrationStage::Verifying)
                    m->cancel();
            });
        });
        QVERIFY(r1.has_value());
        QCOMPARE(r1->ok, false);
        QCOMPARE(r1->kind, LxdResultKind::Cancelled);
        QCOMPARE(r1->authoritative, MigrationAuthority::Source);
        QCOMPARE(r1->cleaned.size(), 1); // the copied, never verified target was removed
        QCOMPARE(status(1, v), u"STOPPED"_s);
        QCOMPARE(status(2, v), QString());

        const QString d = name(u"cdelete"_s);
        QVERIFY(launch(d, false));
        bool refusedSignal = false, couldCancel = true;
        const auto r2 = con.run(req(d, MigrationMode::Pull), 60000, [&](LxdMigration *m) {
            QObject::connect(
                m, &LxdMigration::cancelRefused, m, [&](const QString &) { refusedSignal = true; });
            QObject::connect(m, &LxdMigration::stageChanged, m, [&, m](MigrationStage s) {
                if (s == MigrationStage::DeletingSource) {
                    couldCancel = m->canCancel();
                    m->cancel();
                }
            });
        });
        QVERIFY(r2.has_value());
        QVERIFY(!couldCancel);
        QVERIFY(refusedSignal);
        QVERIFY(r2->cancelRefused);
        QVERIFY2(r2->ok, qPrintable(r2->error));
        QCOMPARE(r2->authoritative, MigrationAuthority::Target);
        QCOMPARE(status(1, d), QString());
        QCOMPARE(status(2, d), u"STOPPED"_s);
        QVERIFY(MigrationJournal::openJournals(state).isEmpty());
    }

    // ---- The link between the console and the TARGET daemon cut mid-copy ----

    void linkCutToTarget_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::newRow("pull") << u"pull"_s; // LXD moves the data; the console loses sight of it
        QTest::newRow("relay") << u"relay"_s; // the data itself goes through the cut link
    }
    void linkCutToTarget()
    {
        QFETCH(QString, mode);
        MigrationMode mm = MigrationMode::Pull;
        QVERIFY(parseMigrationMode(mode, &mm));
        const QString n = name(u"cut"_s);
        QVERIFY(launch(n, true));
        QVERIFY(fill(n, 80));
        TcpProxy proxy(portOf("CANYON_LXD2_HTTPS"));
        QVERIFY(proxy.listen());
        const QString state = m_dir.filePath(u"state-cut-"_s + mode);
        Console con(m_cfg, state, {}, proxy.url());
        constexpr int timeoutMs = 3000, stallMs = 4000;
        con.b->setTimeoutMs(timeoutMs);
        con.migrator->setStallTimeoutMs(stallMs);
        QElapsedTimer sinceCut;
        const auto r = con.run(req(n, mm), 120000, [&](LxdMigration *m) {
            QObject::connect(m, &LxdMigration::progressChanged, m, [&](const MigrationProgress &p) {
                if (!sinceCut.isValid() && p.stage == MigrationStage::Copying && p.bytes > 0) {
                    proxy.cut();
                    sinceCut.start();
                }
            });
        });
        QVERIFY(r.has_value());
        QVERIFY2(sinceCut.isValid(), "the copy never reported progress: the link was not cut during it");
        const qint64 afterCut = sinceCut.elapsed();
        QStringList stageTimes;
        for (const MigrationStageResult &st : r->stages)
            stageTimes << u"%1 %2 ms"_s.arg(migrationStageName(st.stage)).arg(st.ms);
        qInfo().noquote() << mode << "link cut: ended" << afterCut << "ms after the cut; authoritative"
                          << migrationAuthorityName(r->authoritative)
                          << "; stages:" << stageTimes.join(u", "_s) << "; error:" << r->error
                          << "; leftovers:" << r->leftovers.join(u" | "_s);
        // every stage ended by its deadline: the wait round (10 s + the request timeout), then the
        // stall grace, then the checks (one request timeout each)
        QVERIFY2(afterCut < 10000 + timeoutMs + stallMs + 3 * timeoutMs + 3000,
            qPrintable(QString::number(afterCut)));
        QCOMPARE(r->ok, false);
        QVERIFY(r->authoritative == MigrationAuthority::Source
            || r->authoritative == MigrationAuthority::Unknown);
        QVERIFY(!r->targetVerified);
        QVERIFY(!r->leftovers.isEmpty()); // the target could not be checked: said so
        QVERIFY(r->cleaned.isEmpty()); // nothing deleted
        QVERIFY(!status(1, n).isEmpty()); // the source was never deleted
        if (r->authoritative == MigrationAuthority::Source)
            QCOMPARE(status(1, n), u"RUNNING"_s); // ... and runs again, as it did
        QCOMPARE(MigrationJournal::openJournals(state).size(), 1); // open: a rerun resolves it

        // the link comes back: the rerun recovers and ends with exactly one authoritative copy
        proxy.restore();
        const auto again = con.run(req(n, mm));
        QVERIFY(again.has_value());
        qInfo().noquote() << "rerun after the link came back: ok" << again->ok << "recovered"
                          << again->recovered << "cleaned" << again->cleaned << "error" << again->error;
        QVERIFY2(again->ok, qPrintable(again->error));
        QVERIFY(again->recovered);
        QCOMPARE(again->authoritative, MigrationAuthority::Target);
        QCOMPARE(status(1, n), QString());
        QCOMPARE(status(2, n), u"RUNNING"_s);
        QVERIFY(lxc(2, { u"exec"_s, n, u"--"_s, u"ls"_s, u"-l"_s, u"/data.bin"_s }).contains(u"83886080"_s));
        QVERIFY(MigrationJournal::openJournals(state).isEmpty());
    }

    // ---- Two migrations of one instance at the same moment ----

    void sameInstanceTwiceAtOnce()
    {
        const QString n = name(u"twice"_s);
        QVERIFY(launch(n, false));
        const QString state = m_cfg; // the state dir canyonctl uses for this config
        Console con(m_cfg, state);
        LxdMigration *first = con.migrator->start(req(n, MigrationMode::Pull));
        LxdMigration *second = con.migrator->start(req(n, MigrationMode::Push)); // same moment
        std::optional<MigrationResult> r1, r2;
        QList<MigrationStage> secondStages;
        connect(first, &LxdMigration::finished, this, [&](const MigrationResult &r) { r1 = r; });
        connect(second, &LxdMigration::finished, this, [&](const MigrationResult &r) { r2 = r; });
        connect(second, &LxdMigration::stageChanged, this, [&](MigrationStage s) { secondStages << s; });
        // another console (a process) at the same time: refused as well
        QProcess ctl;
        ctl.start(ctlBinary(), { u"--config"_s, m_cfg, u"migrate"_s, u"a/"_s + n, u"b"_s, u"--json"_s });
        QVERIFY(ctl.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(r2.has_value(), 10000);
        QVERIFY(!r1.has_value() || r1->ok); // the first one is not disturbed
        QCOMPARE(r2->ok, false);
        QCOMPARE(second->plan().problems.size(), 1);
        QCOMPARE(second->plan().problems.first().kind, MigrationProblem::Kind::Busy);
        QVERIFY(r2->id.isEmpty()); // no journal of its own
        QVERIFY(r2->modesTried.isEmpty()); // no copy attempted
        QCOMPARE(secondStages, (QList<MigrationStage> { MigrationStage::Planning, MigrationStage::Failed }));
        QVERIFY(ctl.waitForFinished(60000));
        const QJsonObject cj = QJsonDocument::fromJson(ctl.readAllStandardOutput()).object();
        QCOMPARE(ctl.exitCode(), 1);
        QCOMPARE(cj.value(u"plan"_s)
                     .toObject()
                     .value(u"problems"_s)
                     .toArray()
                     .first()
                     .toObject()
                     .value(u"kind"_s)
                     .toString(),
            u"busy"_s);
        QVERIFY(cj.value(u"id"_s).isNull());
        QTRY_VERIFY_WITH_TIMEOUT(r1.has_value(), 60000);
        QVERIFY2(r1->ok, qPrintable(r1->error));
        QCOMPARE(status(1, n), QString());
        QCOMPARE(status(2, n), u"STOPPED"_s);
        QVERIFY(MigrationJournal::openJournals(state).isEmpty());
    }

    // ---- Relay flow control: a slow target never makes the console buffer the whole instance ----

    void relayBackpressure()
    {
        const int mb = qEnvironmentVariableIsSet("CANYON_MIGRATION_BACKPRESSURE_MB")
            ? qEnvironmentVariableIntValue("CANYON_MIGRATION_BACKPRESSURE_MB")
            : 48;
        const qint64 rate = 12 * 1000 * 1000; // the target takes 12 MB/s through the proxy
        const QString n = name(u"slow"_s);
        QVERIFY(launch(n, false));
        QVERIFY(fill(n, mb));
        TcpProxy proxy(portOf("CANYON_LXD2_HTTPS"));
        proxy.throttleBytesPerSecond = rate;
        QVERIFY(proxy.listen());
        const QString state = m_dir.filePath(u"state-slow"_s);
        Console con(m_cfg, state, {}, proxy.url());
        qint64 maxSeen = 0;
        QElapsedTimer t;
        t.start();
        const auto r = con.run(req(n, MigrationMode::Relay), 300000, [&](LxdMigration *m) {
            QObject::connect(m, &LxdMigration::progressChanged, m,
                [&](const MigrationProgress &p) { maxSeen = std::max(maxSeen, p.bufferedBytes); });
        });
        QVERIFY(r.has_value());
        QVERIFY2(r->ok, qPrintable(r->error));
        qInfo() << "relay of" << r->bytes << "bytes to a target throttled to" << rate << "B/s in"
                << t.elapsed() << "ms: peak buffered in the console" << r->relayPeakBufferedBytes
                << "bytes (sampled max" << maxSeen << "), high-water mark" << MigrationRelayHighWaterBytes;
        QVERIFY(r->bytes > qint64(mb) * 1024 * 1024);
        QVERIFY(r->relayPeakBufferedBytes > 0);
        // the whole instance went through a relay that never held more than the high-water mark
        // plus a frame and the sockets' read buffers
        QVERIFY2(r->relayPeakBufferedBytes <= MigrationRelayHighWaterBytes + 2 * 1024 * 1024,
            qPrintable(QString::number(r->relayPeakBufferedBytes)));
        QVERIFY(r->relayPeakBufferedBytes * 4 < r->bytes);
        QCOMPARE(status(2, n), u"STOPPED"_s);
        QCOMPARE(status(1, n), QString());
    }

    // ---- Auto: pull fails for real, push takes over ----

    void autoFallsBackToPush()
    {
        // The console reaches the source through a gateway only it may pass (consoleOnly): in pull
        // mode the target is told to fetch from that address and is refused; push (the source
        // connects to the target) works.
        const QString n = name(u"auto"_s);
        QVERIFY(launch(n, false));
        TcpProxy gate(portOf("CANYON_LXD_HTTPS"));
        gate.consoleOnly = true;
        QVERIFY(gate.listen());
        const QString state = m_dir.filePath(u"state-auto"_s);
        Console con(m_cfg, state, gate.url(), {});
        con.migrator->setStallTimeoutMs(5000);
        QElapsedTimer t;
        t.start();
        const auto r = con.run(req(n, MigrationMode::Auto));
        QVERIFY(r.has_value());
        qInfo() << "auto:" << r->modesTried << "in" << t.elapsed()
                << "ms; refused at the gate:" << gate.refused << "; cleaned:" << r->cleaned
                << "; error:" << r->error;
        QVERIFY2(r->ok, qPrintable(r->error));
        QCOMPARE(r->modesTried, (QStringList { u"pull"_s, u"push"_s }));
        QCOMPARE(r->mode, MigrationMode::Push);
        QVERIFY(gate.refused >= 1); // the target really tried the source's address and was refused
        QCOMPARE(status(1, n), QString());
        QCOMPARE(status(2, n), u"STOPPED"_s);
        QVERIFY(MigrationJournal::openJournals(state).isEmpty());
    }

    void concurrencyLimitPerHost()
    {
        LxdClientCertificate id;
        QString err;
        QVERIFY(LxdClientCertificate::ensure(m_cfg, &id, &err));
        LxdClient a(QUrl(u"https://"_s + testbed::env("CANYON_LXD_HTTPS")), pinOf("CANYON_LXD_DIR"), id);
        LxdClient b(QUrl(u"https://"_s + testbed::env("CANYON_LXD2_HTTPS")), pinOf("CANYON_LXD2_DIR"), id);
        LxdMigrator m(
            [&](const QString &h, QString *) -> LxdClient * {
                return h == u"a" ? &a : h == u"b" ? &b : nullptr;
            },
            m_dir.filePath(u"state-conc"_s));
        m.setMaxPerHost(1);
        QList<LxdMigration *> list;
        int active = 0, maxActive = 0, done = 0;
        for (int i = 0; i < 3; ++i) {
            const QString n = name(u"conc"_s);
            QVERIFY(launch(n, false));
            LxdMigration *x = m.start(
                MigrationRequest { u"a"_s, n, u"b"_s, {}, MigrationMode::Pull, true, false, false });
            connect(x, &LxdMigration::stageChanged, this, [&, x, seen = false](MigrationStage s) mutable {
                if (!seen && s == MigrationStage::Planning) {
                    seen = true;
                    maxActive = std::max(maxActive, ++active);
                }
                if (s == MigrationStage::Done || s == MigrationStage::Failed) {
                    --active;
                    ++done;
                    QVERIFY(x->result().ok);
                }
            });
            list << x;
        }
        QTRY_COMPARE_WITH_TIMEOUT(done, 3, 60000);
        QCOMPARE(maxActive, 1);
        for (LxdMigration *x : list)
            QCOMPARE(status(2, x->request().instance), u"STOPPED"_s);
    }
};

QTEST_GUILESS_MAIN(TestMigration)
#include "tst_migration.moc"
