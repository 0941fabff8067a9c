// SPDX-License-Identifier: GPL-3.0-or-later
// Slow and hung servers (QUALITY.md R6) through the real code paths: our own loopback
// responders (fault injection) behave like a broken SSH or HTTPS server - they accept and never
// speak, trickle one byte at a time, cut the banner, stall the TLS handshake or cut the body.
// Every operation must end by its deadline with a classified error, and 199 healthy simulated
// devices (canyon-fleetsim) refreshed in the same job must finish on time.
#include "SimServer.h"
#include "SimulatorProcess.h"
#include "TestbedEnv.h"
#include "fleet/FleetService.h"
#include "lxd/LxdClient.h"
#include "lxd/LxdClientCertificate.h"
#include "ssh/SshSession.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QProcess>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <arpa/inet.h>
#include <atomic>
#include <memory>
#include <mutex>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace Qt::StringLiterals;
using namespace canyon;

namespace {

// A loopback server that misbehaves in one way. Each connection is served on its own thread
// until the responder is destroyed.
class Responder
{
public:
    enum class Mode {
        Silent, // accepts, reads, never writes (also: a TLS handshake that never gets an answer)
        Trickle, // an SSH banner and then packet bytes, one byte every 200 ms, forever
        TruncatedBanner, // half an SSH banner, then closes
        TlsBodyStall, // TLS ok, headers with Content-Length 100000, part of the body, then silence
        TlsBodyCut, // the same, then the TCP connection closes (no close_notify): a cut answer
    };

    Responder(
        Mode mode, const QByteArray &certFile = {}, const QByteArray &keyFile = {}, QByteArray body = {})
        : m_mode(mode)
        , m_body(std::move(body))
    {
        if (!certFile.isEmpty()) {
            m_ctx = SSL_CTX_new(TLS_server_method());
            if (SSL_CTX_use_certificate_file(m_ctx, certFile.constData(), SSL_FILETYPE_PEM) != 1
                || SSL_CTX_use_PrivateKey_file(m_ctx, keyFile.constData(), SSL_FILETYPE_PEM) != 1) {
                SSL_CTX_free(m_ctx);
                m_ctx = nullptr;
            }
        }
        m_listen = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a {};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        if (::bind(m_listen, reinterpret_cast<sockaddr *>(&a), len) == 0 && ::listen(m_listen, 64) == 0
            && ::getsockname(m_listen, reinterpret_cast<sockaddr *>(&a), &len) == 0)
            m_port = ntohs(a.sin_port);
        m_acceptor = std::thread([this] { acceptLoop(); });
    }
    ~Responder()
    {
        m_stop = true;
        m_acceptor.join();
        std::lock_guard lock(m_mutex);
        for (std::thread &t : m_conns)
            t.join();
        ::close(m_listen);
        if (m_ctx)
            SSL_CTX_free(m_ctx);
    }
    Responder(const Responder &) = delete;
    Responder &operator=(const Responder &) = delete;

    int port() const { return m_port; }
    bool tlsReady() const { return m_ctx != nullptr; }
    int accepted() const { return m_accepted; }

private:
    bool wait(int fd, short events, int ms)
    {
        pollfd p { fd, events, 0 };
        return ::poll(&p, 1, ms) > 0;
    }
    // Reads what the client sends without ever answering; false once the client closed.
    bool drain(int fd)
    {
        char buf[4096];
        if (!wait(fd, POLLIN, 50))
            return true;
        return ::read(fd, buf, sizeof buf) > 0;
    }
    void acceptLoop()
    {
        while (!m_stop) {
            if (!wait(m_listen, POLLIN, 50))
                continue;
            const int fd = ::accept(m_listen, nullptr, nullptr);
            if (fd < 0)
                continue;
            ++m_accepted;
            std::lock_guard lock(m_mutex);
            m_conns.emplace_back([this, fd] {
                serve(fd);
                ::close(fd);
            });
        }
    }
    void serve(int fd)
    {
        switch (m_mode) {
        case Mode::Silent:
            while (!m_stop && drain(fd)) { }
            return;
        case Mode::TruncatedBanner:
            (void)!::write(fd, "SSH-2.0-Open", 12);
            return;
        case Mode::Trickle: {
            static const char bytes[] = "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n\0\0\x03\x14\x0a\x14";
            for (size_t i = 0; !m_stop; ++i) {
                const char c = i < sizeof bytes - 1 ? bytes[i] : char('a' + i % 26);
                if (::write(fd, &c, 1) != 1)
                    return;
                for (int t = 0; t < 4 && !m_stop; ++t)
                    if (!drain(fd))
                        return;
            }
            return;
        }
        case Mode::TlsBodyStall:
        case Mode::TlsBodyCut:
            serveTls(fd);
            return;
        }
    }
    void serveTls(int fd)
    {
        if (!m_ctx)
            return;
        timeval tv { 0, 200000 }; // blocking SSL calls wake up to see m_stop
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        SSL *ssl = SSL_new(m_ctx);
        SSL_set_fd(ssl, fd);
        int r = -1;
        while (!m_stop && (r = SSL_accept(ssl)) != 1 && SSL_get_error(ssl, r) == SSL_ERROR_WANT_READ) { }
        QByteArray request;
        char buf[4096];
        while (r == 1 && !m_stop && !request.contains("\r\n\r\n")) {
            const int n = SSL_read(ssl, buf, sizeof buf);
            if (n > 0)
                request.append(buf, n);
            else if (SSL_get_error(ssl, n) != SSL_ERROR_WANT_READ)
                r = 0;
        }
        if (r == 1 && !m_stop) {
            const QByteArray answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                      "Content-Length: 100000\r\n\r\n"
                + m_body;
            SSL_write(ssl, answer.constData(), int(answer.size()));
            if (m_mode == Mode::TlsBodyStall)
                while (!m_stop && drain(fd)) { }
        }
        SSL_free(ssl); // no SSL_shutdown: the TCP connection just ends
    }

