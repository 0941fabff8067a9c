// SPDX-License-Identifier: GPL-3.0-or-later
#include "LxdClient.h"

#include "LxdJson.h"
#include "LxdSshTransport.h"
#include "domain/PlainText.h"

#include <QDateTime>
#include <QJsonArray> // issue 6: log file lists
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression> // issue 6: log file names
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
    BodyHandler handler;
    bool cancelled = false;
    int timeoutMs = 0;
    quint64 sshId = 0; // the request on the SSH transport (SSH clients)
    quint64 httpsId = 0; // the request on the HTTPS transport
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
{
    m_ssl = QSslConfiguration::defaultConfiguration();
    m_ssl.setLocalCertificate(identity.certificate);
    m_ssl.setPrivateKey(identity.key);
    m_ssl.setProtocol(QSsl::TlsV1_2OrLater);
    // The pin is the trust anchor, not the system CAs: verification errors are judged in
    // sslErrors against the pin (and a CA-valid certificate is still compared on encrypted).
    m_ssl.setPeerVerifyMode(QSslSocket::VerifyPeer);
    m_https
        = new LxdHttpsTransport(m_url.host(), quint16(m_url.port()), m_ssl, m_pin, kMaxLxdBodyBytes, this);
}

LxdClient::LxdClient(LxdSshTransport *transport, const QUrl &sshUrl, QObject *parent)
    : QObject(parent)
    , m_url(sshUrl)
    , m_ssh(transport)
{
    m_ssh->setParent(this);
}

LxdClient::~LxdClient()
{
    // Callbacks must not run into a half-destroyed owner: drop them before the replies abort.
    for (const auto &p : std::as_const(m_pending)) {
        p->handler = nullptr;
        if (m_ssh && p->sshId)
            m_ssh->drop(p->sshId);
    }
    delete m_https; // its connections close now, without callbacks
    m_https = nullptr;
}

quint64 LxdClient::sendOverSsh(const QByteArray &verb, const QString &pathAndQuery, const QByteArray &json,
    int timeoutMs, BodyHandler handler)
{
    const quint64 id = m_nextId++;
    auto p = std::make_shared<Pending>();
    p->handler = std::move(handler);
    p->timeoutMs = timeoutMs;
    m_pending.insert(id, p);
    p->sshId
        = m_ssh->request(verb, pathAndQuery, json, timeoutMs, [this, id](const LxdSshTransport::Reply &x) {
              const std::shared_ptr<Pending> pending = m_pending.take(id);
              if (!pending || !pending->handler)
                  return;
              LxdResult r;
              const QString where = m_url.toDisplayString();
              if (x.answered) {
                  r = resultOfBody(x.status, x.body);
              } else if (x.channelRefused) {
                  r.kind = LxdResultKind::Failed;
                  r.error
                      = u"logged in to %1, but the LXD socket would not open (no LXD at %2, or the user may "
                        "not use it): %3"_s.arg(where, m_ssh->socketPath(), x.error);
              } else {
                  switch (x.failure) {
                  case DeviceStatus::HostKeyChanged:
                  case DeviceStatus::HostKeyUnknown:
                  case DeviceStatus::AuthFailed:
                      r.kind = LxdResultKind::RefusedTrust;
                      break;
                  case DeviceStatus::Unreachable:
                      r.kind = LxdResultKind::Unreachable;
                      break;
                  default:
                      r.kind = LxdResultKind::Failed;
                  }
                  r.error = u"%1: %2"_s.arg(where, x.error);
              }
              pending->handler(r, x.answered ? x.body : QByteArray());
          });
    return id;
}

