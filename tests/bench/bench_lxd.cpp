// SPDX-License-Identifier: GPL-3.0-or-later
// QUALITY.md P4 and P5 for LXD hosts. Not a test: prints figures and ratios, judges nothing.
//
// P4: a loopback HTTPS server (its own thread) replays real-shaped LXD 5.0.2 JSON (the samples
// in tests/data/lxd-5.0.2, multiplied to N instances). Canyon (LxdClient + the console's item
// models) and `lxc list --format json` (the real client, pointed at the same server) list
// them: time to first rows (recursion=1 into the models) and to the full table (recursion=2,
// states included), each from a cold TLS connection, median of R runs.
// P5: the Charts tab's worst case: 4 charts x S series (default 200) over QtCharts, updated
// every second from 5-minute histories, offscreen; the GUI thread's stalls are measured with a
// 1 ms probe timer (p99, max).
// P5 under P3 (QUALITY.md P5 "during P3"): the same chart measurement again while a P3-like
// inventory runs in this process at the same time: canyon-fleetsim serves D simulated devices
// (default 1,000) over SSH on loopback, FleetService refreshes all of them round after round
// and every inventory goes into a FleetTreeModel on the GUI thread, as in the console.
//
//   canyon-bench-lxd [--instances N] [--repeat R] [--series S] [--seconds T] [--no-lxc]
//                    [--p3-devices D (0: skip)] [--p3-rounds K (1)] [--fleetsim PATH] [--no-p4]
// The P3 measurement lasts K inventory rounds (the first cold, the rest warm and back to back).
#include "charts/MetricChart.h"
#include "fleet/Config.h"
#include "fleet/FleetService.h"
#include "item/FleetTreeModel.h"
#include "item/InstancesTableModel.h"
#include "lxd/LxdClient.h"
#include "lxd/LxdClientCertificate.h"

#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QGridLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSslServer>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

using namespace canyon;
using namespace Qt::StringLiterals;

namespace {

QTextStream out(stdout);

QJsonObject readSample(const QString &file)
{
    QFile f(QStringLiteral(CANYON_TEST_DATA_DIR "/lxd-5.0.2/") + file);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(f.fileName()));
    return QJsonDocument::fromJson(f.readAll()).object();
}

// The sample's one instance, N times under other names (and other addresses).
QByteArray multiply(const QJsonObject &envelope, int n)
{
    const QJsonObject one = envelope.value(u"metadata"_s).toArray().first().toObject();
    const QByteArray text = QJsonDocument(one).toJson(QJsonDocument::Compact);
    const QByteArray name = one.value(u"name"_s).toString().toUtf8();
    QByteArray body
        = R"({"type":"sync","status":"Success","status_code":200,"operation":"","error_code":0,"error":"","metadata":[)";
    for (int i = 0; i < n; ++i) {
        QByteArray copy = text;
        const QByteArray n2 = "bench-" + QByteArray::number(i);
        copy.replace(QByteArray("\"" + name + "\""), QByteArray("\"" + n2 + "\""));
        copy.replace(QByteArray("/instances/" + name), QByteArray("/instances/" + n2));
        if (i)
            body += ',';
        body += copy;
    }
    body += "]}";
    return body;
}

// Answers GET /1.0, /1.0/instances?recursion=1|2 from prepared bodies; keep-alive HTTP/1.1.
class ReplayServer : public QObject
{
public:
    QHash<QByteArray, QByteArray> bodies; // "server", "r1", "r2"
    QStringList seen;