    Mode m_mode;
    QByteArray m_body;
    SSL_CTX *m_ctx = nullptr;
    int m_listen = -1;
    int m_port = 0;
    std::atomic_bool m_stop { false };
    std::atomic_int m_accepted { 0 };
    std::thread m_acceptor;
    std::mutex m_mutex;
    std::vector<std::thread> m_conns;
};

bool isClassifiedFailure(DeviceStatus s)
{
    return s == DeviceStatus::Unreachable || s == DeviceStatus::Error || s == DeviceStatus::AuthFailed
        || s == DeviceStatus::HostKeyChanged || s == DeviceStatus::HostKeyUnknown
        || s == DeviceStatus::Unsupported;
}

constexpr int kSlackMs = 1500; // scheduling on a loaded 2-core machine

} // namespace

class TestHungServers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void sshSessionEndsByDeadline_data();
    void sshSessionEndsByDeadline();
    void fleetWithHungHosts();
    void cancelEndsAHungRefresh();
    void lxdEndsByDeadline_data();
    void lxdEndsByDeadline();
    void cleanupTestCase();

private:
    QTemporaryDir m_keys;
    QProcess m_sim;
    int m_simPort = 0;
    QByteArray m_cert, m_key;
};

void TestHungServers::initTestCase()
{
    QVERIFY(m_keys.isValid());
    QVERIFY(testsupport::makeSimulatorKeys(m_keys.path()));
    m_simPort = testsupport::startSimulator(m_sim, m_keys.path(), { u"--devices"_s, u"199"_s });
    QVERIFY2(m_simPort > 0, "canyon-fleetsim did not start");
    // A throwaway server certificate for the TLS responders (pinned by the client below).
    m_cert = QFile::encodeName(m_keys.path() + u"/tls.crt"_s);
    m_key = QFile::encodeName(m_keys.path() + u"/tls.key"_s);
    QProcess openssl;
    openssl.start(u"openssl"_s,
        { u"req"_s, u"-x509"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s, u"ec_paramgen_curve:prime256v1"_s,
            u"-nodes"_s, u"-days"_s, u"2"_s, u"-subj"_s, u"/CN=127.0.0.1"_s, u"-keyout"_s,
            QFile::decodeName(m_key), u"-out"_s, QFile::decodeName(m_cert) });
    QVERIFY(openssl.waitForFinished(20000));
    QCOMPARE(openssl.exitCode(), 0);
}

void TestHungServers::cleanupTestCase()
{
    testsupport::stopSimulator(m_sim);
}

void TestHungServers::sshSessionEndsByDeadline_data()
{
    QTest::addColumn<int>("mode");
    QTest::newRow("accepts, never speaks") << int(Responder::Mode::Silent);
    QTest::newRow("trickles bytes") << int(Responder::Mode::Trickle);
    QTest::newRow("truncated banner") << int(Responder::Mode::TruncatedBanner);
}

