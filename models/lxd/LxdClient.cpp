// SPDX-License-Identifier: GPL-3.0-or-later
#include "LxdClient.h"

#include "LxdJson.h"
#include "domain/PlainText.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslError>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace canyon {

QString lxdResultKindName(LxdResultKind kind)
{
    switch (kind) {
    case LxdResultKind::Ok:
        return u"ok"_s;
    case LxdResultKind::Failed:
        return u"failed"_s;
    case LxdResultKind::Unreachable:
        return u"unreachable"_s;
    case LxdResultKind::RefusedTrust:
        return u"refused-trust"_s;
    case LxdResultKind::Cancelled:
        return u"cancelled"_s;
    }
    return u"failed"_s;
}

QString instanceActionName(InstanceAction a)
{
    switch (a) {
    case InstanceAction::Start:
        return u"start"_s;
    case InstanceAction::Stop:
        return u"stop"_s;
    case InstanceAction::Restart:
        return u"restart"_s;
    case InstanceAction::Freeze:
        return u"freeze"_s;
    case InstanceAction::Unfreeze:
        return u"unfreeze"_s;
    case InstanceAction::Delete:
        return u"delete"_s;
    }
    return {};
}

struct LxdClient::Pending
{
    QPointer<QNetworkReply> reply;
    BodyHandler handler;
    QString seenSha256;
    bool notPinned = false;
    bool mismatch = false;
    bool deadline = false;
    bool cancelled = false;
    int timeoutMs = 0;
};

namespace {

// The TLS complaints a self-signed, pinned certificate legitimately raises. Anything else
// (expired, revoked, no certificate at all) is refused even when the fingerprint matches.
bool ignorableForPinned(QSslError::SslError e)
{
    switch (e) {
    case QSslError::SelfSignedCertificate:
    case QSslError::SelfSignedCertificateInChain:
    case QSslError::CertificateUntrusted:
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::HostNameMismatch:
        return true;
    default:
        return false;
    }
}

QUrl withDefaultPort(QUrl url)
{
    if (url.port() < 0)
        url.setPort(8443);
    url.setPath({});
    url.setQuery(QString());
    return url;
}

} // namespace

bool LxdClient::errorsArePinned(
    const QList<QSslError> &errors, const QSslCertificate &peer, const QString &pinned, QString *seen)
{
    QSslCertificate leaf = peer;
    if (leaf.isNull()) {
        for (const QSslError &e : errors) {
            if (!e.certificate().isNull()) {
                leaf = e.certificate();
                break;
            }
        }
    }
    const QString sha = certificateSha256(leaf);
    if (seen)
        *seen = sha;
    if (pinned.isEmpty() || sha.isEmpty() || sha != pinned)
        return false;
    for (const QSslError &e : errors) {
        // every complaint must be about the pinned certificate itself, and of an ignorable kind
        if (!ignorableForPinned(e.error()) || certificateSha256(e.certificate()) != pinned)
            return false;
    }
    return true;
}

LxdClient::LxdClient(
    const QUrl &url, const QString &pinnedSha256, const LxdClientCertificate &identity, QObject *parent)
    : QObject(parent)
    , m_url(withDefaultPort(url))
    , m_pin(normalizeSha256(pinnedSha256))
    , m_identity(identity)
    , m_nam(new QNetworkAccessManager(this))
{
    m_ssl = QSslConfiguration::defaultConfiguration();
    m_ssl.setLocalCertificate(identity.certificate);
    m_ssl.setPrivateKey(identity.key);
    m_ssl.setProtocol(QSsl::TlsV1_2OrLater);
    // The pin is the trust anchor, not the system CAs: verification errors are judged in
    // sslErrors against the pin (and a CA-valid certificate is still compared on encrypted).
    m_ssl.setPeerVerifyMode(QSslSocket::VerifyPeer);
    m_nam->setAutoDeleteReplies(true);
}

LxdClient::~LxdClient()
{
    // Callbacks must not run into a half-destroyed owner: drop them before the replies abort.
    for (const auto &p : std::as_const(m_pending)) {
        p->handler = nullptr;
        if (p->reply)
            p->reply->abort();
    }
}