    bool listen(const LxdClientCertificate &id)
    {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.setLocalCertificate(id.certificate);
        ssl.setPrivateKey(id.key);
        ssl.setPeerVerifyMode(QSslSocket::VerifyNone); // any client certificate: it is a replay
        m_server->setSslConfiguration(ssl);
        QObject::connect(m_server, &QSslServer::pendingConnectionAvailable, this, [this] {
            while (QTcpSocket *s = m_server->nextPendingConnection())
                serve(static_cast<QSslSocket *>(s));
        });
        return m_server->listen(QHostAddress::LocalHost, 0);
    }
    quint16 port() const { return m_server->serverPort(); }

private:
    void serve(QSslSocket *s)
    {
        auto buffer = std::make_shared<QByteArray>();
        QObject::connect(s, &QSslSocket::disconnected, s, &QObject::deleteLater);
        QObject::connect(s, &QSslSocket::readyRead, s, [this, s, buffer] {
            *buffer += s->readAll();
            qsizetype end;
            while ((end = buffer->indexOf("\r\n\r\n")) >= 0) {
                const QByteArray head = buffer->left(end);
                buffer->remove(0, end + 4);
                const QByteArray line = head.left(head.indexOf("\r\n"));
                const QByteArray path = line.split(' ').value(1);
                seen << QString::fromLatin1(path);
                QByteArray body;
                if (path.startsWith("/1.0/instances") && path.contains("recursion=2"))
                    body = bodies.value("r2");
                else if (path.startsWith("/1.0/instances"))
                    body = bodies.value("r1");
                else
                    body = bodies.value("server");
                s->write(QByteArray("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                    + QByteArray::number(body.size()) + "\r\n\r\n"));
                s->write(body);
            }
        });
    }
    QSslServer *m_server = new QSslServer(this); // a child: moves with the server's thread
};

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    return v.isEmpty() ? 0 : v.at(v.size() / 2);
}

struct CanyonRun
{
    double firstRowsMs = 0;
    double fullTableMs = 0;
};

// One cold listing into the console's models, as the GUI does it.
CanyonRun canyonList(
    const QUrl &url, const QString &pin, const LxdClientCertificate &identity, bool withState)
{
    CanyonRun run;
    InstancesTableModel table;
    FleetTreeModel tree;
    HostConfig h;
    h.name = u"bench"_s;
    h.kind = HostKind::Lxd;
    h.lxdUrl = url.toString();
    tree.setHosts({ h });
    table.setHosts({ u"bench"_s });
    QElapsedTimer t;
    bool first = true;
    QObject::connect(&table, &QAbstractItemModel::rowsInserted, &table, [&] {
        if (first)
            run.firstRowsMs = double(t.nsecsElapsed()) / 1e6;
        first = false;
    });
    LxdClient client(url, pin, identity);
    bool done = false;
    t.start();
    client.fetchInstances(
        [&](const LxdResult &r, const QList<Instance> &list, const QList<InstanceState> &states) {
            if (!r.ok())
                qFatal("list failed: %s", qPrintable(r.error));
            table.setInstances(u"bench"_s, list);
            tree.setInstances(u"bench"_s, list);
            for (qsizetype i = 0; i < states.size() && i < list.size(); ++i)
                table.setState(u"bench"_s, list.at(i).name, states.at(i));
            // what a view asks for the visible part: the data of every cell, once
            for (int r2 = 0; r2 < table.rowCount(); ++r2)
                for (int c = 0; c < InstancesTableModel::ColumnCount; ++c)
                    (void)table.index(r2, c).data();
            run.fullTableMs = double(t.nsecsElapsed()) / 1e6;
            done = true;
        },
        withState);
    while (!done)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    return run;
}

double lxcList(const QString &confDir)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"LXD_CONF"_s, confDir);
    p.setProcessEnvironment(env);
    QElapsedTimer t;
    t.start();
    p.start(u"lxc"_s, { u"list"_s, u"bench:"_s, u"--format"_s, u"json"_s });
    p.closeWriteChannel();
    if (!p.waitForFinished(120000) || p.exitCode() != 0)
        qFatal("lxc list failed: %s", p.readAllStandardError().constData());
    const double ms = double(t.nsecsElapsed()) / 1e6;
    if (p.readAllStandardOutput().size() < 100)
        qFatal("lxc list printed nothing");
    return ms;
}

