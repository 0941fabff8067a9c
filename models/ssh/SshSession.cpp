// SPDX-License-Identifier: GPL-3.0-or-later
#include "SshSession.h"

#include "FiberPool.h"
#include "FileStamp.h"
#include "HttpMessage.h"
#include "KnownHosts.h"
#include "SshConfigScan.h"
#include "TcpConnect.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QRandomGenerator>
#include <fcntl.h>
#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <map>
#include <memory>
#include <poll.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

constexpr qsizetype kMaxStream = 16 * 1024 * 1024;

// libssh must be initialised once per process before sessions are made on several threads.
struct LibsshInit
{
    LibsshInit() { ssh_init(); }
};

void ensureInit()
{
    static LibsshInit init;
}

// What libssh would make of "~/.ssh" (the account's home from the password database, not $HOME),
// looked up once per process: left to libssh, every connection repeats the NSS lookup (nscd
// probes, nsswitch.conf, /etc/passwd: a dozen syscalls and a parse per device). Empty when the
// lookup fails; libssh then does its own.
const QByteArray &accountSshDir()
{
    static const QByteArray dir = []() -> QByteArray {
        passwd pw {};
        passwd *found = nullptr;
        char buf[16384];
        if (getpwuid_r(getuid(), &pw, buf, sizeof buf, &found) != 0 || !found || !pw.pw_dir || !*pw.pw_dir)
            return {};
        return QByteArray(pw.pw_dir) + "/.ssh";
    }();
    return dir;
}

QString lastError(ssh_session s)
{
    return QString::fromUtf8(ssh_get_error(s));
}

// A connection failure is "unreachable" when it is about the network, else a protocol error.
bool looksUnreachable(const QString &e)
{
    static const char *const words[] = { "Connection refused", "timed out", "Timeout", "No route",
        "Network is unreachable", "Failed to resolve", "resolve hostname", "Connection reset", "Socket error",
        "disconnected", "Connection closed" };
    for (const char *w : words)
        if (e.contains(QLatin1StringView(w), Qt::CaseInsensitive))
            return true;
    return false;
}

struct PassphraseProbe
{
    bool asked = false;
};

int passphraseCallback(const char *, char *, size_t, int, int, void *userdata)
{
    static_cast<PassphraseProbe *>(userdata)->asked = true;
    return -1; // no passphrase known: the caller asks the user
}

// Identity keys without passphrase, read once per thread while their file stays the same.
struct CachedIdentity
{
    FileStamp stamp;
    bool recent = false; // read again next time (FileStamp::recent)
    std::shared_ptr<ssh_key_struct> key;
};
thread_local std::map<QByteArray, CachedIdentity> t_identities;

// The private key of an identity file, null when it cannot be read. One without passphrase
// stays in this thread's cache while the file stays the same (libssh would read and parse it
// for every connection); an encrypted one is read each time and never kept decrypted past its
// connection. The caller holds its own reference: another fiber may replace the cached one
// while this one waits for the server.
std::shared_ptr<ssh_key_struct> loadIdentity(
    const QByteArray &path, const QByteArray &passphrase, PassphraseProbe *probe)
{
    ssh_key key = nullptr;
    if (!passphrase.isEmpty()) {
        if (ssh_pki_import_privkey_file(path.constData(), passphrase.constData(), nullptr, nullptr, &key)
            != SSH_OK)
            return nullptr;
        return { key, ssh_key_free };
    }
    struct stat st
    {
    };
    if (::stat(path.constData(), &st) != 0)
        return nullptr;
    const FileStamp stamp = FileStamp::of(st);
    CachedIdentity &cached = t_identities[path];
    if (cached.key && cached.stamp == stamp && !cached.recent)
        return cached.key;
    if (ssh_pki_import_privkey_file(path.constData(), nullptr, passphraseCallback, probe, &key) != SSH_OK) {
        t_identities.erase(path);
        return nullptr;
    }
    cached = { stamp, stamp.recent(), { key, ssh_key_free } };
    return cached.key;
}

// What is there to read on a stream now: bytes, 0 (none yet, or the end: ssh_channel_is_eof
// tells), or SSH_ERROR. libssh itself answers SSH_EOF at the end, which is not an error.
int readSome(ssh_channel channel, char *buf, uint32_t size, int isStderr)
{
    const int n = ssh_channel_read_nonblocking(channel, buf, size, isStderr);
    return n == SSH_EOF ? 0 : n;
}

// Repeats a libssh call that answers `again` (SSH_AGAIN; SSH_AUTH_AGAIN for authentication) on
// a non-blocking session while wait() says to go on; `again` is left when it gave up (deadline
// or cancel).
template<typename Call, typename Wait>
int untilAnswered(const Call &call, const Wait &wait, int again = SSH_AGAIN)
{
    int rc = call();
    while (rc == again && wait())
        rc = call();
    return rc;
}

} // namespace

