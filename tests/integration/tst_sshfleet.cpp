// SPDX-License-Identifier: GPL-3.0-or-later
// The walking skeleton end to end against REAL OpenSSH sshd targets (tests/testbed/sshd-targets.sh):
// trust decisions, auth, dialect detection, warm sessions and the canyonctl contract.
#include "TestbedEnv.h"
#include "fleet/FleetService.h"
#include "ssh/FiberPool.h"
#include "ssh/KnownHosts.h"
#include "ssh/SshSession.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSet>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <cstring>
#include <fcntl.h>
#include <libssh/libssh.h>
#include <mutex>
#include <optional>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace canyon;
using namespace canyon::testbed;

class TestSshFleet : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void inventoryOfAllTargets();
    void warmRefreshReusesSessions();
    void keptShellAnswersReads();
    void outputNeverWaitsInsideLibssh();
    void stopEndsARestRead();
    void restartKnowsTheFleet();
    void installedOnlyReadAsksNoStore();
    void unknownHostKeyNeedsAcceptance();
    void changedHostKeyIsRefused();
    void hashedAndRevokedKnownHosts();
    void knownHostsVerdictsMatchLibssh();
    void unreachableAndAuthFailures();
    void connectsByNameAndLeavesNoSocket();
    void encryptedKeyAgentAndConfigAlias();
    void passwordAuthentication();
    void canyonctlContract();
    void cleanupTestCase();

private:
    struct Target
    {
        QString name;
        HostConfig host;
        QString dialect; // snap | snappy | none
        int index = 0;
    };
    QString dirOf(int i) const { return m_dir + u"/dev"_s + QString::number(i); }
    int acceptedLogins(int i) const;
    QByteArray callsSince(int i, qint64 offset) const;
    qint64 callsSize(int i) const { return QFileInfo(dirOf(i) + u"/calls.log"_s).size(); }
    std::unique_ptr<FleetService> newFleet(QTemporaryDir &cfg, bool trustTestbedKnownHosts);
    // A session to target i by the testbed's key, trusting its known_hosts; writes under cfg.
    SshOptions directOptions(int i, const QTemporaryDir &cfg) const
    {
        SshOptions o;
        o.target = m_targets.at(i).host.ssh;
        o.identityFile = m_key;
        o.knownHostsFile = cfg.path() + u"/known_hosts"_s;
        o.userKnownHostsFile = m_knownHosts;
        o.sshConfigFile = u"none"_s;
        o.useAgent = false;
        return o;
    }
    const Target *firstSnapTarget() const
    {
        const auto it = std::find_if(
            m_targets.cbegin(), m_targets.cend(), [](const Target &t) { return t.dialect == u"snap"; });
        return it == m_targets.cend() ? nullptr : &*it;
    }
    QString m_dir, m_key, m_knownHosts;
    QList<Target> m_targets;
    int m_rotated = -1;
};

void TestSshFleet::initTestCase()
{
    CANYON_NEED_ENV("CANYON_SSHD_DIR");
    m_dir = env("CANYON_SSHD_DIR");
    m_key = env("CANYON_SSHD_KEY");
    m_knownHosts = env("CANYON_SSHD_KNOWN_HOSTS");
    QFile f(m_dir + u"/targets.txt"_s);
    QVERIFY(f.open(QIODevice::ReadOnly));
    int i = 0;
    for (const QByteArray &line : f.readAll().split('\n')) {
        const QList<QByteArray> parts = line.simplified().split(' ');
        if (parts.size() < 2)
            continue;
        Target t;
        t.index = i;
        t.name = u"t%1"_s.arg(i, 3, 10, QLatin1Char('0'));
        t.dialect = QString::fromLatin1(parts.at(1));
        t.host.name = t.name;
        t.host.identityFile = m_key;
        QString error;
        QVERIFY2(SshTarget::parse(QString::fromLatin1(parts.at(0)), &t.host.ssh, &error), qPrintable(error));
        m_targets.append(t);
        ++i;
    }
    QVERIFY2(m_targets.size() >= 6, "the testbed should have at least 6 sshd targets");
}

std::unique_ptr<FleetService> TestSshFleet::newFleet(QTemporaryDir &cfg, bool trustTestbedKnownHosts)
{
    auto fleet = std::make_unique<FleetService>(Config::fromDirectory(cfg.path()));
    fleet->setSshConfigFile(u"none"_s);
    // The testbed's known_hosts plays the user's ~/.ssh/known_hosts: read, trusted, never written.
    fleet->setUserKnownHostsFile(trustTestbedKnownHosts ? m_knownHosts : cfg.path() + u"/no-such-file"_s);
    fleet->setTimeoutMs(20000);
    return fleet;
}

int TestSshFleet::acceptedLogins(int i) const
{
    QFile log(dirOf(i) + u"/sshd.log"_s);
    if (!log.open(QIODevice::ReadOnly))
        return -1;
    return int(log.readAll().count("Accepted publickey"));
}

void TestSshFleet::inventoryOfAllTargets()
{
    QTemporaryDir cfg;
    auto fleet = newFleet(cfg, true);
    QString error;
    for (const Target &t : std::as_const(m_targets))
        QVERIFY2(fleet->addHost(t.host, &error), qPrintable(error));
    const QByteArray knownBefore = [&] {
        QFile k(m_knownHosts);
        return k.open(QIODevice::ReadOnly) ? k.readAll() : QByteArray();
    }();
    const auto results = refreshAll(*fleet);
    QCOMPARE(results.size(), m_targets.size());
    int snap = 0, snappy = 0, none = 0;
    for (const Target &t : std::as_const(m_targets)) {
        const DeviceInventory inv = results.value(t.name);
        if (t.dialect == u"none") {
            QCOMPARE(inv.status, DeviceStatus::Unsupported);
            QVERIFY(inv.reachable);
            QVERIFY(!inv.error.isEmpty());
            ++none;
            continue;
        }
        QVERIFY2(inv.status == DeviceStatus::Ok, qPrintable(t.name + u": "_s + inv.error));
        QVERIFY(inv.reachable);
        QVERIFY(!inv.snaps.isEmpty());
        QVERIFY(inv.hostKey.sha256.startsWith(u"SHA256:"_s));
        QCOMPARE(inv.hostKey.sha256, sshKeygenFingerprint(dirOf(t.index) + u"/host_ed25519.pub"_s));
        if (t.dialect == u"snappy") {
            QCOMPARE(inv.dialect, Dialect::Snappy);
            for (const Snap &s : inv.snaps)
                QVERIFY(!s.revision.has_value()); // snappy has no revisions
            ++snappy;
        } else {
            QCOMPARE(inv.dialect, Dialect::SnapCli);
            QVERIFY(!inv.system.snapdVersion.isEmpty());
            bool anyRevision = false;
            for (const Snap &s : inv.snaps)
                anyRevision |= s.revision.has_value() && !s.revision->isEmpty();
            QVERIFY(anyRevision);
            ++snap;
        }
    }
    QVERIFY(snap > 0 && snappy > 0 && none == 1);
    // trusted through the user's file, which Canyon never writes
    QFile k(m_knownHosts);
    QVERIFY(k.open(QIODevice::ReadOnly));
    QCOMPARE(k.readAll(), knownBefore);
    QVERIFY(!QFile::exists(fleet->config().knownHostsFile())
        || QFile(fleet->config().knownHostsFile()).size() == 0);
}

