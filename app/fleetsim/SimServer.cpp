// SPDX-License-Identifier: GPL-3.0-or-later
#include "SimServer.h"

#include "SimShell.h"
#include "SimState.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/server.h>
#include <list>
#include <mutex>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace Qt::StringLiterals;

namespace canyon::sim {

namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kThreadStack = 256 * 1024; // libssh + our shell fit easily
constexpr int kMaxChannelsPerSession = 32;
constexpr int kMaxEnvPerChannel = 32;
constexpr qsizetype kWriteChunk = 32 * 1024;

int traitOffset(Trait trait)
{
    switch (trait) {
    case Trait::Snappy:
        return 0;
    case Trait::Slow:
        return 1;
    case Trait::Drop:
        return 2;
    case Trait::Hostile:
        return 3;
    case Trait::Silent:
        return 5;
    }
    return 0;
}

bool writeAll(ssh_channel channel, const QByteArray &bytes, bool toStderr)
{
    for (qsizetype pos = 0; pos < bytes.size(); pos += kWriteChunk) {
        const auto len = uint32_t(std::min(kWriteChunk, bytes.size() - pos));
        const int rc = toStderr ? ssh_channel_write_stderr(channel, bytes.constData() + pos, len)
                                : ssh_channel_write(channel, bytes.constData() + pos, len);
        if (rc == SSH_ERROR)
            return false;
    }
    return true;
}

} // namespace

bool hasTrait(int index, int sharePercent, Trait trait)
{
    if (sharePercent <= 0)
        return false;
    if (sharePercent >= 100)
        return true;
    const qint64 i = qint64(index) + traitOffset(trait);
    return (i + 1) * sharePercent / 100 > i * sharePercent / 100;
}

int deviceIndexFromUser(const QString &user)
{
    if (!user.startsWith(u"dev") || user.size() < 7 || user.size() > 12)
        return -1;
    bool ok = false;
    const int index = user.mid(3).toInt(&ok);
    for (qsizetype i = 3; i < user.size(); ++i) {
        if (!user[i].isDigit())
            return -1;
    }
    // One spelling per device: dev0042, not dev00042.
    if (!ok || userForDevice(index) != user)
        return -1;
    return index;
}

QString userForDevice(int index)
{
    return u"dev%1"_s.arg(index, 4, 10, QLatin1Char('0'));
}

bool ensureHostKey(const QString &path, QString *error)
{
    const QByteArray native = QFile::encodeName(path);
    if (QFileInfo::exists(path)) {
        ssh_key key = nullptr;
        if (ssh_pki_import_privkey_file(native.constData(), nullptr, nullptr, nullptr, &key) != SSH_OK) {
            if (error)
                *error = u"cannot read host key %1"_s.arg(path);
            return false;
        }
        const bool ed25519 = ssh_key_type(key) == SSH_KEYTYPE_ED25519;
        ssh_key_free(key);
        if (!ed25519 && error)
            *error = u"host key %1 is not an ed25519 key"_s.arg(path);
        return ed25519;
    }
    ssh_key key = nullptr;
    if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key) != SSH_OK) {
        if (error)
            *error = u"cannot generate an ed25519 host key"_s;
        return false;
    }
    const mode_t oldMask = ::umask(077);
    const int rc = ssh_pki_export_privkey_file(key, nullptr, nullptr, nullptr, native.constData());
    ::umask(oldMask);
    char *b64 = nullptr;
    if (rc == SSH_OK && ssh_pki_export_pubkey_base64(key, &b64) == SSH_OK) {
        QFile pub(path + u".pub"_s);
        if (pub.open(QIODevice::WriteOnly | QIODevice::Truncate))
            pub.write(QByteArray("ssh-ed25519 ") + b64 + " canyon-fleetsim\n");
        ssh_string_free_char(b64);
    }
    ssh_key_free(key);
    if (rc != SSH_OK) {
        if (error)
            *error = u"cannot write host key %1"_s.arg(path);
        return false;
    }
    return true;
}

struct DeviceSlot
{
    std::mutex mutex;
    std::optional<SimDevice> device;
};

struct SessionCtx;

