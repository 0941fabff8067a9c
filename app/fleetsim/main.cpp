// SPDX-License-Identifier: GPL-3.0-or-later
// canyon-fleetsim: argument parsing and wiring; the simulator lives in the
// canyon_fleetsim library.
#include "SimCli.h"
#include "SimDevice.h"
#include "SimOptions.h"
#include "SimServer.h"
#include "SimState.h"

#include <QFileInfo>
#include <QMap>
#include <QStringList>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <libssh/libssh.h>
#include <pthread.h>
#include <sys/resource.h>

using namespace Qt::StringLiterals;
using namespace canyon::sim;

namespace {

const char kUsage[]
    = "Usage:\n"
      "  canyon-fleetsim serve --devices N --host-key FILE --authorized-key FILE [--port P]\n"
      "        [--listen 127.0.0.1] [--snappy-share PCT] [--unsupported N] [--state-dir DIR]\n"
      "        [--slow-ms MS --slow-share PCT] [--drop-share PCT] [--hostile-share PCT]\n"
      "        [--hostile-list-rows N] [--silent-share PCT] [--idle-timeout SEC]\n"
      "        [--max-connections N] [--reboot-ms MS]\n"
      "        [--fail-refresh I,J..] [--no-sudo I,J..] [--cut-after-write I,J..] [--verbose]\n"
      "  canyon-fleetsim cli --state FILE [--init snap|snappy|none] [--index I] -- COMMAND [ARGS...]\n"
      "  canyon-fleetsim clid --socket PATH\n"
      "  canyon-fleetsim init-state --out FILE --dialect snap|snappy|none [--index I]\n"
      "\n"
      "serve plays N simulated snap devices over SSH on one loopback port; the SSH user\n"
      "name picks the device (dev0000 .. dev{N-1}). Only the authorized key may log in.\n"
      "It prints \"READY <port>\" once listening and exits cleanly on SIGTERM/SIGINT.\n"
      "Device traits are spread evenly: --snappy-share PCT (default 20) of the devices speak\n"
      "the 2014 snappy CLI; the last --unsupported N devices have neither snap nor snappy.\n"
      "cli runs one snap/snappy command against a state file (for real sshd targets);\n"
      "clid runs such commands for canyon-simsnap clients on a unix socket until SIGTERM.\n";

int usageError(const QString &message)
{
    std::fprintf(stderr, "canyon-fleetsim: %s\n\n%s", qPrintable(message), kUsage);
    return 2;
}

int runServe(const QStringList &args)
{
    const Options o = parseOptions(args,
        { u"port"_s, u"listen"_s, u"devices"_s, u"snappy-share"_s, u"host-key"_s, u"authorized-key"_s,
            u"state-dir"_s, u"unsupported"_s, u"slow-ms"_s, u"slow-share"_s, u"drop-share"_s,
            u"hostile-share"_s, u"silent-share"_s, u"idle-timeout"_s, u"max-connections"_s, u"reboot-ms"_s,
            u"fail-refresh"_s, u"no-sudo"_s, u"cut-after-write"_s, u"hostile-list-rows"_s },
        { u"verbose"_s });
    if (!o.error.isEmpty())
        return usageError(o.error);
    if (!o.rest.isEmpty())
        return usageError(u"serve takes no command"_s);
    ServerConfig config;
    QString error;
    int port = 0;
    if (!o.values.contains(u"devices"_s))
        return usageError(u"--devices is required"_s);
    if (!o.values.contains(u"host-key"_s) || !o.values.contains(u"authorized-key"_s))
        return usageError(u"--host-key and --authorized-key are required"_s);
    if (!intOption(o, u"port"_s, 0, 65535, port, error)
        || !intOption(o, u"devices"_s, 1, 1'000'000, config.devices, error)
        || !intOption(o, u"snappy-share"_s, 0, 100, config.snappyShare, error)
        || !intOption(o, u"unsupported"_s, 0, 1'000'000, config.unsupported, error)
        || !intOption(o, u"slow-ms"_s, 0, 600'000, config.slowMs, error)
        || !intOption(o, u"slow-share"_s, 0, 100, config.slowShare, error)
        || !intOption(o, u"drop-share"_s, 0, 100, config.dropShare, error)
        || !intOption(o, u"hostile-share"_s, 0, 100, config.hostileShare, error)
        || !intOption(o, u"hostile-list-rows"_s, 0, 2'000'000, config.hostileListRows, error)
        || !intOption(o, u"silent-share"_s, 0, 100, config.silentShare, error)
        || !intOption(o, u"idle-timeout"_s, 1, 86'400, config.idleTimeoutSec, error)
        || !intOption(o, u"max-connections"_s, 1, 1'000'000, config.maxConnections, error)
        || !intOption(o, u"reboot-ms"_s, 0, 600'000, config.rebootMs, error))
        return usageError(error);
    // Device index lists for the fault knobs: "3,7,12".
    auto indexList = [&o, &error](const QString &name, QList<int> &out) {
        if (!o.values.contains(name))
            return true;
        for (const QString &part : o.values.value(name).split(u',', Qt::SkipEmptyParts)) {
            bool ok = false;
            const int v = part.trimmed().toInt(&ok);
            if (!ok || v < 0) {
                error = u"--%1 takes device indexes such as 3,7,12"_s.arg(name);
                return false;
            }
            out.append(v);
        }
        return true;
    };
    if (!indexList(u"fail-refresh"_s, config.failRefresh) || !indexList(u"no-sudo"_s, config.noSudo)
        || !indexList(u"cut-after-write"_s, config.cutAfterWrite))
        return usageError(error);
    config.port = quint16(port);
    config.listenAddress = o.values.value(u"listen"_s, u"127.0.0.1"_s);
    config.hostKeyFile = o.values.value(u"host-key"_s);
    config.authorizedKeyFile = o.values.value(u"authorized-key"_s);
    config.stateDir = o.values.value(u"state-dir"_s);
    config.verbose = o.values.contains(u"verbose"_s);
    if (o.values.contains(u"slow-share"_s) && config.slowMs == 0)
        config.slowMs = 2000;

    // Signals are taken by sigwait() below; every thread inherits the mask.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    // One descriptor per connection: the usual soft limit of 1024 is far
    // below what a fleet of thousands needs.
    rlimit files {};
    if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        setrlimit(RLIMIT_NOFILE, &files);
    }

    SimServer server(config);
    if (!server.start(&error)) {
        std::fprintf(stderr, "canyon-fleetsim: %s\n", qPrintable(error));
        return 1;
    }
    std::printf("READY %u\n", unsigned(server.port()));
    std::fflush(stdout);

    int received = 0;
    sigwait(&stopSignals, &received);
    if (config.verbose)
        std::fprintf(stderr, "canyon-fleetsim: signal %d, stopping\n", received);
    server.stop();
    return 0;
}

int runCli(const QStringList &args)
{
    const CliResult result = runCliCommand(args, localeFromProcessEnvironment());
    std::fwrite(result.out.constData(), 1, size_t(result.out.size()), stdout);
    std::fwrite(result.err.constData(), 1, size_t(result.err.size()), stderr);
    std::fflush(stdout);
    return result.exitCode;
}

int runCliDaemon(const QStringList &args)
{
    const Options o = parseOptions(args, { u"socket"_s });
    if (!o.error.isEmpty())
        return usageError(o.error);
    const QString path = o.values.value(u"socket"_s);
    if (path.isEmpty() || !o.rest.isEmpty())
        return usageError(u"clid takes --socket PATH and nothing else"_s);
    return serveCliRequests(path);
}

int runInitState(const QStringList &args)
{
    const Options o = parseOptions(args, { u"out"_s, u"dialect"_s, u"index"_s });
    if (!o.error.isEmpty())
        return usageError(o.error);
    const QString out = o.values.value(u"out"_s);
    const auto dialect = dialectFromName(o.values.value(u"dialect"_s));
    if (out.isEmpty() || !dialect)
        return usageError(u"--out FILE and --dialect snap|snappy|none are required"_s);
    int index = 0;
    QString error;
    if (!intOption(o, u"index"_s, 0, 1'000'000, index, error))
        return usageError(error);
    if (!saveDeviceState(SimDevice::seeded(index, *dialect), out, &error)) {
        std::fprintf(stderr, "canyon-fleetsim: %s\n", qPrintable(error));
        return 1;
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QStringList args;
    for (int i = 1; i < argc; ++i)
        args.append(QString::fromLocal8Bit(argv[i]));
    if (args.isEmpty() || args.first() == u"--help" || args.first() == u"-h" || args.first() == u"help") {
        std::fputs(kUsage, args.isEmpty() ? stderr : stdout);
        return args.isEmpty() ? 2 : 0;
    }
    const QString command = args.takeFirst();
    if (command == u"cli")
        return runCli(args);
    if (command == u"clid")
        return runCliDaemon(args);
    if (command == u"init-state")
        return runInitState(args);
    if (command == u"serve") {
        ssh_init();
        const int rc = runServe(args);
        ssh_finalize();
        return rc;
    }
    return usageError(u"unknown command \"%1\""_s.arg(command));
}
