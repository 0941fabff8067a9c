// SPDX-License-Identifier: GPL-3.0-or-later
#include "LxdHttpsTransport.h"

#include "LxdClient.h"
#include "LxdClientCertificate.h"
#include "ssh/HttpMessage.h"

#include <QPointer>
#include <QSslError>
#include <QSslSocket>
#include <QTimer>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace canyon {

struct LxdHttpsTransport::Request
{
    quint64 id = 0;
    QByteArray head; // request line and headers
    QByteArray body;
    Done done;
    QTimer *deadline = nullptr; // a child of the transport, deleted later (it may be signalling)
    Connection *connection = nullptr; // connecting for it, or in flight on it
    int retries = 0; // a reused connection the server had closed: sent again once
    bool idempotent = false; // GET, HEAD, PUT, DELETE: may be sent again (never a POST or PATCH)
};

struct LxdHttpsTransport::Connection
{
    QSslSocket *socket = nullptr;
    QTimer *idle = nullptr; // a child of socket
    std::shared_ptr<Request> request;
    std::unique_ptr<HttpResponseParser> parser; // from the request's first byte written
    QString seenSha256;
    bool notPinned = false;
    bool mismatch = false;
    bool verified = false; // encrypted, and the pin matched: requests may be written
    bool reused = false; // has answered a request before
    bool gotBytes = false; // of the current response
    bool lost = false; // the socket is closing or closed
    std::shared_ptr<bool> alive = std::make_shared<bool>(true); // for queued calls
};

LxdHttpsTransport::LxdHttpsTransport(const QString &host, quint16 port, const QSslConfiguration &ssl,
    const QString &pin, qint64 maxBody, QObject *parent)
    : QObject(parent)
    , m_host(host)
    , m_port(port)
    , m_ssl(ssl)
    , m_pin(pin)
    , m_maxBody(maxBody)
{
    const QByteArray h = QUrl::toAce(host);
    m_hostHeader = (host.contains(u':') ? '[' + host.toLatin1() + ']' : (h.isEmpty() ? host.toLatin1() : h))
        + ':' + QByteArray::number(port);
    // HTTP/1.1 only: one response at a time per connection, read at the pace of this thread
    m_ssl.setAllowedNextProtocols({ QByteArray(QSslConfiguration::NextProtocolHttp1_1) });
}

LxdHttpsTransport::~LxdHttpsTransport()
{
    // No callbacks from here on: the sockets go with this object, their signals first.
    // This may run inside a socket's signal (a callback deleting the client): sockets go later.
    for (const auto &c : m_connections) {
        QObject::disconnect(c->socket, nullptr, this, nullptr);
        QObject::disconnect(c->idle, nullptr, this, nullptr);
        c->idle->stop();
        c->socket->abort(); // the descriptor is closed now
        c->socket->setParent(nullptr);
        c->socket->deleteLater();
    }
    for (const auto &r : std::as_const(m_requests))
        r->done = nullptr;
}

quint64 LxdHttpsTransport::request(const QByteArray &verb, const QByteArray &target, const QByteArray &body,
    const QByteArray &contentType, int timeoutMs, Done done)
{
    auto r = std::make_shared<Request>();
    r->id = m_nextId++;
    QByteArray head = verb + ' ' + (target.isEmpty() ? QByteArray("/") : target)
        + " HTTP/1.1\r\nHost: " + m_hostHeader + "\r\nUser-Agent: canyon\r\nConnection: keep-alive\r\n";
    if (!contentType.isEmpty())
        head += "Content-Type: " + contentType + "\r\n";
    if (!body.isEmpty() || (verb != "GET" && verb != "HEAD"))
        head += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    head += "\r\n";
    r->head = head;
    r->body = body;
    r->idempotent = verb == "GET" || verb == "HEAD" || verb == "PUT" || verb == "DELETE";
    r->done = std::move(done);
    r->deadline = new QTimer(this);
    r->deadline->setSingleShot(true);
    const quint64 id = r->id;
    connect(r->deadline, &QTimer::timeout, this, [this, id] { onDeadline(id); });
    r->deadline->start(timeoutMs);
    m_requests.insert(id, r);
    m_queue.append(r);
    pump();
    return id;
}

void LxdHttpsTransport::cancel(quint64 id)
{
    stop(id, true);
}

void LxdHttpsTransport::drop(quint64 id)
{
    stop(id, false);
}

void LxdHttpsTransport::stop(quint64 id, bool report)
{
    const std::shared_ptr<Request> r = m_requests.value(id);
    if (!r)
        return;
    if (!report)
        r->done = nullptr;
    Reply reply;
    reply.cancelled = true;
    if (Connection *c = r->connection) {
        reply.status = c->parser ? c->parser->status() : 0;
        reply.seenSha256 = c->seenSha256;
        c->request.reset();
        closeConnection(c); // what is on the wire for it cannot be told apart from the next answer
    } else {
        m_queue.removeOne(r);
    }
    finish(r, reply);
}

