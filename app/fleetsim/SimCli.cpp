// SPDX-License-Identifier: GPL-3.0-or-later
#include "SimCli.h"

#include "SimDevice.h"
#include "SimOptions.h"
#include "SimState.h"
#include "SimWire.h"

#include <QFile>
#include <QFileInfo>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <system_error>
#include <thread>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace canyon::sim {

namespace {

CliResult failure(const QString &message)
{
    return { {}, u"canyon-fleetsim: %1\n"_s.arg(message).toLocal8Bit(), 2 };
}

bool unicodeFrom(const LocaleEnvironment &locale)
{
    for (const QByteArray &raw : locale) {
        const QByteArray value = raw.toUpper();
        if (value.isEmpty())
            continue;
        return value.contains("UTF-8") || value.contains("UTF8");
    }
    return false;
}

// --- the socket side -------------------------------------------------------

constexpr quint32 kMaxStrings = 4096;
constexpr quint32 kMaxStringBytes = 1 << 20;
constexpr quint64 kMaxRequestBytes = 8 << 20;

bool sendBlock(int fd, const QByteArray &bytes)
{
    return wire::sendBlock(fd, bytes.constData(), quint32(bytes.size()));
}

// One request: read it whole (bounded), run it, answer, close.
void serveOne(int fd)
{
    timeval timeout { 10, 0 }; // a client that stalls mid-request does not hold a thread forever
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    quint32 header[2] {};
    CliResult result;
    if (!wire::readFully(fd, header, sizeof header) || header[0] != wire::kMagic || header[1] < 3
        || header[1] > kMaxStrings) {
        result = failure(u"not a canyon-simsnap request"_s);
    } else {
        QList<QByteArray> strings;
        quint64 total = 0;
        bool ok = true;
        for (quint32 i = 0; ok && i < header[1]; ++i) {
            quint32 length = 0;
            ok = wire::readFully(fd, &length, sizeof length) && length <= kMaxStringBytes
                && (total += length) <= kMaxRequestBytes;
            QByteArray s(qsizetype(ok ? length : 0), Qt::Uninitialized);
            ok = ok && wire::readFully(fd, s.data(), length);
            strings.append(s);
        }
        if (!ok) {
            result = failure(u"a cut or oversized canyon-simsnap request"_s);
        } else {
            const LocaleEnvironment locale { strings[0], strings[1], strings[2] };
            QStringList args;
            for (qsizetype i = 3; i < strings.size(); ++i)
                args.append(QString::fromLocal8Bit(strings[i]));
            result = runCliCommand(args, locale);
        }
    }
    const qint32 code = result.exitCode;
    if (wire::sendFully(fd, &code, sizeof code) && sendBlock(fd, result.out))
        sendBlock(fd, result.err);
    ::close(fd);
}

int stopPipe[2] = { -1, -1 };
std::atomic<int> requestsRunning { 0 };

void serveCounted(int fd)
{
    serveOne(fd);
    --requestsRunning;
}

extern "C" void onStopSignal(int)
{
    const char byte = 1;
    const int saved = errno;
    [[maybe_unused]] const ssize_t n = ::write(stopPipe[1], &byte, 1);
    errno = saved;
}

} // namespace

LocaleEnvironment localeFromProcessEnvironment()
{
    return { qgetenv("LC_MESSAGES"), qgetenv("LC_ALL"), qgetenv("LANG") };
}

