// SPDX-License-Identifier: GPL-3.0-or-later
#include "LxdEventStream.h"

#include "LxdClient.h"
#include "LxdClientCertificate.h"
#include "LxdJson.h"

#include <QNetworkRequest>
#include <QSslError>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace canyon {

LxdEventStream::LxdEventStream(
    const QUrl &serverUrl, const QString &pinnedSha256, const QSslConfiguration &ssl, QObject *parent)
    : QObject(parent)
    , m_url(serverUrl)
    , m_pin(normalizeSha256(pinnedSha256))
    , m_ssl(ssl)
{
    m_url.setScheme(u"wss"_s);
    if (m_url.port() < 0)
        m_url.setPort(8443);
    m_url.setPath(u"/1.0/events"_s);
    m_url.setQuery(u"type=operation,lifecycle"_s);
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &LxdEventStream::open);
    m_ping.setInterval(30000);
    connect(&m_ping, &QTimer::timeout, this, [this] {
        if (!m_socket)
            return;
        if (m_awaitingPong) { // the link died quietly (suspend, cable): treat it as a drop
            m_socket->abort();
            return;
        }
        m_awaitingPong = true;
        m_socket->ping();
    });
}

LxdEventStream::LxdEventStream(int firstPollMs, int maxPollMs, QObject *parent)
    : QObject(parent)
    , m_firstBackoffMs(firstPollMs)
    , m_maxBackoffMs(maxPollMs)
    , m_backoffMs(firstPollMs)
    , m_polling(true)
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, [this] {
        m_pollInFlight = true;
        Q_EMIT pollDue();
    });
}

void LxdEventStream::pollFinished(bool changed)
{
    m_pollInFlight = false;
    if (!m_polling || m_state != State::Polling)
        return;
    m_backoffMs = changed ? m_firstBackoffMs : std::min(m_backoffMs * 2, m_maxBackoffMs);
    m_retry.start(m_backoffMs);
}

void LxdEventStream::pollSoon()
{
    if (!m_polling || m_state != State::Polling)
        return;
    m_backoffMs = m_firstBackoffMs;
    if (!m_pollInFlight)
        m_retry.start(m_backoffMs);
}

LxdEventStream::~LxdEventStream()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

void LxdEventStream::setBackoffLimits(int firstMs, int maxMs)
{
    m_firstBackoffMs = firstMs;
    m_maxBackoffMs = maxMs;
    m_backoffMs = firstMs;
}

void LxdEventStream::setPingIntervalMs(int ms)
{
    m_ping.setInterval(ms);
}

void LxdEventStream::setState(State s, const QString &reason)
{
    m_state = s;
    Q_EMIT stateChanged(s, reason);
}

void LxdEventStream::start()
{
    if (m_state != State::Stopped)
        return;
    m_refused = false;
    m_backoffMs = m_firstBackoffMs;
    if (m_polling) {
        setState(State::Polling,
            u"no events websocket over SSH: the instance list is polled (every %1 s to %2 s)"_s
                .arg(m_firstBackoffMs / 1000.0)
                .arg(m_maxBackoffMs / 1000.0));
        if (!m_pollInFlight)
            m_retry.start(m_backoffMs);
        return;
    }
    open();
}

void LxdEventStream::stop()
{
    m_retry.stop();
    m_pollInFlight = false;
    m_ping.stop();
    if (m_socket) {
        QWebSocket *s = m_socket;
        m_socket = nullptr;
        s->disconnect(this);
        s->abort();
        s->deleteLater();
    }
    if (m_state != State::Stopped)
        setState(State::Stopped);
}

void LxdEventStream::open()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket->setSslConfiguration(m_ssl);
    m_socket->setMaxAllowedIncomingMessageSize(quint64(kMaxLxdEventBytes));
    m_socket->setMaxAllowedIncomingFrameSize(quint64(kMaxLxdEventBytes));
    m_awaitingPong = false;
    QWebSocket *socket = m_socket;
    connect(socket, &QWebSocket::sslErrors, this, [this, socket](const QList<QSslError> &errors) {
        QString seen;
        if (LxdClient::errorsArePinned(errors, socket->sslConfiguration().peerCertificate(), m_pin, &seen)) {
            socket->ignoreSslErrors(errors); // exactly these errors of exactly the pinned certificate
            return;
        }
        m_seenSha256 = seen;
        m_refused = true; // not ignoring aborts the handshake before the upgrade request
    });
    connect(socket, &QWebSocket::connected, this, [this, socket] {
        // A CA-valid certificate raises no sslErrors: compare the pin here as well.
        const QString seen = certificateSha256(socket->sslConfiguration().peerCertificate());
        if (!seen.isEmpty() && seen != m_pin) {
            m_seenSha256 = seen;
            m_refused = true;
            socket->abort();
            return;
        }
        const bool again = m_everConnected;
        m_everConnected = true;
        m_backoffMs = m_firstBackoffMs;
        m_ping.start();
        setState(State::Connected);
        if (again)
            Q_EMIT reconnected();
    });
    connect(socket, &QWebSocket::disconnected, this, &LxdEventStream::onDisconnected);
    connect(socket, &QWebSocket::pong, this, [this] { m_awaitingPong = false; });
    connect(socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        LxdEvent e;
        if (parseLxdEvent(text.toUtf8(), &e, nullptr))
            Q_EMIT eventReceived(e);
    });
    connect(socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &bytes) {
        LxdEvent e;
        if (parseLxdEvent(bytes, &e, nullptr))
            Q_EMIT eventReceived(e);
    });
    setState(State::Connecting);
    socket->open(QNetworkRequest(m_url));
}

void LxdEventStream::onDisconnected()
{
    m_ping.stop();
    if (!m_socket)
        return;
    const QString why = m_socket->errorString();
    m_socket->disconnect(this);
    m_socket->deleteLater();
    m_socket = nullptr;
    if (m_refused) {
        const QString reason = m_pin.isEmpty()
            ? u"server certificate not pinned (SHA256 %1)"_s.arg(m_seenSha256)
            : u"REFUSED: server certificate changed: pinned SHA256 %1, presented SHA256 %2"_s.arg(
                m_pin, m_seenSha256);
        setState(State::RefusedTrust, reason);
        return;
    }
    scheduleReconnect(why);
}

void LxdEventStream::scheduleReconnect(const QString &reason)
{
    setState(State::Waiting, reason);
    m_retry.start(m_backoffMs);
    m_backoffMs = std::min(m_backoffMs * 2, m_maxBackoffMs);
}

} // namespace canyon