void benchP4(int n, int repeat, bool withLxc)
{
    QTemporaryDir dir;
    LxdClientCertificate serverId, clientId;
    QString error;
    if (!LxdClientCertificate::ensure(dir.filePath(u"client"_s), &clientId, &error))
        qFatal("certificates: %s", qPrintable(error));
    // the server's: with an IP SAN for 127.0.0.1, as lxc checks the name like LXD's own do
    const QString key = dir.filePath(u"server.key"_s), crt = dir.filePath(u"server.crt"_s);
    QProcess openssl;
    openssl.setStandardOutputFile(QProcess::nullDevice());
    openssl.setStandardErrorFile(QProcess::nullDevice());
    openssl.start(u"openssl"_s,
        { u"req"_s, u"-x509"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s, u"ec_paramgen_curve:secp384r1"_s,
            u"-nodes"_s, u"-subj"_s, u"/CN=bench"_s, u"-addext"_s, u"subjectAltName=IP:127.0.0.1"_s,
            u"-days"_s, u"1"_s, u"-keyout"_s, key, u"-out"_s, crt });
    if (!openssl.waitForFinished(30000) || openssl.exitCode() != 0)
        qFatal("openssl req failed");
    QFile kf(key), cf(crt);
    if (!kf.open(QIODevice::ReadOnly) || !cf.open(QIODevice::ReadOnly))
        qFatal("server certificate files missing");
    serverId.certificate = QSslCertificate(cf.readAll());
    serverId.key = QSslKey(kf.readAll(), QSsl::Ec);
    const QString sha = certificateSha256(serverId.certificate);

    QThread thread;
    auto *server = new ReplayServer;
    QJsonObject info = readSample(u"server.json"_s);
    server->bodies.insert("server", QJsonDocument(info).toJson(QJsonDocument::Compact));
    server->bodies.insert("r1", multiply(readSample(u"instances-recursion1.json"_s), n));
    server->bodies.insert("r2", multiply(readSample(u"instances-recursion2.json"_s), n));
    server->moveToThread(&thread);
    thread.start();
    bool listening = false;
    QMetaObject::invokeMethod(
        server, [&] { listening = server->listen(serverId); }, Qt::BlockingQueuedConnection);
    if (!listening)
        qFatal("listen failed");
    const QUrl url(u"https://127.0.0.1:%1"_s.arg(server->port()));
    out << "P4 " << n << " instances, replayed: recursion=1 body " << server->bodies.value("r1").size() / 1024
        << " KiB, recursion=2 body " << server->bodies.value("r2").size() / 1024 << " KiB; median of "
        << repeat << Qt::endl;

    QList<double> first, full, lxc;
    canyonList(url, sha, clientId, false); // warm-up (code paths, not connections: each run is cold)
    for (int i = 0; i < repeat; ++i) {
        first << canyonList(url, sha, clientId, false).firstRowsMs;
        full << canyonList(url, sha, clientId, true).fullTableMs;
    }
    out << "  canyon first rows (recursion=1 -> models)  " << QString::number(median(first), 'f', 1) << " ms"
        << Qt::endl;
    out << "  canyon full table (recursion=2 -> models)  " << QString::number(median(full), 'f', 1) << " ms"
        << Qt::endl;
    if (withLxc) {
        const QString conf = dir.filePath(u"lxc"_s);
        QDir().mkpath(conf + u"/servercerts"_s);
        QFile pinned(conf + u"/servercerts/bench.crt"_s);
        pinned.open(QIODevice::WriteOnly);
        pinned.write(serverId.certificate.toPem());
        pinned.close();
        // lxc's own client identity (any: the replay trusts every client)
        QFile ccrt(conf + u"/client.crt"_s), ckey(conf + u"/client.key"_s);
        ccrt.open(QIODevice::WriteOnly);
        ccrt.write(clientId.certificate.toPem());
        ccrt.close();
        ckey.open(QIODevice::WriteOnly);
        ckey.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        ckey.write(clientId.key.toPem());
        ckey.close();
        QFile cfg(conf + u"/config.yml"_s);
        cfg.open(QIODevice::WriteOnly);
        cfg.write(QByteArray("default-remote: bench\nremotes:\n  bench:\n    addr: " + url.toString().toUtf8()
            + "\n    protocol: lxd\n    auth_type: tls\n    public: false\n"));
        cfg.close();
        lxcList(conf); // warm-up: lxc makes its client certificate on first use
        for (int i = 0; i < repeat; ++i)
            lxc << lxcList(conf);
        const double l = median(lxc);
        out << "  lxc list --format json                     " << QString::number(l, 'f', 1) << " ms"
            << Qt::endl;
        out << "P4 first rows ratio canyon/lxc = " << QString::number(median(first) / l, 'f', 2)
            << " (goal <= 0.5)" << Qt::endl;
        out << "P4 full table ratio canyon/lxc = " << QString::number(median(full) / l, 'f', 2)
            << " (goal <= 1.0)" << Qt::endl;
    }
    QStringList paths;
    QMetaObject::invokeMethod(
        server, [&] { paths = server->seen; }, Qt::BlockingQueuedConnection);
    paths.removeDuplicates();
    out << "  requests served: " << paths.join(u"  "_s) << Qt::endl;
    QMetaObject::invokeMethod(
        server, [server] { delete server; }, Qt::BlockingQueuedConnection);
    thread.quit();
    thread.wait();
}

