// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSslConfiguration>
#include <QString>
#include <functional>
#include <memory>
#include <vector>

class QSslError;

namespace canyon {

// HTTP/1.1 over TLS to one LXD server, for LxdClient's requests (not its log streams or
// websockets). Why not QNetworkAccessManager: Qt's HTTP thread reads a response ahead of the
// reader without bound, so a server streaming 100 MB had it in memory before any cut took
// effect. Here every connection is a QSslSocket on this object's thread with a small read
// buffer: what is not read stays in the kernel, the TCP window closes and the server waits.
// A response is parsed as it arrives (HttpResponseParser) and cut off at maxBody.
//
// Trust: the pin decides. Only the TLS errors of exactly the pinned certificate are ignored (by
// their list), and no request byte is written before `encrypted` fired and the presented
// certificate's SHA256 is the pin.
//
// Keep-alive: idle connections are reused (at most MaxConnections at once; further requests
// wait in order), closed after IdleCloseMs, on "Connection: close", on any error, on a deadline
// and on a cancel. Every request runs done() exactly once, unless dropped or this is destroyed.
class LxdHttpsTransport : public QObject
{
    Q_OBJECT
public:
    struct Reply
    {
        bool complete = false; // a whole response arrived: status and body are the answer
        int status = 0; // 0: no status line came
        QByteArray body; // only when complete
        QString error; // the socket's or the parser's words when not complete
        QString seenSha256; // the certificate of the TLS session (when one took place)
        bool notPinned = false; // refused: no pin set
        bool mismatch = false; // refused: another certificate than the pinned one
        bool handshakeFailed = false;
        bool deadline = false;
        bool cancelled = false;
        qint64 tooLarge = 0; // bytes announced or received beyond maxBody: cut off
    };
    using Done = std::function<void(const Reply &)>;

    static constexpr int MaxConnections = 6;
    static constexpr qint64 SocketBufferBytes = 256 * 1024;
    static constexpr int IdleCloseMs = 30000;

    // ssl: client certificate and key, protocol; pin: lowercase hex SHA256 ("" refuses all).
    LxdHttpsTransport(const QString &host, quint16 port, const QSslConfiguration &ssl, const QString &pin,
        qint64 maxBody, QObject *parent = nullptr);
    ~LxdHttpsTransport() override;

    // target: the encoded path and query ("/1.0/instances?recursion=1"). Never calls done() here.
    quint64 request(const QByteArray &verb, const QByteArray &target, const QByteArray &body,
        const QByteArray &contentType, int timeoutMs, Done done);
    void cancel(quint64 id); // done() runs now, cancelled; its connection is closed
    void drop(quint64 id); // the same without done()
    int connectionCount() const { return int(m_connections.size()); }

private:
    struct Request;
    struct Connection;
    void pump();
    void open(const std::shared_ptr<Request> &request);
    void assign(Connection *c, const std::shared_ptr<Request> &request);
    void writeRequest(Connection *c);
    void onSslErrors(Connection *c, const QList<QSslError> &errors);
    void onEncrypted(Connection *c);
    void onReadyRead(Connection *c);
    void onLost(Connection *c, bool handshakeFailed);
    bool readAvailable(Connection *c); // false: c is gone (its request ended)
    void completeOk(Connection *c);
    void closeConnection(Connection *c);
    void finish(const std::shared_ptr<Request> &request, Reply reply);
    void onDeadline(quint64 id);
    void stop(quint64 id, bool report);

    QString m_host;
    quint16 m_port = 0;
    QByteArray m_hostHeader;
    QSslConfiguration m_ssl;
    QString m_pin;
    qint64 m_maxBody = 0;
    quint64 m_nextId = 1;
    QHash<quint64, std::shared_ptr<Request>> m_requests; // every request not yet done
    QList<std::shared_ptr<Request>> m_queue; // waiting for a connection, in order
    std::vector<std::unique_ptr<Connection>> m_connections;
};

} // namespace canyon