void TestSshFleet::warmRefreshReusesSessions()
{
    QTemporaryDir cfg;
    auto fleet = newFleet(cfg, true);
    QString error;
    const Target t = m_targets.at(0);
    QVERIFY(fleet->addHost(t.host, &error));
    auto first = refreshAll(*fleet);
    QCOMPARE(first.value(t.name).status, DeviceStatus::Ok);
    const int logins = acceptedLogins(t.index);
    QVERIFY(logins > 0);
    auto second = refreshAll(*fleet);
    QCOMPARE(second.value(t.name).status, DeviceStatus::Ok);
    QCOMPARE(second.value(t.name).snaps, first.value(t.name).snaps);
    // the second refresh ran over the kept session: no new login on the server
    QCOMPARE(acceptedLogins(t.index), logins);
    // The kept connection is not inherited by programs this process starts (close-on-exec):
    // every socket open here now, the session's among them, has FD_CLOEXEC.
    int sockets = 0;
    for (const QString &name :
        QDir(u"/proc/self/fd"_s).entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot)) {
        char target[64] = {};
        const QByteArray link = "/proc/self/fd/" + name.toLatin1();
        if (readlink(link.constData(), target, sizeof target - 1) <= 0 || qstrncmp(target, "socket:", 7) != 0)
            continue;
        ++sockets;
        QVERIFY2(fcntl(name.toInt(), F_GETFD) & FD_CLOEXEC,
            qPrintable(u"socket fd %1 would be inherited"_s.arg(name)));
    }
    QVERIFY(sockets > 0);
}

// A warm read runs in a shell the session keeps (SshSession::execRead): the same shell process
// answers again (its $$), with exactly what exec gives; a shell that went away is replaced.
void TestSshFleet::keptShellAnswersReads()
{
    QTemporaryDir cfg;
    SshSession s(directOptions(1, cfg));
    QString error;
    const QDeadlineTimer deadline(20000);
    QCOMPARE(s.connect(deadline, &error), DeviceStatus::Ok);

    const ExecResult a = s.execRead("echo $$", deadline);
    const ExecResult b = s.execRead("echo $$", deadline);
    QVERIFY2(a.completed && b.completed, qPrintable(a.error + b.error));
    QVERIFY(!a.out.trimmed().isEmpty());
    QCOMPARE(b.out, a.out); // one shell answered both
    const ExecResult viaExec = s.exec("echo $$", deadline);
    QVERIFY(viaExec.completed);
    QVERIFY(viaExec.out != a.out); // exec starts a shell each time

    // Same result as exec: both streams byte for byte, no added newline, the last status.
    for (const QByteArray &script : { QByteArray("printf out; printf err >&2; false"),
             QByteArray("echo one; echo two >&2; echo three; (exit 3)"), QByteArray("snap list --all"),
             QByteArray("printf ''") }) {
        const ExecResult kept = s.execRead(script, deadline);
        const ExecResult fresh = s.exec(script, deadline);
        QVERIFY2(kept.completed && fresh.completed, script.constData());
        QCOMPARE(kept.out, fresh.out);
        QCOMPARE(kept.err, fresh.err);
        QCOMPARE(kept.exitCode, fresh.exitCode);
    }
    QCOMPARE(s.execRead("echo $$", deadline).out, a.out); // still the same shell

    // The kept shell killed behind its back: the read still answers, and a new shell takes over.
    QVERIFY(s.exec("kill " + a.out.trimmed(), deadline).completed);
    const ExecResult after = s.execRead("echo ok", deadline);
    QVERIFY2(after.completed, qPrintable(after.error));
    QCOMPARE(after.out, QByteArray("ok\n"));
    const ExecResult c = s.execRead("echo $$", deadline);
    const ExecResult d = s.execRead("echo $$", deadline);
    QVERIFY(c.completed && d.completed);
    QVERIFY(c.out != a.out);
    QCOMPARE(d.out, c.out);
}

// No read may wait for output libssh already took in. Reading stdout and then stderr with
// ssh_channel_read_nonblocking lost such wakeups: libssh takes at most 4 KiB from the socket per
// call, so the stderr read could take in the end of stdout's last packet, whose data then sat in
// libssh while the command waited on a socket with nothing more to come. With fiber waits as long
// as the deadline, such a read took its whole 5 s: that code failed the many reads below (kept
// sessions at once, stdout packets of varying sizes) in 7 runs of 12. Fiber waits now wake every
// 2 s, so such a stall would take at least 2 s, over the 1 s allowed here.
void TestSshFleet::outputNeverWaitsInsideLibssh()
{
    QTemporaryDir cfg;
    const int kSessions = int(std::min<qsizetype>(8, m_targets.size()));
    constexpr int kReads = 250;
    QVERIFY(kSessions >= 2);
    std::vector<std::unique_ptr<SshSession>> sessions;
    for (int i = 0; i < kSessions; ++i) {
        sessions.push_back(std::make_unique<SshSession>(directOptions(i, cfg)));
    }
    std::mutex mutex;
    QStringList failures;
    qint64 slowest = 0;
    const auto failed = [](const QString &error) {
        ExecResult r;
        r.error = error;
        return r;
    };
    const auto check = [&](int session, const QString &what, const ExecResult &r, qint64 ms,
                           const QByteArray &out, const QByteArray &err) {
        std::lock_guard lock(mutex);
        slowest = std::max(slowest, ms);
        if (!r.completed || r.out != out || r.err != err)
            failures << u"session %1, %2: %3 (%4 bytes out, %5 bytes err)"_s.arg(session)
                            .arg(what, r.error)
                            .arg(r.out.size())
                            .arg(r.err.size());
        return failures.isEmpty();
    };
    const auto lineCheck = [](const ExecResult &r, int lines) {
        ExecResult c = r;
        if (r.out.count('\n') == lines && r.out.endsWith(QByteArray('\n' + QByteArray::number(lines) + '\n')))
            c.out = "ok";
        return c;
    };
    {
        FiberPool pool;
        for (int i = 0; i < kSessions; ++i) {
            pool.start([&, i] {
                SshSession &s = *sessions.at(size_t(i));
                QString error;
                if (s.connect(QDeadlineTimer(20000), &error) != DeviceStatus::Ok) {
                    check(i, u"connect"_s, failed(error), 0, {}, {});
                    return;
                }
                QElapsedTimer t;
                if (i == 0) {
                    // Output of a few sizes around libssh's 4 KiB reads, by exec and by the kept
                    // shell.
                    for (const int size : { 6000, 4500, 8000, 5000, 7000 }) {
                        const QByteArray command = "sleep 0.05; dd if=/dev/zero bs="
                            + QByteArray::number(size) + " count=1 2>/dev/null";
                        const QByteArray zeros(size, '\0');
                        t.start();
                        const ExecResult viaExec = s.exec(command, QDeadlineTimer(5000));
                        if (!check(i, u"exec of %1 bytes"_s.arg(size), viaExec, t.restart(), zeros, {}))
                            return;
                        const ExecResult kept = s.execRead(command, QDeadlineTimer(5000));
                        if (!check(i, u"read of %1 bytes"_s.arg(size), kept, t.elapsed(), zeros, {}))
                            return;
                    }
                }
                for (int n = 0; n < kReads; ++n) {
                    // Both streams; stdout in packets of varying sizes, as a device's snap
                    // commands answer.
                    const int lines = 500 + (n * 37) % 4000;
                    t.start();
                    const ExecResult r
                        = s.execRead("seq " + QByteArray::number(lines) + "; echo err >&2; printf end >&2",
                            QDeadlineTimer(5000));
                    if (!check(i, u"read %1"_s.arg(n), lineCheck(r, lines), t.elapsed(), "ok", "err\nend"))
                        return;
                }
            });
        }
        QVERIFY(pool.waitForDone(QDeadlineTimer(120000)));
    }
    QVERIFY2(failures.isEmpty(), qPrintable(failures.join(u"; "_s)));
    // Each of these takes milliseconds on loopback; one that waited on held output took until
    // its deadline (seconds).
    QVERIFY2(slowest < 1000, qPrintable(u"slowest read %1 ms"_s.arg(slowest)));
}