struct ChannelCtx
{
    ssh_channel_callbacks_struct callbacks {};
    SessionCtx *session = nullptr;
    ssh_channel channel = nullptr;
    QMap<QString, QString> env;
    std::optional<QByteArray> command;
    Clock::time_point readyAt {};
    bool started = false;
    bool finished = false;
    // `exec sh`: a shell reading scripts from stdin (Canyon's kept shell, SshSession::execRead).
    // Each chunk of input that ends a line runs as one script; the channel stays open.
    bool stream = false;
    QByteArray input;
};

struct SessionCtx
{
    SimServer::Impl *server = nullptr;
    ssh_session session = nullptr;
    ssh_server_callbacks_struct callbacks {};
    int deviceIndex = -1;
    bool authenticated = false;
    int authFailures = 0;
    bool disconnectNow = false;
    bool dropped = false;
    Clock::time_point lastActivity = Clock::now();
    std::list<std::unique_ptr<ChannelCtx>> channels;
};

struct SimServer::Impl
{
    ServerConfig config;
    ssh_bind bind = nullptr;
    int listenFd = -1;
    int wakePipe[2] = { -1, -1 };
    quint16 boundPort = 0;
    std::thread acceptThread;
    std::atomic<bool> stopping { false };
    std::atomic<int> active { 0 };
    std::mutex activeMutex;
    std::condition_variable activeDone;
    std::vector<ssh_key> authorizedKeys;
    // Created on first use: a million configured devices cost 8 MB until touched.
    std::mutex registryMutex;
    QSet<int> cutDone; // cutAfterWrite devices already cut (under registryMutex)
    std::vector<std::unique_ptr<DeviceSlot>> deviceSlots;

    ~Impl()
    {
        for (ssh_key k : authorizedKeys)
            ssh_key_free(k);
        if (bind)
            ssh_bind_free(bind);
        if (listenFd >= 0)
            ::close(listenFd);
        for (int fd : wakePipe) {
            if (fd >= 0)
                ::close(fd);
        }
    }

    Dialect dialectOf(int index) const
    {
        if (index >= config.devices - config.unsupported)
            return Dialect::None;
        return hasTrait(index, config.snappyShare, Trait::Snappy) ? Dialect::Snappy : Dialect::Snap;
    }

    QString statePath(int index) const
    {
        return QDir(config.stateDir).filePath(userForDevice(index) + u".json"_s);
    }

    // Runs fn on the device under its lock; loads or seeds it first and
    // persists it afterwards when fn changed it.
    template<typename Fn> void withDevice(int index, Fn &&fn)
    {
        DeviceSlot *slotPtr = nullptr;
        {
            std::lock_guard registryLock(registryMutex);
            auto &entry = deviceSlots[size_t(index)];
            if (!entry)
                entry = std::make_unique<DeviceSlot>();
            slotPtr = entry.get();
        }
        DeviceSlot &slot = *slotPtr;
        std::lock_guard lock(slot.mutex);
        if (!slot.device) {
            if (!config.stateDir.isEmpty() && QFileInfo::exists(statePath(index))) {
                QString why;
                slot.device = loadDeviceState(statePath(index), &why);
                if (!slot.device)
                    std::fprintf(stderr, "canyon-fleetsim: %s; reseeding\n", qPrintable(why));
            }
            if (!slot.device)
                slot.device = SimDevice::seeded(index, dialectOf(index));
            slot.device->hostile = hasTrait(index, config.hostileShare, Trait::Hostile);
            slot.device->hostileListRows = slot.device->hostile ? config.hostileListRows : 0;
            slot.device->failRefresh = config.failRefresh.contains(index);
            slot.device->sudoNeedsPassword = config.noSudo.contains(index);
        }
        fn(*slot.device);
        if (slot.device->dirty) {
            slot.device->dirty = false;
            if (!config.stateDir.isEmpty()) {
                QString why;
                if (!saveDeviceState(*slot.device, statePath(index), &why))
                    std::fprintf(stderr, "canyon-fleetsim: %s\n", qPrintable(why));
            }
        }
    }

    bool isAuthorized(ssh_key key) const
    {
        return std::any_of(authorizedKeys.begin(), authorizedKeys.end(),
            [key](ssh_key k) { return ssh_key_cmp(k, key, SSH_KEY_CMP_PUBLIC) == 0; });
    }