quint64 LxdClient::send(const QByteArray &verb, const QString &pathAndQuery, const QByteArray &json,
    int timeoutMs, BodyHandler handler)
{
    const quint64 id = m_nextId++;
    auto p = std::make_shared<Pending>();
    p->handler = std::move(handler);
    p->timeoutMs = timeoutMs;
    QUrl u = m_url;
    const qsizetype q = pathAndQuery.indexOf(u'?');
    u.setPath(q < 0 ? pathAndQuery : pathAndQuery.left(q), QUrl::StrictMode);
    if (q >= 0)
        u.setQuery(pathAndQuery.mid(q + 1));
    QNetworkRequest req(u);
    req.setSslConfiguration(m_ssl);
    req.setHeader(QNetworkRequest::UserAgentHeader, u"canyon"_s);
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    if (!json.isEmpty())
        req.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    QNetworkReply *reply = m_nam->sendCustomRequest(req, verb, json);
    p->reply = reply;
    m_pending.insert(id, p);

    connect(reply, &QNetworkReply::sslErrors, this, [this, reply, p](const QList<QSslError> &errors) {
        QString seen;
        if (errorsArePinned(errors, reply->sslConfiguration().peerCertificate(), m_pin, &seen)) {
            reply->ignoreSslErrors(errors); // exactly these errors of exactly the pinned certificate
            return;
        }
        // Not ignoring makes the handshake fail: no HTTP byte leaves this process.
        p->seenSha256 = seen;
        p->notPinned = m_pin.isEmpty();
        p->mismatch = !m_pin.isEmpty();
    });
    // A certificate a system CA vouches for raises no sslErrors: the pin still decides.
    connect(reply, &QNetworkReply::encrypted, this, [this, reply, p] {
        const QString seen = certificateSha256(reply->sslConfiguration().peerCertificate());
        p->seenSha256 = seen;
        if (m_pin.isEmpty() || seen != m_pin) {
            p->notPinned = m_pin.isEmpty();
            p->mismatch = !m_pin.isEmpty();
            reply->abort(); // "no user data has been transmitted" at this point (QNetworkReply docs)
        }
    });
    connect(reply, &QNetworkReply::finished, this, [this, id, reply] { finishReply(id, reply); });
    auto *timer = new QTimer(reply);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, reply, [p, reply] {
        p->deadline = true;
        reply->abort();
    });
    timer->start(timeoutMs);
    return id;
}

LxdResult LxdClient::resultOfBody(int httpStatus, const QByteArray &body)
{
    LxdResult r;
    r.httpStatus = httpStatus;
    LxdEnvelope env;
    QString why;
    if (!parseLxdEnvelope(body, &env, &why)) {
        if (httpStatus >= 200 && httpStatus < 300)
            return r; // the typed parser reports what is wrong with the body
        r.kind = LxdResultKind::Failed;
        r.error = u"HTTP %1 from LXD (%2)"_s.arg(httpStatus).arg(why);
        return r;
    }
    if (!env.isError() && httpStatus < 400)
        return r;
    r.lxdErrorCode = env.errorCode ? env.errorCode : httpStatus;
    if (r.lxdErrorCode == 403) {
        r.kind = LxdResultKind::RefusedTrust;
        r.error = u"the LXD server does not trust Canyon's client certificate (403: %1)"_s.arg(
            visibleText(env.error, 300));
    } else {
        r.kind = LxdResultKind::Failed;
        r.error = u"LXD error %1: %2"_s.arg(r.lxdErrorCode).arg(visibleText(env.error, 500));
    }
    return r;
}

void LxdClient::finishReply(quint64 id, QNetworkReply *reply)
{
    const std::shared_ptr<Pending> p = m_pending.take(id);
    if (!p || !p->handler)
        return;
    LxdResult r;
    r.serverSha256 = p->seenSha256;
    const QVariant statusAttr = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const QByteArray body = statusAttr.isValid() ? reply->read(kMaxLxdBodyBytes + 1) : QByteArray();
    if (p->notPinned || p->mismatch) {
        r.kind = LxdResultKind::RefusedTrust;
        r.certificateNotPinned = p->notPinned;
        r.certificateMismatch = p->mismatch;
        r.error = p->notPinned
            ? u"the server certificate of %1 is not trusted yet: SHA256 %2"_s.arg(
                m_url.toDisplayString(), p->seenSha256)
            : u"REFUSED: the server certificate of %1 changed: pinned SHA256 %2, presented SHA256 %3"_s.arg(
                m_url.toDisplayString(), m_pin, p->seenSha256.isEmpty() ? u"(none)"_s : p->seenSha256);
    } else if (p->cancelled) {
        r.kind = LxdResultKind::Cancelled;
        r.error = u"cancelled"_s;
    } else if (p->deadline) {
        r.kind = statusAttr.isValid() ? LxdResultKind::Failed : LxdResultKind::Unreachable;
        r.error = u"no answer from %1 within %2 s"_s.arg(m_url.toDisplayString()).arg(p->timeoutMs / 1000.0);
    } else if (!statusAttr.isValid()) {
        const auto e = reply->error();
        r.kind = e == QNetworkReply::SslHandshakeFailedError ? LxdResultKind::RefusedTrust
                                                             : LxdResultKind::Unreachable;
        r.error = u"%1 unreachable: %2"_s.arg(m_url.toDisplayString(), reply->errorString());
    } else {
        r = resultOfBody(statusAttr.toInt(), body);
        r.serverSha256 = p->seenSha256;
    }
    p->handler(r, body);
}