QByteArray makeNonce()
{
    // system(): one value straight from the OS. global() would first seed its own generator with
    // 2.5 KB from it, which a short command pays in full for the one nonce it needs.
    return QByteArray::number(QRandomGenerator::system()->generate64(), 36);
}

SshSession::SshSession(SshOptions options)
    : m_options(std::move(options))
{
    ensureInit();
}

SshSession::~SshSession()
{
    disconnect();
}

bool SshSession::isConnected() const
{
    return m_connected && m_session && ssh_is_connected(m_session);
}

// What a channel sends, both streams, taken as libssh takes it in: libssh hands each data
// packet to the callback as it processes it, whichever call made it read the socket. Reading
// the streams with ssh_channel_read_nonblocking alone lost wakeups: the read of stderr could take
// in stdout's last packet, which then waited in libssh's buffer while the caller waited on a
// socket with nothing more to come (seen as a command "not finished in time" when waits were
// not cut into 100 ms slices, and as up to 100 ms lost when they were).
struct SshSession::ChannelOutput
{
    ChannelOutput()
    {
        ssh_callbacks_init(&callbacks);
        callbacks.userdata = this;
        callbacks.channel_data_function = &ChannelOutput::onData;
    }
    ChannelOutput(const ChannelOutput &) = delete;
    ChannelOutput &operator=(const ChannelOutput &) = delete;

    bool attach(ssh_channel channel) { return ssh_set_channel_callbacks(channel, &callbacks) == SSH_OK; }
    // Frees channel, which attach() was given. Detached first: libssh keeps a channel freed
    // before the peer closed it until the close arrives, and would call back into this object,
    // which may be gone by then.
    void release(ssh_channel channel)
    {
        ssh_remove_channel_callbacks(channel, &callbacks);
        ssh_channel_free(channel);
    }

    // Lets libssh read what has come on channel (one non-blocking pass). SSH_ERROR when the link
    // is lost, else how many bytes came (0: none yet, or the end, which ssh_channel_is_eof
    // tells). After 0, libssh holds none of the channel's data: a wait on the socket is safe.
    qsizetype takeAvailable(ssh_channel channel)
    {
        const qsizetype before = received;
        // The read only drives libssh: the callback takes all data, so its buffer stays empty
        // (and libssh reads the socket only when it is), but for what the callback left once a
        // stream passed the cap.
        char buf[4096];
        const int n = readSome(channel, buf, sizeof buf, 0);
        if (n == SSH_ERROR)
            return SSH_ERROR;
        if (n > 0) {
            out.append(buf, n);
            received += n;
        }
        return received - before;
    }

    QByteArray out;
    QByteArray err;
    qsizetype received = 0;

private:
    static int onData(ssh_session, ssh_channel, void *data, uint32_t len, int isStderr, void *self)
    {
        auto *o = static_cast<ChannelOutput *>(self);
        QByteArray &to = isStderr ? o->err : o->out;
        // Past the cap, libssh keeps the data, and stops widening the window: the peer stops
        // sending. (The readers fail at the cap; an idle kept shell cannot grow without bound.)
        if (to.size() > kMaxStream)
            return 0;
        to.append(static_cast<const char *>(data), qsizetype(len));
        o->received += len;
        return int(len);
    }

    ssh_channel_callbacks_struct callbacks {};
};

void SshSession::closeShell()
{
    if (!m_shell)
        return;
    if (m_session && ssh_is_connected(m_session))
        ssh_channel_close(m_shell);
    m_shellOutput->release(m_shell);
    m_shell = nullptr;
    m_shellOutput->out = {};
    m_shellOutput->err = {};
}

void SshSession::disconnect()
{
    if (m_session) {
        // The session's end ends its channels: ssh_disconnect (or else ssh_free) frees the kept
        // shell without a CHANNEL_CLOSE of its own, so a fleet's teardown sends one packet per
        // device, not two.
        m_shell = nullptr;
        if (ssh_is_connected(m_session))
            ssh_disconnect(m_session);
        ssh_free(m_session);
        m_session = nullptr;
    }
    if (m_socket >= 0) {
        // Closed only if the number still names the socket connect() opened: were it closed by
        // libssh already, the number may name another thread's file by now.
        struct stat st
        {
        };
        if (fstat(m_socket, &st) == 0 && std::pair(st.st_dev, st.st_ino) == m_socketId)
            ::close(m_socket);
        m_socket = -1;
        m_socketId = {};
    }
    m_connected = false;
}