// Stop reaches a REST read that gets no answer (snapd's socket taking the request and never
// answering): the read ends "cancelled" at once instead of at its deadline, and the session still
// serves the next call.
void TestSshFleet::stopEndsARestRead()
{
    // A socket that accepts (its backlog does) and never speaks, which the target's account
    // (not this one) can reach.
    QTemporaryDir dir;
    QVERIFY(QFile::setPermissions(dir.path(),
        QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadOther | QFile::ExeOther));
    const QByteArray path = QFile::encodeName(dir.path() + u"/silent.sock"_s);
    sockaddr_un addr {};
    addr.sun_family = AF_UNIX;
    QVERIFY(size_t(path.size()) < sizeof addr.sun_path);
    std::memcpy(addr.sun_path, path.constData(), size_t(path.size()));
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    QVERIFY(fd >= 0);
    const auto closeFd = qScopeGuard([fd] { ::close(fd); });
    QVERIFY(::bind(fd, reinterpret_cast<const sockaddr *>(&addr), sizeof addr) == 0);
    QVERIFY(::listen(fd, 8) == 0);
    QVERIFY(::chmod(path.constData(), 0777) == 0);

    QTemporaryDir cfg;
    SshSession s(directOptions(0, cfg));
    QString error;
    QCOMPARE(s.connect(QDeadlineTimer(20000), &error), DeviceStatus::Ok);

    std::atomic_bool cancel = false;
    HttpExchange x; // read after waitForDone
    std::atomic<qint64> tookMs = -1;
    FiberPool pool;
    pool.start([&] {
        QElapsedTimer t;
        t.start();
        x = s.httpOverUnixSocket(path, "GET", "/v2/snaps", {}, QDeadlineTimer(30000), &cancel);
        tookMs = t.elapsed();
    });
    QTest::qWait(500); // the request sent, its answer awaited
    QCOMPARE(tookMs.load(), -1);
    cancel = true;
    pool.interruptWaits();
    QVERIFY(pool.waitForDone(QDeadlineTimer(40000)));
    QVERIFY(!x.completed);
    QCOMPARE(x.error, u"cancelled"_s);
    // Cancelled at 500 ms; under 1 s only interruptWaits ends the wait (it wakes by itself at 2 s).
    QVERIFY2(tookMs < 1000, qPrintable(u"the read ended after %1 ms"_s.arg(tookMs.load())));
    QVERIFY(s.isConnected());
    const ExecResult after = s.exec("echo ok", QDeadlineTimer(20000));
    QVERIFY2(after.completed, qPrintable(after.error));
    QCOMPARE(after.out, QByteArray("ok\n"));
}

QByteArray TestSshFleet::callsSince(int i, qint64 offset) const
{
    QFile log(dirOf(i) + u"/calls.log"_s);
    if (!log.open(QIODevice::ReadOnly) || !log.seek(offset))
        return {};
    return log.readAll();
}

// A restarted console connects anew but remembers (from its inventory cache) how each device
// answers: no dialect detection, and no `snap version` while the deciding snaps are unchanged.
void TestSshFleet::restartKnowsTheFleet()
{
    const Target *snapTarget = firstSnapTarget();
    QVERIFY(snapTarget);
    const Target t = *snapTarget;
    QTemporaryDir cfg;
    QString error;
    DeviceInventory before;
    {
        auto fleet = newFleet(cfg, true);
        QVERIFY(fleet->addHost(t.host, &error));
        const qint64 offset = callsSize(t.index);
        before = refreshAll(*fleet).value(t.name);
        QVERIFY2(before.status == DeviceStatus::Ok, qPrintable(before.error));
        QVERIFY(callsSince(t.index, offset).contains("snap version")); // first contact reads it
        QVERIFY2(fleet->saveInventoryCache(&error), qPrintable(error));
    } // the console quits: every session closes
    const int logins = acceptedLogins(t.index);
    auto fleet = newFleet(cfg, true);
    QVERIFY2(fleet->load(&error), qPrintable(error));
    const qint64 offset = callsSize(t.index);
    const DeviceInventory after = refreshAll(*fleet).value(t.name);
    QVERIFY2(after.status == DeviceStatus::Ok, qPrintable(after.error));
    QVERIFY(acceptedLogins(t.index) > logins); // a new session, not a kept one
    const QByteArray calls = callsSince(t.index, offset);
    QVERIFY2(calls.contains("snap list --all"), calls.constData());
    QVERIFY2(!calls.contains("snap version"), calls.constData());
    QCOMPARE(after.dialect, Dialect::SnapCli);
    QCOMPARE(after.snaps, before.snaps);
    QCOMPARE(after.system.snapdVersion, before.system.snapdVersion);
    QCOMPARE(after.system.kernel, before.system.kernel);
}