// One SshSession::connect against each responder: ends by its own deadline, classified.
void TestHungServers::sshSessionEndsByDeadline()
{
    QFETCH(int, mode);
    Responder bad { Responder::Mode(mode) };
    QVERIFY(bad.port() > 0);
    QTemporaryDir cfg;
    SshOptions o;
    o.target = { u"root"_s, u"127.0.0.1"_s, bad.port() };
    o.knownHostsFile = cfg.path() + u"/known_hosts"_s;
    o.userKnownHostsFile = cfg.path() + u"/none"_s;
    o.sshConfigFile = u"none"_s;
    o.identityFile = m_keys.path() + u"/client"_s;
    o.useAgent = false;
    const int deadlineMs = 2000;
    SshSession session(o);
    QElapsedTimer t;
    t.start();
    QString error;
    const DeviceStatus s = session.connect(QDeadlineTimer(deadlineMs), &error);
    const qint64 took = t.elapsed();
    qInfo("%s: %s after %lld ms: %s", QTest::currentDataTag(), qPrintable(deviceStatusName(s)), took,
        qPrintable(error));
    QVERIFY(bad.accepted() >= 1); // the responder was reached: this is not a refused port
    QVERIFY2(isClassifiedFailure(s), qPrintable(deviceStatusName(s)));
    QVERIFY(!error.isEmpty());
    QVERIFY2(took <= deadlineMs + 500, qPrintable(u"connect took %1 ms"_s.arg(took)));
    if (Responder::Mode(mode) != Responder::Mode::TruncatedBanner)
        QCOMPARE(s, DeviceStatus::Unreachable); // a deadline: nothing answered in time
    QVERIFY(!session.isConnected());
}

// 199 healthy simulated devices and the three hung SSH servers in one refresh.
void TestHungServers::fleetWithHungHosts()
{
    Responder silent(Responder::Mode::Silent), trickle(Responder::Mode::Trickle),
        cut(Responder::Mode::TruncatedBanner);
    QTemporaryDir cfg;
    QVERIFY(testsupport::trustSimulator(m_keys.path(), m_simPort, cfg.path() + u"/known_hosts"_s));
    FleetService fleet(Config::fromDirectory(cfg.path()));
    fleet.setSshConfigFile(u"none"_s);
    fleet.setUserKnownHostsFile(cfg.path() + u"/none"_s);
    const int timeoutMs = 6000;
    fleet.setTimeoutMs(timeoutMs);
    fleet.setMaxConcurrency(64);
    QString error;
    const int healthy = 199;
    for (int i = 0; i < healthy; ++i) {
        HostConfig h;
        h.name = sim::userForDevice(i);
        h.ssh = { h.name, u"127.0.0.1"_s, m_simPort };
        h.identityFile = m_keys.path() + u"/client"_s;
        QVERIFY2(fleet.addHost(h, &error), qPrintable(error));
    }
    const QList<std::pair<QString, int>> bad = { { u"hung-silent"_s, silent.port() },
        { u"hung-trickle"_s, trickle.port() }, { u"hung-cut-banner"_s, cut.port() } };
    for (const auto &[name, port] : bad) {
        HostConfig h;
        h.name = name;
        h.ssh = { u"root"_s, u"127.0.0.1"_s, port };
        h.identityFile = m_keys.path() + u"/client"_s;
        QVERIFY2(fleet.addHost(h, &error), qPrintable(error));
    }
    QHash<QString, qint64> arrival;
    QElapsedTimer clock;
    clock.start();
    connect(&fleet, &FleetService::deviceInventoryReady, this,
        [&](const DeviceInventory &inv) { arrival.insert(inv.host, clock.elapsed()); });
    const auto results = testbed::refreshAll(fleet, {}, 60000);
    const qint64 total = clock.elapsed();
    QCOMPARE(results.size(), healthy + int(bad.size()));
    for (const auto &[name, port] : bad) {
        const DeviceInventory inv = results.value(name);
        qInfo("%s: %s at %lld ms: %s", qPrintable(name), qPrintable(deviceStatusName(inv.status)),
            arrival.value(name), qPrintable(inv.error));
        QVERIFY2(isClassifiedFailure(inv.status), qPrintable(name));
        QVERIFY(!inv.error.isEmpty());
        QVERIFY2(arrival.value(name) <= timeoutMs + kSlackMs, qPrintable(name));
    }
    qint64 lastHealthy = 0;
    for (int i = 0; i < healthy; ++i) {
        const QString name = sim::userForDevice(i);
        const DeviceInventory inv = results.value(name);
        QVERIFY2(inv.status == DeviceStatus::Ok, qPrintable(name + u": "_s + inv.error));
        QVERIFY(!inv.snaps.isEmpty());
        lastHealthy = qMax(lastHealthy, arrival.value(name));
    }
    qInfo("199 healthy devices done by %lld ms; whole refresh %lld ms (deadline %d ms)", lastHealthy, total,
        timeoutMs);
    // the healthy devices never wait for the hung ones
    QVERIFY2(lastHealthy < timeoutMs, qPrintable(u"last healthy device at %1 ms"_s.arg(lastHealthy)));
    QVERIFY2(total <= timeoutMs + kSlackMs, qPrintable(u"refresh took %1 ms"_s.arg(total)));
}