    bool loadAuthorizedKeys(QString *error)
    {
        QFile file(config.authorizedKeyFile);
        if (!file.open(QIODevice::ReadOnly)) {
            *error = u"cannot read authorized key %1: %2"_s.arg(config.authorizedKeyFile, file.errorString());
            return false;
        }
        const QList<QByteArray> lines = file.readAll().split('\n');
        for (const QByteArray &raw : lines) {
            const QByteArray line = raw.trimmed();
            if (line.isEmpty() || line.startsWith('#'))
                continue;
            // Like authorized_keys: optional options, then "type base64 [comment]".
            const QList<QByteArray> fields = line.simplified().split(' ');
            for (qsizetype i = 0; i + 1 < fields.size(); ++i) {
                const enum ssh_keytypes_e type = ssh_key_type_from_name(fields[i].constData());
                if (type == SSH_KEYTYPE_UNKNOWN)
                    continue;
                ssh_key key = nullptr;
                if (ssh_pki_import_pubkey_base64(fields[i + 1].constData(), type, &key) == SSH_OK)
                    authorizedKeys.push_back(key);
                break;
            }
        }
        if (authorizedKeys.empty()) {
            *error = u"no usable public key in %1"_s.arg(config.authorizedKeyFile);
            return false;
        }
        return true;
    }

    void acceptLoop();
    void sessionMain(ssh_session session);
    void execute(SessionCtx &ctx, ChannelCtx &ch);
};

// ------------------------------------------------------------- libssh callbacks

namespace {

int onAuthPubkey(
    ssh_session session, const char *user, struct ssh_key_struct *pubkey, char signatureState, void *userdata)
{
    auto *ctx = static_cast<SessionCtx *>(userdata);
    SimServer::Impl *server = ctx->server;
    const int index = deviceIndexFromUser(QString::fromUtf8(user));
    if (index < 0 || index >= server->config.devices || !server->isAuthorized(pubkey)) {
        ++ctx->authFailures;
        return SSH_AUTH_DENIED;
    }
    bool down = false;
    server->withDevice(index, [&](SimDevice &d) { down = d.isDown(QDateTime::currentDateTimeUtc()); });
    if (down) {
        // A rebooting device is unreachable: the connection just ends. Only the
        // socket is shut here; libssh's own state is left alone inside its callback.
        ::shutdown(ssh_get_fd(session), SHUT_RDWR);
        ctx->disconnectNow = true;
        return SSH_AUTH_DENIED;
    }
    // The probe: this key would be accepted; the client then signs.
    if (signatureState == SSH_PUBLICKEY_STATE_NONE)
        return SSH_AUTH_SUCCESS;
    if (signatureState != SSH_PUBLICKEY_STATE_VALID) {
        ++ctx->authFailures;
        return SSH_AUTH_DENIED;
    }
    ctx->authenticated = true;
    ctx->deviceIndex = index;
    ctx->lastActivity = Clock::now();
    return SSH_AUTH_SUCCESS;
}

int onChannelData(ssh_session, ssh_channel, void *data, uint32_t len, int isStderr, void *userdata)
{
    auto *ch = static_cast<ChannelCtx *>(userdata);
    if (!ch->stream || isStderr)
        return int(len); // stdin of a command is read and dropped: nothing here consumes it
    ch->input.append(static_cast<const char *>(data), qsizetype(len));
    if (ch->input.size() > SimShell::MaxScriptBytes) {
        ch->input.clear();
        ch->finished = true; // what no console sends: the shell goes away
        return int(len);
    }
    if (ch->input.endsWith('\n')) {
        SessionCtx *ctx = ch->session;
        const ServerConfig &config = ctx->server->config;
        ch->started = false; // execute() runs it once it is due
        ch->readyAt = Clock::now();
        if (hasTrait(ctx->deviceIndex, config.slowShare, Trait::Slow))
            ch->readyAt += std::chrono::milliseconds(config.slowMs);
        ctx->lastActivity = Clock::now();
    }
    return int(len);
}

void onChannelClose(ssh_session, ssh_channel, void *userdata)
{
    static_cast<ChannelCtx *>(userdata)->finished = true;
}

int onChannelExec(ssh_session, ssh_channel, const char *command, void *userdata)
{
    auto *ch = static_cast<ChannelCtx *>(userdata);
    if (ch->command)
        return 1;
    ch->command = QByteArray(command);
    ch->stream = *ch->command == "exec sh";
    SessionCtx *ctx = ch->session;
    const ServerConfig &config = ctx->server->config;
    ch->readyAt = Clock::now();
    if (hasTrait(ctx->deviceIndex, config.slowShare, Trait::Slow))
        ch->readyAt += std::chrono::milliseconds(config.slowMs);
    ctx->lastActivity = Clock::now();
    return 0;
}

int onChannelEnv(ssh_session, ssh_channel, const char *name, const char *value, void *userdata)
{
    auto *ch = static_cast<ChannelCtx *>(userdata);
    const QString key = QString::fromUtf8(name);
    // sshd's usual AcceptEnv LANG LC_*.
    if ((key != u"LANG" && !key.startsWith(u"LC_")) || ch->env.size() >= kMaxEnvPerChannel)
        return 1;
    ch->env.insert(key, QString::fromUtf8(value));
    return 0;
}

int onChannelPty(ssh_session, ssh_channel, const char *, int, int, int, int, void *)
{
    return 0; // accepted and ignored: output stays as without a terminal
}

int onChannelShell(ssh_session, ssh_channel, void *)
{
    return 1; // no interactive shells on these devices
}

ssh_channel onChannelOpen(ssh_session session, void *userdata)
{
    auto *ctx = static_cast<SessionCtx *>(userdata);
    if (!ctx->authenticated || ctx->channels.size() >= kMaxChannelsPerSession)
        return nullptr;
    auto ch = std::make_unique<ChannelCtx>();
    ch->session = ctx;
    ch->channel = ssh_channel_new(session);
    if (!ch->channel)
        return nullptr;
    ssh_callbacks_init(&ch->callbacks);
    ch->callbacks.userdata = ch.get();
    ch->callbacks.channel_data_function = onChannelData;
    ch->callbacks.channel_close_function = onChannelClose;
    ch->callbacks.channel_exec_request_function = onChannelExec;
    ch->callbacks.channel_env_request_function = onChannelEnv;
    ch->callbacks.channel_pty_request_function = onChannelPty;
    ch->callbacks.channel_shell_request_function = onChannelShell;
    ssh_set_channel_callbacks(ch->channel, &ch->callbacks);
    ssh_channel channel = ch->channel;
    ctx->channels.push_back(std::move(ch));
    ctx->lastActivity = Clock::now();
    return channel;
}

void *sessionThread(void *arg);

struct ThreadStart
{
    SimServer::Impl *server;
    ssh_session session;
};

} // namespace