// The re-read after a refresh job (FleetService::readDevice, ReadScope::Installed) runs no
// `snap refresh --list` on the device and keeps what the last full read knew of updates.
void TestSshFleet::installedOnlyReadAsksNoStore()
{
    const Target *snapTarget = firstSnapTarget();
    QVERIFY(snapTarget);
    const Target t = *snapTarget;
    QTemporaryDir cfg;
    QString error;
    auto fleet = newFleet(cfg, true);
    QVERIFY(fleet->addHost(t.host, &error));
    qint64 offset = callsSize(t.index);
    const DeviceInventory full = refreshAll(*fleet).value(t.name);
    QVERIFY2(full.status == DeviceStatus::Ok, qPrintable(full.error));
    QVERIFY(callsSince(t.index, offset).contains("snap refresh --list")); // a full read asks
    for (const Snap &s : full.snaps)
        QVERIFY2(s.updateKnowledge != UpdateKnowledge::Unknown, qPrintable(s.name));

    offset = callsSize(t.index);
    std::optional<DeviceInventory> read;
    QVERIFY(fleet->readDevice(t.name, FleetService::ReadScope::Installed, this,
        [&read](const DeviceInventory &inv) { read = inv; }));
    QTRY_VERIFY_WITH_TIMEOUT(read.has_value(), 20000);
    QVERIFY2(read->status == DeviceStatus::Ok, qPrintable(read->error));
    const QByteArray calls = callsSince(t.index, offset);
    QVERIFY2(calls.contains("snap list --all"), calls.constData());
    QVERIFY2(!calls.contains("snap refresh"), calls.constData());
    QCOMPARE(read->snaps, full.snaps); // nothing moved: every update carried over as it was
    QCOMPARE(fleet->inventory(t.name).snaps, full.snaps);
}

void TestSshFleet::unknownHostKeyNeedsAcceptance()
{
    QTemporaryDir cfg;
    auto fleet = newFleet(cfg, false);
    const Target t = m_targets.at(1);
    const QString expected = sshKeygenFingerprint(dirOf(t.index) + u"/host_ed25519.pub"_s);
    const int loginsBefore = acceptedLogins(t.index);

    ConnectProbe p = probe(*fleet, t.host, false);
    QCOMPARE(p.status, DeviceStatus::HostKeyUnknown);
    QCOMPARE(p.hostKey.sha256, expected);
    QVERIFY(p.error.contains(expected));
    QCOMPARE(acceptedLogins(t.index), loginsBefore); // refused before authenticating
    QVERIFY(!QFile::exists(fleet->config().knownHostsFile()));

    p = probe(*fleet, t.host, true);
    QVERIFY2(p.status == DeviceStatus::Ok, qPrintable(p.error));
    QCOMPARE(p.dialect, Dialect::SnapCli);
    QFile known(fleet->config().knownHostsFile());
    QVERIFY(known.open(QIODevice::ReadOnly));
    const QByteArray line = known.readAll();
    QVERIFY(line.contains(QByteArray("[127.0.0.1]:" + QByteArray::number(t.host.ssh.port))));

    // now trusted: a new service on the same config needs no acceptance
    auto again = newFleet(cfg, false);
    p = probe(*again, t.host, false);
    QVERIFY2(p.status == DeviceStatus::Ok, qPrintable(p.error));
}

void TestSshFleet::changedHostKeyIsRefused()
{
    // Trust every target through Canyon's own known_hosts, then rotate one target's key.
    QTemporaryDir cfg;
    auto fleet = newFleet(cfg, false);
    const Target t = m_targets.at(2);
    ConnectProbe p = probe(*fleet, t.host, true);
    QVERIFY2(p.status == DeviceStatus::Ok, qPrintable(p.error));
    const QString oldFp = p.hostKey.sha256;
    QString error;
    QVERIFY(fleet->addHost(t.host, &error));
    fleet.reset(); // drop kept sessions: the next connection sees the new key

    QProcess rotate;
    rotate.start(u"bash"_s,
        { QStringLiteral(CANYON_SOURCE_DIR "/tests/testbed/sshd-targets.sh"), u"rotate-key"_s, m_dir,
            QString::number(t.index) });
    QVERIFY(rotate.waitForFinished(30000));
    QVERIFY2(rotate.exitCode() == 0, rotate.readAllStandardError().constData());
    m_rotated = t.index;
    const QString newFp = sshKeygenFingerprint(dirOf(t.index) + u"/host_ed25519.pub"_s);
    QVERIFY(newFp != oldFp);

    QFile known(cfg.path() + u"/known_hosts"_s);
    QVERIFY(known.open(QIODevice::ReadOnly));
    const QByteArray knownBefore = known.readAll();
    known.close();
    const int loginsBefore = acceptedLogins(t.index);

    fleet = newFleet(cfg, false);
    QVERIFY(fleet->load(&error));
    const auto results = refreshAll(*fleet);
    const DeviceInventory inv = results.value(t.name);
    QCOMPARE(inv.status, DeviceStatus::HostKeyChanged);
    QCOMPARE(inv.hostKey.sha256, newFp);
    QCOMPARE(inv.hostKey.knownSha256, oldFp);
    QVERIFY(inv.error.contains(oldFp) && inv.error.contains(newFp));
    QVERIFY(inv.snaps.isEmpty());
    // accepting new keys never overrides a changed one
    p = probe(*fleet, t.host, true);
    QCOMPARE(p.status, DeviceStatus::HostKeyChanged);
    // nothing ran there and the trust store is untouched
    QCOMPARE(acceptedLogins(t.index), loginsBefore);
    QVERIFY(known.open(QIODevice::ReadOnly));
    QCOMPARE(known.readAll(), knownBefore);
}

