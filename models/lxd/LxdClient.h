// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "LxdClientCertificate.h"
#include "domain/Instance.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QUrl>
#include <functional>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;
class QSslError;

namespace canyon {

// The classified end of every LXD request (ARCHITECTURE.md "Every remote action").
enum class LxdResultKind {
    Ok,
    Failed, // LXD answered with an error, or the operation failed (error says why)
    Unreachable, // no TLS session: refused, no route, deadline without an answer
    RefusedTrust, // server certificate not pinned / mismatched, or our client cert untrusted (403)
    Cancelled,
};
QString lxdResultKindName(
    LxdResultKind kind); // "ok" | "failed" | "unreachable" | "refused-trust" | "cancelled"

struct LxdResult
{
    LxdResultKind kind = LxdResultKind::Ok;
    QString error; // one line; contains remote text: show it through visibleText()
    int httpStatus = 0;
    int lxdErrorCode = 0; // error envelopes: 403, 404, ...
    // The server certificate's SHA256 as seen in the TLS handshake (when one took place).
    // With RefusedTrust because of the server certificate: the one to show the user.
    QString serverSha256;
    bool certificateNotPinned = false; // no pin configured (first contact)
    bool certificateMismatch = false; // pinned, and the server presented another certificate
    bool ok() const { return kind == LxdResultKind::Ok; }
};

enum class InstanceAction { Start, Stop, Restart, Freeze, Unfreeze, Delete };
QString instanceActionName(InstanceAction a); // LXD's words: start, stop, restart, freeze, unfreeze, delete

// One LXD server over HTTPS with mutual TLS. GUI (or CLI main) thread only; everything is
// asynchronous: a callback runs exactly once per request, on this thread, unless the client is
// destroyed first (then none runs). Every request has a deadline.
//
// Trust: the server certificate is pinned by its SHA256. A request whose handshake presents any
// other certificate (or when no pin is set) is aborted before a single HTTP byte is sent, with
// RefusedTrust and the fingerprint seen. Only the TLS errors of exactly the pinned certificate
// are ever ignored, and only by their list.
class LxdClient : public QObject
{
    Q_OBJECT
public:
    // url: https://host[:port] (8443 when no port). pinnedSha256: lowercase hex, "" = none yet.
    LxdClient(const QUrl &url, const QString &pinnedSha256, const LxdClientCertificate &identity,
        QObject *parent = nullptr);
    ~LxdClient() override;

    QUrl url() const { return m_url; }
    QString pinnedSha256() const { return m_pin; }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; } // per HTTP request (default 15 s)
    void setOperationTimeoutMs(int ms) { m_operationTimeoutMs = ms; } // an action to its end (default 120 s)
    // TLS settings with the client identity, for the events websocket of the same server.
    QSslConfiguration sslConfiguration() const { return m_ssl; }
    const LxdClientCertificate &identity() const { return m_identity; }

    // Checks the handshake against pinned (shared with the events websocket). *seen = SHA256.
    static bool errorsArePinned(
        const QList<QSslError> &errors, const QSslCertificate &peer, const QString &pinned, QString *seen);

    template<class T> using Callback = std::function<void(const LxdResult &, const T &)>;
    using Done = std::function<void(const LxdResult &)>;

    void fetchServer(Callback<LxdServerInfo> done); // GET /1.0
    // POST /1.0/certificates {type: client, password}: a trust token or the trust password.
    void trust(const QString &tokenOrPassword, Done done);
    // GET /1.0/instances?recursion=1 (recursion=2 with withState: states index for index)
    void fetchInstances(
        std::function<void(const LxdResult &, const QList<Instance> &, const QList<InstanceState> &)> done,
        bool withState = false);
    void fetchInstance(const QString &name, Callback<Instance> done); // GET /1.0/instances/NAME
    void fetchState(const QString &name, Callback<InstanceState> done); // GET .../state
    // PUT .../state or DELETE: the async operation is followed to its end (operation wait);
    // Ok only when the operation succeeded. Returns an id for cancel().
    quint64 runAction(const QString &name, InstanceAction action, bool force, Callback<Operation> done);
    // Cancels a request or a followed action: an operation LXD may cancel is cancelled there
    // (DELETE /1.0/operations/ID) and reported Cancelled when LXD confirms; otherwise Canyon
    // stops waiting and reports Cancelled saying the operation may still complete.
    void cancel(quint64 id);

Q_SIGNALS:
    // Progress of followed operations (the first async answer and each wait round).
    void operationUpdated(const canyon::Operation &operation);

private:
    struct Pending;
    using BodyHandler = std::function<void(const LxdResult &, const QByteArray &body)>;
    quint64 send(const QByteArray &verb, const QString &pathAndQuery, const QByteArray &json, int timeoutMs,
        BodyHandler handler);
    void finishReply(quint64 id, QNetworkReply *reply);
    void waitOperation(
        quint64 actionId, const QString &operationId, qint64 deadline, Callback<Operation> done);
    static LxdResult resultOfBody(int httpStatus, const QByteArray &body);

    QUrl m_url;
    QString m_pin;
    LxdClientCertificate m_identity;
    QSslConfiguration m_ssl;
    QNetworkAccessManager *m_nam = nullptr;
    int m_timeoutMs = 15000;
    int m_operationTimeoutMs = 120000;
    quint64 m_nextId = 1;
    QHash<quint64, std::shared_ptr<Pending>> m_pending; // HTTP requests in flight
    struct Action
    {
        quint64 requestId = 0; // the HTTP request in flight for it
        QString operationId;
        bool mayCancel = false;
        bool cancelRequested = false;
        Callback<Operation> done;
    };
    QHash<quint64, Action> m_actions;
};

} // namespace canyon