void TestHungServers::cancelEndsAHungRefresh()
{
    // Stop during a refresh of hosts that accept and never speak, with a minute of timeout:
    // every read ends "cancelled" at once, whether it waits for a banner or anything else.
    Responder a(Responder::Mode::Silent), b(Responder::Mode::Silent), c(Responder::Mode::Trickle);
    QTemporaryDir cfg;
    FleetService fleet(Config::fromDirectory(cfg.path()));
    fleet.setSshConfigFile(u"none"_s);
    fleet.setUserKnownHostsFile(cfg.path() + u"/none"_s);
    fleet.setTimeoutMs(60000);
    QString error;
    for (const Responder *r : { &a, &b, &c }) {
        HostConfig h;
        h.name = u"hung-%1"_s.arg(r->port());
        h.ssh = { u"root"_s, u"127.0.0.1"_s, r->port() };
        h.identityFile = m_keys.path() + u"/client"_s;
        QVERIFY2(fleet.addHost(h, &error), qPrintable(error));
    }
    QElapsedTimer clock;
    qint64 cancelledAt = -1;
    QTimer::singleShot(300, &fleet, [&] {
        cancelledAt = clock.elapsed();
        fleet.cancel();
    });
    clock.start();
    const auto results = testbed::refreshAll(fleet, {}, 30000);
    const qint64 total = clock.elapsed();
    QCOMPARE(results.size(), 3);
    for (const DeviceInventory &inv : results) {
        QCOMPARE(inv.error, u"cancelled"_s);
        QCOMPARE(inv.status, DeviceStatus::Error);
    }
    qInfo("cancelled at %lld ms, every read ended by %lld ms", cancelledAt, total);
    QVERIFY(cancelledAt >= 0);
    // (under 1 s: fiber waits wake every 2 s by themselves, so only interruptWaits ends them sooner)
    QVERIFY2(total - cancelledAt < 1000, qPrintable(QString::number(total - cancelledAt)));
}

void TestHungServers::lxdEndsByDeadline_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("stalled TLS handshake") << int(Responder::Mode::Silent) << QByteArray();
    QTest::newRow("body stalls") << int(Responder::Mode::TlsBodyStall)
                                 << QByteArray(R"({"type":"sync","status_code":200,"metadata":[{"na)");
    QTest::newRow("body cut mid-JSON") << int(Responder::Mode::TlsBodyCut)
                                       << QByteArray(R"({"type":"sync","status_code":200,"metadata":[{"na)");
    // Cut exactly where the JSON happens to be complete: only the framing says it is short.
    QTest::newRow("body cut at a JSON boundary") << int(
        Responder::Mode::TlsBodyCut) << QByteArray(R"({"type":"sync","status_code":200,"metadata":[]})");
}

// LxdClient::fetchInstances against each HTTPS responder: ends by the request deadline with a
// classified error; a cut answer is never taken for a (short) list.
void TestHungServers::lxdEndsByDeadline()
{
    QFETCH(int, mode);
    QFETCH(QByteArray, body);
    Responder bad(Responder::Mode(mode), m_cert, m_key, body);
    QVERIFY(bad.port() > 0);
    QVERIFY(bad.tlsReady());
    QTemporaryDir cfg;
    LxdClientCertificate identity;
    QString error;
    QVERIFY2(LxdClientCertificate::ensure(cfg.path(), &identity, &error), qPrintable(error));
    const QList<QSslCertificate> certs = QSslCertificate::fromPath(QFile::decodeName(m_cert));
    QCOMPARE(certs.size(), 1);
    const QString pin = QString::fromLatin1(certs.first().digest(QCryptographicHash::Sha256).toHex());
    LxdClient client(QUrl(u"https://127.0.0.1:%1"_s.arg(bad.port())), pin, identity);
    const int deadlineMs = 2000;
    client.setTimeoutMs(deadlineMs);
    bool done = false;
    LxdResult result;
    QList<Instance> instances;
    QElapsedTimer t;
    t.start();
    client.fetchInstances([&](const LxdResult &r, const QList<Instance> &list, const QList<InstanceState> &) {
        done = true;
        result = r;
        instances = list;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, deadlineMs + 5000);
    const qint64 took = t.elapsed();
    qInfo("%s: %s after %lld ms: %s", QTest::currentDataTag(), qPrintable(lxdResultKindName(result.kind)),
        took, qPrintable(result.error));
    QVERIFY(bad.accepted() >= 1);
    QVERIFY2(!result.ok(), "a cut or stalled answer must not count as a list");
    QVERIFY(result.kind == LxdResultKind::Unreachable || result.kind == LxdResultKind::Failed);
    QVERIFY(!result.error.isEmpty());
    QVERIFY(instances.isEmpty());
    QVERIFY2(took <= deadlineMs + 700, qPrintable(u"request took %1 ms"_s.arg(took)));
}

QTEST_GUILESS_MAIN(TestHungServers)
#include "tst_hungservers.moc"
