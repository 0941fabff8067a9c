// SPDX-License-Identifier: GPL-3.0-or-later
// canyon-bench-inventory: times Canyon's fleet inventory (FleetService::refresh) over a list
// of SSH targets, cold then warm over the kept sessions, and prints machine-readable lines.
// It is a benchmark harness driven by tests/bench/run-bench.sh, not a test: it judges nothing.
//
//   canyon-bench-inventory --targets FILE --identity KEY --known-hosts FILE
//       [--concurrency C] [--rounds R] [--kex K] [--timeout SECONDS] [--force-dialect] [--step]
//       [--restart]
//   canyon-bench-inventory --sample-server-cpu PIDFILE
//
// FILE has one target per line: "user@host:port [dialect]" ('#' starts a comment). The
// dialect column is ignored unless --force-dialect is given (Canyon detects it otherwise).
// Round 1 is cold (first contact: nothing known of the devices), later rounds reuse the open
// sessions (warm), except that with --restart round 2 is a console restart: a new service on the
// same config, every session new, knowing what the inventory cache remembers. Output, per round:
//   bench-inventory round=1 kind=cold n=50 c=50 wall_s=0.973 cpu_s=0.090 cpu_user_s=...
//       cpu_sys_s=... cpu_ms_per_dev=1.80 ok=48 failed=2 failed_by_status=unsupported:1
//       dev_ms_p50=... dev_ms_p90=... dev_ms_max=... rss_max_kb=...
// (cpu: getrusage of this process, all threads, around the refresh only), then
// "bench-inventory-failure round=R host=H address=A status=S error=TEXT" per failed device
// (TEXT is the rest of the line), and at the end "bench-inventory setup_s=... total_cpu_s=...".
// With --step, before each round and before exiting it prints "bench-inventory step=round1"
// (round2, ..., exit) and waits for a line on stdin, so that a driver meters the servers' CPU
// around exactly one round (run-bench.sh does it with `perf stat -p`).
// --sample-server-cpu prints "server-cpu cpu_s=... children=..." for the pids in PIDFILE and
// their process trees, from /proc. That is approximate (the kernel's exit accounting
// under-counts short-lived children here); the driver uses it to wait until the servers have
// settled, and as a fallback without perf.
// Exit status: 0 when every round ran (devices may fail), 2 on a usage or setup error.

#include "domain/PlainText.h"
#include "fleet/Config.h"
#include "fleet/FleetService.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QMap>
#include <QSet>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <memory>
#include <sys/resource.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace canyon {
namespace {

struct CpuSample
{
    double user = 0;
    double sys = 0;
    long maxRssKb = 0;
};

CpuSample cpuNow()
{
    rusage ru {};
    getrusage(RUSAGE_SELF, &ru); // every thread of this process
    auto secs = [](const timeval &tv) { return double(tv.tv_sec) + double(tv.tv_usec) / 1e6; };
    return { secs(ru.ru_utime), secs(ru.ru_stime), ru.ru_maxrss };
}

// CPU of processes and their whole trees, from /proc (Linux). For each live process in the
// trees: the larger of its live threads' run time (/proc/PID/task/TID/schedstat, ns) and its
// utime+stime (/proc/PID/stat, whole ticks per field, but counting threads that ended), plus
// cutime+cstime: its children already reaped.
struct TreeCpu
{
    double cpuS = 0;
    int children = 0; // live descendants (a settled sshd listener has none)
    bool found = false; // at least one root pid is alive
};

QByteArray readSmall(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.read(4096) : QByteArray();
}

// ppid, its own CPU (whole ticks) and the reaped children's CPU, in seconds.
bool readStat(qint64 pid, qint64 *ppid, double *ownS, double *reapedS)
{
    const QByteArray text = readSmall(u"/proc/%1/stat"_s.arg(pid));
    // "pid (comm) state ppid ..." where comm may hold spaces and parentheses
    const qsizetype close = text.lastIndexOf(')');
    if (close < 0)
        return false;
    const QList<QByteArray> fields = text.mid(close + 2).split(' ');
    // after ")": state=0 ppid=1 ... utime=11 stime=12 cutime=13 cstime=14
    if (fields.size() < 15)
        return false;
    *ppid = fields.at(1).toLongLong();
    const double tick = double(sysconf(_SC_CLK_TCK));
    *ownS = (fields.at(11).toDouble() + fields.at(12).toDouble()) / tick;
    *reapedS = (fields.at(13).toDouble() + fields.at(14).toDouble()) / tick;
    return true;
}

double threadsRunS(qint64 pid)
{
    double ns = 0;
    const QString dir = u"/proc/%1/task"_s.arg(pid);
    const QStringList tids = QDir(dir).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &tid : tids)
        ns += readSmall(dir + u'/' + tid + u"/schedstat"_s).split(' ').value(0).toDouble();
    return ns / 1e9;
}