quint64 LxdClient::send(const QByteArray &verb, const QString &pathAndQuery, const QByteArray &json,
    int timeoutMs, BodyHandler handler)
{
    if (m_ssh)
        return sendOverSsh(verb, pathAndQuery, json, timeoutMs, std::move(handler));
    const quint64 id = m_nextId++;
    auto p = std::make_shared<Pending>();
    p->handler = std::move(handler);
    p->timeoutMs = timeoutMs;
    QUrl u = m_url;
    const qsizetype q = pathAndQuery.indexOf(u'?');
    u.setPath(q < 0 ? pathAndQuery : pathAndQuery.left(q), QUrl::StrictMode);
    if (q >= 0)
        u.setQuery(pathAndQuery.mid(q + 1));
    const QByteArray target = u.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment);
    m_pending.insert(id, p);
    // Trust (the pin), the body cap (kMaxLxdBodyBytes, announced or grown: cut off as it
    // arrives, never parsed) and the deadline are the transport's; it never answers in here.
    p->httpsId = m_https->request(verb, target, json, json.isEmpty() ? QByteArray() : "application/json",
        timeoutMs, [this, id](const LxdHttpsTransport::Reply &x) { finishHttps(id, x); });
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

void LxdClient::finishHttps(quint64 id, const LxdHttpsTransport::Reply &x)
{
    const std::shared_ptr<Pending> p = m_pending.take(id);
    if (!p || !p->handler)
        return;
    LxdResult r;
    r.serverSha256 = x.seenSha256;
    if (x.notPinned || x.mismatch) {
        r.kind = LxdResultKind::RefusedTrust;
        r.certificateNotPinned = x.notPinned;
        r.certificateMismatch = x.mismatch;
        r.error = x.notPinned
            ? u"the server certificate of %1 is not trusted yet: SHA256 %2"_s.arg(
                m_url.toDisplayString(), x.seenSha256)
            : u"REFUSED: the server certificate of %1 changed: pinned SHA256 %2, presented SHA256 %3"_s.arg(
                m_url.toDisplayString(), m_pin, x.seenSha256.isEmpty() ? u"(none)"_s : x.seenSha256);
    } else if (x.cancelled || p->cancelled) {
        r.kind = LxdResultKind::Cancelled;
        r.error = u"cancelled"_s;
    } else if (x.tooLarge) {
        r.kind = LxdResultKind::Failed;
        r.httpStatus = x.status;
        r.error
            = u"the answer of %1 is too large (%2 bytes or more; Canyon accepts at most %3 MiB per response)"_s
                  .arg(m_url.toDisplayString())
                  .arg(x.tooLarge)
                  .arg(kMaxLxdBodyBytes / (1024 * 1024));
    } else if (x.deadline) {
        r.kind = x.status > 0 ? LxdResultKind::Failed : LxdResultKind::Unreachable;
        r.error = u"no answer from %1 within %2 s"_s.arg(m_url.toDisplayString()).arg(p->timeoutMs / 1000.0);
    } else if (!x.complete && x.status > 0) {
        // The connection broke after the status line: the body is cut short (Content-Length or
        // the last chunk never came), even when what came happens to be valid JSON (QUALITY.md R6).
        r.kind = LxdResultKind::Unreachable;
        r.error = u"the answer from %1 was cut short: %2"_s.arg(m_url.toDisplayString(), x.error);
    } else if (!x.complete) {
        r.kind = x.handshakeFailed ? LxdResultKind::RefusedTrust : LxdResultKind::Unreachable;
        r.error = u"%1 unreachable: %2"_s.arg(m_url.toDisplayString(), x.error);
    } else {
        r = resultOfBody(x.status, x.body);
        r.serverSha256 = x.seenSha256;
    }
    p->handler(r, x.complete ? x.body : QByteArray());
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
    if (const auto p = m_pending.value(id); p && p->httpsId) {
        p->cancelled = true;
        m_https->cancel(p->httpsId); // reports Cancelled now
    } else if (p && m_ssh && p->sshId) {
        // A worker may be blocked in the request: its answer is dropped, the cancel is now.
        m_ssh->drop(p->sshId);
        m_pending.remove(id);
        LxdResult r;
        r.kind = LxdResultKind::Cancelled;
        r.error = u"cancelled"_s;
        if (p->handler)
            QMetaObject::invokeMethod(
                this, [p, r] { p->handler(r, {}); }, Qt::QueuedConnection);
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

// ---- Generic requests and operations (added for migration, issue 5) ----

quint64 LxdClient::request(const QByteArray &verb, const QString &pathAndQuery, const QJsonObject &json,
    JsonDone done, int timeoutMs)
{
    const QByteArray body
        = json.isEmpty() ? QByteArray() : QJsonDocument(json).toJson(QJsonDocument::Compact);
    return send(verb, pathAndQuery, body, timeoutMs > 0 ? timeoutMs : m_timeoutMs,
        [done](LxdResult r, const QByteArray &bytes) {
            QJsonObject env;
            if (!bytes.isEmpty()) {
                QJsonParseError pe;
                const QJsonDocument doc = QJsonDocument::fromJson(bytes, &pe);
                if (doc.isObject())
                    env = doc.object();
                else if (r.ok()) {
                    r.kind = LxdResultKind::Failed;
                    r.error = u"LXD answered with something that is not a JSON object"_s;
                }
            }
            done(r, env);
        });
}

quint64 LxdClient::followOperation(const QString &operationId, Callback<Operation> done, int timeoutMs)
{
    const quint64 actionId = m_nextId++;
    const qint64 deadline
        = QDateTime::currentMSecsSinceEpoch() + (timeoutMs > 0 ? timeoutMs : m_operationTimeoutMs);
    Action a;
    a.done = std::move(done);
    a.operationId = operationId;
    a.mayCancel = true; // LXD refuses the DELETE of an operation it cannot cancel; the wait reports it
    m_actions.insert(actionId, a);
    waitOperation(actionId, operationId, deadline, m_actions[actionId].done);
    return actionId;
}

QUrl LxdClient::operationWebsocketUrl(const QString &operationId, const QString &secret) const
{
    QUrl u = m_url;
    u.setScheme(u"wss"_s);
    u.setPath(u"/1.0/operations/"_s + operationId + u"/websocket"_s);
    u.setQuery(u"secret="_s + QString::fromLatin1(QUrl::toPercentEncoding(secret)));
    return u;
}

void LxdClient::fetchServerCertificatePem(std::function<void(const LxdResult &, const QByteArray &pem)> done)
{
    request("GET", u"/1.0"_s, {}, [this, done](LxdResult r, const QJsonObject &env) {
        QByteArray pem;
        if (r.ok()) {
            pem = env.value(u"metadata"_s)
                      .toObject()
                      .value(u"environment"_s)
                      .toObject()
                      .value(u"certificate"_s)
                      .toString()
                      .toUtf8();
            const QList<QSslCertificate> certs = QSslCertificate::fromData(pem, QSsl::Pem);
            const QString sha = certs.isEmpty() ? QString() : certificateSha256(certs.first());
            if (sha.isEmpty() || sha != m_pin) {
                r.kind = LxdResultKind::RefusedTrust;
                r.error = u"the certificate %1 reports (SHA256 %2) is not its pinned one (%3)"_s.arg(
                    m_url.toDisplayString(), sha.isEmpty() ? u"(none)"_s : sha, m_pin);
                pem.clear();
            }
        }
        done(r, pem);
    });
}

void LxdClient::fetchMetrics(std::function<void(const LxdResult &, const QByteArray &text)> done)
{
    // resultOfBody: a 2xx body that is not an envelope is Ok (the text itself); an error
    // envelope is classified like any other answer (403 untrusted, 404 on LXD before 4.19).
    send("GET", u"/1.0/metrics"_s, {}, m_timeoutMs,
        [done](const LxdResult &r, const QByteArray &body) { done(r, r.ok() ? body : QByteArray()); });
}

// ---- Instance config and log files for the viewer (issue 6) ----

struct LxdClient::LogStream
{
    QPointer<QNetworkReply> reply; // HTTPS; null over SSH
    quint64 sshRequest = 0; // over SSH: the whole-response request (send())
    Chunk chunk;
    Done done;
    QTimer *silence = nullptr; // a child of reply: no byte for the request timeout
    QString seenSha256;
    QByteArray errorBody; // a non-200 answer: LXD's error envelope, kept for the result
    bool notPinned = false;
    bool mismatch = false;
    bool deadline = false;
    bool cancelled = false;
    bool paused = false;
    bool finishPending = false; // the reply finished while bytes still waited in its buffer
    bool readQueued = false; // scheduleStreamRead() is pending
    // over SSH: the whole body, handed to chunk() piece by piece like an HTTPS stream
    QByteArray sshBody;
    qsizetype sshOffset = 0;
    bool sshArrived = false;
    LxdResult sshResult;
};

bool LxdClient::isValidLogFileName(const QString &file)
{
    // LXD's names (lxc.log, lxc.conf, exec_UUID.stdout, migration_*, snapshot_*): one path
    // segment of plain characters, so it cannot point anywhere else.
    static const QRegularExpression re(u"^[A-Za-z0-9_][A-Za-z0-9._-]{0,254}$"_s);
    return re.match(file).hasMatch();
}

void LxdClient::fetchInstanceJson(const QString &name, Callback<QJsonObject> done)
{
    send("GET", instancePath(name), {}, m_timeoutMs, [done](LxdResult r, const QByteArray &body) {
        QJsonObject metadata;
        if (r.ok()) {
            LxdEnvelope env;
            if (!parseLxdEnvelope(body, &env, &r.error) || !env.metadata.isObject()) {
                r.kind = LxdResultKind::Failed;
                if (r.error.isEmpty())
                    r.error = u"LXD answered without the instance's metadata"_s;
            } else {
                metadata = env.metadata.toObject();
            }
        }
        done(r, metadata);
    });
}

void LxdClient::fetchInstanceLogs(const QString &name, Callback<QStringList> done)
{
    send(
        "GET", instancePath(name) + u"/logs"_s, {}, m_timeoutMs, [done](LxdResult r, const QByteArray &body) {
            QStringList files;
            if (r.ok()) {
                LxdEnvelope env;
                if (!parseLxdEnvelope(body, &env, &r.error) || !env.metadata.isArray()) {
                    r.kind = LxdResultKind::Failed;
                    if (r.error.isEmpty())
                        r.error = u"LXD answered without a list of log files"_s;
                } else {
                    // "/1.0/instances/NAME/logs/lxc.log": the last segment is the file name
                    for (const QJsonValue &v : env.metadata.toArray()) {
                        const QString url = v.toString();
                        const QString file = QUrl::fromPercentEncoding(url.section(u'/', -1).toUtf8());
                        if (isValidLogFileName(file) && !files.contains(file))
                            files << file;
                        if (files.size() >= kMaxLxdListEntries)
                            break;
                    }
                    files.sort();
                }
            }
            done(r, files);
        });
}

quint64 LxdClient::streamInstanceLog(const QString &name, const QString &file, Chunk chunk, Done done)
{
    const quint64 id = m_nextId++;
    auto s = std::make_shared<LogStream>();
    s->chunk = std::move(chunk);
    s->done = std::move(done);
    m_streams.insert(id, s);
    if (!isValidLogFileName(file)) {
        QMetaObject::invokeMethod(
            this,
            [this, id] {
                if (const auto st = m_streams.take(id); st && st->done) {
                    LxdResult r;
                    r.kind = LxdResultKind::Failed;
                    r.error = u"not a log file name LXD serves"_s;
                    st->done(r);
                }
            },
            Qt::QueuedConnection);
        return id;
    }
    const QString path
        = instancePath(name) + u"/logs/"_s + QString::fromLatin1(QUrl::toPercentEncoding(file));
    if (m_ssh) {
        // The SSH transport reads whole HTTP responses (bounded by its body cap): the file then
        // goes to chunk() in pieces, one per event-loop turn, pausable, like an HTTPS stream.
        s->sshRequest = send("GET", path, {}, std::max(m_timeoutMs, m_operationTimeoutMs),
            [this, id](const LxdResult &r, const QByteArray &body) {
                const std::shared_ptr<LogStream> st = m_streams.value(id);
                if (!st)
                    return;
                if (!r.ok() || body.isEmpty() || st->cancelled) {
                    m_streams.remove(id);
                    if (st->done)
                        st->done(r);
                    return;
                }
                st->sshArrived = true;
                st->sshResult = r;
                st->sshBody = body;
                if (!st->paused)
                    scheduleStreamRead(id);
            });
        return id;
    }

    if (!m_streamNam) {
        m_streamNam = new QNetworkAccessManager(this);
        m_streamNam->setAutoDeleteReplies(false); // a paused stream's bytes outlive finished()
    }
    QUrl u = m_url;
    u.setPath(path, QUrl::StrictMode);
    QNetworkRequest req(u);
    req.setSslConfiguration(m_ssl);
    req.setHeader(QNetworkRequest::UserAgentHeader, u"canyon"_s);
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply *reply = m_streamNam->get(req);
    reply->setReadBufferSize(StreamBufferBytes); // a full buffer stops reading the socket
    s->reply = reply;

    // The same pin rules as send(): nothing is read from (or sent to) an unpinned server.
    connect(reply, &QNetworkReply::sslErrors, this, [this, reply, s](const QList<QSslError> &errors) {
        QString seen;
        if (errorsArePinned(errors, reply->sslConfiguration().peerCertificate(), m_pin, &seen)) {
            reply->ignoreSslErrors(errors);
            return;
        }
        s->seenSha256 = seen;
        s->notPinned = m_pin.isEmpty();
        s->mismatch = !m_pin.isEmpty();
    });
    connect(reply, &QNetworkReply::encrypted, this, [this, reply, s] {
        const QString seen = certificateSha256(reply->sslConfiguration().peerCertificate());
        s->seenSha256 = seen;
        if (m_pin.isEmpty() || seen != m_pin) {
            s->notPinned = m_pin.isEmpty();
            s->mismatch = !m_pin.isEmpty();
            reply->abort();
        }
    });
    connect(reply, &QNetworkReply::readyRead, this, [this, id] { readStream(id); });
    // queued: done() never runs inside a caller's cancelStream() or chunk()
    connect(
        reply, &QNetworkReply::finished, this, [this, id] { finishStream(id); }, Qt::QueuedConnection);
    s->silence = new QTimer(reply);
    s->silence->setSingleShot(true);
    connect(s->silence, &QTimer::timeout, reply, [s, reply] {
        s->deadline = true;
        reply->abort();
    });
    s->silence->start(m_timeoutMs);
    return id;
}

void LxdClient::readStream(quint64 id)
{
    const std::shared_ptr<LogStream> s = m_streams.value(id);
    if (!s || s->cancelled || s->notPinned || s->mismatch)
        return;
    if (!s->reply) { // over SSH: the body arrived whole
        if (!s->sshArrived || s->paused)
            return;
        if (s->sshOffset < s->sshBody.size()) {
            const QByteArray piece = s->sshBody.mid(s->sshOffset, StreamChunkBytes);
            s->sshOffset += piece.size();
            if (s->chunk)
                s->chunk(piece); // may pause or cancel this stream
        }
        if (s->paused || s->cancelled)
            return;
        if (s->sshOffset < s->sshBody.size()) {
            scheduleStreamRead(id);
        } else {
            m_streams.remove(id);
            s->sshBody.clear();
            if (s->done)
                s->done(s->sshResult);
        }
        return;
    }
    QNetworkReply *reply = s->reply;
    if (!s->paused && !reply->isFinished())
        s->silence->start(m_timeoutMs); // bytes came: the silence starts again
    if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200) {
        // an error envelope, not the file: kept (bounded) for the result
        constexpr qsizetype maxError = 64 * 1024;
        s->errorBody += reply->read(std::max<qint64>(0, maxError - s->errorBody.size()));
        reply->skip(reply->bytesAvailable());
        return;
    }
    // One piece per event-loop turn: a whole buffer handed over at once would keep the receiver
    // (a viewer splitting lines) from returning to the event loop for too long.
    if (!s->paused && reply->bytesAvailable() > 0) {
        const QByteArray bytes = reply->read(StreamChunkBytes);
        if (!bytes.isEmpty() && s->chunk)
            s->chunk(bytes); // may pause or cancel this stream
    }
    if (s->paused || s->cancelled)
        return;
    if (reply->bytesAvailable() > 0) {
        scheduleStreamRead(id);
    } else if (s->finishPending) {
        s->finishPending = false;
        finishStream(id);
    }
}

void LxdClient::scheduleStreamRead(quint64 id)
{
    const std::shared_ptr<LogStream> s = m_streams.value(id);
    if (!s || s->readQueued)
        return;
    s->readQueued = true;
    QMetaObject::invokeMethod(
        this,
        [this, id] {
            if (const std::shared_ptr<LogStream> st = m_streams.value(id)) {
                st->readQueued = false;
                readStream(id);
            }
        },
        Qt::QueuedConnection);
}

void LxdClient::finishStream(quint64 id)
{
    const std::shared_ptr<LogStream> s = m_streams.value(id);
    if (!s || !s->reply)
        return;
    QNetworkReply *reply = s->reply;
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!s->cancelled && reply->error() == QNetworkReply::NoError && status.toInt() == 200
        && reply->bytesAvailable() > 0) {
        // the rest is still buffered: delivered piece by piece (after a pause ends), then the end
        s->finishPending = true;
        if (!s->paused)
            scheduleStreamRead(id);
        return;
    }
    m_streams.remove(id);
    s->silence->stop();
    LxdResult r;
    r.serverSha256 = s->seenSha256;
    const QString where = m_url.toDisplayString();
    if (s->notPinned || s->mismatch) {
        r.kind = LxdResultKind::RefusedTrust;
        r.certificateNotPinned = s->notPinned;
        r.certificateMismatch = s->mismatch;
        r.error = s->notPinned
            ? u"the server certificate of %1 is not trusted yet: SHA256 %2"_s.arg(where, s->seenSha256)
            : u"REFUSED: the server certificate of %1 changed: pinned SHA256 %2, presented SHA256 %3"_s.arg(
                where, m_pin, s->seenSha256.isEmpty() ? u"(none)"_s : s->seenSha256);
    } else if (s->cancelled) {
        r.kind = LxdResultKind::Cancelled;
        r.error = u"cancelled"_s;
    } else if (s->deadline) {
        r.kind = status.isValid() ? LxdResultKind::Failed : LxdResultKind::Unreachable;
        r.error = u"no data from %1 for %2 s"_s.arg(where).arg(m_timeoutMs / 1000.0);
    } else if (!status.isValid()) {
        r.kind = reply->error() == QNetworkReply::SslHandshakeFailedError ? LxdResultKind::RefusedTrust
                                                                          : LxdResultKind::Unreachable;
        r.error = u"%1 unreachable: %2"_s.arg(where, reply->errorString());
    } else if (status.toInt() != 200) {
        r = resultOfBody(status.toInt(), QByteArray(s->errorBody).append(reply->readAll()));
        r.serverSha256 = s->seenSha256;
        if (r.ok()) {
            r.kind = LxdResultKind::Failed;
            r.error = u"HTTP %1 from LXD"_s.arg(status.toInt());
        }
    } else if (reply->error() != QNetworkReply::NoError) {
        r.kind = LxdResultKind::Failed;
        r.error = u"the transfer from %1 broke off: %2"_s.arg(where, reply->errorString());
    }
    r.httpStatus = status.toInt();
    reply->deleteLater();
    if (s->done)
        s->done(r);
}

