// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "LxdClientCertificate.h"
#include "LxdHttpsTransport.h"
#include "domain/Instance.h"

#include <QHash>
#include <QJsonObject>
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

class LxdSshTransport;

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
    // The same REST API through the host's LXD unix socket over SSH (hosts without HTTPS): the
    // transport is the only difference. LXD trusts whoever may open its socket, so there is no
    // client certificate and no pin; the SSH host key is the trust anchor (refused before any
    // request when unknown or changed). url() is the ssh:// address.
    LxdClient(LxdSshTransport *transport, const QUrl &sshUrl, QObject *parent = nullptr);
    ~LxdClient() override;
    bool isSsh() const { return m_ssh != nullptr; }
    LxdSshTransport *sshTransport() const { return m_ssh; }

    QUrl url() const { return m_url; }
    QString pinnedSha256() const { return m_pin; }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; } // per HTTP request (default 15 s)
    void setOperationTimeoutMs(int ms) { m_operationTimeoutMs = ms; } // an action to its end (default 120 s)
    // Every answer is read as it arrives and is at most kMaxLxdBodyBytes (LxdJson.h, 64 MiB): a
    // longer one, announced by Content-Length or not, is cut off there and then (its connection
    // closed, an announced body never read) and reported Failed, "too large"; it is never parsed.
    // Over HTTPS the bytes are read by LxdHttpsTransport on this thread: what is not read yet
    // waits in the kernel, not in a buffer of this process.
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

    // ---- Generic requests and operations (added for migration, issue 5) ----
    // The whole answer envelope as JSON (type, status_code, operation, metadata, ...).
    using JsonDone = std::function<void(const LxdResult &, const QJsonObject &envelope)>;
    // Any request; json may be empty. timeoutMs 0 = the client's per-request timeout.
    quint64 request(const QByteArray &verb, const QString &pathAndQuery, const QJsonObject &json,
        JsonDone done, int timeoutMs = 0);
    // Follows an operation started elsewhere to its end (progress via operationUpdated; cancel()
    // with the returned id). timeoutMs 0 = the operation timeout.
    quint64 followOperation(const QString &operationId, Callback<Operation> done, int timeoutMs = 0);
    // wss://host:port/1.0/operations/ID/websocket?secret=S (use with sslConfiguration() and the pin)
    QUrl operationWebsocketUrl(const QString &operationId, const QString &secret) const;
    // GET /1.0 environment.certificate (PEM), accepted only when its SHA256 is this client's pin.
    void fetchServerCertificatePem(std::function<void(const LxdResult &, const QByteArray &pem)> done);
    // GET /1.0/metrics: LXD's Prometheus text as sent (a 200 answer is text/plain, not an
    // envelope; an error answer is one and is classified as usual, e.g. 403 RefusedTrust).
    // Parse it with parsePrometheusText (metrics/PrometheusText.h).
    void fetchMetrics(std::function<void(const LxdResult &, const QByteArray &text)> done);

Q_SIGNALS:
    // Progress of followed operations (the first async answer and each wait round).
    void operationUpdated(const canyon::Operation &operation);

private:
    struct Pending;
    using BodyHandler = std::function<void(const LxdResult &, const QByteArray &body)>;
    quint64 send(const QByteArray &verb, const QString &pathAndQuery, const QByteArray &json, int timeoutMs,
        BodyHandler handler);
    void finishHttps(quint64 id, const LxdHttpsTransport::Reply &x);
    void waitOperation(
        quint64 actionId, const QString &operationId, qint64 deadline, Callback<Operation> done);
    static LxdResult resultOfBody(int httpStatus, const QByteArray &body);

    QUrl m_url;
    QString m_pin;
    LxdClientCertificate m_identity;
    QSslConfiguration m_ssl;
    LxdHttpsTransport *m_https = nullptr; // HTTPS requests (a child; not the log streams)
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
    LxdSshTransport *m_ssh = nullptr; // the SSH transport (owned, a child) instead of m_https
    quint64 sendOverSsh(const QByteArray &verb, const QString &pathAndQuery, const QByteArray &json,
        int timeoutMs, BodyHandler handler);

    // ---- Instance config and log files for the viewer (issue 6) ----
public:
    // GET /1.0/instances/NAME: the metadata object as LXD sent it (expanded_config,
    // expanded_devices, ...), for showing the configuration as it is.
    void fetchInstanceJson(const QString &name, Callback<QJsonObject> done);
    // GET /1.0/instances/NAME/logs: the instance's log file names (lxc.log, lxc.conf,
    // exec_*.stdout, ...); names that cannot be passed back safely are left out.
    void fetchInstanceLogs(const QString &name, Callback<QStringList> done);
    // GET /1.0/instances/NAME/logs/FILE, streamed: over HTTPS, chunk() gets the bytes as they
    // arrive (QNetworkReply::readyRead), then done() runs once. The deadline is for silence
    // (no byte for the request timeout), not for the whole file. chunk() gets at most
    // StreamChunkBytes per event-loop turn. Over SSH the transport answers whole responses only
    // (bounded by its body cap): the file is read whole first, then handed over the same way.
    using Chunk = std::function<void(const QByteArray &bytes)>;
    quint64 streamInstanceLog(const QString &name, const QString &file, Chunk chunk, Done done);
    // Back-pressure: while paused nothing is read (the socket fills, the server waits), and
    // the silence deadline does not run. At most StreamBufferBytes wait in this process.
    void setStreamPaused(quint64 id, bool paused);
    void cancelStream(quint64 id); // done() reports Cancelled
    static constexpr qint64 StreamBufferBytes = 1024 * 1024;
    static constexpr qint64 StreamChunkBytes = 64 * 1024; // handed to chunk() per event-loop turn
    static bool isValidLogFileName(const QString &file);

private:
    struct LogStream;
    void readStream(quint64 id);
    void scheduleStreamRead(quint64 id);
    void finishStream(quint64 id);
    QHash<quint64, std::shared_ptr<LogStream>> m_streams;
    QNetworkAccessManager *m_streamNam = nullptr; // HTTPS streams (made on first use)
};

} // namespace canyon
