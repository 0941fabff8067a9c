// SPDX-License-Identifier: GPL-3.0-or-later
// No leaks under churn (QUALITY.md R7): 1,000 SSH connect/disconnect cycles against the real
// sshd targets of the testbed, and events-websocket reconnects against the real LXD daemon.
// Open file descriptors may grow by at most 5 and resident memory stays within a stated bound.
#include "TestbedEnv.h"
#include "lxd/LxdClient.h"
#include "lxd/LxdClientCertificate.h"
#include "lxd/LxdEventStream.h"
#include "ssh/SshSession.h"

#include <QDir>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace Qt::StringLiterals;
using namespace canyon;

namespace {

int openFds()
{
    return int(QDir(u"/proc/self/fd"_s).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).size());
}

qint64 rssKiB()
{
    QFile f(u"/proc/self/statm"_s);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> parts = f.readAll().split(' ');
    return parts.size() > 1 ? parts.at(1).toLongLong() * (sysconf(_SC_PAGESIZE) / 1024) : -1;
}

constexpr int kMaxFdGrowth = 5;
// Resident memory may move by allocator noise (malloc arenas of the worker threads, Qt's
// caches) but not grow with the number of cycles: 1,000 leaked sessions would be far more.
constexpr qint64 kMaxRssGrowthKiB = 8 * 1024;

} // namespace

class TestChurn : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sshConnectDisconnect();
    void eventWebsocketReconnects();
};

void TestChurn::sshConnectDisconnect()
{
    CANYON_NEED_ENV("CANYON_SSHD_BASEPORT");
    CANYON_NEED_ENV("CANYON_SSHD_KEY");
    QTemporaryDir cfg;
    const QString known = cfg.path() + u"/known_hosts"_s;
    QVERIFY(QFile::copy(testbed::env("CANYON_SSHD_KNOWN_HOSTS"), known));
    const int base = testbed::env("CANYON_SSHD_BASEPORT").toInt();
    auto optionsFor = [&](int target) {
        SshOptions o;
        o.target = { testbed::env("CANYON_SSHD_USER"), u"127.0.0.1"_s, base + 10 + target };
        o.identityFile = testbed::env("CANYON_SSHD_KEY");
        o.knownHostsFile = known;
        o.userKnownHostsFile = cfg.path() + u"/none"_s;
        o.sshConfigFile = u"none"_s;
        o.useAgent = false;
        o.kex = u"curve25519-sha256"_s;
        return o;
    };
    // Four workers on four targets (sshd's fork+auth per connection is the cost): every cycle
    // is a new session that connects, authenticates and disconnects; every 10th runs a command.
    const int threads = 4;
    std::atomic_int failures { 0 }, done { 0 };
    QString firstError;
    std::mutex errorMutex;
    auto churn = [&](int cycles) {
        std::vector<std::thread> workers;
        for (int w = 0; w < threads; ++w)
            workers.emplace_back([&, w] {
                for (int i = w; i < cycles; i += threads) {
                    SshSession s(optionsFor(w));
                    QString error;
                    const QDeadlineTimer deadline(15000);
                    bool ok = s.connect(deadline, &error) == DeviceStatus::Ok;
                    if (ok && i % 10 == 0) {
                        const ExecResult r = s.exec("echo churn", deadline);
                        ok = r.completed && r.exitCode == 0 && r.out == "churn\n";
                        if (!ok)
                            error = u"exec: "_s + r.error;
                    }
                    s.disconnect();
                    if (!ok && failures++ == 0) {
                        std::lock_guard lock(errorMutex);
                        firstError = error;
                    }
                    ++done;
                }
            });
        for (std::thread &t : workers)
            t.join();
    };
    const int warmup = 40, cycles = 1000;
    churn(warmup); // libssh/OpenSSL initialise once; the allocator settles
    const int fds0 = openFds();
    const qint64 rss0 = rssKiB();
    QElapsedTimer t;
    t.start();
    churn(cycles);
    const qint64 ms = t.elapsed();
    const int fds1 = openFds();
    const qint64 rss1 = rssKiB();
    qInfo("ssh churn: %d cycles in %lld ms, %d failed; fds %d -> %d; RSS %lld -> %lld KiB", cycles, ms,
        failures.load(), fds0, fds1, rss0, rss1);
    QCOMPARE(done.load(), warmup + cycles);
    QVERIFY2(failures.load() == 0, qPrintable(firstError));
    QVERIFY2(fds1 - fds0 <= kMaxFdGrowth, qPrintable(u"fds grew from %1 to %2"_s.arg(fds0).arg(fds1)));
    QVERIFY2(rss1 - rss0 <= kMaxRssGrowthKiB, qPrintable(u"RSS grew by %1 KiB"_s.arg(rss1 - rss0)));
}