// A P3-like load in this process: D simulated devices inventoried round after round.
class P3Load
{
public:
    bool start(int devices, const QString &fleetsim)
    {
        for (const char *name : { "client", "host" }) {
            QProcess gen;
            gen.start(u"ssh-keygen"_s,
                { u"-q"_s, u"-t"_s, u"ed25519"_s, u"-N"_s, QString(), u"-f"_s,
                    m_dir.filePath(QLatin1String(name)) });
            if (!gen.waitForFinished(10000) || gen.exitCode() != 0)
                return false;
        }
        m_sim.setProcessChannelMode(QProcess::SeparateChannels);
        // The simulator stands for remote devices: at nice 19 it only takes CPU the console
        // leaves, as real devices (other machines) would, so GUI stalls measure the console.
        m_sim.start(u"nice"_s,
            { u"-n"_s, u"19"_s, fleetsim, u"serve"_s, u"--devices"_s, QString::number(devices), u"--port"_s,
                u"0"_s, u"--listen"_s, u"127.0.0.1"_s, u"--host-key"_s, m_dir.filePath(u"host"_s),
                u"--authorized-key"_s, m_dir.filePath(u"client.pub"_s), u"--max-connections"_s, u"2000"_s });
        QByteArray ready;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 15000 && !ready.contains('\n') && m_sim.state() != QProcess::NotRunning) {
            m_sim.waitForReadyRead(200);
            ready += m_sim.readAllStandardOutput();
        }
        const QList<QByteArray> w = ready.trimmed().split(' ');
        const int port = w.size() == 2 && w.at(0) == "READY" ? w.at(1).toInt() : 0;
        if (port <= 0)
            return false;
        QFile pub(m_dir.filePath(u"host.pub"_s)), known(m_dir.filePath(u"cfg/known_hosts"_s));
        QDir().mkpath(m_dir.filePath(u"cfg"_s));
        if (!pub.open(QIODevice::ReadOnly) || !known.open(QIODevice::WriteOnly))
            return false;
        const QList<QByteArray> key = pub.readAll().trimmed().split(' ');
        known.write(
            "[127.0.0.1]:" + QByteArray::number(port) + ' ' + key.value(0) + ' ' + key.value(1) + '\n');
        known.close();
        m_fleet = std::make_unique<FleetService>(Config::fromDirectory(m_dir.filePath(u"cfg"_s)));
        m_fleet->setSshConfigFile(u"none"_s);
        m_fleet->setUserKnownHostsFile(m_dir.filePath(u"none"_s));
        m_fleet->setTimeoutMs(60000);
        QString error;
        for (int i = 0; i < devices; ++i) {
            HostConfig h;
            h.name = u"dev%1"_s.arg(i, 4, 10, QLatin1Char('0')); // the simulator's device users
            h.ssh = { h.name, u"127.0.0.1"_s, port };
            h.identityFile = m_dir.filePath(u"client"_s);
            h.group = u"g%1"_s.arg(i % 10);
            if (!m_fleet->addHost(h, &error))
                return false;
        }
        m_tree.setHosts(m_fleet->hosts());
        QObject::connect(
            m_fleet.get(), &FleetService::deviceInventoryReady, &m_tree, [this](const DeviceInventory &inv) {
                m_tree.setInventory(inv); // GUI-thread work per device, as in the console
                ++m_inventories;
                m_ok += inv.status == DeviceStatus::Ok ? 1 : 0;
            });
        QObject::connect(m_fleet.get(), &FleetService::refreshFinished, &m_tree, [this] {
            m_roundMs << double(m_round.nsecsElapsed()) / 1e6;
            if (m_roundMs.size() >= m_roundsWanted)
                m_running = false;
            if (m_running)
                next();
        });
        return true;
    }
    void go(int rounds)
    {
        m_roundsWanted = rounds;
        m_running = true;
        next();
    }
    void stop() { m_running = false; }
    bool done() const { return !m_running && !(m_fleet && m_fleet->isRefreshing()); }
    void finish()
    {
        stop();
        if (m_fleet && m_fleet->isRefreshing()) {
            m_fleet->cancel();
            QElapsedTimer t;
            t.start();
            while (m_fleet->isRefreshing() && t.elapsed() < 30000)
                QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        }
        m_fleet.reset();
        m_sim.terminate();
        if (!m_sim.waitForFinished(5000))
            m_sim.kill();
    }
    QString summary() const
    {
        return u"%1 device inventories (%2 ok) in %3 finished rounds (round ms: %4)"_s.arg(m_inventories)
            .arg(m_ok)
            .arg(m_roundMs.size())
            .arg([this]() -> QString {
                QStringList r;
                for (double ms : m_roundMs)
                    r << QString::number(ms, 'f', 0);
                return r.isEmpty() ? u"none finished"_s : r.join(u", "_s);
            }());
    }
    ~P3Load() { finish(); }