bool SshSession::waitIo(QDeadlineTimer deadline, const std::atomic_bool *cancel)
{
    if ((cancel && cancel->load()) || deadline.hasExpired())
        return false;
    const int fd = m_session ? ssh_get_fd(m_session) : -1;
    if (fd < 0)
        return false;
    // libssh reports a write pending after every write, including one the socket took whole,
    // until its next poll has seen the socket writable. Waiting on that would wake at once, a
    // loop turn for nothing after each packet sent: the first time, the caller just tries
    // again, and libssh's own poll clears the flag. Still set on the next call, output really
    // is waiting, and the wait below includes writability.
    const bool writePending = ssh_get_poll_flags(m_session) & SSH_WRITE_PENDING;
    if (writePending && !m_retriedWrite) {
        m_retriedWrite = true;
        return true;
    }
    m_retriedWrite = false;
    // Read always; write too while libssh holds output the socket did not take yet.
    const short events = POLLIN | (writePending ? POLLOUT : 0);
    // In a FiberPool the wait lasts up to 2 s: a cancel interrupts it when its setter calls
    // FiberPool::interruptWaits. On a plain thread a cancel is seen within 100 ms. Every byte
    // libssh takes in reaches a ChannelOutput at once, so none waits in libssh while this waits
    // on the socket (see ChannelOutput); the 2 s bound what any other wakeup libssh needs and
    // no socket event brings would cost (tst_sshfleet outputNeverWaitsInsideLibssh fails on 1 s).
    const qint64 cap = FiberPool::inFiber() ? 2000 : 100;
    const int slice = int(deadline.isForever() ? cap : qBound(qint64(1), deadline.remainingTime(), cap));
    FiberPool::waitIo(fd, events, slice);
    return !(cancel && cancel->load());
}

int SshSession::writeAll(ssh_channel_struct *channel, const QByteArray &data, QDeadlineTimer deadline,
    const std::atomic_bool *cancel)
{
    qsizetype done = 0;
    while (done < data.size()) {
        const int n = ssh_channel_write(channel, data.constData() + done, uint32_t(data.size() - done));
        if (n == SSH_ERROR)
            return SSH_ERROR;
        if (n > 0)
            done += n;
        if (done < data.size() && !waitIo(deadline, cancel))
            return SSH_AGAIN; // the peer's window stayed shut until the deadline, or a cancel
    }
    return SSH_OK;
}