void LxdClient::cancel(quint64 id)
{
    if (auto it = m_actions.find(id); it != m_actions.end()) {
        Action &a = it.value();
        if (a.cancelRequested)
            return;
        a.cancelRequested = true;
        if (!a.operationId.isEmpty() && a.mayCancel) {
            // The wait in flight reports the operation's end (status Cancelled) by itself.
            send("DELETE",
                u"/1.0/operations/"_s + QString::fromLatin1(QUrl::toPercentEncoding(a.operationId)), {},
                m_timeoutMs, [](const LxdResult &, const QByteArray &) {});
            return;
        }
        id = a.requestId; // stop waiting: the request below reports Cancelled
    }
    if (const auto p = m_pending.value(id); p && p->reply) {
        p->cancelled = true;
        p->reply->abort();
    }
}

void LxdClient::fetchServer(Callback<LxdServerInfo> done)
{
    send("GET", u"/1.0"_s, {}, m_timeoutMs, [done](LxdResult r, const QByteArray &body) {
        LxdServerInfo info;
        if (r.ok() && !parseLxdServer(body, &info, &r.error))
            r.kind = LxdResultKind::Failed;
        done(r, info);
    });
}

void LxdClient::trust(const QString &tokenOrPassword, Done done)
{
    // LXD 5.0 takes a trust token in the same "password" field as the trust password.
    const QByteArray json
        = QJsonDocument(QJsonObject { { u"type"_s, u"client"_s }, { u"password"_s, tokenOrPassword } })
              .toJson(QJsonDocument::Compact);
    send("POST", u"/1.0/certificates"_s, json, m_timeoutMs, [done](LxdResult r, const QByteArray &) {
        if (r.kind == LxdResultKind::RefusedTrust && r.lxdErrorCode == 403)
            r.error = u"the LXD server refused the trust password or token (403 not authorized)"_s;
        done(r);
    });
}

void LxdClient::fetchInstances(
    std::function<void(const LxdResult &, const QList<Instance> &, const QList<InstanceState> &)> done,
    bool withState)
{
    send("GET", withState ? u"/1.0/instances?recursion=2"_s : u"/1.0/instances?recursion=1"_s, {},
        m_timeoutMs, [done, withState](LxdResult r, const QByteArray &body) {
            QList<Instance> list;
            QList<InstanceState> states;
            if (r.ok() && !parseLxdInstances(body, &list, &r.error, withState ? &states : nullptr))
                r.kind = LxdResultKind::Failed;
            done(r, list, states);
        });
}

namespace {
QString instancePath(const QString &name)
{
    return u"/1.0/instances/"_s + QString::fromLatin1(QUrl::toPercentEncoding(name));
}
} // namespace

void LxdClient::fetchInstance(const QString &name, Callback<Instance> done)
{
    send("GET", instancePath(name), {}, m_timeoutMs, [done](LxdResult r, const QByteArray &body) {
        Instance i;
        if (r.ok() && !parseLxdInstance(body, &i, &r.error))
            r.kind = LxdResultKind::Failed;
        done(r, i);
    });
}

void LxdClient::fetchState(const QString &name, Callback<InstanceState> done)
{
    send("GET", instancePath(name) + u"/state"_s, {}, m_timeoutMs,
        [done](LxdResult r, const QByteArray &body) {
            InstanceState s;
            if (r.ok() && !parseLxdInstanceState(body, &s, &r.error))
                r.kind = LxdResultKind::Failed;
            done(r, s);
        });
}