// Hashed names (ssh-keygen -H; Debian hashes ~/.ssh/known_hosts by default) are trusted like
// plain ones. A key marked "@revoked" is refused even beside a line that trusts it, before any
// login.
void TestSshFleet::hashedAndRevokedKnownHosts()
{
    const Target t = m_targets.at(3);
    const QByteArray name = "[127.0.0.1]:" + QByteArray::number(t.host.ssh.port);
    QByteArray entry; // the target's line in the testbed's known_hosts
    {
        QFile f(m_knownHosts);
        QVERIFY(f.open(QIODevice::ReadOnly));
        for (const QByteArray &line : f.readAll().split('\n'))
            if (line.startsWith(QByteArray(name + ' ')))
                entry = line;
    }
    QVERIFY2(!entry.isEmpty(), name.constData());
    QTemporaryDir dir;
    const QString user = dir.filePath(u"known_hosts"_s);
    {
        QFile f(user);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(entry + '\n');
    }
    QProcess hash;
    hash.start(u"ssh-keygen"_s, { u"-q"_s, u"-H"_s, u"-f"_s, user });
    QVERIFY(hash.waitForFinished(10000));
    QCOMPARE(hash.exitCode(), 0);
    {
        QFile f(user);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray hashed = f.readAll();
        QVERIFY2(hashed.startsWith("|1|") && !hashed.contains(name), hashed.constData());
    }
    SshOptions o;
    o.target = t.host.ssh;
    o.identityFile = m_key;
    o.knownHostsFile = dir.filePath(u"canyon_known_hosts"_s);
    o.userKnownHostsFile = user;
    o.sshConfigFile = u"none"_s;
    o.useAgent = false;
    QString error;
    {
        SshSession s(o);
        QVERIFY2(s.connect(QDeadlineTimer(20000), &error) == DeviceStatus::Ok, qPrintable(error));
    }
    QVERIFY(!QFile::exists(o.knownHostsFile)); // trusted as it was: nothing recorded

    {
        QFile f(user);
        QVERIFY(f.open(QIODevice::Append));
        f.write("@revoked " + entry + '\n');
    }
    const int loginsBefore = acceptedLogins(t.index);
    o.acceptNewHostKey = true; // accepting new keys does not reach a revoked one
    SshSession s(o);
    QCOMPARE(s.connect(QDeadlineTimer(20000), &error), DeviceStatus::HostKeyChanged);
    QVERIFY2(error.contains(u"@revoked"_s) && error.contains(s.hostKey().sha256), qPrintable(error));
    QCOMPARE(acceptedLogins(t.index), loginsBefore);
    QVERIFY(!QFile::exists(o.knownHostsFile));
}

// checkKnownHost against the real thing: for each pair of files, libssh's own
// ssh_session_is_known_server() on a live connection to a real sshd gives the same verdict.
void TestSshFleet::knownHostsVerdictsMatchLibssh()
{
    const Target t = m_targets.at(4);
    const QByteArray name = "[127.0.0.1]:" + QByteArray::number(t.host.ssh.port);
    QByteArray real; // "type base64" of the target's key, from the testbed's known_hosts
    {
        QFile f(m_knownHosts);
        QVERIFY(f.open(QIODevice::ReadOnly));
        for (const QByteArray &line : f.readAll().split('\n'))
            if (line.startsWith(QByteArray(name + ' ')))
                real = line.mid(name.size() + 1).trimmed();
    }
    QVERIFY(!real.isEmpty());
    auto keyText = [](ssh_keytypes_e type, int bits) {
        ssh_key k = nullptr;
        char *b64 = nullptr;
        if (ssh_pki_generate(type, bits, &k) != SSH_OK || ssh_pki_export_pubkey_base64(k, &b64) != SSH_OK)
            return QByteArray();
        const QByteArray text = QByteArray(ssh_key_type_to_char(ssh_key_type(k))) + ' ' + b64;
        ssh_string_free_char(b64);
        ssh_key_free(k);
        return text;
    };
    const QByteArray other = keyText(SSH_KEYTYPE_ED25519, 0), ecdsa = keyText(SSH_KEYTYPE_ECDSA_P256, 256);
    QVERIFY(!other.isEmpty() && !ecdsa.isEmpty());
    const QByteArray salt = QByteArray::fromHex("0102030405060708090a0b0c0d0e0f1011121314");
    const QByteArray hashed = "|1|" + salt.toBase64() + '|'
        + QMessageAuthenticationCode::hash(name, salt, QCryptographicHash::Sha1).toBase64();
    const QByteArray pattern = "[127.0.0.*]:" + QByteArray::number(t.host.ssh.port);
    struct Row
    {
        const char *what;
        QByteArray canyon, user;
    };
    const QList<Row> rows = {
        { "known in Canyon's file", name + ' ' + real, "" },
        { "changed", name + ' ' + other, "" },
        { "other type", name + ' ' + ecdsa, "" },
        { "unknown", "", "" },
        { "another host only", "[127.0.0.1]:1 " + other, "127.0.0.1 " + other },
        { "hashed in the user's file", "", hashed + ' ' + real },
        { "changed, known in the user's file", name + ' ' + other, name + ' ' + real },
        { "changed, the user's file silent", name + ' ' + other, "[127.0.0.1]:1 " + real },
        { "pattern, changed", pattern + ' ' + other, "" },
        { "in a list", "a.example," + name + " " + real, "" },
        { "indented by a tab", '\t' + name + ' ' + other, "" },
        { "garbage and comments", "# " + name + ' ' + other + "\n\n" + name + ' ' + ecdsa, "" },
    };
    QTemporaryDir dir;
    const QString canyonFile = dir.filePath(u"canyon"_s), userFile = dir.filePath(u"user"_s);
    for (const Row &row : rows) {
        for (const auto &[path, text] :
            { std::pair { canyonFile, row.canyon }, std::pair { userFile, row.user } }) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(text + '\n');
        }
        ssh_session s = ssh_new();
        QVERIFY(s);
        auto done = qScopeGuard([s] {
            ssh_disconnect(s);
            ssh_free(s);
        });
        const unsigned int port = unsigned(t.host.ssh.port);
        bool no = false;
        ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &no);
        ssh_options_set(s, SSH_OPTIONS_HOST, "127.0.0.1");
        ssh_options_set(s, SSH_OPTIONS_PORT, &port);
        ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, QFile::encodeName(canyonFile).constData());
        ssh_options_set(s, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, QFile::encodeName(userFile).constData());
        QVERIFY2(ssh_connect(s) == SSH_OK, ssh_get_error(s));
        const ssh_known_hosts_e libssh = ssh_session_is_known_server(s);
        ssh_key key = nullptr;
        QVERIFY(ssh_get_server_publickey(s, &key) == SSH_OK);
        HostKeyInfo known;
        QString error;
        const KnownHostVerdict ours = checkKnownHost(
            knownHostsName("127.0.0.1", port), key, { canyonFile, userFile }, &known, &error);
        ssh_key_free(key);
        const KnownHostVerdict expected = libssh == SSH_KNOWN_HOSTS_OK ? KnownHostVerdict::Known
            : libssh == SSH_KNOWN_HOSTS_CHANGED                        ? KnownHostVerdict::Changed
            : libssh == SSH_KNOWN_HOSTS_OTHER                          ? KnownHostVerdict::OtherType
            : libssh == SSH_KNOWN_HOSTS_ERROR                          ? KnownHostVerdict::Error
                                                                       : KnownHostVerdict::Unknown;
        QVERIFY2(ours == expected, row.what);
    }
}