void LxdClient::setStreamPaused(quint64 id, bool paused)
{
    const std::shared_ptr<LogStream> s = m_streams.value(id);
    if (!s || s->paused == paused)
        return;
    s->paused = paused;
    if (s->reply) {
        if (paused)
            s->silence->stop();
        else if (!s->reply->isFinished())
            s->silence->start(m_timeoutMs);
    }
    // readyRead does not repeat for bytes already buffered: read them now (not inside the caller)
    if (!paused)
        scheduleStreamRead(id);
}

void LxdClient::cancelStream(quint64 id)
{
    const std::shared_ptr<LogStream> s = m_streams.value(id);
    if (!s || s->cancelled)
        return;
    s->cancelled = true;
    if (s->sshRequest && !s->sshArrived) {
        cancel(s->sshRequest); // its handler reports Cancelled
    } else if (s->reply && !s->reply->isFinished()) {
        s->reply->abort(); // finished (queued) reports Cancelled
    } else if (s->reply) {
        QMetaObject::invokeMethod(
            this, [this, id] { finishStream(id); }, Qt::QueuedConnection);
    } else {
        QMetaObject::invokeMethod(
            this,
            [this, id] {
                if (const std::shared_ptr<LogStream> st = m_streams.take(id); st && st->done) {
                    LxdResult r;
                    r.kind = LxdResultKind::Cancelled;
                    r.error = u"cancelled"_s;
                    st->done(r);
                }
            },
            Qt::QueuedConnection);
    }
}

} // namespace canyon