DeviceStatus SshSession::connect(QDeadlineTimer deadline, QString *error, const std::atomic_bool *cancel)
{
    disconnect();
    m_needsPassphrase = false;
    m_hostKey = {};
    m_session = ssh_new();
    if (!m_session) {
        *error = u"out of memory creating an SSH session"_s;
        return DeviceStatus::Error;
    }
    const SshTarget &t = m_options.target;
    const QByteArray host = t.host.toUtf8();
    // Every call below returns at once (SSH_AGAIN) instead of waiting on the network: the
    // waits happen in waitIo, which in a FiberPool lets the other sessions run meanwhile.
    ssh_set_blocking(m_session, 0);
    ssh_options_set(m_session, SSH_OPTIONS_HOST, host.constData());
    if (!accountSshDir().isEmpty()) // before the config: it may refer to %d
        ssh_options_set(m_session, SSH_OPTIONS_SSH_DIR, accountSshDir().constData());
    // ~/.ssh/config first, so what the user gave explicitly below wins over it.
    if (m_options.sshConfigFile == u"none") {
        bool no = false;
        ssh_options_set(m_session, SSH_OPTIONS_PROCESS_CONFIG, &no);
    } else {
        const QByteArray cfg = QFile::encodeName(m_options.sshConfigFile);
        if (ssh_options_parse_config(m_session, cfg.isEmpty() ? nullptr : cfg.constData()) < 0) {
            *error = u"cannot read ssh config: "_s + lastError(m_session);
            return DeviceStatus::Error;
        }
    }
    if (!t.user.isEmpty()) {
        const QByteArray user = t.user.toUtf8();
        ssh_options_set(m_session, SSH_OPTIONS_USER, user.constData());
    }
    if (t.port > 0) {
        unsigned int port = unsigned(t.port);
        ssh_options_set(m_session, SSH_OPTIONS_PORT, &port);
    }
    // The key exchange offers the host key algorithms of the keys known for the host first, as
    // libssh and OpenSSH do. libssh 0.10 finds them by reading and parsing every line of both
    // known_hosts files for each connection, a cost that grows with the fleet (at 200 devices,
    // 4% of a refresh's CPU). The index the host key check keeps gives the same order: libssh
    // reads an empty file instead and is given the order. Not when the ssh config may set
    // HostKeyAlgorithms: libssh applied that setting already and cannot report it back.
    const QStringList knownFiles = knownHostsFiles();
    const SshConfigMentions config = m_options.sshConfigFile == u"none"
        ? SshConfigMentions::none()
        : sshConfigMentions(m_options.sshConfigFile, accountSshDir());
    if (!config.maySet("hostkeyalgorithms")) {
        ssh_options_set(m_session, SSH_OPTIONS_KNOWNHOSTS, "/dev/null");
        ssh_options_set(m_session, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null");
        const QByteArray order = hostKeyAlgorithmsFor(knownHostsName(), knownFiles);
        if (!order.isEmpty())
            ssh_options_set(m_session, SSH_OPTIONS_HOSTKEYS, order.constData());
    } else {
        // Canyon's own file is the "user" file (the one libssh writes on acceptance); the
        // user's ~/.ssh/known_hosts is read as the "global" one, so it is trusted but never
        // written.
        ssh_options_set(m_session, SSH_OPTIONS_KNOWNHOSTS, QFile::encodeName(knownFiles[0]).constData());
        ssh_options_set(
            m_session, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, QFile::encodeName(knownFiles[1]).constData());
    }
    int nodelay = 1; // off by default: every round trip would wait ~40 ms
    ssh_options_set(m_session, SSH_OPTIONS_NODELAY, &nodelay);
    if (!m_options.kex.isEmpty()) {
        const QByteArray kex = m_options.kex.toLatin1();
        ssh_options_set(m_session, SSH_OPTIONS_KEY_EXCHANGE, kex.constData());
    }
    const QDeadlineTimer connectDeadline = qMin(deadline, QDeadlineTimer(m_options.connectTimeoutMs));

    // The TCP connection is opened here (openConnection: see TcpConnect.h for why) rather than
    // by libssh, unless libssh must: a ProxyCommand or ProxyJump, or a BindAddress it cannot
    // report back.
    int rc = SSH_AGAIN;
    char *proxy = nullptr;
    const bool proxied
        = ssh_options_get(m_session, SSH_OPTIONS_PROXYCOMMAND, &proxy) == SSH_OK && proxy && *proxy;
    ssh_string_free_char(proxy);
    // (A ProxyJump is a ProxyCommand to libssh 0.10; later versions keep it apart.)
    if (!proxied && !config.maySet("bindaddress") && !config.maySet("proxyjump")) {
        const auto [address, port] = effectiveHostPort(); // after the config's HostName
        QString e;
        bool timedOut = false;
        int fd = openConnection(address, port, connectDeadline, cancel, &e, &timedOut);
        if (fd < 0 && cancel && cancel->load()) {
            *error = u"cancelled"_s;
            return DeviceStatus::Error;
        }
        if (fd < 0) {
            *error = u"cannot connect to "_s + t.toString() + u": "_s + e;
            const DeviceStatus s
                = timedOut || looksUnreachable(e) ? DeviceStatus::Unreachable : DeviceStatus::Error;
            disconnect();
            return s;
        }
        // libssh 0.10 leaves a socket it was given open at ssh_disconnect and ssh_free:
        // disconnect() closes it, if it is still this socket.
        ssh_options_set(m_session, SSH_OPTIONS_FD, &fd);
        m_socket = fd;
        struct stat st
        {
        };
        if (fstat(fd, &st) == 0)
            m_socketId = { st.st_dev, st.st_ino };
        rc = ssh_connect(m_session);
    } else {
        // libssh connects: through the proxy command (no lookup here), or itself after a lookup
        // that blocks (a slow DNS server, for seconds) and so runs off the fiber loop, though the
        // connect timeout cannot cut it short.
        if (proxied)
            rc = ssh_connect(m_session);
        else
            FiberPool::offload([this, &rc] { rc = ssh_connect(m_session); });
        // libssh opens its socket without close-on-exec: set as soon as it is there.
        if (const int fd = ssh_get_fd(m_session); fd >= 0)
            fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
    }
    while (rc == SSH_AGAIN && waitIo(connectDeadline, cancel))
        rc = ssh_connect(m_session);
    if (rc != SSH_OK && cancel && cancel->load()) {
        *error = u"cancelled"_s;
        disconnect();
        return DeviceStatus::Error;
    }
    if (rc != SSH_OK) {
        const QString e = rc == SSH_AGAIN ? u"timed out"_s : lastError(m_session);
        *error = u"cannot connect to "_s + t.toString() + u": "_s + e;
        const DeviceStatus s = looksUnreachable(e) || connectDeadline.hasExpired() ? DeviceStatus::Unreachable
                                                                                   : DeviceStatus::Error;
        disconnect();
        return s;
    }
    DeviceStatus s = verifyHostKey(error);
    if (s != DeviceStatus::Ok) {
        disconnect(); // refused: nothing more is sent to this host
        return s;
    }
    s = authenticate(deadline, error, cancel);
    if (s != DeviceStatus::Ok) {
        disconnect();
        return s;
    }
    m_connected = true;
    return DeviceStatus::Ok;
}

QStringList SshSession::knownHostsFiles() const
{
    return { m_options.knownHostsFile,
        m_options.userKnownHostsFile.isEmpty() ? QDir::homePath() + u"/.ssh/known_hosts"_s
                                               : m_options.userKnownHostsFile };
}

std::pair<QByteArray, unsigned int> SshSession::effectiveHostPort() const
{
    char *host = nullptr;
    unsigned int port = 22;
    ssh_options_get(m_session, SSH_OPTIONS_HOST, &host);
    ssh_options_get_port(m_session, &port);
    const QByteArray name(host ? host : "");
    ssh_string_free_char(host);
    return { name, port };
}

QByteArray SshSession::knownHostsName() const
{
    // The name libssh matches and records: the host after ~/.ssh/config, on its port.
    const auto [host, port] = effectiveHostPort();
    return canyon::knownHostsName(host, port);
}

DeviceStatus SshSession::verifyHostKey(QString *error)
{
    ssh_key srvKey = nullptr;
    if (ssh_get_server_publickey(m_session, &srvKey) != SSH_OK) {
        *error = u"the server sent no host key: "_s + lastError(m_session);
        return DeviceStatus::Error;
    }
    m_hostKey.keyType = QString::fromLatin1(ssh_key_type_to_char(ssh_key_type(srvKey)));
    m_hostKey.sha256 = keySha256(srvKey);
    const QString where = m_options.target.toString();
    QString checkError;
    HostKeyInfo known;
    RecordNewKey record;
    if (m_options.acceptNewHostKey)
        record = [&](QString *e) {
            QDir().mkpath(QFileInfo(m_options.knownHostsFile).absolutePath());
            // The file libssh appends to (connect() may have pointed it at an empty one).
            ssh_options_set(
                m_session, SSH_OPTIONS_KNOWNHOSTS, QFile::encodeName(m_options.knownHostsFile).constData());
            if (ssh_session_update_known_hosts(m_session) == SSH_OK)
                return true;
            *e = u"cannot record it in %1: %2"_s.arg(m_options.knownHostsFile, lastError(m_session));
            return false;
        };
    const KnownHostVerdict verdict
        = checkKnownHost(knownHostsName(), srvKey, knownHostsFiles(), &known, &checkError, record);
    ssh_key_free(srvKey);
    m_hostKey.knownSha256 = known.knownSha256;
    m_hostKey.knownKeyType = known.knownKeyType;
    m_hostKey.revoked = verdict == KnownHostVerdict::Revoked;
    switch (verdict) {
    case KnownHostVerdict::Known:
        return DeviceStatus::Ok;
    case KnownHostVerdict::Revoked:
        *error
            = u"REFUSED: the host key of %1 (%2 %3) is marked @revoked in a known_hosts file. Nothing was run on this host."_s
                  .arg(where, m_hostKey.keyType, m_hostKey.sha256);
        return DeviceStatus::HostKeyChanged;
    case KnownHostVerdict::Changed:
    case KnownHostVerdict::OtherType:
        *error
            = u"REFUSED: the host key of %1 has %2. Known: %3 %4. Offered now: %5 %6. Nothing was run on this host; if the change is expected, remove the old entry from the known_hosts file and add the host again."_s
                  .arg(where,
                      verdict == KnownHostVerdict::Changed ? u"changed"_s
                                                           : u"a different type than the one known"_s,
                      m_hostKey.knownKeyType,
                      m_hostKey.knownSha256.isEmpty() ? u"?"_s : m_hostKey.knownSha256, m_hostKey.keyType,
                      m_hostKey.sha256);
        return DeviceStatus::HostKeyChanged;
    case KnownHostVerdict::Unknown: // and not to be accepted (else recorded: Known)
        *error = u"unknown host key for %1: %2 %3 (not trusted yet; accept it to add the host)"_s.arg(
            where, m_hostKey.keyType, m_hostKey.sha256);
        return DeviceStatus::HostKeyUnknown;
    case KnownHostVerdict::Error:
        break;
    }
    *error = u"cannot check the host key of %1: %2"_s.arg(where, checkError);
    return DeviceStatus::Error;
}

DeviceStatus SshSession::authenticate(QDeadlineTimer deadline, QString *error, const std::atomic_bool *cancel)
{
    // Each attempt is repeated until the server answered (SSH_AUTH_AGAIN until then).
    bool timedOut = false;
    auto attempt = [&](const auto &call) {
        const int rc = untilAnswered(
            call, [&] { return waitIo(deadline, cancel); }, SSH_AUTH_AGAIN);
        timedOut = rc == SSH_AUTH_AGAIN;
        return timedOut ? int(SSH_AUTH_ERROR) : rc;
    };
    auto timeout = [&] {
        if (cancel && cancel->load()) {
            *error = u"cancelled"_s;
            return DeviceStatus::Error;
        }
        *error = u"%1 did not answer the authentication in time"_s.arg(m_options.target.toString());
        return DeviceStatus::Unreachable;
    };
    QStringList tried;
    const QByteArray passphrase = m_options.keyPassphrase.toUtf8();
    if (!m_options.identityFile.isEmpty()) {
        tried << u"key "_s + m_options.identityFile;
        PassphraseProbe probe;
        const std::shared_ptr<ssh_key_struct> key
            = loadIdentity(QFile::encodeName(m_options.identityFile), passphrase, &probe);
        if (!key) {
            if (probe.asked || (!passphrase.isEmpty() && QFileInfo::exists(m_options.identityFile))) {
                m_needsPassphrase = true;
                *error = passphrase.isEmpty()
                    ? u"the key %1 is encrypted: a passphrase is needed"_s.arg(m_options.identityFile)
                    : u"wrong passphrase for the key %1"_s.arg(m_options.identityFile);
            } else {
                *error = u"cannot read the key %1"_s.arg(m_options.identityFile);
            }
            return DeviceStatus::AuthFailed;
        }
        const int auth = attempt([&] { return ssh_userauth_publickey(m_session, nullptr, key.get()); });
        if (auth == SSH_AUTH_SUCCESS)
            return DeviceStatus::Ok;
        if (timedOut)
            return timeout();
        if (auth == SSH_AUTH_ERROR) {
            *error = u"authentication error: "_s + lastError(m_session);
            return DeviceStatus::Unreachable;
        }
    }
    if (m_options.useAgent) {
        // The agent first, then ~/.ssh/config's IdentityFile and the default keys.
        tried << u"ssh-agent and default keys"_s;
        const int auth = attempt([&] {
            return ssh_userauth_publickey_auto(
                m_session, nullptr, passphrase.isEmpty() ? nullptr : passphrase.constData());
        });
        if (auth == SSH_AUTH_SUCCESS)
            return DeviceStatus::Ok;
        if (timedOut)
            return timeout();
        if (auth == SSH_AUTH_ERROR && !ssh_is_connected(m_session)) {
            *error = u"authentication error: "_s + lastError(m_session);
            return DeviceStatus::Unreachable;
        }
    }
    if (!m_options.password.isEmpty()) {
        tried << u"password"_s;
        const QByteArray pw = m_options.password.toUtf8();
        const int auth = attempt([&] { return ssh_userauth_password(m_session, nullptr, pw.constData()); });
        if (auth == SSH_AUTH_SUCCESS)
            return DeviceStatus::Ok;
        if (timedOut)
            return timeout();
    }
    *error
        = u"authentication refused by %1 (tried: %2)"_s.arg(m_options.target.toString(), tried.join(u", "_s));
    return DeviceStatus::AuthFailed;
}

int SshSession::openCommand(const QByteArray &command, QDeadlineTimer deadline,
    const std::atomic_bool *cancel, ssh_channel_struct **channel, ChannelOutput *output)
{
    ssh_channel ch = ssh_channel_new(m_session);
    if (!ch)
        return SSH_ERROR;
    if (!output->attach(ch)) {
        ssh_channel_free(ch);
        return SSH_ERROR;
    }
    auto wait = [&] { return waitIo(deadline, cancel); };
    int rc = untilAnswered([&] { return ssh_channel_open_session(ch); }, wait);
    if (rc == SSH_OK)
        rc = untilAnswered([&] { return ssh_channel_request_exec(ch, command.constData()); }, wait);
    if (rc != SSH_OK) {
        output->release(ch);
        return rc;
    }
    *channel = ch;
    return SSH_OK;
}

ExecResult SshSession::gaveUpStarting(const std::atomic_bool *cancel)
{
    ExecResult r;
    const bool cancelled = cancel && cancel->load();
    r.failure = cancelled ? DeviceStatus::Error : DeviceStatus::Unreachable;
    r.error = cancelled ? u"cancelled"_s
                        : u"%1 did not start the command in time"_s.arg(m_options.target.toString());
    disconnect(); // a channel request left unanswered: the session is not reused
    return r;
}

ExecResult SshSession::exec(
    const QByteArray &command, QDeadlineTimer deadline, const std::atomic_bool *cancel)
{
    ExecResult r;
    if (!isConnected()) {
        r.failure = DeviceStatus::Unreachable;
        r.error = u"not connected"_s;
        return r;
    }
    ChannelOutput output; // outlives the channel: output.release() frees it
    ssh_channel ch = nullptr;
    const int rc = openCommand(command, deadline, cancel, &ch, &output);
    if (rc == SSH_AGAIN)
        return gaveUpStarting(cancel);
    if (rc != SSH_OK) {
        r.failure = ssh_is_connected(m_session) ? DeviceStatus::Error : DeviceStatus::Unreachable;
        r.error = u"cannot run a command on %1: %2"_s.arg(m_options.target.toString(), lastError(m_session));
        if (r.failure == DeviceStatus::Unreachable)
            m_connected = false;
        return r;
    }
    bool failed = false;
    while (true) {
        if (cancel && cancel->load()) {
            r.error = u"cancelled"_s;
            failed = true;
            break;
        }
        if (deadline.hasExpired()) {
            r.error = u"%1 did not finish the command in time"_s.arg(m_options.target.toString());
            r.failure = DeviceStatus::Unreachable;
            failed = true;
            break;
        }
        const qsizetype got = output.takeAvailable(ch);
        if (got == SSH_ERROR) {
            r.error = u"connection to %1 lost: %2"_s.arg(m_options.target.toString(), lastError(m_session));
            r.failure = DeviceStatus::Unreachable;
            failed = true;
            break;
        }
        if (output.out.size() > kMaxStream || output.err.size() > kMaxStream) {
            r.error
                = u"%1 sent more than 16 MiB of output: stopped reading"_s.arg(m_options.target.toString());
            failed = true;
            break;
        }
        if (got == 0) {
            if (ssh_channel_is_eof(ch))
                break;
            waitIo(deadline, cancel);
        }
    }
    if (!failed) {
        // The exit status comes in its own message, usually right after the end of output.
        while (
            ssh_channel_get_exit_status(ch) < 0 && !ssh_channel_is_closed(ch) && waitIo(deadline, cancel)) { }
        r.exitCode = ssh_channel_get_exit_status(ch);
        r.completed = r.exitCode >= 0;
        if (!r.completed) {
            r.error = u"%1 closed the command without an exit status"_s.arg(m_options.target.toString());
            r.failure = DeviceStatus::Unreachable;
        }
    }
    r.out = std::exchange(output.out, {}); // all of it, or what came before the failure
    r.err = std::exchange(output.err, {});
    if (failed && r.failure == DeviceStatus::Unreachable) {
        // A half-read channel on a dead link: drop the whole session rather than reuse it.
        output.release(ch);
        disconnect();
        return r;
    }
    ssh_channel_send_eof(ch);
    ssh_channel_close(ch);
    output.release(ch);
    return r;
}

ExecResult SshSession::execRead(
    const QByteArray &script, QDeadlineTimer deadline, const std::atomic_bool *cancel)
{
    if (!isConnected() || m_shellRefused)
        return exec(script, deadline, cancel);
    const bool fresh = !m_shell;
    if (fresh) {
        if (!m_shellOutput)
            m_shellOutput = std::make_unique<ChannelOutput>();
        const int rc = openCommand("exec sh", deadline, cancel, &m_shell, m_shellOutput.get());
        if (rc == SSH_AGAIN)
            return gaveUpStarting(cancel);
        if (rc != SSH_OK) {
            m_shellRefused = true;
            return exec(script, deadline, cancel);
        }
    }
    // The script's output, then a line the shell prints after it on each stream: its end
    // (random, so that no output ends it early); stderr's, printed first, carries the last
    // command's status. When stdout's end arrives, stderr's is (nearly always) there already.
    const QByteArray nonce = makeNonce();
    const QByteArray endErr = "\n@@canyon-end-" + nonce + ' ';
    const QByteArray endOut = "\n@@canyon-end-" + nonce + '\n';
    const QByteArray line = script + "\nprintf '\\n@@canyon-end-%s %s\\n' " + nonce
        + " $? >&2; printf '\\n@@canyon-end-%s\\n' " + nonce + "\n";
    ExecResult r;
    ChannelOutput &output = *m_shellOutput;
    // Whatever came after the last script's end lines is no part of this one's output.
    output.out.clear();
    output.err.clear();
    if (writeAll(m_shell, line, deadline, cancel) != SSH_OK) {
        closeShell();
        if (cancel && cancel->load()) {
            r.error = u"cancelled"_s;
            return r;
        }
        if (fresh)
            m_shellRefused = true;
        return isConnected() ? exec(script, deadline, cancel) : r;
    }
    bool outDone = false;
    qsizetype errEnd = -1;
    auto failWith = [&](const QString &error, DeviceStatus failure) {
        r.error = error;
        r.failure = failure;
        r.out = std::exchange(output.out, {}); // what came before the failure
        r.err = std::exchange(output.err, {});
        closeShell();
        if (failure == DeviceStatus::Unreachable)
            disconnect(); // a half-read stream on a dead link: the whole session goes, as in exec
        return r;
    };
    while (!outDone || errEnd < 0) {
        if (cancel && cancel->load())
            return failWith(u"cancelled"_s, DeviceStatus::Error);
        if (deadline.hasExpired())
            return failWith(u"%1 did not finish the command in time"_s.arg(m_options.target.toString()),
                DeviceStatus::Unreachable);
        const qsizetype got = output.takeAvailable(m_shell);
        if (got == SSH_ERROR)
            return failWith(
                u"connection to %1 lost: %2"_s.arg(m_options.target.toString(), lastError(m_session)),
                DeviceStatus::Unreachable);
        if (output.out.size() > kMaxStream || output.err.size() > kMaxStream)
            return failWith(
                u"%1 sent more than 16 MiB of output: stopped reading"_s.arg(m_options.target.toString()),
                DeviceStatus::Error);
        outDone = outDone || output.out.endsWith(endOut);
        if (errEnd < 0 && output.err.endsWith('\n')) {
            const qsizetype at = output.err.lastIndexOf(endErr);
            if (at >= 0 && output.err.indexOf('\n', at + 1) == output.err.size() - 1)
                errEnd = at;
        }
        if ((!outDone || errEnd < 0) && got == 0) {
            if (ssh_channel_is_eof(m_shell)) {
                // The shell ended (the device has none, or closed it): the script is a read, so
                // it runs again the usual way.
                closeShell();
                if (fresh)
                    m_shellRefused = true;
                return exec(script, deadline, cancel);
            }
            waitIo(deadline, cancel);
        }
    }
    r.out = std::exchange(output.out, {});
    r.err = std::exchange(output.err, {});
    bool ok = false;
    r.exitCode = r.err.mid(errEnd + endErr.size()).trimmed().toInt(&ok);
    r.err.truncate(errEnd);
    r.out.chop(endOut.size());
    r.completed = ok && r.exitCode >= 0;
    if (!r.completed) {
        r.exitCode = -1;
        return failWith(u"%1 gave no exit status for the command"_s.arg(m_options.target.toString()),
            DeviceStatus::Error);
    }
    return r;
}

HttpExchange SshSession::httpOverUnixSocket(const QByteArray &socketPath, const QByteArray &method,
    const QByteArray &path, const QByteArray &body, QDeadlineTimer deadline, const std::atomic_bool *cancel)
{
    HttpExchange x;
    if (!isConnected()) {
        x.error = u"not connected"_s;
        return x;
    }
    ssh_channel ch = ssh_channel_new(m_session);
    if (!ch) {
        x.error = lastError(m_session);
        return x;
    }
    const int opened = untilAnswered(
        [&] { return ssh_channel_open_forward_unix(ch, socketPath.constData(), "127.0.0.1", 0); },
        [&] { return waitIo(deadline, cancel); });
    if (opened == SSH_AGAIN) {
        x.error = cancel && cancel->load() ? u"cancelled"_s
                                           : u"%1 did not answer the request to open %2 in time"_s.arg(
                                               m_options.target.toString(), QString::fromUtf8(socketPath));
        ssh_channel_free(ch);
        disconnect(); // an unanswered channel request: the session is not reused
        return x;
    }
    if (opened != SSH_OK) {
        x.channelRefused = ssh_is_connected(m_session);
        x.error = u"%1 would not open %2: %3"_s.arg(
            m_options.target.toString(), QString::fromUtf8(socketPath), lastError(m_session));
        ssh_channel_free(ch);
        if (!x.channelRefused)
            m_connected = false;
        return x;
    }
    QByteArray req = method + ' ' + path
        + " HTTP/1.1\r\nHost: localhost\r\nUser-Agent: canyon\r\n"
          "Connection: close\r\n";
    if (!body.isEmpty())
        req += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
            + "\r\n";
    req += "\r\n" + body;
    if (const int sent = writeAll(ch, req, deadline, cancel); sent != SSH_OK) {
        if (cancel && cancel->load())
            x.error = u"cancelled"_s;
        else if (sent == SSH_AGAIN)
            x.error = u"%1 did not take the request for %2 in time"_s.arg(
                m_options.target.toString(), QString::fromUtf8(socketPath));
        else
            x.error = u"cannot send the request: "_s + lastError(m_session);
        ssh_channel_free(ch);
        return x;
    }
    HttpResponseParser parser;
    char buf[32768];
    while (!parser.isComplete() && !parser.hasError()) {
        if (cancel && cancel->load()) {
            x.error = u"cancelled"_s;
            break;
        }
        if (deadline.hasExpired()) {
            x.error = u"%1: no complete answer from %2 in time"_s.arg(
                m_options.target.toString(), QString::fromUtf8(socketPath));
            break;
        }
        const int n = readSome(ch, buf, sizeof buf, 0);
        if (n == SSH_ERROR) {
            x.error = u"connection lost: "_s + lastError(m_session);
            m_connected = ssh_is_connected(m_session);
            break;
        }
        if (n > 0) {
            parser.feed(QByteArrayView(buf, n));
        } else if (ssh_channel_is_eof(ch)) {
            parser.finish();
            break;
        } else {
            waitIo(deadline, cancel);
        }
    }
    if (parser.hasError())
        x.error = parser.error();
    else if (parser.isComplete()) {
        x.completed = true;
        x.status = parser.status();
        x.body = parser.body();
    } else if (x.error.isEmpty())
        x.error = u"the answer from %1 was cut short"_s.arg(QString::fromUtf8(socketPath));
    ssh_channel_close(ch);
    ssh_channel_free(ch);
    return x;
}

QString SshSession::fingerprintOfPublicKeyFile(const QString &pubKeyFile)
{
    ensureInit();
    ssh_key key = nullptr;
    const QByteArray path = QFile::encodeName(pubKeyFile);
    if (ssh_pki_import_pubkey_file(path.constData(), &key) != SSH_OK)
        return {};
    const QString s = keySha256(key);
    ssh_key_free(key);
    return s;
}

} // namespace canyon