CliResult runCliCommand(const QStringList &args, const LocaleEnvironment &locale)
{
    const Options o = parseOptions(args, { u"state"_s, u"init"_s, u"index"_s });
    if (!o.error.isEmpty())
        return failure(o.error);
    const QString path = o.values.value(u"state"_s);
    if (path.isEmpty())
        return failure(u"--state is required"_s);
    if (o.rest.isEmpty())
        return failure(u"no command given after --"_s);
    int index = 0;
    QString error;
    if (!intOption(o, u"index"_s, 0, 1'000'000, index, error))
        return failure(error);
    std::optional<Dialect> init;
    if (o.values.contains(u"init"_s)) {
        init = dialectFromName(o.values.value(u"init"_s));
        if (!init)
            return failure(u"--init must be snap, snappy or none"_s);
    }

    FileLock lock(path + u".lock"_s);
    if (!lock.isLocked())
        return failure(lock.errorString());
    std::optional<SimDevice> device;
    if (QFileInfo::exists(path)) {
        device = loadDeviceState(path, &error);
        if (!device)
            return failure(error);
    } else if (init) {
        device = SimDevice::seeded(index, *init);
        device->dirty = true;
    } else {
        return failure(u"%1 does not exist (use --init)"_s.arg(path));
    }

    QStringList argv = o.rest;
    qsizetype programAt = 0;
    if (argv.first() == u"sudo") {
        programAt = 1;
        while (programAt < argv.size() && argv[programAt].startsWith(u'-'))
            ++programAt;
    }
    if (programAt >= argv.size())
        return failure(u"no command given after --"_s);
    argv[programAt] = QFileInfo(argv[programAt]).fileName();
    const QString program = argv[programAt];
    CliResult result;
    if (!device->hasCommand(program)) {
        // What bash says when the wrapper exists but the device has no such CLI.
        result.err = (program + u": command not found\n"_s).toUtf8();
        result.exitCode = 127;
    } else {
        RunContext context;
        context.unicode = unicodeFrom(locale);
        RunResult run = device->run(argv.mid(programAt), context);
        result = { std::move(run.out), std::move(run.err), run.exitCode };
    }
    if (device->dirty && !saveDeviceState(*device, path, &error))
        return failure(error);
    return result;
}

int serveCliRequests(const QString &socketPath)
{
    const QByteArray native = QFile::encodeName(socketPath);
    sockaddr_un address {};
    address.sun_family = AF_UNIX;
    if (size_t(native.size()) >= sizeof address.sun_path) {
        std::fprintf(stderr, "canyon-fleetsim: socket path too long: %s\n", native.constData());
        return 2;
    }
    std::memcpy(address.sun_path, native.constData(), size_t(native.size()));

    const int listener = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener < 0) {
        std::perror("canyon-fleetsim: socket");
        return 1;
    }
    // A socket file nobody answers on is a leftover of a killed daemon; a live one is not ours to take.
    if (::connect(listener, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0) {
        std::fprintf(stderr, "canyon-fleetsim: another clid already serves %s\n", native.constData());
        ::close(listener);
        return 1;
    }
    ::close(listener);
    const int server = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ::unlink(native.constData());
    const mode_t oldMask
        = ::umask(0077); // the socket gets no group/other bits: only our user's wrappers connect
    const bool bound
        = server >= 0 && ::bind(server, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0;
    ::umask(oldMask);
    if (!bound || ::listen(server, 256) != 0) {
        std::fprintf(
            stderr, "canyon-fleetsim: cannot listen on %s: %s\n", native.constData(), std::strerror(errno));
        if (server >= 0)
            ::close(server);
        return 1;
    }
    if (::pipe2(stopPipe, O_CLOEXEC) != 0) {
        std::perror("canyon-fleetsim: pipe");
        return 1;
    }
    struct sigaction stop
    {
    };
    stop.sa_handler = onStopSignal;
    ::sigaction(SIGTERM, &stop, nullptr);
    ::sigaction(SIGINT, &stop, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    std::printf("READY %s\n", native.constData());
    std::fflush(stdout);

    pollfd fds[2] = { { server, POLLIN, 0 }, { stopPipe[0], POLLIN, 0 } };
    for (;;) {
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            std::perror("canyon-fleetsim: poll");
            break;
        }
        if (fds[1].revents)
            break;
        if (!(fds[0].revents & POLLIN))
            continue;
        const int client = ::accept4(server, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0)
            continue; // EINTR, ECONNABORTED, EMFILE: the client sees a cut and says so
        ++requestsRunning;
        try {
            std::thread(serveCounted, client).detach();
        } catch (const std::system_error &) {
            serveCounted(client); // no thread to spare: answer in line rather than not at all
        }
    }
    ::close(server);
    ::unlink(native.constData());
    // Let the requests in flight write their state and answer (each is bounded by its timeouts).
    for (int i = 0; i < 300 && requestsRunning > 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return 0;
}

} // namespace canyon::sim