private:
    void next()
    {
        m_round.restart();
        m_fleet->refresh();
    }
    QTemporaryDir m_dir;
    QProcess m_sim;
    std::unique_ptr<FleetService> m_fleet;
    FleetTreeModel m_tree;
    QElapsedTimer m_round;
    QList<double> m_roundMs;
    bool m_running = false;
    int m_roundsWanted = 1;
    int m_inventories = 0;
    int m_ok = 0;
};

// With a load: measured while its rounds run (the first one cold, as P3), not for `seconds`.
void benchP5(int series, int seconds, P3Load *load = nullptr, int rounds = 1)
{
    QWidget window;
    window.resize(1400, 900);
    auto *grid = new QGridLayout(&window);
    QList<MetricChart *> charts;
    for (int i = 0; i < 4; ++i) {
        MetricChart *c = MetricChart::create(&window);
        c->setUnit(i == 0 ? MetricChart::Unit::Percent : MetricChart::Unit::Bytes);
        c->setTimeWindow(5 * 60 * 1000);
        grid->addWidget(c, i / 2, i % 2);
        charts << c;
    }
    window.show();
    // 5 minutes of 1 Hz history per series, then one new sample per series per second
    QList<QList<QPointF>> history(series);
    const qint64 start = QDateTime::currentMSecsSinceEpoch() - 300 * 1000;
    for (int s = 0; s < series; ++s)
        for (int k = 0; k < 300; ++k)
            history[s].append(QPointF(double(start + k * 1000), 50 + 40 * std::sin((k + s) / 10.0)));
    auto tick = [&] {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QList<MetricChart::Series> all;
        all.reserve(series);
        for (int s = 0; s < series; ++s) {
            history[s].append(QPointF(double(now), 50 + 40 * std::sin((now / 1000 + s) / 10.0)));
            if (history[s].size() > 300)
                history[s].removeFirst();
            all.append(MetricChart::Series { u"c%1"_s.arg(s), history[s] });
        }
        for (MetricChart *c : std::as_const(charts))
            c->setSeries(all);
    };
    tick();
    QTimer ticker;
    QObject::connect(&ticker, &QTimer::timeout, &ticker, tick);
    ticker.start(1000);
    // the first seconds build 4 x S line series (once per chart): reported apart
    QElapsedTimer warm;
    warm.start();
    double warmMax = 0;
    while (warm.elapsed() < 2000) {
        QElapsedTimer one;
        one.start();
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        warmMax = std::max(warmMax, double(one.nsecsElapsed()) / 1e6);
    }
    out << "P5 warm-up (building " << 4 * series << " line series): longest event-loop pass "
        << QString::number(warmMax, 'f', 1) << " ms" << Qt::endl;
    if (load)
        load->go(rounds); // the measurement lasts as long as the inventory rounds
    QList<double> gaps;
    QElapsedTimer probeClock;
    probeClock.start();
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    QObject::connect(&probe, &QTimer::timeout, &probe, [&] {
        gaps << double(probeClock.nsecsElapsed()) / 1e6;
        probeClock.restart();
    });
    probe.start(1);
    QElapsedTimer total;
    total.start();
    while (load ? !load->done() && total.elapsed() < 300000 : total.elapsed() < seconds * 1000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    const double measuredS = double(total.elapsed()) / 1000;
    std::sort(gaps.begin(), gaps.end());
    const double p99 = gaps.isEmpty() ? 0 : gaps.at(qsizetype(double(gaps.size() - 1) * 0.99));
    const double mx = gaps.isEmpty() ? 0 : gaps.last();
    if (load)
        load->stop();
    out << "P5 " << (load ? "UNDER P3 LOAD: " : "") << series
        << " series x 4 charts, 1 Hz updates of 5-minute histories, " << QString::number(measuredS, 'f', 1)
        << " s, offscreen: GUI-thread gap p99 " << QString::number(p99, 'f', 1) << " ms, max "
        << QString::number(mx, 'f', 1) << " ms (goal p99 <= 16, max <= 100)" << Qt::endl;
    if (load)
        out << "  P3 load during the measurement: " << load->summary() << Qt::endl;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    auto intArg = [&args](const QString &name, int def) {
        const qsizetype i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? args.at(i + 1).toInt() : def;
    };
    const int n = intArg(u"--instances"_s, 1000);
    const int repeat = intArg(u"--repeat"_s, 5);
    if (!args.contains(u"--no-p4"_s))
        benchP4(n, repeat, !args.contains(u"--no-lxc"_s));
    benchP5(intArg(u"--series"_s, 200), intArg(u"--seconds"_s, 10));
    if (const int devices = intArg(u"--p3-devices"_s, 1000); devices > 0) {
        const qsizetype f = args.indexOf(u"--fleetsim"_s);
        const QString fleetsim = f >= 0 && f + 1 < args.size()
            ? args.at(f + 1)
            : QCoreApplication::applicationDirPath() + u"/../../app/fleetsim/canyon-fleetsim"_s;
        P3Load load;
        if (!load.start(devices, fleetsim))
            qFatal("P3 load: the simulator (%s) did not come up", qPrintable(fleetsim));
        out << "P3 load: " << devices << " simulated devices (canyon-fleetsim), inventoried round after round"
            << Qt::endl;
        const int rounds = intArg(u"--p3-rounds"_s, 1);
        out << "  " << rounds
            << " round(s): the first cold (P3: full inventory), the rest warm (sessions kept)" << Qt::endl;
        benchP5(intArg(u"--series"_s, 200), intArg(u"--seconds"_s, 10), &load, rounds);
    }
    return 0;
}
