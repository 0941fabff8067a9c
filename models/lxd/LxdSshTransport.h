// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "domain/Device.h"
#include "domain/Host.h"
#include "ssh/SshSession.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QQueue>
#include <functional>
#include <memory>

namespace canyon {

// Where an LXD host without HTTPS is reached: its unix socket through an SSH login.
// Persisted as the host's LXD address: ssh://USER@HOST[:PORT]/PATH/TO/unix.socket
// (ssh://ALIAS/PATH for an ~/.ssh/config alias).
struct LxdSshEndpoint
{
    SshTarget target;
    QString socketPath; // absolute; empty: not decided yet (hosts add probes the defaults)

    static bool isSshUrl(const QString &text) { return text.startsWith(QLatin1String("ssh://")); }
    static bool parseUrl(const QString &text, LxdSshEndpoint *out, QString *error);
    QString toUrl() const;
    // Where LXD packages put the socket: the snap first, then the distribution package.
    static QStringList defaultSocketPaths();
};

// The SSH transport of LxdClient: one HTTP/1.1 request per channel to the remote LXD unix
// socket (SshSession::httpOverUnixSocket), on worker threads, because libssh blocks. Sessions
// are kept open and reused (at most maxSessions per host at once; further requests queue in
// order). Host-key trust is SshSession's: an unknown key is refused unless accepted for this
// transport, a changed key always, and then no channel is opened and no byte of the request
// leaves this process. Lives on the thread that created it; callbacks run there.
class LxdSshTransport : public QObject
{
    Q_OBJECT
public:
    struct Reply
    {
        bool answered = false; // a whole HTTP response arrived: status and body are valid
        int status = 0;
        QByteArray body;
        DeviceStatus failure = DeviceStatus::Error; // when !answered: how connecting/sending failed
        bool channelRefused = false; // logged in, but the socket would not open (path, access)
        QString error;
        HostKeyInfo hostKey; // as seen when the session was established
    };
    using Handler = std::function<void(const Reply &)>;

    // options: target, identity, known_hosts files; connectTimeoutMs is capped by each request.
    LxdSshTransport(const SshOptions &options, const QString &socketPath, QObject *parent = nullptr);
    ~LxdSshTransport() override;

    QString socketPath() const { return m_socketPath; }
    void setSocketPath(const QString &path); // hosts add tries the defaults in turn
    void setMaxSessions(int n) { m_maxSessions = std::max(1, n); }
    int maxSessions() const { return m_maxSessions; }
    // Requests started on a worker (for tests: "nothing was sent" is a count of zero channels).
    quint64 channelsOpened() const;
    HostKeyInfo lastHostKey() const { return m_lastHostKey; } // of the last session established

    quint64 request(const QByteArray &verb, const QString &pathAndQuery, const QByteArray &json,
        int timeoutMs, Handler handler);
    void drop(quint64 id); // its handler will not run (a worker already busy with it still finishes)

private:
    struct Shared;
    struct Queued
    {
        quint64 id = 0;
        QByteArray verb;
        QByteArray path;
        QByteArray json;
        int timeoutMs = 0;
    };
    void pump();
    void finished(quint64 id, const Reply &reply);

    std::shared_ptr<Shared> m_shared;
    QString m_socketPath;
    int m_maxSessions = 4;
    int m_running = 0;
    quint64 m_nextId = 1;
    QQueue<Queued> m_queue;
    HostKeyInfo m_lastHostKey;
    QHash<quint64, Handler> m_handlers;
};

} // namespace canyon