TreeCpu treeCpu(const QList<qint64> &roots)
{
    QHash<qint64, QList<qint64>> kids;
    QHash<qint64, double> reapedS;
    QHash<qint64, double> ownS;
    const QStringList entries = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &e : entries) {
        bool isPid = false;
        const qint64 pid = e.toLongLong(&isPid);
        qint64 ppid = 0;
        double own = 0;
        double reaped = 0;
        if (!isPid || !readStat(pid, &ppid, &own, &reaped))
            continue;
        kids[ppid].append(pid);
        reapedS.insert(pid, reaped);
        ownS.insert(pid, own);
    }
    TreeCpu r;
    QList<qint64> stack;
    for (qint64 root : roots) {
        if (!reapedS.contains(root))
            continue;
        r.found = true;
        stack.append(root);
    }
    QSet<qint64> seen;
    while (!stack.isEmpty()) {
        const qint64 pid = stack.takeLast();
        if (seen.contains(pid))
            continue;
        seen.insert(pid);
        r.cpuS += reapedS.value(pid) + std::max(ownS.value(pid), threadsRunS(pid));
        if (!roots.contains(pid))
            ++r.children;
        stack.append(kids.value(pid));
    }
    return r;
}

bool readPids(const QString &file, QList<qint64> *pids, QString *error)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) {
        *error = u"cannot read %1: %2"_s.arg(file, f.errorString());
        return false;
    }
    const QList<QByteArray> words = f.readAll().simplified().split(' ');
    for (const QByteArray &w : words) {
        bool ok = false;
        const qint64 pid = w.toLongLong(&ok);
        if (ok && pid > 0)
            pids->append(pid);
    }
    if (pids->isEmpty()) {
        *error = u"%1 lists no pids"_s.arg(file);
        return false;
    }
    return true;
}

// A device's error text on one line, without control characters (it may quote remote output).
QString oneLine(const QString &remote)
{
    QString s = visibleText(remote, 300);
    for (QChar &c : s)
        if (c.isSpace())
            c = u' ';
    return s;
}

qint64 percentile(QList<qint64> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto i = qsizetype(p * double(values.size() - 1) + 0.5);
    return values.at(std::clamp<qsizetype>(i, 0, values.size() - 1));
}

bool readTargets(
    const QString &file, bool forceDialect, const QString &identity, QList<HostConfig> *hosts, QString *error)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) {
        *error = u"cannot read %1: %2"_s.arg(file, f.errorString());
        return false;
    }
    int lineNo = 0;
    while (!f.atEnd()) {
        ++lineNo;
        QString line = QString::fromUtf8(f.readLine());
        const qsizetype hash = line.indexOf(u'#');
        if (hash >= 0)
            line.truncate(hash);
        const QStringList parts = line.simplified().split(u' ', Qt::SkipEmptyParts);
        if (parts.isEmpty())
            continue;
        HostConfig h;
        h.name = u"t%1"_s.arg(hosts->size(), 4, 10, QLatin1Char('0'));
        h.identityFile = identity;
        QString perr;
        if (!SshTarget::parse(parts.at(0), &h.ssh, &perr)) {
            *error = u"%1:%2: %3"_s.arg(file).arg(lineNo).arg(perr);
            return false;
        }
        if (forceDialect && parts.size() > 1 && parts.at(1) != u"none")
            h.dialect = parts.at(1);
        hosts->append(h);
    }
    if (hosts->isEmpty()) {
        *error = u"%1 lists no targets"_s.arg(file);
        return false;
    }
    return true;
}