void TestSshFleet::unreachableAndAuthFailures()
{
    QTemporaryDir cfg;
    auto fleet = newFleet(cfg, true);
    // a loopback port where nothing listens
    QTcpServer probePort;
    QVERIFY(probePort.listen(QHostAddress::LocalHost));
    const int deadPort = probePort.serverPort();
    probePort.close();
    HostConfig dead;
    dead.name = u"dead"_s;
    dead.identityFile = m_key;
    dead.ssh = { u"canyon-t"_s, u"127.0.0.1"_s, deadPort };
    HostConfig wrongKey = m_targets.at(0).host;
    wrongKey.name = u"wrongkey"_s;
    QTemporaryDir keys;
    QProcess gen;
    gen.start(
        u"ssh-keygen"_s, { u"-q"_s, u"-t"_s, u"ed25519"_s, u"-N"_s, u""_s, u"-f"_s, keys.path() + u"/k"_s });
    QVERIFY(gen.waitForFinished());
    wrongKey.identityFile = keys.path() + u"/k"_s;
    QString error;
    QVERIFY(fleet->addHost(dead, &error));
    QVERIFY(fleet->addHost(wrongKey, &error));
    QVERIFY(fleet->addHost(m_targets.at(0).host, &error));
    QElapsedTimer clock;
    clock.start();
    const auto results = refreshAll(*fleet);
    QVERIFY(clock.elapsed() < 15000);
    QCOMPARE(results.value(u"dead"_s).status, DeviceStatus::Unreachable);
    QVERIFY(!results.value(u"dead"_s).reachable);
    QVERIFY(results.value(u"dead"_s).error.contains(QString::number(deadPort)));
    QCOMPARE(results.value(u"wrongkey"_s).status, DeviceStatus::AuthFailed);
    // one bad device never spoils another's row
    QCOMPARE(results.value(m_targets.at(0).name).status, DeviceStatus::Ok);
    QVERIFY(!results.value(m_targets.at(0).name).snaps.isEmpty());
}

// This process's TCP connections to port on the peer (from /proc/net/tcp{,6}, matched to its
// descriptors by inode): for each, whether it is close-on-exec.
static QList<bool> socketsCloseOnExecTo(quint16 port)
{
    QSet<QByteArray> inodes;
    for (const QString &table : { u"/proc/net/tcp"_s, u"/proc/net/tcp6"_s }) {
        QFile f(table);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        f.readLine(); // the header
        while (!f.atEnd()) {
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
            const QList<QByteArray> fields = f.readLine().simplified().split(' ');
            if (fields.size() < 10)
                continue;
            const QByteArray remote = fields.at(2);
            bool ok = false;
            if (remote.mid(remote.indexOf(':') + 1).toUShort(&ok, 16) == port && ok)
                inodes.insert(fields.at(9));
        }
    }
    QList<bool> result;
    const QDir fds(u"/proc/self/fd"_s);
    for (const QString &name : fds.entryList(QDir::NoDotAndDotDot | QDir::System | QDir::Files)) {
        const QString target = QFile::symLinkTarget(fds.filePath(name));
        // "socket:[INODE]" (symLinkTarget may prefix a directory)
        const qsizetype at = target.indexOf(u"socket:["_s);
        if (at < 0 || !inodes.contains(target.mid(at + 8).chopped(1).toLatin1()))
            continue;
        const int flags = fcntl(name.toInt(), F_GETFD);
        if (flags >= 0)
            result.append(flags & FD_CLOEXEC);
    }
    return result;
}

void TestSshFleet::connectsByNameAndLeavesNoSocket()
{
    // "localhost", not an address: looked up off the fiber loop, and each of its addresses tried
    // (sshd listens on 127.0.0.1 only, and the name may give ::1 first). The sockets are
    // close-on-exec while open, and gone with the fleet.
    const Target &target = m_targets.at(0);
    QFile known(m_knownHosts);
    QVERIFY(known.open(QIODevice::ReadOnly));
    const QByteArray ip = "[127.0.0.1]:" + QByteArray::number(target.host.ssh.port) + ' ';
    QByteArray byName;
    for (const QByteArray &line : known.readAll().split('\n')) {
        if (line.startsWith(ip))
            byName += "[localhost]:" + line.mid(int(qstrlen("[127.0.0.1]:"))) + '\n';
    }
    QVERIFY(!byName.isEmpty());
    const quint16 port = target.host.ssh.port;
    const qsizetype socketsBefore = socketsCloseOnExecTo(port).size();
    {
        QTemporaryDir cfg;
        auto fleet = newFleet(cfg, true);
        QFile user(cfg.path() + u"/user_known_hosts"_s);
        QVERIFY(user.open(QIODevice::WriteOnly));
        user.write(byName);
        user.close();
        fleet->setUserKnownHostsFile(user.fileName());
        HostConfig host = target.host;
        host.name = u"byname"_s;
        host.ssh.host = u"localhost"_s;
        QString error;
        QVERIFY(fleet->addHost(host, &error));
        const auto results = refreshAll(*fleet);
        QCOMPARE(results.value(u"byname"_s).status, DeviceStatus::Ok);
        QVERIFY(!results.value(u"byname"_s).snaps.isEmpty());
        const QList<bool> open = socketsCloseOnExecTo(port); // the session is kept for the next refresh
        QCOMPARE(open.size(), socketsBefore + 1);
        QVERIFY(!open.contains(false));
    }
    QCOMPARE(socketsCloseOnExecTo(port).size(), socketsBefore);
}