void LxdHttpsTransport::onDeadline(quint64 id)
{
    const std::shared_ptr<Request> r = m_requests.value(id);
    if (!r)
        return;
    Reply reply;
    reply.deadline = true;
    if (Connection *c = r->connection) {
        reply.status = c->parser ? c->parser->status() : 0;
        reply.seenSha256 = c->seenSha256;
        reply.notPinned = c->notPinned;
        reply.mismatch = c->mismatch;
        c->request.reset();
        closeConnection(c);
    } else {
        m_queue.removeOne(r);
    }
    finish(r, reply);
}

void LxdHttpsTransport::pump()
{
    while (!m_queue.isEmpty()) {
        Connection *idle = nullptr;
        for (const auto &c : m_connections) {
            if (c->verified && !c->request && !c->lost) {
                idle = c.get();
                break;
            }
        }
        if (idle)
            assign(idle, m_queue.takeFirst());
        else if (int(m_connections.size()) < MaxConnections)
            open(m_queue.takeFirst());
        else
            return; // the next free connection takes the head of the queue
    }
}

void LxdHttpsTransport::open(const std::shared_ptr<Request> &request)
{
    auto owned = std::make_unique<Connection>();
    Connection *c = owned.get();
    m_connections.push_back(std::move(owned));
    c->request = request;
    request->connection = c;
    c->socket = new QSslSocket(this);
    c->socket->setSslConfiguration(m_ssl);
    // Back-pressure: a full buffer stops reading the socket; the kernel's window then closes.
    c->socket->setReadBufferSize(SocketBufferBytes);
    c->idle = new QTimer(c->socket);
    c->idle->setSingleShot(true);
    connect(c->idle, &QTimer::timeout, this, [this, c] { closeConnection(c); });
    QSslSocket *s = c->socket;
    connect(s, &QSslSocket::sslErrors, this,
        [this, c](const QList<QSslError> &errors) { onSslErrors(c, errors); });
    connect(s, &QSslSocket::encrypted, this, [this, c] { onEncrypted(c); });
    connect(s, &QSslSocket::readyRead, this, [this, c] { onReadyRead(c); });
    connect(s, &QSslSocket::disconnected, this, [this, c] { onLost(c, false); });
    connect(s, &QSslSocket::errorOccurred, this, [this, c](QAbstractSocket::SocketError e) {
        // The peer's close: what it sent before is still to be read; `disconnected` follows.
        if (e == QAbstractSocket::RemoteHostClosedError
            && c->socket->state() != QAbstractSocket::UnconnectedState)
            return;
        onLost(c, e == QAbstractSocket::SslHandshakeFailedError);
    });
    // Queued: a failure to connect must not call back into whoever asked for this request.
    QMetaObject::invokeMethod(
        s,
        [this, s, alive = std::weak_ptr<bool>(c->alive)] {
            if (alive.lock())
                s->connectToHostEncrypted(m_host, m_port);
        },
        Qt::QueuedConnection);
}

void LxdHttpsTransport::assign(Connection *c, const std::shared_ptr<Request> &request)
{
    c->idle->stop();
    c->request = request;
    request->connection = c;
    writeRequest(c);
}

void LxdHttpsTransport::writeRequest(Connection *c)
{
    const std::shared_ptr<Request> &r = c->request;
    c->parser = std::make_unique<HttpResponseParser>(m_maxBody);
    // Room up to the cap at once (mapped lazily: only what arrives is resident), so that a body
    // growing to the cap is never copied, and never held twice, while it grows.
    c->parser->reserveBody(m_maxBody + SocketBufferBytes);
    c->gotBytes = false;
    c->socket->write(r->head);
    if (!r->body.isEmpty())
        c->socket->write(r->body);
}

void LxdHttpsTransport::onSslErrors(Connection *c, const QList<QSslError> &errors)
{
    QString seen;
    if (LxdClient::errorsArePinned(errors, c->socket->peerCertificate(), m_pin, &seen)) {
        c->socket->ignoreSslErrors(errors); // exactly these errors of exactly the pinned certificate
        return;
    }
    // Not ignoring makes the handshake fail: no HTTP byte leaves this process.
    c->seenSha256 = seen;
    c->notPinned = m_pin.isEmpty();
    c->mismatch = !m_pin.isEmpty();
}

void LxdHttpsTransport::onEncrypted(Connection *c)
{
    // A certificate a system CA vouches for raises no sslErrors: the pin still decides.
    const QString seen = certificateSha256(c->socket->peerCertificate());
    c->seenSha256 = seen;
    if (m_pin.isEmpty() || seen != m_pin) {
        c->notPinned = m_pin.isEmpty();
        c->mismatch = !m_pin.isEmpty();
        const std::shared_ptr<Request> r = c->request;
        Reply reply;
        reply.seenSha256 = seen;
        reply.notPinned = c->notPinned;
        reply.mismatch = c->mismatch;
        reply.handshakeFailed = true;
        c->request.reset();
        closeConnection(c); // before a single request byte was written
        if (r)
            finish(r, reply);
        return;
    }
    c->verified = true;
    if (c->request)
        writeRequest(c);
    else
        pump();
}

