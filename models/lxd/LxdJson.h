// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Pure parsers of LXD REST bodies (PROTOCOLS.md "LXD"): bytes in, domain values out.

#include "domain/Instance.h"

#include <QByteArray>
#include <QJsonValue>
#include <QMetaType>

namespace canyon {

// Bodies larger than this are refused unparsed (a 1,000-instance recursion=1 list is ~5 MB).
// LxdClient enforces it on the wire too: an HTTPS answer whose Content-Length or received bytes
// exceed it is aborted there and then (Failed, "too large"), so memory per response stays bounded.
inline constexpr qsizetype kMaxLxdBodyBytes = 64 * 1024 * 1024;
// One events websocket message.
inline constexpr qsizetype kMaxLxdEventBytes = 1024 * 1024;
// More list entries than this is not an LXD answer we can show: refused.
inline constexpr qsizetype kMaxLxdListEntries = 200000;

// The envelope: sync {type, status, status_code, metadata}, async {type, operation, metadata},
// error {type:"error", error, error_code}.
struct LxdEnvelope
{
    QString type; // "sync" | "async" | "error"
    int statusCode = 0;
    int errorCode = 0; // error envelopes: the HTTP-like code (403, 404, ...)
    QString error; // error envelopes: LXD's message
    QString operation; // async: "/1.0/operations/UUID"
    QJsonValue metadata;
    bool isError() const { return type == u"error" || errorCode >= 400; }
};

// Every parser fails (false with a reason; output untouched) on bodies over the limits above,
// malformed JSON (nesting bombs included: QJsonDocument refuses them), a non-object document,
// an envelope without a "type" string, an error envelope (reason "LXD error CODE: message"),
// and a required field that is missing or of the wrong JSON type. Unknown fields are ignored;
// optional fields of the wrong type are treated as absent. Invalid UTF-8 becomes U+FFFD.
bool parseLxdEnvelope(const QByteArray &body, LxdEnvelope *envelope, QString *error);

bool parseLxdServer(const QByteArray &body, LxdServerInfo *info, QString *error); // GET /1.0
// GET /1.0/instances?recursion=1 (sorted by name; entries without a name are skipped).
// With recursion=2 each entry also carries its state: *states (when given) gets them, index
// for index with *instances (a default InstanceState where an entry has none).
bool parseLxdInstances(const QByteArray &body, QList<Instance> *instances, QString *error,
    QList<InstanceState> *states = nullptr);
bool parseLxdInstance(const QByteArray &body, Instance *instance, QString *error); // GET /1.0/instances/NAME
bool parseLxdInstanceState(const QByteArray &body, InstanceState *state, QString *error);
// An async response (202) or GET /1.0/operations/UUID[/wait]: the operation in metadata.
bool parseLxdOperation(const QByteArray &body, Operation *operation, QString *error);
// One events websocket message (a bare event object, no envelope).
bool parseLxdEvent(const QByteArray &message, LxdEvent *event, QString *error);

// ---- Clusters (issue 3: "cluster members where the host is a cluster") ----
// GET /1.0/cluster: whether the server is a cluster member, and its name there.
struct LxdCluster
{
    bool enabled = false;
    QString serverName; // the member that answered
    bool operator==(const LxdCluster &) const = default;
};
// One entry of GET /1.0/cluster/members?recursion=1 (LXD's api.ClusterMember).
struct LxdClusterMember
{
    QString serverName; // server_name: what instances' "location" names
    QString url; // "https://10.0.0.1:8443"
    bool database = false; // a database voter, standby or leader
    QString status; // "Online" | "Offline" | "Evacuated" | "Blocked" | ...
    QString message; // "Fully operational", "No heartbeat for 30s (...)", ...
    QString architecture; // "x86_64"
    QString failureDomain; // failure_domain ("default")
    QString description;
    QStringList roles; // "database", "database-leader", "event-hub", ...
    QStringList groups; // cluster groups ("default")
    bool isOnline() const { return status == u"Online"; }
    bool operator==(const LxdClusterMember &) const = default;
};
bool parseLxdCluster(const QByteArray &body, LxdCluster *cluster, QString *error);
// Sorted by server name; entries without one are skipped; URL strings (no recursion) refused.
bool parseLxdClusterMembers(const QByteArray &body, QList<LxdClusterMember> *members, QString *error);
LxdCluster clusterFromJson(const QJsonObject &o);
LxdClusterMember clusterMemberFromJson(const QJsonObject &o);
// The metadata of GET /1.0/cluster/members?recursion=1, already parsed (false: not a list of
// member objects).
bool clusterMembersFromJson(const QJsonValue &metadata, QList<LxdClusterMember> *members, QString *error);

// Building blocks, also used on already parsed JSON.
Instance instanceFromJson(const QJsonObject &o);
InstanceState instanceStateFromJson(const QJsonObject &o);
Operation operationFromJson(const QJsonObject &o);
// "/1.0/instances/NAME[/sub/resource][?project=p]" -> "NAME" (percent-decoded); "" when the
// URL names no instance.
QString instanceNameFromUrl(const QString &url);
// LXD timestamps carry nanoseconds; "0001-01-01T00:00:00Z" (never) gives an invalid QDateTime.
QDateTime lxdTimestamp(const QString &text);

} // namespace canyon

Q_DECLARE_METATYPE(canyon::LxdClusterMember)
