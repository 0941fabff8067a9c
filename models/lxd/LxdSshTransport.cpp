// SPDX-License-Identifier: GPL-3.0-or-later
#include "LxdSshTransport.h"

#include <QMutex>
#include <QPointer>
#include <QThreadPool>
#include <atomic>
#include <vector>

using namespace Qt::StringLiterals;

namespace canyon {

bool LxdSshEndpoint::parseUrl(const QString &text, LxdSshEndpoint *out, QString *error)
{
    if (!isSshUrl(text)) {
        *error = u"an LXD address over SSH looks like ssh://USER@HOST[:PORT]/PATH/unix.socket, got %1"_s.arg(
            text);
        return false;
    }
    const QString rest = text.mid(6);
    const qsizetype slash = rest.indexOf(u'/');
    LxdSshEndpoint e;
    if (!SshTarget::parse(slash < 0 ? rest : rest.left(slash), &e.target, error))
        return false;
    e.socketPath = slash < 0 ? QString() : rest.mid(slash);
    if (!e.socketPath.isEmpty()) {
        // a unix socket path: absolute, printable, within sun_path, no parent steps
        const QByteArray bytes = e.socketPath.toUtf8();
        bool printable = true;
        for (const char c : bytes)
            printable = printable && uchar(c) >= 0x20 && uchar(c) != 0x7f;
        if (!printable || bytes.size() > 107 || e.socketPath.contains(u"/../")
            || e.socketPath.endsWith(u"/..")) {
            *error = u"invalid unix socket path in %1"_s.arg(text);
            return false;
        }
    }
    *out = e;
    return true;
}

QString LxdSshEndpoint::toUrl() const
{
    return u"ssh://"_s + target.toString() + socketPath;
}

QStringList LxdSshEndpoint::defaultSocketPaths()
{
    return { u"/var/snap/lxd/common/lxd/unix.socket"_s, u"/var/lib/lxd/unix.socket"_s };
}

namespace {

// One pool for every LXD host reached over SSH: requests of one host are already bounded by
// its maxSessions, and the threads only wait on the network.
QThreadPool *workerPool()
{
    static QThreadPool *pool = [] {
        auto *p = new QThreadPool;
        p->setMaxThreadCount(32);
        p->setExpiryTimeout(30000);
        return p;
    }();
    return pool;
}

} // namespace

// What the worker threads and the transport share: the options, the idle sessions.
struct LxdSshTransport::Shared
{
    QMutex mutex;
    SshOptions options;
    std::vector<std::unique_ptr<SshSession>> idle;
    std::atomic<quint64> channels { 0 };
    std::atomic_bool closing { false };

    std::unique_ptr<SshSession> take()
    {
        QMutexLocker lock(&mutex);
        if (idle.empty())
            return {};
        auto s = std::move(idle.back());
        idle.pop_back();
        return s;
    }
    void put(std::unique_ptr<SshSession> s)
    {
        QMutexLocker lock(&mutex);
        if (!closing)
            idle.push_back(std::move(s));
    }
    SshOptions optionsCopy()
    {
        QMutexLocker lock(&mutex);
        return options;
    }
};

LxdSshTransport::LxdSshTransport(const SshOptions &options, const QString &socketPath, QObject *parent)
    : QObject(parent)
    , m_shared(std::make_shared<Shared>())
    , m_socketPath(socketPath)
{
    m_shared->options = options;
}

LxdSshTransport::~LxdSshTransport()
{
    m_handlers.clear();
    m_shared->closing = true;
    // Idle sessions close here; a worker still in a request closes its own when it ends
    // (every request has a deadline).
    std::vector<std::unique_ptr<SshSession>> idle;
    {
        QMutexLocker lock(&m_shared->mutex);
        idle.swap(m_shared->idle);
    }
}

void LxdSshTransport::setSocketPath(const QString &path)
{
    m_socketPath = path;
}

quint64 LxdSshTransport::channelsOpened() const
{
    return m_shared->channels;
}

quint64 LxdSshTransport::request(const QByteArray &verb, const QString &pathAndQuery, const QByteArray &json,
    int timeoutMs, Handler handler)
{
    const quint64 id = m_nextId++;
    m_handlers.insert(id, std::move(handler));
    m_queue.enqueue({ id, verb, pathAndQuery.toUtf8(), json, timeoutMs });
    pump();
    return id;
}

void LxdSshTransport::drop(quint64 id)
{
    m_handlers.remove(id);
    m_queue.removeIf([id](const Queued &q) { return q.id == id; });
}

void LxdSshTransport::pump()
{
    while (m_running < m_maxSessions && !m_queue.isEmpty()) {
        const Queued q = m_queue.dequeue();
        ++m_running;
        std::shared_ptr<Shared> shared = m_shared;
        QPointer<LxdSshTransport> self(this);
        const QByteArray socket = m_socketPath.toUtf8();
        workerPool()->start([shared, self, q, socket] {
            const QDeadlineTimer deadline(q.timeoutMs);
            Reply reply;
            bool reused = true;
            std::unique_ptr<SshSession> session = shared->take();
            for (int attempt = 0; attempt < 2; ++attempt) {
                if (!session || !session->isConnected()) {
                    reused = false;
                    SshOptions o = shared->optionsCopy();
                    o.connectTimeoutMs
                        = int(std::clamp<qint64>(deadline.remainingTime(), 1, o.connectTimeoutMs));
                    session = std::make_unique<SshSession>(o);
                    const DeviceStatus s = session->connect(deadline, &reply.error);
                    reply.hostKey = session->hostKey();
                    if (s != DeviceStatus::Ok) { // refused trust, auth, unreachable: nothing sent
                        reply.failure = s;
                        session.reset();
                        break;
                    }
                }
                reply.hostKey = session->hostKey();
                reply.error.clear();
                ++shared->channels;
                const HttpExchange x = session->httpOverUnixSocket(socket, q.verb, q.path, q.json, deadline);
                reply.answered = x.completed;
                reply.status = x.status;
                reply.body = x.body;
                reply.channelRefused = x.channelRefused;
                reply.error = x.error;
                reply.failure = x.completed ? DeviceStatus::Ok : DeviceStatus::Unreachable;
                // A kept session the server closed while idle fails at once: read requests get
                // one fresh session. Writes are never repeated (they may have been delivered).
                if (x.completed || x.channelRefused || !reused || q.verb != "GET" || deadline.hasExpired())
                    break;
                session.reset();
            }
            if (session && session->isConnected() && !shared->closing)
                shared->put(std::move(session));
            QMetaObject::invokeMethod(
                self.data(),
                [self, id = q.id, reply] {
                    if (self)
                        self->finished(id, reply);
                },
                Qt::QueuedConnection);
        });
    }
}

void LxdSshTransport::finished(quint64 id, const Reply &reply)
{
    --m_running;
    if (!reply.hostKey.sha256.isEmpty())
        m_lastHostKey = reply.hostKey;
    const Handler h = m_handlers.take(id);
    pump();
    if (h)
        h(reply);
}

} // namespace canyon
