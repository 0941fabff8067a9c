// SPDX-License-Identifier: GPL-3.0-or-later
// LXD hosts against the testbed's real LXD 5.0.2 daemon (tests/testbed/up.sh).
#include "CtlAndLxc.h"
#include "TestbedEnv.h"
#include "fleet/CtlCommands.h"
#include "lxd/LxdClient.h"
#include "lxd/LxdService.h"

#include <QElapsedTimer>
#include <QFile>
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
#include <optional>

using namespace canyon;
using namespace Qt::StringLiterals;

namespace {

using testbed::CtlRun;
using testbed::runCtl;

// The lxc CLI on the testbed daemon: fixtures only (creating the container under test).
QString lxc(const QStringList &args, int *exitCode = nullptr)
{
    return testbed::lxcIn(testbed::env("CANYON_LXD_DIR"), args, exitCode);
}

// A plain TCP relay between a client and the daemon (TLS passes through untouched) that a test
// can cut, and refuse while it is down: the events websocket's link, broken on purpose.
class CuttableProxy : public QObject
{
public:
    CuttableProxy(quint16 upstreamPort)
        : m_upstream(upstreamPort)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *in = m_server.nextPendingConnection()) {
                ++accepted;
                auto *out = new QTcpSocket(in);
                out->connectToHost(QHostAddress::LocalHost, m_upstream);
                connect(in, &QTcpSocket::readyRead, out, [in, out] { out->write(in->readAll()); });
                connect(out, &QTcpSocket::readyRead, in, [in, out] { in->write(out->readAll()); });
                connect(out, &QTcpSocket::disconnected, in, &QTcpSocket::disconnectFromHost);
                connect(in, &QTcpSocket::disconnected, in, &QObject::deleteLater);
                m_links << in;
            }
        });
    }
    bool listen(quint16 port = 0) { return m_server.listen(QHostAddress::LocalHost, port); }
    quint16 port() const { return m_server.serverPort(); }
    void cut(bool refuseNew)
    {
        if (refuseNew)
            m_server.close();
        for (const QPointer<QTcpSocket> &s : std::as_const(m_links))
            if (s)
                s->abort();
        m_links.clear();
    }
    int accepted = 0;

private:
    QTcpServer m_server;
    quint16 m_upstream;
    QList<QPointer<QTcpSocket>> m_links;
};

template<class T> struct Got
{
    LxdResult result;
    T value {};
    bool arrived = false;
};

} // namespace

class TestLxdHost : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QUrl m_url;
    QString m_sha; // the daemon's certificate, from its own file
    LxdClientCertificate m_identity;
    QString m_container;

    std::unique_ptr<LxdClient> client(const QString &pin)
    {
        return std::make_unique<LxdClient>(m_url, pin, m_identity);
    }

    Got<LxdServerInfo> server(LxdClient &c)
    {
        Got<LxdServerInfo> g;
        c.fetchServer([&](const LxdResult &r, const LxdServerInfo &i) {
            g.result = r;
            g.value = i;
            g.arrived = true;
        });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(g.arrived, 20000); }();
        return g;
    }
    QString containerStatus()
    {
        return lxc({ u"list"_s, m_container, u"-c"_s, u"s"_s, u"--format"_s, u"csv"_s });
    }