quint64 LxdClient::runAction(const QString &name, InstanceAction action, bool force, Callback<Operation> done)
{
    const quint64 actionId = m_nextId++;
    const qint64 deadline = QDateTime::currentMSecsSinceEpoch() + m_operationTimeoutMs;
    QByteArray verb = "PUT";
    QString path = instancePath(name) + u"/state"_s;
    QByteArray json;
    if (action == InstanceAction::Delete) {
        verb = "DELETE";
        path = instancePath(name);
    } else {
        QJsonObject o { { u"action"_s, instanceActionName(action) }, { u"force"_s, force } };
        if (action == InstanceAction::Stop || action == InstanceAction::Restart)
            o.insert(u"timeout"_s, 30); // a clean shutdown gets 30 s before LXD gives up
        json = QJsonDocument(o).toJson(QJsonDocument::Compact);
    }
    Action a;
    a.done = std::move(done);
    m_actions.insert(actionId, a);
    const quint64 req = send(
        verb, path, json, m_timeoutMs, [this, actionId, deadline](LxdResult r, const QByteArray &body) {
            if (!m_actions.contains(actionId))
                return;
            Operation op;
            if (r.ok()) {
                LxdEnvelope env;
                if (!parseLxdEnvelope(body, &env, &r.error) || env.type != u"async"
                    || !parseLxdOperation(body, &op, &r.error)) {
                    r.kind = LxdResultKind::Failed;
                    if (r.error.isEmpty())
                        r.error = u"LXD did not answer with an operation"_s;
                }
            }
            if (!r.ok()) {
                const Action act = m_actions.take(actionId);
                return act.done(r, op);
            }
            Q_EMIT operationUpdated(op);
            Action &act = m_actions[actionId];
            act.operationId = op.id;
            act.mayCancel = op.mayCancel;
            if (act.cancelRequested && op.mayCancel)
                send("DELETE", u"/1.0/operations/"_s + QString::fromLatin1(QUrl::toPercentEncoding(op.id)),
                    {}, m_timeoutMs, [](const LxdResult &, const QByteArray &) {});
            waitOperation(actionId, op.id, deadline, act.done);
        });
    m_actions[actionId].requestId = req;
    return actionId;
}

void LxdClient::waitOperation(
    quint64 actionId, const QString &operationId, qint64 deadline, Callback<Operation> done)
{
    const qint64 left = deadline - QDateTime::currentMSecsSinceEpoch();
    if (left <= 0) {
        m_actions.remove(actionId);
        LxdResult r;
        r.kind = LxdResultKind::Failed;
        r.error = u"operation %1 did not finish within %2 s (it may still complete)"_s.arg(operationId)
                      .arg(m_operationTimeoutMs / 1000);
        Operation op;
        op.id = operationId;
        return done(r, op);
    }
    // LXD holds the wait for up to `timeout` seconds: long enough to avoid polling, short
    // enough that progress and a cancel are seen.
    const int waitS = int(std::clamp<qint64>(left / 1000, 1, 10));
    const QString path = u"/1.0/operations/"_s + QString::fromLatin1(QUrl::toPercentEncoding(operationId))
        + u"/wait?timeout="_s + QString::number(waitS);
    const quint64 req = send("GET", path, {}, waitS * 1000 + m_timeoutMs,
        [this, actionId, operationId, deadline, done](LxdResult r, const QByteArray &body) {
            if (!m_actions.contains(actionId))
                return;
            Operation op;
            op.id = operationId;
            if (r.ok() && !parseLxdOperation(body, &op, &r.error))
                r.kind = LxdResultKind::Failed;
            if (r.ok() && !op.isFinal()) {
                Q_EMIT operationUpdated(op);
                return waitOperation(actionId, operationId, deadline, done);
            }
            const Action act = m_actions.take(actionId);
            if (r.ok()) {
                Q_EMIT operationUpdated(op);
                if (op.statusCode == 401 || op.status == u"Cancelled") {
                    r.kind = LxdResultKind::Cancelled;
                    r.error = u"cancelled"_s;
                } else if (op.statusCode != 200) {
                    r.kind = LxdResultKind::Failed;
                    r.error = op.err.isEmpty() ? u"operation %1"_s.arg(op.status) : op.err;
                }
            } else if (r.kind == LxdResultKind::Cancelled && !act.mayCancel) {
                r.error = u"stopped waiting; LXD cannot cancel this operation, it may still complete"_s;
            } else if (r.lxdErrorCode == 404) {
                r.error
                    = u"operation %1 vanished before its end was seen; the instance state is unknown"_s.arg(
                        operationId);
            }
            done(r, op);
        });
    if (m_actions.contains(actionId))
        m_actions[actionId].requestId = req;
}

} // namespace canyon