// ------------------------------------------------------------- sessions

void SimServer::Impl::execute(SessionCtx &ctx, ChannelCtx &ch)
{
    ch.started = true;
    ctx.lastActivity = Clock::now();
    if (ch.stream && ch.input.isEmpty())
        return; // the shell started: it waits for a script
    const QByteArray script = ch.stream ? std::exchange(ch.input, {}) : *ch.command;
    const int index = ctx.deviceIndex;
    // A silent device took the exec and never says anything again.
    if (hasTrait(index, config.silentShare, Trait::Silent))
        return;

    QMap<QString, QString> env { { u"LANG"_s, u"C.UTF-8"_s },
        { u"PATH"_s, u"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/snap/bin"_s },
        { u"USER"_s, userForDevice(index) }, { u"HOME"_s, u"/home/"_s + userForDevice(index) } };
    env.insert(ch.env);
    RunResult result;
    bool down = false;
    withDevice(index, [&](SimDevice &device) {
        RunContext context;
        context.now = QDateTime::currentDateTimeUtc();
        context.rebootMs = config.rebootMs;
        if (device.isDown(context.now)) {
            down = true;
            return;
        }
        SimShell shell(device, env);
        result = shell.run(script, context);
    });
    if (down) {
        ctx.disconnectNow = true;
        return;
    }
    if (ssh_channel_is_closed(ch.channel))
        return;

    bool cutNow = false;
    if (config.cutAfterWrite.contains(index) && script.contains("--no-wait")) {
        std::lock_guard lock(registryMutex);
        cutNow = !cutDone.contains(index);
        cutDone.insert(index);
    }
    if (cutNow) {
        // The write happened; its answer is lost with the link.
        ::shutdown(ssh_get_fd(ctx.session), SHUT_RDWR);
        ctx.dropped = true;
        ctx.disconnectNow = true;
        return;
    }
    if (hasTrait(index, config.dropShare, Trait::Drop)) {
        // Cut the TCP connection half way through the output, no SSH goodbye.
        const QByteArray &bytes = result.out.isEmpty() ? result.err : result.out;
        writeAll(ch.channel, bytes.left(std::max<qsizetype>(1, bytes.size() / 2)), result.out.isEmpty());
        ssh_blocking_flush(ctx.session, 2000);
        // Shutting the socket (rather than ssh_silent_disconnect, which frees
        // the channels under us) leaves libssh's state intact for cleanup.
        ::shutdown(ssh_get_fd(ctx.session), SHUT_RDWR);
        ctx.dropped = true;
        ctx.disconnectNow = true;
        return;
    }
    const bool written = writeAll(ch.channel, result.out, false) && writeAll(ch.channel, result.err, true);
    if (ch.stream && !result.reboot)
        return; // the shell reads the next script
    if (written) {
        ssh_channel_request_send_exit_status(ch.channel, result.exitCode);
        ssh_channel_send_eof(ch.channel);
    }
    ssh_channel_close(ch.channel);
    if (result.reboot) {
        // The device goes down: the connection ends with it.
        ssh_blocking_flush(ctx.session, 2000);
        ctx.disconnectNow = true;
    }
}