private Q_SLOTS:
    void initTestCase()
    {
        CANYON_NEED_ENV("CANYON_LXD_HTTPS");
        CANYON_NEED_ENV("CANYON_LXD_DIR");
        CANYON_NEED_ENV("CANYON_LXD_IMAGE");
        QVERIFY(m_dir.isValid());
        m_url = QUrl(u"https://"_s + testbed::env("CANYON_LXD_HTTPS"));
        const auto certs = QSslCertificate::fromPath(testbed::env("CANYON_LXD_DIR") + u"/server.crt"_s);
        QCOMPARE(certs.size(), 1);
        m_sha = certificateSha256(certs.first());
        QString error;
        QVERIFY2(
            LxdClientCertificate::ensure(m_dir.filePath(u"cfg"_s), &m_identity, &error), qPrintable(error));
        // the private key: mode 0600 (owner read/write, nothing for group or others)
        const QFileDevice::Permissions perms = QFile::permissions(m_identity.keyFile);
        QVERIFY(perms.testFlags(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        QCOMPARE(perms
                & (QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup
                    | QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther
                    | QFileDevice::ExeOwner),
            QFileDevice::Permissions());
        // a second call loads the same identity instead of generating another
        LxdClientCertificate again;
        QVERIFY(LxdClientCertificate::ensure(m_dir.filePath(u"cfg"_s), &again, &error));
        QCOMPARE(again.certificate, m_identity.certificate);
        m_container = u"canyon-lxdtest-%1"_s.arg(QCoreApplication::applicationPid());
    }

    void certificateShownWhenNotPinned()
    {
        auto c = client({});
        const auto g = server(*c);
        QCOMPARE(g.result.kind, LxdResultKind::RefusedTrust);
        QVERIFY(g.result.certificateNotPinned);
        QCOMPARE(g.result.serverSha256, m_sha);
        QVERIFY2(g.result.error.contains(m_sha), qPrintable(g.result.error));
    }

    void untrustedClientGets403()
    {
        auto c = client(m_sha);
        const auto s = server(*c);
        QVERIFY2(s.result.ok(), qPrintable(s.result.error));
        QVERIFY(!s.value.trusted); // a fresh identity
        bool arrived = false;
        LxdResult res;
        c->fetchInstances([&](const LxdResult &r, const QList<Instance> &, const QList<InstanceState> &) {
            res = r;
            arrived = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(arrived, 20000);
        QCOMPARE(res.kind, LxdResultKind::RefusedTrust);
        QCOMPARE(res.lxdErrorCode, 403);
        QVERIFY2(res.error.contains(u"does not trust"_s), qPrintable(res.error));
    }

    void wrongPasswordRefused()
    {
        auto c = client(m_sha);
        bool arrived = false;
        LxdResult res;
        c->trust(u"not-the-password"_s, [&](const LxdResult &r) {
            res = r;
            arrived = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(arrived, 20000);
        QCOMPARE(res.kind, LxdResultKind::RefusedTrust);
        QVERIFY2(res.error.contains(u"refused the trust password"_s), qPrintable(res.error));
        QVERIFY(!server(*c).value.trusted);
    }

    void trustWithPassword()
    {
        CANYON_NEED_ENV("CANYON_LXD_TRUST_PASSWORD");
        auto c = client(m_sha);
        bool arrived = false;
        LxdResult res;
        c->trust(testbed::env("CANYON_LXD_TRUST_PASSWORD"), [&](const LxdResult &r) {
            res = r;
            arrived = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(arrived, 20000);
        QVERIFY2(res.ok(), qPrintable(res.error));
        const auto s = server(*c);
        QVERIFY(s.value.trusted);
        QCOMPARE(s.value.certificateSha256, m_sha);
        QCOMPARE(s.value.serverVersion, u"5.0.2"_s);
    }

    void listAndState()
    {
        auto c = client(m_sha);
        bool arrived = false;
        LxdResult res;
        QList<Instance> list;
        c->fetchInstances([&](const LxdResult &r, const QList<Instance> &l, const QList<InstanceState> &) {
            res = r;
            list = l;
            arrived = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(arrived, 20000);
        QVERIFY2(res.ok(), qPrintable(res.error));
        // the snapd device of the testbed is a running container of this daemon
        const QString device = testbed::env("CANYON_SNAPD_INSTANCE").isEmpty()
            ? u"snapd1"_s
            : testbed::env("CANYON_SNAPD_INSTANCE");
        const auto it
            = std::find_if(list.cbegin(), list.cend(), [&](const Instance &i) { return i.name == device; });
        QVERIFY(it != list.cend());
        QCOMPARE(it->status, u"Running"_s);
        QCOMPARE(it->type, u"container"_s);
        arrived = false;
        InstanceState st;
        c->fetchState(device, [&](const LxdResult &r, const InstanceState &s) {
            res = r;
            st = s;
            arrived = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(arrived, 20000);
        QVERIFY2(res.ok(), qPrintable(res.error));
        QCOMPARE(st.status, u"Running"_s);
        QVERIFY(st.pid > 0);
        QVERIFY(st.cpuUsageNs > 0);
        QVERIFY(st.memoryUsage > 0);
        QVERIFY(!st.networks.isEmpty());
        // an instance that does not exist: a clear LXD error, not a crash or a hang
        arrived = false;
        c->fetchState(u"no-such-instance"_s, [&](const LxdResult &r, const InstanceState &) {
            res = r;
            arrived = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(arrived, 20000);
        QCOMPARE(res.kind, LxdResultKind::Failed);
        QCOMPARE(res.lxdErrorCode, 404);
    }

    void wrongPinRefusedNothingSent()
    {
        int rc = -1;
        lxc({ u"init"_s, testbed::env("CANYON_LXD_IMAGE"), m_container }, &rc);
        QCOMPARE(rc, 0);
        QCOMPARE(containerStatus(), u"STOPPED"_s);
        const QString wrong = QString(64, u'a');
        auto c = client(wrong);
        bool arrived = false;
        LxdResult res;
        c->runAction(m_container, InstanceAction::Start, false, [&](const LxdResult &r, const Operation &) {
            res = r;
            arrived = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(arrived, 20000);
        QCOMPARE(res.kind, LxdResultKind::RefusedTrust);
        QVERIFY(res.certificateMismatch);
        QVERIFY2(res.error.contains(wrong) && res.error.contains(m_sha), qPrintable(res.error));
        QCOMPARE(res.httpStatus, 0); // no HTTP exchange took place
        QCOMPARE(containerStatus(), u"STOPPED"_s); // the start never reached the daemon
        // the events websocket refuses the same way, and stays down
        LxdEventStream events(m_url, wrong, c->sslConfiguration());
        QSignalSpy states(&events, &LxdEventStream::stateChanged);
        events.start();
        QTRY_COMPARE_WITH_TIMEOUT(events.state(), LxdEventStream::State::RefusedTrust, 20000);
        QVERIFY(states.last().at(1).toString().contains(m_sha));
    }

    // The events websocket's link is cut and stays down for a while: the stream waits with a
    // growing backoff (a handful of attempts, not a storm), reconnects when the link is back,
    // and one list catches up with what happened meanwhile.
    void eventsWebsocketCutReconnects()
    {
        CuttableProxy proxy(quint16(m_url.port()));
        QVERIFY(proxy.listen());
        const quint16 proxyPort = proxy.port();
        QTemporaryDir cfgDir;
        // the client identity trusted in trustWithPassword, the daemon's pinned certificate
        QVERIFY(QFile::copy(m_identity.keyFile, LxdClientCertificate::keyFileIn(cfgDir.path())));
        QVERIFY(
            QFile::copy(m_identity.certificateFile, LxdClientCertificate::certificateFileIn(cfgDir.path())));
        FleetService fleet(Config::fromDirectory(cfgDir.path()));
        HostConfig h;
        h.name = u"proxied"_s;
        h.kind = HostKind::Lxd;
        h.lxdUrl = u"https://127.0.0.1:%1"_s.arg(proxyPort);
        h.lxdCertificateSha256 = m_sha;
        QString error;
        QVERIFY(fleet.addHost(h, &error));
        LxdService lxd(&fleet);
        QSignalSpy listed(&lxd, &LxdService::instancesRefreshed);
        QSignalSpy stream(&lxd, &LxdService::eventStreamChanged);
        lxd.watchEvents(u"proxied"_s, true);
        QTRY_COMPARE_WITH_TIMEOUT(
            lxd.eventStreamState(u"proxied"_s), LxdEventStream::State::Connected, 20000);
        QCOMPARE(listed.size(), 0);

        proxy.cut(true); // and refuse new connections for ~3 s
        QTRY_COMPARE_WITH_TIMEOUT(lxd.eventStreamState(u"proxied"_s), LxdEventStream::State::Waiting, 10000);
        int rc = -1;
        lxc({ u"start"_s, m_container }, &rc); // missed: the socket is down
        QCOMPARE(rc, 0);
        int waits = 0;
        QElapsedTimer down;
        down.start();
        while (down.elapsed() < 3000) {
            QTest::qWait(100);
            waits = int(std::count_if(stream.cbegin(), stream.cend(), [](const QList<QVariant> &a) {
                return a.at(1).value<LxdEventStream::State>() == LxdEventStream::State::Waiting;
            }));
        }
        // backoff 1 s, 2 s, ...: at most 3 retries in 3 s (a storm would be dozens)
        QVERIFY2(waits >= 1 && waits <= 3, qPrintable(QString::number(waits)));
        const int acceptedBefore = proxy.accepted;
        QVERIFY(proxy.listen(proxyPort));
        QTRY_COMPARE_WITH_TIMEOUT(
            lxd.eventStreamState(u"proxied"_s), LxdEventStream::State::Connected, 20000);
        // one catch-up list after the reconnect, showing what was missed
        QTRY_COMPARE_WITH_TIMEOUT(listed.size(), 1, 10000);
        const auto list = listed.first().at(1).value<QList<Instance>>();
        QVERIFY(std::any_of(list.cbegin(), list.cend(),
            [&](const Instance &i) { return i.name == m_container && i.status == u"Running"; }));
        QTest::qWait(500);
        QCOMPARE(listed.size(), 1);
        QVERIFY(proxy.accepted - acceptedBefore <= 3); // the websocket and the list, no more
        lxc({ u"stop"_s, u"--force"_s, m_container }, &rc);
        QCOMPARE(rc, 0);
    }

    // A start that LXD accepts (an operation) and that fails while it runs: Failed with LXD's
    // reason, the operation's final state, the instance still stopped.
    void operationFailsMidway()
    {
        const QString name = m_container + u"-fail"_s;
        int rc = -1;
        lxc({ u"init"_s, testbed::env("CANYON_LXD_IMAGE"), name }, &rc);
        QCOMPARE(rc, 0);
        lxc({ u"config"_s, u"device"_s, u"add"_s, name, u"eth9"_s, u"nic"_s, u"nictype=bridged"_s,
                u"parent=canyon-nosuchbr0"_s },
            &rc);
        QCOMPARE(rc, 0);
        auto c = client(m_sha);
        bool arrived = false;
        LxdResult res;
        Operation op;
        QSignalSpy progress(c.get(), &LxdClient::operationUpdated);
        c->runAction(name, InstanceAction::Start, false, [&](const LxdResult &r, const Operation &o) {
            res = r;
            op = o;
            arrived = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(arrived, 60000);
        lxc({ u"delete"_s, u"--force"_s, name });
        QCOMPARE(res.kind, LxdResultKind::Failed);
        QVERIFY2(res.error.contains(u"canyon-nosuchbr0"_s), qPrintable(res.error));
        QCOMPARE(op.statusCode, 400);
        QVERIFY(!op.id.isEmpty());
        QVERIFY(!progress.isEmpty()); // it was an operation, followed from its start
    }

    void lifecycleWithEvents()
    {
        QCOMPARE(containerStatus(), u"STOPPED"_s); // created by the previous test
        FleetService fleet(Config::fromDirectory(m_dir.filePath(u"cfg"_s)));
        QString error;
        QVERIFY(fleet.load(&error));
        HostConfig h;
        h.name = u"lxd1"_s;
        h.kind = HostKind::Lxd;
        h.lxdUrl = m_url.toString();
        h.lxdCertificateSha256 = m_sha;
        QVERIFY2(fleet.addHost(h, &error), qPrintable(error));
        LxdService lxd(&fleet);
        QCOMPARE(lxd.hostNames(), QStringList { u"lxd1"_s });
        QSignalSpy events(&lxd, &LxdService::eventReceived);
        QSignalSpy updated(&lxd, &LxdService::instanceUpdated);
        QSignalSpy bulk(&lxd, &LxdService::bulkActionFinished);
        QSignalSpy opUpdates(&lxd, &LxdService::operationUpdated);
        lxd.watchEvents(u"lxd1"_s, true);
        QTRY_COMPARE_WITH_TIMEOUT(lxd.eventStreamState(u"lxd1"_s), LxdEventStream::State::Connected, 20000);

        lxd.runAction(u"lxd1"_s, { m_container, u"no-such-instance"_s }, InstanceAction::Start);
        QVERIFY(bulk.wait(60000));
        const auto results = bulk.first().at(1).value<QList<LxdActionResult>>();
        QCOMPARE(results.size(), 2);
        for (const LxdActionResult &r : results) {
            if (r.instance == m_container) {
                QVERIFY2(r.result.ok(), qPrintable(r.result.error));
                QCOMPARE(r.operation.status, u"Success"_s);
            } else {
                QCOMPARE(r.result.kind, LxdResultKind::Failed); // per-instance result: 404
                QCOMPARE(r.result.lxdErrorCode, 404);
            }
        }
        QCOMPARE(containerStatus(), u"RUNNING"_s);
        auto sawLifecycle = [&](const QString &action) {
            for (const auto &args : std::as_const(events)) {
                const auto e = args.at(1).value<LxdEvent>();
                if (e.type == u"lifecycle" && e.action == action && e.instance == m_container)
                    return true;
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(sawLifecycle(u"instance-started"_s), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(updated.cbegin(), updated.cend(),
                                     [&](const QList<QVariant> &a) {
                                         const auto i = a.at(1).value<Instance>();
                                         return i.name == m_container && i.status == u"Running"_s;
                                     }),
            20000);
        QVERIFY(!opUpdates.isEmpty());

        // state on demand feeds the metrics; two samples give a CPU rate
        QSignalSpy ready(&lxd, &LxdService::instanceStateReady);
        lxd.loadState(u"lxd1"_s, { m_container });
        QVERIFY(ready.wait(20000));
        QCOMPARE(ready.last().at(2).value<InstanceState>().status, u"Running"_s);
        lxd.loadState(u"lxd1"_s, { m_container });
        QVERIFY(ready.wait(20000));
        const InstanceMetrics *m = lxd.metrics(u"lxd1"_s, m_container);
        QVERIFY(m);
        QCOMPARE(m->memoryBytes.size(), 2);

        bulk.clear();
        lxd.runAction(u"lxd1"_s, { m_container }, InstanceAction::Stop, true);
        QVERIFY(bulk.wait(60000));
        QVERIFY2(bulk.first().at(1).value<QList<LxdActionResult>>().first().result.ok(),
            qPrintable(bulk.first().at(1).value<QList<LxdActionResult>>().first().result.error));
        QCOMPARE(containerStatus(), u"STOPPED"_s);
        QTRY_VERIFY_WITH_TIMEOUT(sawLifecycle(u"instance-stopped"_s), 20000);

        QSignalSpy removed(&lxd, &LxdService::instanceRemoved);
        bulk.clear();
        lxd.runAction(u"lxd1"_s, { m_container }, InstanceAction::Delete);
        QVERIFY(bulk.wait(60000));
        QVERIFY(bulk.first().at(1).value<QList<LxdActionResult>>().first().result.ok());
        QTRY_VERIFY_WITH_TIMEOUT(!removed.isEmpty(), 20000);
        QCOMPARE(removed.first().at(1).toString(), m_container);
        QCOMPARE(containerStatus(), QString());
    }

    void unreachable()
    {
        // a port nothing listens on: the same classification as a daemon that is down
        LxdClient c(QUrl(u"https://127.0.0.1:1"_s), m_sha, m_identity);
        bool arrived = false;
        LxdResult res;
        c.fetchServer([&](const LxdResult &r, const LxdServerInfo &) {
            res = r;
            arrived = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(arrived, 20000);
        QCOMPARE(res.kind, LxdResultKind::Unreachable);
        QVERIFY(res.error.contains(u"unreachable"_s));
    }

    void ctlHostsAddAndInstances()
    {
        CANYON_NEED_ENV("CANYON_LXD_TRUST_PASSWORD");
        const QString cfg = m_dir.filePath(u"ctl"_s); // its own, untrusted identity
        const QString url = m_url.toString();
        CtlRun r = runCtl({ u"--config"_s, cfg, u"hosts"_s, u"add"_s, u"h1"_s, u"--lxd"_s, url });
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(m_sha) && r.err.contains(u"--accept-certificate"_s), qPrintable(r.err));
        QString colons;
        for (int i = 0; i < 64; i += 2)
            colons += (i ? u":"_s : QString()) + m_sha.mid(i, 2).toUpper();
        r = runCtl({ u"--config"_s, cfg, u"hosts"_s, u"add"_s, u"h1"_s, u"--lxd"_s, url,
            u"--accept-certificate"_s, QString(64, u'b') });
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(m_sha) && r.err.contains(QString(64, u'b')), qPrintable(r.err));
        r = runCtl({ u"--config"_s, cfg, u"hosts"_s, u"add"_s, u"h1"_s, u"--lxd"_s, url,
            u"--accept-certificate"_s, colons });
        QCOMPARE(r.code, 2); // pinned, but no trust secret given
        QVERIFY2(r.err.contains(u"--trust-password"_s), qPrintable(r.err));
        r = runCtl({ u"--config"_s, cfg, u"hosts"_s, u"add"_s, u"h1"_s, u"--lxd"_s, url,
            u"--accept-certificate"_s, colons, u"--trust-password"_s, u"wrong"_s });
        QCOMPARE(r.code, 2);
        r = runCtl(
            { u"--config"_s, cfg, u"hosts"_s, u"add"_s, u"h1"_s, u"--lxd"_s, url, u"--accept-certificate"_s,
                colons, u"--trust-password"_s, testbed::env("CANYON_LXD_TRUST_PASSWORD") });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(m_sha));
        r = runCtl({ u"--config"_s, cfg, u"hosts"_s, u"list"_s, u"--json"_s });
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains(u"\"lxd\""_s), qPrintable(r.out));
        // the trust column shows the pinned certificate
        QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).array().first()[u"trust"_s].toString(),
            u"pinned SHA256 "_s + m_sha);
        r = runCtl({ u"--config"_s, cfg, u"instances"_s, u"--json"_s });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QJsonArray arr = QJsonDocument::fromJson(r.out.toUtf8()).array();
        QVERIFY(!arr.isEmpty());
        const QJsonObject first = arr.first().toObject();
        for (const char *key :
            { "host", "name", "type", "status", "addresses", "cpu_usage_ns", "memory_bytes", "location" })
            QVERIFY2(first.contains(QLatin1StringView(key)), key);
        QCOMPARE(first.value(u"host"_s).toString(), u"h1"_s);
        r = runCtl({ u"--config"_s, cfg, u"instances"_s });
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains(u"h1"_s));
        r = runCtl({ u"--config"_s, cfg, u"instances"_s, u"nope"_s });
        QCOMPARE(r.code, 2);
        // a host whose daemon is down: listed with its error, exit 1
        r = runCtl({ u"--config"_s, cfg, u"hosts"_s, u"add"_s, u"down"_s, u"--lxd"_s,
            u"https://127.0.0.1:1"_s, u"--accept-certificate"_s, m_sha, u"--offline"_s });
        QCOMPARE(r.code, 0);
        r = runCtl({ u"--config"_s, cfg, u"instances"_s, u"--json"_s });
        QCOMPARE(r.code, 1);
        QVERIFY(r.out.contains(u"unreachable"_s));
    }

    void cleanupTestCase()
    {
        // tests stop what they start: the container goes, whatever happened above
        if (!m_container.isEmpty() && !testbed::env("CANYON_LXD_DIR").isEmpty())
            lxc({ u"delete"_s, u"--force"_s, m_container });
    }
};

QTEST_GUILESS_MAIN(TestLxdHost)
#include "tst_lxdhost.moc"
