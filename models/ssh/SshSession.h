// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "domain/Device.h"
#include "domain/Host.h"

#include <QByteArray>
#include <QDeadlineTimer>
#include <QString>
#include <atomic>
#include <memory>
#include <sys/types.h>
#include <utility>

struct ssh_session_struct;
struct ssh_channel_struct;

namespace canyon {

struct SshOptions
{
    SshTarget target;
    QString identityFile; // tried first when set
    QString knownHostsFile; // Canyon's own known_hosts: read, and written on acceptance
    QString userKnownHostsFile; // ~/.ssh/known_hosts by default: read only
    QString sshConfigFile; // empty: ~/.ssh/config (and /etc/ssh/ssh_config); "none": no config
    bool acceptNewHostKey = false;
    bool useAgent = true;
    QString password; // only when the user typed one for this run
    QString keyPassphrase;
    QString kex; // pin key exchange (benchmarks); empty: libssh defaults
    int connectTimeoutMs = 10000;
};

struct ExecResult
{
    bool completed = false; // the command ran and its channel closed: exitCode is valid
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    DeviceStatus failure = DeviceStatus::Error; // when !completed
    QString error;
};

struct HttpExchange
{
    bool completed = false; // a whole HTTP response arrived
    bool channelRefused = false; // the server would not open the socket (no snapd, no access)
    int status = 0;
    QByteArray body;
    QString error;
};

// A random token for marking where a remote command's output ends: no output can guess it.
QByteArray makeNonce();

// One libssh client session. Its calls block the caller until done, but libssh runs
// non-blocking underneath and every wait goes through FiberPool::waitIo: on a plain thread that
// is a poll(), inside a FiberPool the other sessions run meanwhile. Used by one thread at a
// time (libssh's rule); it may move between threads between uses. Every call ends by its
// deadline. A cancel flag is seen between waits: in a FiberPool at once when its setter calls
// FiberPool::interruptWaits(), else within 2 s; on a plain thread within 100 ms.
class SshSession
{
public:
    explicit SshSession(SshOptions options);
    ~SshSession();
    SshSession(const SshSession &) = delete;
    SshSession &operator=(const SshSession &) = delete;

    // Connects, verifies the host key (unknown: refused unless acceptNewHostKey, then recorded
    // in knownHostsFile; changed or other type: always refused, nothing is run) and
    // authenticates. Returns Ok or the classified failure with a one-line reason ("cancelled"
    // when cancel was set meanwhile).
    DeviceStatus connect(QDeadlineTimer deadline, QString *error, const std::atomic_bool *cancel = nullptr);
    bool isConnected() const;
    void disconnect();

    const HostKeyInfo &hostKey() const { return m_hostKey; }
    bool needsPassphrase() const { return m_needsPassphrase; }
    const SshOptions &options() const { return m_options; }

    // Runs command through the remote user's shell; stdout and stderr are capped (16 MiB).
    ExecResult exec(
        const QByteArray &command, QDeadlineTimer deadline, const std::atomic_bool *cancel = nullptr);
    // Runs a READ-ONLY script (it may run twice) in a shell the session keeps open for the next
    // call: a warm read is then one round trip and no process start for sshd, instead of a
    // channel, an exec and a shell each time. The script must not depend on state a previous one
    // left (no `export`, no `cd`) and must not end the shell. The result is the one exec would
    // give (out, err, the last command's status). Falls back to exec when the device gives no
    // such shell (then never tries again on this session) or the kept one went away.
    ExecResult execRead(
        const QByteArray &script, QDeadlineTimer deadline, const std::atomic_bool *cancel = nullptr);
    // Sends one HTTP/1.1 request over a channel to a remote unix socket (e.g. /run/snapd.socket).
    // A cancel ends it with the error "cancelled" (not completed; cancelled while the channel
    // was opening, the session is dropped). Only a read may be cancelled: a request that changes
    // the device may then have been taken or not.
    HttpExchange httpOverUnixSocket(const QByteArray &socketPath, const QByteArray &method,
        const QByteArray &path, const QByteArray &body, QDeadlineTimer deadline,
        const std::atomic_bool *cancel = nullptr);

    static QString fingerprintOfPublicKeyFile(const QString &pubKeyFile); // for tests and dialogs

private:
    DeviceStatus verifyHostKey(QString *error);
    // Canyon's known_hosts file, then the user's.
    QStringList knownHostsFiles() const;
    // The host and port libssh connects to (after the ssh config's HostName and Port).
    std::pair<QByteArray, unsigned int> effectiveHostPort() const;
    // The name the known_hosts files list the host by (see canyon::knownHostsName).
    QByteArray knownHostsName() const;
    DeviceStatus authenticate(QDeadlineTimer deadline, QString *error, const std::atomic_bool *cancel);
    // Waits for the socket to be ready for libssh (at most 2 s at a time in a FiberPool, 100 ms
    // on a plain thread); false when the deadline passed or cancel was set.
    bool waitIo(QDeadlineTimer deadline, const std::atomic_bool *cancel = nullptr);
    // Writes all of data to channel: SSH_OK, SSH_ERROR, or SSH_AGAIN when the deadline passed or
    // cancel was set.
    int writeAll(ssh_channel_struct *channel, const QByteArray &data, QDeadlineTimer deadline,
        const std::atomic_bool *cancel);
    // Opens a channel running command: SSH_OK with *channel set; else the channel is gone and
    // the answer is SSH_AGAIN (no answer by the deadline, or cancel) or SSH_ERROR (refused, lost).
    // output collects both streams of the channel from its opening on.
    struct ChannelOutput;
    int openCommand(const QByteArray &command, QDeadlineTimer deadline, const std::atomic_bool *cancel,
        ssh_channel_struct **channel, ChannelOutput *output);
    // The result when openCommand gave up; the session, left with a request unanswered, goes.
    ExecResult gaveUpStarting(const std::atomic_bool *cancel);
    void closeShell();

    SshOptions m_options;
    ssh_session_struct *m_session = nullptr;
    HostKeyInfo m_hostKey;
    bool m_connected = false;
    bool m_needsPassphrase = false;
    ssh_channel_struct *m_shell = nullptr; // execRead's kept shell
    std::unique_ptr<ChannelOutput> m_shellOutput; // what it sends; outlives every m_shell
    bool m_shellRefused = false; // the device gave none: execRead execs
    bool m_retriedWrite = false; // waitIo let the caller retry once on a write pending
    int m_socket = -1; // the connection connect() opened itself, for libssh
    std::pair<dev_t, ino_t> m_socketId {}; // what it is, to tell it from a later file of that number
};

} // namespace canyon