void TestSshFleet::encryptedKeyAgentAndConfigAlias()
{
    // A passphrase-protected key authorised on the targets for this test only.
    QTemporaryDir keys;
    const QString key = keys.path() + u"/enc"_s;
    QProcess gen;
    gen.start(u"ssh-keygen"_s, { u"-q"_s, u"-t"_s, u"ed25519"_s, u"-N"_s, u"open sesame"_s, u"-f"_s, key });
    QVERIFY(gen.waitForFinished());
    QCOMPARE(gen.exitCode(), 0);
    QFile pub(key + u".pub"_s);
    QVERIFY(pub.open(QIODevice::ReadOnly));
    const QByteArray pubLine = pub.readAll();
    QFile authorized(m_dir + u"/keys/"_s + env("CANYON_SSHD_USER"));
    QVERIFY(authorized.open(QIODevice::ReadOnly));
    const QByteArray authorizedBefore = authorized.readAll();
    authorized.close();
    QVERIFY(authorized.open(QIODevice::Append));
    authorized.write(pubLine);
    authorized.close();
    auto restore = qScopeGuard([&] {
        if (authorized.open(QIODevice::WriteOnly | QIODevice::Truncate))
            authorized.write(authorizedBefore);
    });

    QTemporaryDir cfg;
    auto fleet = newFleet(cfg, true);
    HostConfig h = m_targets.at(0).host;
    h.identityFile = key;
    ConnectProbe p = probe(*fleet, h, false);
    QCOMPARE(p.status, DeviceStatus::AuthFailed);
    QVERIFY(p.needsPassphrase);
    p = probe(*fleet, h, false, AuthSecrets { QString(), u"wrong"_s });
    QCOMPARE(p.status, DeviceStatus::AuthFailed);
    QVERIFY(p.needsPassphrase);
    QVERIFY(p.error.contains(u"passphrase"_s));
    p = probe(*fleet, h, false, AuthSecrets { QString(), u"open sesame"_s });
    QVERIFY2(p.status == DeviceStatus::Ok, qPrintable(p.error));
    QVERIFY(!p.inventory.snaps.isEmpty());

    // ssh-agent holding the key: no identity file, no passphrase
    QProcess agent;
    agent.start(u"ssh-agent"_s, { u"-s"_s });
    QVERIFY(agent.waitForFinished());
    const QString agentOut = QString::fromUtf8(agent.readAllStandardOutput());
    const QRegularExpressionMatch sock = QRegularExpression(u"SSH_AUTH_SOCK=([^;]+);"_s).match(agentOut);
    const QRegularExpressionMatch pid = QRegularExpression(u"SSH_AGENT_PID=(\\d+);"_s).match(agentOut);
    QVERIFY(sock.hasMatch() && pid.hasMatch());
    auto killAgent = qScopeGuard([&] { QProcess::execute(u"kill"_s, { pid.captured(1) }); });
    const QByteArray oldSock = qgetenv("SSH_AUTH_SOCK");
    qputenv("SSH_AUTH_SOCK", sock.captured(1).toUtf8());
    auto restoreSock = qScopeGuard([&] { qputenv("SSH_AUTH_SOCK", oldSock); });
    QProcess add;
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    e.insert(u"SSH_AUTH_SOCK"_s, sock.captured(1));
    e.insert(u"SSH_ASKPASS"_s, keys.path() + u"/askpass"_s);
    e.insert(u"SSH_ASKPASS_REQUIRE"_s, u"force"_s);
    e.insert(u"DISPLAY"_s, u":0"_s);
    QFile askpass(keys.path() + u"/askpass"_s);
    QVERIFY(askpass.open(QIODevice::WriteOnly));
    askpass.write("#!/bin/sh\necho 'open sesame'\n");
    askpass.close();
    askpass.setPermissions(QFile::ReadOwner | QFile::ExeOwner);
    add.setProcessEnvironment(e);
    add.start(u"ssh-add"_s, { key });
    QVERIFY(add.waitForFinished());
    QVERIFY2(add.exitCode() == 0, add.readAllStandardError().constData());
    h.identityFile.clear();
    h.name = u"via-agent"_s;
    p = probe(*fleet, h, false);
    QVERIFY2(p.status == DeviceStatus::Ok, qPrintable(p.error));

    // an ~/.ssh/config alias: host, port, user and key all come from the config file
    QFile sshConfig(cfg.path() + u"/ssh_config"_s);
    QVERIFY(sshConfig.open(QIODevice::WriteOnly));
    sshConfig.write("Host fleet-alias\n  HostName 127.0.0.1\n  Port "
        + QByteArray::number(m_targets.at(0).host.ssh.port) + "\n  User " + env("CANYON_SSHD_USER").toUtf8()
        + "\n  IdentityFile " + m_key.toUtf8() + "\n");
    sshConfig.close();
    qputenv("SSH_AUTH_SOCK", QByteArray()); // prove the key comes from the config, not the agent
    fleet->setSshConfigFile(sshConfig.fileName());
    HostConfig alias;
    alias.name = u"alias"_s;
    QString error;
    QVERIFY(SshTarget::parse(u"fleet-alias"_s, &alias.ssh, &error));
    p = probe(*fleet, alias, false);
    QVERIFY2(p.status == DeviceStatus::Ok, qPrintable(p.error));
    QCOMPARE(p.dialect, Dialect::SnapCli);
}

// The password path against a real sshd that takes passwords only (tests/testbed devpw).
void TestSshFleet::passwordAuthentication()
{
    CANYON_NEED_ENV("CANYON_SSHD_PASSWORD_TARGET");
    QFile pwFile(env("CANYON_SSHD_PASSWORD_FILE"));
    QVERIFY(pwFile.open(QIODevice::ReadOnly));
    const QString password = QString::fromUtf8(pwFile.readAll().trimmed());
    QVERIFY(password.size() >= 16);
    HostConfig h;
    h.name = u"pw"_s;
    QString error;
    QVERIFY2(SshTarget::parse(env("CANYON_SSHD_PASSWORD_TARGET"), &h.ssh, &error), qPrintable(error));
    QTemporaryDir cfg;
    auto fleet = newFleet(cfg, true);

    ConnectProbe p = probe(*fleet, h, false); // no password: the server takes nothing else
    QCOMPARE(p.status, DeviceStatus::AuthFailed);
    QVERIFY(!p.error.isEmpty());
    p = probe(*fleet, h, false, AuthSecrets { u"not-"_s + password, {} });
    QCOMPARE(p.status, DeviceStatus::AuthFailed);
    p = probe(*fleet, h, false, AuthSecrets { password, {} });
    QVERIFY2(p.status == DeviceStatus::Ok, qPrintable(p.error));
    QCOMPARE(p.dialect, Dialect::SnapCli);

    QVERIFY2(fleet->addHost(h, &error), qPrintable(error));
    fleet->setSecrets(h.name, AuthSecrets { password, {} });
    const DeviceInventory inv = refreshAll(*fleet).value(h.name);
    QVERIFY2(inv.status == DeviceStatus::Ok, qPrintable(inv.error));
    QVERIFY(!inv.snaps.isEmpty());
    QVERIFY(fleet->saveInventoryCache(&error));

    // Nothing Canyon wrote holds the password (QUALITY.md R8).
    int files = 0;
    QDirIterator it(cfg.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY2(!f.readAll().contains(password.toUtf8()), qPrintable(f.fileName()));
        ++files;
    }
    QVERIFY(files > 0); // the hosts file and the cache were written and searched
}