void SimServer::Impl::sessionMain(ssh_session session)
{
    SessionCtx ctx;
    ctx.server = this;
    ctx.session = session;

    long timeoutSec = 15; // bounds the handshake and every blocking write
    ssh_options_set(session, SSH_OPTIONS_TIMEOUT, &timeoutSec);
    ssh_callbacks_init(&ctx.callbacks);
    ctx.callbacks.userdata = &ctx;
    ctx.callbacks.auth_pubkey_function = onAuthPubkey;
    ctx.callbacks.channel_open_request_session_function = onChannelOpen;
    ssh_set_server_callbacks(session, &ctx.callbacks);
    ssh_set_auth_methods(session, SSH_AUTH_METHOD_PUBLICKEY);

    ssh_event event = nullptr;
    if (ssh_handle_key_exchange(session) == SSH_OK)
        event = ssh_event_new();
    if (event && ssh_event_add_session(event, session) == SSH_OK) {
        const auto authDeadline = Clock::now() + std::chrono::seconds(config.authTimeoutSec);
        const auto idle = std::chrono::seconds(config.idleTimeoutSec);
        while (!stopping.load(std::memory_order_relaxed)) {
            // Wake up in time for the next delayed (slow) answer; otherwise
            // once a second, to notice stop requests and idle deadlines.
            int timeoutMs = 1000;
            const auto now = Clock::now();
            for (const auto &ch : ctx.channels) {
                if (ch->command && !ch->started) {
                    const auto wait
                        = std::chrono::duration_cast<std::chrono::milliseconds>(ch->readyAt - now);
                    timeoutMs = int(std::clamp<qint64>(wait.count(), 0, timeoutMs));
                }
            }
            if (ssh_event_dopoll(event, timeoutMs) == SSH_ERROR)
                break;
            if (ctx.disconnectNow || (ssh_get_status(session) & (SSH_CLOSED | SSH_CLOSED_ERROR)))
                break;
            if (!ctx.authenticated && (Clock::now() > authDeadline || ctx.authFailures > 10))
                break;

            for (auto &ch : ctx.channels) {
                if (ch->command && !ch->started && Clock::now() >= ch->readyAt && !ch->finished)
                    execute(ctx, *ch);
                if (ctx.disconnectNow)
                    break;
            }
            if (ctx.disconnectNow)
                break;
            // Channels closed on both sides are done; their callbacks go first.
            for (auto it = ctx.channels.begin(); it != ctx.channels.end();) {
                ChannelCtx &ch = **it;
                if (ch.finished && ssh_channel_is_closed(ch.channel)) {
                    ssh_remove_channel_callbacks(ch.channel, &ch.callbacks);
                    ssh_channel_free(ch.channel);
                    it = ctx.channels.erase(it);
                } else {
                    ++it;
                }
            }
            if (Clock::now() - ctx.lastActivity > idle)
                break;
        }
        ssh_event_remove_session(event, session);
    }
    for (auto &ch : ctx.channels) {
        ssh_remove_channel_callbacks(ch->channel, &ch->callbacks);
        ssh_channel_free(ch->channel);
    }
    ctx.channels.clear();
    if (event)
        ssh_event_free(event);
    if (!ctx.dropped)
        ssh_disconnect(session);
    ssh_free(session);
}