void LxdHttpsTransport::onReadyRead(Connection *c)
{
    readAvailable(c);
}

bool LxdHttpsTransport::readAvailable(Connection *c)
{
    while (c->socket->bytesAvailable() > 0) {
        if (!c->parser) { // nothing was asked: a connection that speaks now is not used again
            closeConnection(c);
            return false;
        }
        const QByteArray data = c->socket->read(SocketBufferBytes);
        c->gotBytes = true;
        c->parser->feed(data);
        if (c->parser->hasError()) {
            const std::shared_ptr<Request> r = c->request;
            Reply reply;
            reply.status = c->parser->status();
            reply.seenSha256 = c->seenSha256;
            reply.error = c->parser->error();
            if (reply.error.contains(u"too large"_s)) {
                // announced (the body is never read) or grown past the limit
                const qint64 announced = c->parser->header("Content-Length").trimmed().toLongLong();
                reply.tooLarge = announced > m_maxBody
                    ? announced
                    : std::max<qint64>(c->parser->body().size(), m_maxBody + 1);
            }
            c->request.reset();
            closeConnection(c);
            finish(r, reply);
            return false;
        }
        if (c->parser->isComplete()) {
            completeOk(c);
            return false;
        }
    }
    return true;
}

void LxdHttpsTransport::completeOk(Connection *c)
{
    const std::shared_ptr<Request> r = c->request;
    const HttpResponseParser &p = *c->parser;
    Reply reply;
    reply.complete = true;
    reply.status = p.status();
    reply.seenSha256 = c->seenSha256;
    const bool framed = !p.header("Content-Length").isEmpty()
        || p.header("Transfer-Encoding").toLower().contains("chunked") || p.status() == 204
        || p.status() == 304 || p.status() < 200;
    const bool keep = framed && !p.header("Connection").toLower().contains("close") && !c->lost
        && c->socket->state() == QAbstractSocket::ConnectedState && c->socket->bytesAvailable() == 0;
    QByteArray body = p.body();
    c->request.reset();
    c->parser.reset(); // body is the only reference now: it gives back the room it did not use
    body.squeeze();
    reply.body = std::move(body);
    r->connection = nullptr;
    if (keep) {
        c->reused = true;
        c->idle->start(IdleCloseMs);
    } else {
        closeConnection(c);
    }
    finish(r, std::move(reply));
}

void LxdHttpsTransport::onLost(Connection *c, bool handshakeFailed)
{
    if (c->lost)
        return;
    c->lost = true;
    if (!readAvailable(c)) // what came before the close (it may complete the answer)
        return;
    const std::shared_ptr<Request> r = c->request;
    if (!r) {
        closeConnection(c);
        return;
    }
    if (c->parser) {
        c->parser->finish(); // an answer delimited by the close ends here
        if (c->parser->isComplete()) {
            completeOk(c);
            return;
        }
    }
    if (c->reused && !c->gotBytes && r->retries == 0 && r->idempotent) {
        // The server closed the kept connection as the request went out: once more, on a new one.
        // Only a request that may run twice: a POST that perhaps arrived is never sent again.
        ++r->retries;
        c->request.reset();
        r->connection = nullptr;
        closeConnection(c);
        m_queue.prepend(r);
        pump();
        return;
    }
    Reply reply;
    reply.status = c->parser ? c->parser->status() : 0;
    reply.seenSha256 = c->seenSha256;
    reply.notPinned = c->notPinned;
    reply.mismatch = c->mismatch;
    reply.handshakeFailed = handshakeFailed || c->socket->error() == QAbstractSocket::SslHandshakeFailedError;
    if (c->socket->error() != QAbstractSocket::UnknownSocketError)
        reply.error = c->socket->errorString();
    else if (c->parser && c->parser->hasError())
        reply.error = c->parser->error();
    else
        reply.error = u"the connection closed"_s;
    c->request.reset();
    closeConnection(c);
    finish(r, reply);
}

void LxdHttpsTransport::closeConnection(Connection *c)
{
    QObject::disconnect(c->socket, nullptr, this, nullptr);
    QObject::disconnect(c->idle, nullptr, this, nullptr);
    c->idle->stop();
    if (c->request)
        c->request->connection = nullptr;
    c->socket->abort(); // the descriptor is closed now, not later
    c->socket->deleteLater();
    const auto it = std::find_if(m_connections.begin(), m_connections.end(),
        [c](const std::unique_ptr<Connection> &x) { return x.get() == c; });
    if (it != m_connections.end())
        m_connections.erase(it); // c is gone
}

void LxdHttpsTransport::finish(const std::shared_ptr<Request> &request, Reply reply)
{
    m_requests.remove(request->id);
    request->deadline->stop();
    request->deadline->deleteLater();
    request->connection = nullptr;
    const Done done = std::move(request->done);
    request->done = nullptr;
    QPointer<LxdHttpsTransport> self(this);
    if (done)
        done(reply);
    if (self)
        pump(); // a connection may have become free, or a slot for a new one
}

} // namespace canyon