void TestChurn::eventWebsocketReconnects()
{
    CANYON_NEED_ENV("CANYON_LXD_HTTPS");
    CANYON_NEED_ENV("CANYON_LXD_DIR");
    CANYON_NEED_ENV("CANYON_LXD_TRUST_PASSWORD");
    const QUrl url(u"https://"_s + testbed::env("CANYON_LXD_HTTPS"));
    const auto certs = QSslCertificate::fromPath(testbed::env("CANYON_LXD_DIR") + u"/server.crt"_s);
    QCOMPARE(certs.size(), 1);
    const QString pin = QString::fromLatin1(certs.first().digest(QCryptographicHash::Sha256).toHex());
    QTemporaryDir cfg;
    LxdClientCertificate identity;
    QString error;
    QVERIFY2(LxdClientCertificate::ensure(cfg.path(), &identity, &error), qPrintable(error));
    {
        LxdClient client(url, pin, identity);
        bool trusted = false;
        LxdResult res;
        client.trust(testbed::env("CANYON_LXD_TRUST_PASSWORD"), [&](const LxdResult &r) {
            res = r;
            trusted = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(trusted, 20000);
        QVERIFY2(res.ok(), qPrintable(res.error));
    }
    LxdClient client(url, pin, identity);

    // One stream, stopped and started again (a reconnect through the real handshake each time),
    // plus a fresh stream object per round (what closing and reopening a host view does).
    LxdEventStream stream(url, pin, client.sslConfiguration());
    auto connectOnce = [](LxdEventStream &s) {
        QSignalSpy changed(&s, &LxdEventStream::stateChanged);
        s.start();
        QElapsedTimer t;
        t.start();
        while (s.state() != LxdEventStream::State::Connected && t.elapsed() < 10000)
            changed.wait(200);
        const bool ok = s.state() == LxdEventStream::State::Connected;
        s.stop();
        return ok;
    };
    auto round = [&](int n) {
        for (int i = 0; i < n; ++i) {
            if (!connectOnce(stream))
                return false;
            LxdEventStream fresh(url, pin, client.sslConfiguration());
            if (!connectOnce(fresh))
                return false;
        }
        QCoreApplication::processEvents();
        QTest::qWait(50); // deleteLater'd sockets go
        return true;
    };
    QVERIFY(round(10));
    const int fds0 = openFds();
    const qint64 rss0 = rssKiB();
    QElapsedTimer t;
    t.start();
    const int rounds = 150; // 300 websocket connects
    QVERIFY(round(rounds));
    const qint64 ms = t.elapsed();
    const int fds1 = openFds();
    const qint64 rss1 = rssKiB();
    qInfo("websocket churn: %d connects in %lld ms; fds %d -> %d; RSS %lld -> %lld KiB", 2 * rounds, ms, fds0,
        fds1, rss0, rss1);
    QVERIFY2(fds1 - fds0 <= kMaxFdGrowth, qPrintable(u"fds grew from %1 to %2"_s.arg(fds0).arg(fds1)));
    QVERIFY2(rss1 - rss0 <= kMaxRssGrowthKiB, qPrintable(u"RSS grew by %1 KiB"_s.arg(rss1 - rss0)));
}

QTEST_GUILESS_MAIN(TestChurn)
#include "tst_churn.moc"