namespace {

void *sessionThread(void *arg)
{
    std::unique_ptr<ThreadStart> start(static_cast<ThreadStart *>(arg));
    SimServer::Impl *server = start->server;
    server->sessionMain(start->session);
    {
        std::lock_guard lock(server->activeMutex);
        server->active.fetch_sub(1);
    }
    server->activeDone.notify_all();
    return nullptr;
}

} // namespace

void SimServer::Impl::acceptLoop()
{
    while (!stopping.load()) {
        pollfd fds[2] = { { listenFd, POLLIN, 0 }, { wakePipe[0], POLLIN, 0 } };
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (fds[1].revents || stopping.load())
            break;
        const int fd = ::accept4(listenFd, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) {
            // Out of descriptors: back off instead of spinning.
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            continue;
        }
        if (active.load() >= config.maxConnections) {
            ::close(fd);
            continue;
        }
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

        ssh_session session = ssh_new();
        if (!session) {
            ::close(fd);
            continue;
        }
        if (ssh_bind_accept_fd(bind, session, fd) != SSH_OK) {
            const bool owned = ssh_get_fd(session) == fd;
            ssh_free(session);
            if (!owned)
                ::close(fd);
            continue;
        }
        active.fetch_add(1);
        auto *start = new ThreadStart { this, session };
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, kThreadStack);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        pthread_t tid;
        const int rc = pthread_create(&tid, &attr, sessionThread, start);
        pthread_attr_destroy(&attr);
        if (rc != 0) {
            delete start;
            ssh_free(session);
            {
                std::lock_guard lock(activeMutex);
                active.fetch_sub(1);
            }
            activeDone.notify_all();
        }
    }
}

// ------------------------------------------------------------- SimServer

SimServer::SimServer(ServerConfig config)
    : d(std::make_unique<Impl>())
{
    d->config = std::move(config);
}

SimServer::~SimServer()
{
    stop();
}