int run(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Times Canyon's fleet inventory: cold, then warm rounds."_s);
    parser.addHelpOption();
    const QCommandLineOption targetsOpt(
        u"targets"_s, u"Targets file (user@host:port [dialect])."_s, u"file"_s);
    const QCommandLineOption identityOpt(u"identity"_s, u"Private key for every target."_s, u"file"_s);
    const QCommandLineOption knownOpt(
        u"known-hosts"_s, u"Read-only known_hosts for the targets."_s, u"file"_s);
    const QCommandLineOption concOpt(
        u"concurrency"_s, u"Connections at once (default 50)."_s, u"n"_s, u"50"_s);
    const QCommandLineOption roundsOpt(
        u"rounds"_s, u"Refresh rounds: 1 cold + warm ones (default 2)."_s, u"n"_s, u"2"_s);
    const QCommandLineOption kexOpt(
        u"kex"_s, u"Key exchange to pin (default curve25519-sha256)."_s, u"k"_s, u"curve25519-sha256"_s);
    const QCommandLineOption timeoutOpt(
        u"timeout"_s, u"Per device deadline in seconds (default 60)."_s, u"s"_s, u"60"_s);
    const QCommandLineOption forceOpt(u"force-dialect"_s, u"Use the targets file's dialect column."_s);
    const QCommandLineOption stepOpt(
        u"step"_s, u"Wait for a line on stdin before each round and the exit."_s);
    const QCommandLineOption restartOpt(u"restart"_s,
        u"Round 2 restarts the console: a new service on the same config, every session new, "
        "knowing only what the inventory cache says (the dialect, the system facts)."_s);
    const QCommandLineOption sampleOpt(
        u"sample-server-cpu"_s, u"Print these servers' CPU so far and exit."_s, u"file"_s);
    parser.addOptions({ targetsOpt, identityOpt, knownOpt, concOpt, roundsOpt, kexOpt, timeoutOpt, forceOpt,
        stepOpt, sampleOpt, restartOpt });
    parser.process(arguments);

    auto fail = [&err](const QString &message) {
        err << "canyon-bench-inventory: " << message << Qt::endl;
        return 2;
    };
    QString error;
    if (parser.isSet(sampleOpt)) {
        QList<qint64> serverPids;
        if (!readPids(parser.value(sampleOpt), &serverPids, &error))
            return fail(error);
        const TreeCpu t = treeCpu(serverPids);
        if (!t.found)
            return fail(u"none of the server pids is running"_s);
        out << "server-cpu cpu_s=" << QString::number(t.cpuS, 'f', 3) << " children=" << t.children
            << Qt::endl;
        return 0;
    }
    if (!parser.isSet(targetsOpt) || !parser.isSet(identityOpt) || !parser.isSet(knownOpt))
        return fail(u"--targets, --identity and --known-hosts are required (see --help)"_s);
    bool ok = false;
    const int concurrency = parser.value(concOpt).toInt(&ok);
    if (!ok || concurrency < 1)
        return fail(u"--concurrency needs a positive number"_s);
    const int rounds = parser.value(roundsOpt).toInt(&ok);
    if (!ok || rounds < 1 || rounds > 100)
        return fail(u"--rounds needs a number from 1 to 100"_s);
    const double timeoutS = parser.value(timeoutOpt).toDouble(&ok);
    if (!ok || timeoutS <= 0)
        return fail(u"--timeout needs a positive number of seconds"_s);
    const QString identity = QFileInfo(parser.value(identityOpt)).absoluteFilePath();
    const QString knownHosts = QFileInfo(parser.value(knownOpt)).absoluteFilePath();
    if (!QFileInfo::exists(identity) || !QFileInfo::exists(knownHosts))
        return fail(u"no such identity or known_hosts file"_s);

    QElapsedTimer setupClock;
    setupClock.start();
    QList<HostConfig> hosts;
    if (!readTargets(parser.value(targetsOpt), parser.isSet(forceOpt), identity, &hosts, &error))
        return fail(error);

    // A private, throwaway Canyon config: its own known_hosts stays empty, the testbed's is
    // read only (like ~/.ssh/known_hosts), so nothing is ever accepted blindly.
    QTemporaryDir configDir;
    if (!configDir.isValid())
        return fail(u"cannot create a temporary config dir: "_s + configDir.errorString());
    const Config config = Config::fromDirectory(configDir.path());
    if (!config.saveHosts(hosts, &error))
        return fail(error);
    QList<DeviceInventory> results;
    auto makeFleet = [&]() -> std::unique_ptr<FleetService> {
        auto f = std::make_unique<FleetService>(config);
        if (!f->load(&error))
            return nullptr;
        f->setSshConfigFile(u"none"_s);
        f->setUserKnownHostsFile(knownHosts);
        f->setKeyExchange(parser.value(kexOpt));
        f->setMaxConcurrency(concurrency);
        f->setTimeoutMs(int(timeoutS * 1000));
        QObject::connect(f.get(), &FleetService::deviceInventoryReady, f.get(),
            [&results](const DeviceInventory &inv) { results.append(inv); });
        return f;
    };
    std::unique_ptr<FleetService> fleetPtr = makeFleet();
    if (!fleetPtr)
        return fail(error);
    const bool restart = parser.isSet(restartOpt);
    const double setupS = double(setupClock.nsecsElapsed()) / 1e9;

    QTextStream in(stdin);
    const bool stepping = parser.isSet(stepOpt);
    auto step = [&](const QString &name) {
        if (!stepping)
            return;
        out << "bench-inventory step=" << name << Qt::endl;
        in.readLine(); // EOF goes on too
    };

    const auto n = hosts.size();
    const CpuSample start = cpuNow();
    for (int round = 1; round <= rounds; ++round) {
        results.clear();
        const bool restartRound = restart && round == 2;
        if (restartRound) { // untimed: what a console does when it quits and starts again
            if (!fleetPtr->saveInventoryCache(&error))
                return fail(u"cannot save the inventory cache: "_s + error);
            fleetPtr.reset(); // closes every session
            fleetPtr = makeFleet();
            if (!fleetPtr)
                return fail(error);
        }
        FleetService &fleet = *fleetPtr;
        QEventLoop loop;
        const auto finished
            = QObject::connect(&fleet, &FleetService::refreshFinished, &loop, &QEventLoop::quit);
        // Bounded: every device ends by its own deadline; this is a backstop against a hang.
        QTimer backstop;
        backstop.setSingleShot(true);
        bool timedOut = false;
        QObject::connect(&backstop, &QTimer::timeout, &loop, [&] {
            timedOut = true;
            loop.quit();
        });
        step(u"round%1"_s.arg(round));
        backstop.start(
            int(std::min<double>(timeoutS * 1000.0 * double(1 + n / concurrency) + 30000.0, 6 * 3600e3)));
        const CpuSample before = cpuNow();
        QElapsedTimer clock;
        clock.start();
        if (!fleet.refresh())
            return fail(u"refresh refused to start"_s);
        loop.exec();
        const double wall = double(clock.nsecsElapsed()) / 1e9;
        const CpuSample after = cpuNow();
        QObject::disconnect(finished);
        if (timedOut)
            return fail(u"round %1 did not finish within the backstop; stopping"_s.arg(round));

        int good = 0;
        QMap<QString, int> byStatus;
        QList<qint64> elapsed;
        for (const DeviceInventory &inv : std::as_const(results)) {
            elapsed.append(inv.elapsedMs);
            if (inv.status == DeviceStatus::Ok)
                ++good;
            else
                ++byStatus[deviceStatusName(inv.status)];
        }
        QStringList statusText;
        for (auto it = byStatus.cbegin(); it != byStatus.cend(); ++it)
            statusText << u"%1:%2"_s.arg(it.key()).arg(it.value());
        const double user = after.user - before.user;
        const double sys = after.sys - before.sys;
        out << "bench-inventory round=" << round << " kind="
            << (round == 1            ? "cold"
                       : restartRound ? "restart"
                                      : "warm")
            << " n=" << n << " c=" << concurrency << " wall_s=" << QString::number(wall, 'f', 4)
            << " cpu_s=" << QString::number(user + sys, 'f', 4)
            << " cpu_user_s=" << QString::number(user, 'f', 4)
            << " cpu_sys_s=" << QString::number(sys, 'f', 4)
            << " cpu_ms_per_dev=" << QString::number((user + sys) * 1000.0 / double(n), 'f', 3)
            << " ok=" << good << " failed=" << (n - good)
            << " failed_by_status=" << (statusText.isEmpty() ? u"-"_s : statusText.join(u','))
            << " dev_ms_p50=" << percentile(elapsed, 0.5) << " dev_ms_p90=" << percentile(elapsed, 0.9)
            << " dev_ms_max=" << percentile(elapsed, 1.0) << " rss_max_kb=" << after.maxRssKb << Qt::endl;
        for (const DeviceInventory &inv : std::as_const(results))
            if (inv.status != DeviceStatus::Ok)
                out << "bench-inventory-failure round=" << round << " host=" << inv.host
                    << " address=" << inv.address << " status=" << deviceStatusName(inv.status)
                    << " error=" << oneLine(inv.error) << Qt::endl;
    }
    const CpuSample end = cpuNow();
    out << "bench-inventory setup_s=" << QString::number(setupS, 'f', 4)
        << " total_cpu_s=" << QString::number(end.user + end.sys - start.user - start.sys, 'f', 4)
        << " rss_max_kb=" << end.maxRssKb << Qt::endl;
    step(u"exit"_s); // the sessions close when the FleetService goes
    return 0;
}

} // namespace
} // namespace canyon

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"canyon-bench-inventory"_s);
    return canyon::run(QCoreApplication::arguments());
}