void TestSshFleet::canyonctlContract()
{
    const QString ctl = QStringLiteral(CANYON_BINARY_DIR "/app/canyonctl");
    QVERIFY(QFile::exists(ctl));
    QTemporaryDir cfg;
    auto run = [&](QStringList args, int *code, QByteArray *err = nullptr) {
        QProcess p;
        p.start(ctl,
            QStringList { u"--config"_s, cfg.path(), u"--ssh-config"_s, u"none"_s, u"--known-hosts"_s,
                cfg.path() + u"/none"_s }
                + args);
        p.waitForFinished(60000);
        *code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        if (err)
            *err = p.readAllStandardError();
        return p.readAllStandardOutput();
    };
    int code = 0;
    QByteArray err;
    const Target a = m_targets.at(3);
    const QString addr = a.host.ssh.toString();
    // unknown key, not accepted: exit 2 with the fingerprint
    run({ u"hosts"_s, u"add"_s, u"a"_s, u"--ssh"_s, addr, u"--identity"_s, m_key }, &code, &err);
    QVERIFY2(code == 2, qPrintable(u"exit %1: "_s.arg(code) + QString::fromUtf8(err)));
    QVERIFY(err.contains("SHA256:"));
    run({ u"hosts"_s, u"add"_s, u"a"_s, u"--ssh"_s, addr, u"--identity"_s, m_key,
            u"--accept-new-host-key"_s },
        &code, &err);
    QVERIFY2(code == 0, err.constData());
    // the snappy target too
    const Target *snappy = nullptr;
    for (const Target &t : std::as_const(m_targets))
        if (t.dialect == u"snappy") {
            snappy = &t;
            break;
        }
    QVERIFY(snappy);
    run({ u"hosts"_s, u"add"_s, u"old"_s, u"--ssh"_s, snappy->host.ssh.toString(), u"--identity"_s, m_key,
            u"--accept-new-host-key"_s },
        &code, &err);
    QVERIFY2(code == 0, err.constData());
    QByteArray out = run({ u"hosts"_s, u"list"_s, u"--json"_s }, &code, &err);
    QVERIFY2(code == 0, qPrintable(u"exit %1: "_s.arg(code) + QString::fromUtf8(err)));
    QCOMPARE(QJsonDocument::fromJson(out).array().size(), 2);

    out = run({ u"inventory"_s, u"--json"_s }, &code, &err);
    QVERIFY2(code == 0, err.constData());
    const QJsonArray arr = QJsonDocument::fromJson(out).array();
    QCOMPARE(arr.size(), 2);
    QHash<QString, QJsonObject> byHost;
    for (const QJsonValue &v : arr)
        byHost.insert(v.toObject().value(u"host"_s).toString(), v.toObject());
    QCOMPARE(byHost.value(u"a"_s).value(u"dialect"_s).toString(), u"snap"_s);
    QCOMPARE(byHost.value(u"old"_s).value(u"dialect"_s).toString(), u"snappy"_s);
    for (const QJsonObject &o : std::as_const(byHost)) {
        QCOMPARE(o.value(u"reachable"_s).toBool(), true);
        QCOMPARE(o.value(u"status"_s).toString(), u"ok"_s);
        QVERIFY(o.value(u"error"_s).isNull());
        QVERIFY(o.value(u"system"_s).isObject());
        const QJsonArray snaps = o.value(u"snaps"_s).toArray();
        QVERIFY(!snaps.isEmpty());
        for (const QJsonValue &s : snaps)
            for (const char *k : { "name", "version", "revision", "channel", "active", "notes" })
                QVERIFY2(s.toObject().contains(QLatin1StringView(k)), k);
    }
    // unknown name: usage error
    run({ u"inventory"_s, u"nope"_s }, &code, &err);
    QVERIFY2(code == 2, qPrintable(u"exit %1: "_s.arg(code) + QString::fromUtf8(err)));
    QVERIFY(err.contains("nope"));
    // a failing host: exit 1, JSON still lists every host
    run({ u"hosts"_s, u"add"_s, u"gone"_s, u"--ssh"_s, u"canyon-t@127.0.0.1:1"_s, u"--offline"_s }, &code,
        &err);
    QVERIFY2(code == 0, qPrintable(u"exit %1: "_s.arg(code) + QString::fromUtf8(err)));
    out = run({ u"inventory"_s, u"--json"_s, u"--timeout"_s, u"5"_s }, &code, &err);
    QVERIFY2(code == 1, qPrintable(u"exit %1: "_s.arg(code) + QString::fromUtf8(err)));
    QCOMPARE(QJsonDocument::fromJson(out).array().size(), 3);
    QVERIFY(!err.isEmpty());
    {
        // Both streams into one file (a script's "> log 2>&1"): the whole JSON, then the reason.
        const QString both = cfg.path() + u"/both.log"_s;
        QProcess p;
        p.setStandardOutputFile(both, QIODevice::Append);
        p.setStandardErrorFile(both, QIODevice::Append);
        p.start(ctl,
            { u"--config"_s, cfg.path(), u"--ssh-config"_s, u"none"_s, u"--known-hosts"_s,
                cfg.path() + u"/none"_s, u"inventory"_s, u"--json"_s, u"--timeout"_s, u"5"_s });
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 1);
        QFile f(both);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        const qsizetype reason = text.lastIndexOf("\ncanyonctl: 1 of 3 hosts failed");
        QVERIFY2(reason > 0 && text.endsWith("hosts failed\n"), text.right(300).constData());
        QCOMPARE(QJsonDocument::fromJson(text.left(reason)).array().size(), 3);
    }
    run({ u"hosts"_s, u"remove"_s, u"gone"_s }, &code, &err);
    QVERIFY2(code == 0, qPrintable(u"exit %1: "_s.arg(code) + QString::fromUtf8(err)));
    out = run({ u"inventory"_s, u"a"_s, u"--dialect"_s, u"snappy"_s, u"--json"_s }, &code, &err);
    QVERIFY2(code == 1,
        qPrintable(u"exit %1: "_s.arg(code)
            + QString::fromUtf8(err))); // forced snappy on a snap device: unsupported there
    QCOMPARE(QJsonDocument::fromJson(out).array().at(0).toObject().value(u"status"_s).toString(),
        u"unsupported"_s);
}

void TestSshFleet::cleanupTestCase()
{
    if (m_rotated >= 0) {
        // leave the shared testbed as we found it: the old key is gone, so re-record the new one
        QProcess p;
        p.start(u"ssh-keygen"_s,
            { u"-R"_s, u"[127.0.0.1]:%1"_s.arg(m_targets.at(m_rotated).host.ssh.port), u"-f"_s,
                m_knownHosts });
        p.waitForFinished();
        QFile pub(dirOf(m_rotated) + u"/host_ed25519.pub"_s);
        QFile known(m_knownHosts);
        if (pub.open(QIODevice::ReadOnly) && known.open(QIODevice::Append)) {
            const QList<QByteArray> parts = pub.readAll().trimmed().split(' ');
            known.write("[127.0.0.1]:" + QByteArray::number(m_targets.at(m_rotated).host.ssh.port) + ' '
                + parts.value(0) + ' ' + parts.value(1) + '\n');
        }
    }
}

QTEST_GUILESS_MAIN(TestSshFleet)
#include "tst_sshfleet.moc"