bool SimServer::start(QString *error)
{
    auto failed = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    ServerConfig &config = d->config;
    if (config.devices < 1 || config.devices > 1'000'000)
        return failed(u"--devices must be between 1 and 1000000"_s);
    if (config.unsupported < 0 || config.unsupported > config.devices)
        return failed(u"--unsupported must be between 0 and the number of devices"_s);
    QString address = config.listenAddress;
    if (address == u"localhost")
        address = u"127.0.0.1"_s;
    const QByteArray addressBytes = address.toLatin1();
    in_addr v4 {};
    in6_addr v6addr {};
    const bool v6 = address.contains(u':');
    if (v6 ? ::inet_pton(AF_INET6, addressBytes.constData(), &v6addr) != 1
           : ::inet_pton(AF_INET, addressBytes.constData(), &v4) != 1)
        return failed(u"cannot parse listen address %1"_s.arg(config.listenAddress));
    // The simulator runs any command for its one key: never off this machine.
    const bool loopback = v6 ? IN6_IS_ADDR_LOOPBACK(&v6addr) : (ntohl(v4.s_addr) >> 24) == 127;
    if (!loopback)
        return failed(
            u"refusing to listen on %1: only loopback addresses are allowed"_s.arg(config.listenAddress));
    if (!config.stateDir.isEmpty() && !QDir().mkpath(config.stateDir))
        return failed(u"cannot create state directory %1"_s.arg(config.stateDir));
    if (!ensureHostKey(config.hostKeyFile, error))
        return false;
    if (!d->loadAuthorizedKeys(error))
        return false;

    d->deviceSlots.resize(size_t(config.devices));

    d->bind = ssh_bind_new();
    if (!d->bind)
        return failed(u"ssh_bind_new failed"_s);
    const QByteArray hostKey = QFile::encodeName(config.hostKeyFile);
    bool processConfig = false;
    int verbosity = SSH_LOG_NOLOG;
    if (ssh_bind_options_set(d->bind, SSH_BIND_OPTIONS_PROCESS_CONFIG, &processConfig) != SSH_OK
        || ssh_bind_options_set(d->bind, SSH_BIND_OPTIONS_LOG_VERBOSITY, &verbosity) != SSH_OK
        // Only the given key: no default key files, no system config.
        || ssh_bind_options_set(d->bind, SSH_BIND_OPTIONS_HOSTKEY, hostKey.constData()) != SSH_OK
        || ssh_bind_options_set(d->bind, SSH_BIND_OPTIONS_HOSTKEY_ALGORITHMS, "ssh-ed25519") != SSH_OK
        || ssh_bind_options_set(d->bind, SSH_BIND_OPTIONS_KEY_EXCHANGE,
               "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,"
               "diffie-hellman-group14-sha256")
            != SSH_OK)
        return failed(
            u"cannot configure the SSH server: %1"_s.arg(QString::fromUtf8(ssh_get_error(d->bind))));

    // Our own listening socket: libssh's listen backlog (10) is too small for
    // hundreds of simultaneous connects.
    d->listenFd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (d->listenFd < 0)
        return failed(u"cannot create a socket"_s);
    const int one = 1;
    ::setsockopt(d->listenFd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_storage storage {};
    socklen_t length = 0;
    if (v6) {
        auto *sa = reinterpret_cast<sockaddr_in6 *>(&storage);
        sa->sin6_family = AF_INET6;
        sa->sin6_port = htons(config.port);
        sa->sin6_addr = v6addr;
        length = sizeof(sockaddr_in6);
    } else {
        auto *sa = reinterpret_cast<sockaddr_in *>(&storage);
        sa->sin_family = AF_INET;
        sa->sin_port = htons(config.port);
        sa->sin_addr = v4;
        length = sizeof(sockaddr_in);
    }
    if (::bind(d->listenFd, reinterpret_cast<sockaddr *>(&storage), length) != 0)
        return failed(u"cannot listen on %1 port %2: %3"_s.arg(address)
                          .arg(config.port)
                          .arg(QString::fromLocal8Bit(std::strerror(errno))));
    if (::listen(d->listenFd, 4096) != 0)
        return failed(u"listen failed: %1"_s.arg(QString::fromLocal8Bit(std::strerror(errno))));
    sockaddr_storage bound {};
    socklen_t boundLength = sizeof bound;
    ::getsockname(d->listenFd, reinterpret_cast<sockaddr *>(&bound), &boundLength);
    d->boundPort = v6 ? ntohs(reinterpret_cast<sockaddr_in6 *>(&bound)->sin6_port)
                      : ntohs(reinterpret_cast<sockaddr_in *>(&bound)->sin_port);
    if (::pipe2(d->wakePipe, O_CLOEXEC) != 0)
        return failed(u"pipe failed"_s);

    d->acceptThread = std::thread([this] { d->acceptLoop(); });
    return true;
}

quint16 SimServer::port() const
{
    return d->boundPort;
}

void SimServer::stop()
{
    if (!d->acceptThread.joinable())
        return;
    d->stopping.store(true);
    const char byte = 'x';
    [[maybe_unused]] const auto written = ::write(d->wakePipe[1], &byte, 1);
    d->acceptThread.join();
    // Sessions notice `stopping` within one poll interval.
    std::unique_lock lock(d->activeMutex);
    d->activeDone.wait_for(lock, std::chrono::seconds(10), [this] { return d->active.load() == 0; });
}

int SimServer::activeSessions() const
{
    return d->active.load();
}

Dialect SimServer::dialectOf(int index) const
{
    return d->dialectOf(index);
}

SimDevice SimServer::deviceSnapshot(int index)
{
    SimDevice copy;
    if (index >= 0 && index < d->config.devices && !d->deviceSlots.empty())
        d->withDevice(index, [&](SimDevice &device) { copy = device; });
    return copy;
}

} // namespace canyon::sim
