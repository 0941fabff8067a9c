// SPDX-License-Identifier: GPL-3.0-or-later
#include "LxdJson.h"

#include "domain/PlainText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QRegularExpression>
#include <QUrl>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

// Remote strings are kept bounded: a 100 MB "name" must not travel through every model.
constexpr qsizetype kMaxStringChars = 4096;

bool fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return false;
}

QString str(const QJsonObject &o, QStringView key)
{
    const QJsonValue v = o.value(key);
    if (!v.isString())
        return {};
    QString s = v.toString();
    if (s.size() > kMaxStringChars)
        s.truncate(kMaxStringChars);
    return s;
}

// JSON numbers are doubles: LXD counters (ns of CPU, bytes) stay exact up to 2^53.
qint64 num(const QJsonObject &o, QStringView key)
{
    const QJsonValue v = o.value(key);
    if (!v.isDouble())
        return 0;
    const double d = v.toDouble();
    if (!(d > -9.0e15 && d < 9.0e15)) // NaN-safe; beyond this precision is gone anyway
        return 0;
    return qint64(d);
}

QStringList strList(const QJsonObject &o, QStringView key)
{
    QStringList out;
    const QJsonArray a = o.value(key).toArray();
    for (const QJsonValue &v : a) {
        if (out.size() >= 1000)
            break;
        if (v.isString())
            out << v.toString().left(kMaxStringChars);
    }
    return out;
}

QJsonDocument readJson(const QByteArray &body, qsizetype limit, QString *why)
{
    if (body.size() > limit) {
        *why = u"LXD response too large (%1 bytes, limit %2)"_s.arg(body.size()).arg(limit);
        return {};
    }
    QJsonParseError pe;
    // QJsonDocument stops at its own nesting limit with an error: depth bombs end here.
    QJsonDocument doc = QJsonDocument::fromJson(body, &pe);
    if (pe.error == QJsonParseError::IllegalUTF8String) // like all remote text: U+FFFD, not a failure
        doc = QJsonDocument::fromJson(decodeRemote(body).toUtf8(), &pe);
    if (pe.error != QJsonParseError::NoError) {
        *why = u"malformed LXD JSON: %1 at offset %2"_s.arg(pe.errorString()).arg(pe.offset);
        return {};
    }
    if (!doc.isObject()) {
        *why = u"malformed LXD response: not a JSON object"_s;
        return {};
    }
    return doc;
}

// A sync envelope's metadata, or false with the reason (error envelopes included).
bool syncMetadata(const QByteArray &body, QJsonValue *metadata, QString *error)
{
    LxdEnvelope env;
    if (!parseLxdEnvelope(body, &env, error))
        return false;
    if (env.isError())
        return fail(error, u"LXD error %1: %2"_s.arg(env.errorCode).arg(visibleText(env.error, 500)));
    if (env.type != u"sync" && env.type != u"async")
        return fail(error, u"unexpected LXD response type \"%1\""_s.arg(visibleText(env.type, 40)));
    *metadata = env.metadata;
    return true;
}

int percentOf(const QString &text)
{
    // "*_progress" values look like "rootfs: 42% (12.3MB/s)": take the first "NN%"
    static const QRegularExpression re(u"(\\d{1,3})%"_s);
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return -1;
    return std::clamp(m.captured(1).toInt(), 0, 100);
}

} // namespace

QDateTime lxdTimestamp(const QString &text)
{
    if (text.isEmpty() || text.startsWith(u"0001-01-01"))
        return {};
    // Qt's ISO parser wants at most milliseconds: cut the nanoseconds LXD sends.
    static const QRegularExpression frac(u"(\\.\\d{3})\\d+"_s);
    QString t = text.left(64);
    t.replace(frac, u"\\1"_s);
    return QDateTime::fromString(t, Qt::ISODateWithMs);
}

QString instanceNameFromUrl(const QString &url)
{
    static const QString prefix = u"/1.0/instances/"_s;
    if (!url.startsWith(prefix))
        return {};
    QString rest = url.mid(prefix.size());
    const qsizetype q = rest.indexOf(u'?');
    if (q >= 0)
        rest.truncate(q);
    // a sub-resource (".../c1/snapshots/s", ".../c1/backups/...") still concerns instance c1
    const qsizetype slash = rest.indexOf(u'/');
    if (slash >= 0)
        rest.truncate(slash);
    if (rest.isEmpty())
        return {};
    return QUrl::fromPercentEncoding(rest.toUtf8()).left(kMaxStringChars);
}

bool parseLxdEnvelope(const QByteArray &body, LxdEnvelope *envelope, QString *error)
{
    QString why;
    const QJsonDocument doc = readJson(body, kMaxLxdBodyBytes, &why);
    if (doc.isNull())
        return fail(error, why);
    const QJsonObject o = doc.object();
    if (!o.value(u"type").isString())
        return fail(error, u"malformed LXD response: no \"type\" string"_s);
    LxdEnvelope e;
    e.type = str(o, u"type");
    e.statusCode = int(num(o, u"status_code"));
    e.errorCode = int(num(o, u"error_code"));
    e.error = str(o, u"error");
    e.operation = str(o, u"operation");
    e.metadata = o.value(u"metadata");
    if (e.type == u"error" && e.error.isEmpty())
        e.error = u"LXD error without a message"_s;
    *envelope = e;
    return true;
}

bool parseLxdServer(const QByteArray &body, LxdServerInfo *info, QString *error)
{
    QJsonValue md;
    if (!syncMetadata(body, &md, error))
        return false;
    if (!md.isObject())
        return fail(error, u"malformed LXD server info: metadata is not an object"_s);
    const QJsonObject o = md.toObject();
    if (!o.value(u"auth").isString())
        return fail(error, u"malformed LXD server info: no \"auth\""_s);
    LxdServerInfo s;
    s.trusted = str(o, u"auth") == u"trusted";
    s.apiExtensions = strList(o, u"api_extensions");
    s.authMethods = strList(o, u"auth_methods");
    const QJsonObject env = o.value(u"environment").toObject();
    s.serverVersion = str(env, u"server_version");
    s.serverName = str(env, u"server_name");
    s.certificateSha256 = str(env, u"certificate_fingerprint").toLower();
    s.clustered = env.value(u"server_clustered").toBool();
    *info = s;
    return true;
}

Instance instanceFromJson(const QJsonObject &o)
{
    Instance i;
    i.name = str(o, u"name");
    i.type = str(o, u"type");
    i.status = str(o, u"status");
    i.statusCode = int(num(o, u"status_code"));
    i.location = str(o, u"location");
    i.project = str(o, u"project");
    i.profiles = strList(o, u"profiles");
    i.created = lxdTimestamp(str(o, u"created_at"));
    i.lastUsed = lxdTimestamp(str(o, u"last_used_at"));
    i.architecture = str(o, u"architecture");
    i.description = str(o, u"description");
    i.ephemeral = o.value(u"ephemeral").toBool();
    const QJsonObject cfg = o.value(u"expanded_config").isObject() ? o.value(u"expanded_config").toObject()
                                                                   : o.value(u"config").toObject();
    i.imageOs = str(cfg, u"image.os");
    i.imageRelease = str(cfg, u"image.release");
    i.imageDescription = str(cfg, u"image.description");
    const QJsonObject devs = o.value(u"expanded_devices").isObject() ? o.value(u"expanded_devices").toObject()
                                                                     : o.value(u"devices").toObject();
    for (auto it = devs.begin(); it != devs.end() && i.devices.size() < 256; ++it) {
        QMap<QString, QString> settings;
        const QJsonObject d = it.value().toObject();
        for (auto s = d.begin(); s != d.end() && settings.size() < 256; ++s)
            if (s.value().isString())
                settings.insert(s.key().left(kMaxStringChars), s.value().toString().left(kMaxStringChars));
        i.devices.insert(it.key().left(kMaxStringChars), settings);
    }
    return i;
}

bool parseLxdInstances(
    const QByteArray &body, QList<Instance> *instances, QString *error, QList<InstanceState> *states)
{
    QJsonValue md;
    if (!syncMetadata(body, &md, error))
        return false;
    if (!md.isArray())
        return fail(error, u"malformed LXD instance list: metadata is not an array"_s);
    const QJsonArray a = md.toArray();
    if (a.size() > kMaxLxdListEntries)
        return fail(error, u"LXD instance list too long (%1 entries)"_s.arg(a.size()));
    QList<std::pair<Instance, InstanceState>> out;
    out.reserve(a.size());
    for (const QJsonValue &v : a) {
        if (v.isString())
            return fail(error, u"LXD sent instance URLs, not objects: recursion=1 is required"_s);
        if (!v.isObject())
            continue;
        const QJsonObject o = v.toObject();
        Instance i = instanceFromJson(o);
        if (i.name.isEmpty())
            continue;
        InstanceState st;
        if (states && o.value(u"state").isObject())
            st = instanceStateFromJson(o.value(u"state").toObject());
        out.append({ std::move(i), std::move(st) });
    }
    std::sort(
        out.begin(), out.end(), [](const auto &x, const auto &y) { return x.first.name < y.first.name; });
    instances->clear();
    instances->reserve(out.size());
    if (states) {
        states->clear();
        states->reserve(out.size());
    }
    for (auto &p : out) {
        instances->append(std::move(p.first));
        if (states)
            states->append(std::move(p.second));
    }
    return true;
}

bool parseLxdInstance(const QByteArray &body, Instance *instance, QString *error)
{
    QJsonValue md;
    if (!syncMetadata(body, &md, error))
        return false;
    if (!md.isObject() || !md.toObject().value(u"name").isString())
        return fail(error, u"malformed LXD instance: metadata is not an object with a name"_s);
    *instance = instanceFromJson(md.toObject());
    return true;
}

QStringList InstanceState::globalAddresses() const
{
    QStringList v4, v6;
    for (const InstanceNetwork &n : networks) {
        if (n.type == u"loopback")
            continue;
        for (const InstanceAddress &a : n.addresses) {
            if (a.scope != u"global")
                continue;
            (a.family == u"inet6" ? v6 : v4) << a.address;
        }
    }
    return v4 + v6;
}

InstanceState instanceStateFromJson(const QJsonObject &o)
{
    InstanceState s;
    s.status = str(o, u"status");
    s.statusCode = int(num(o, u"status_code"));
    s.pid = num(o, u"pid");
    s.processes = num(o, u"processes");
    s.cpuUsageNs = num(o.value(u"cpu").toObject(), u"usage");
    const QJsonObject mem = o.value(u"memory").toObject();
    s.memoryUsage = num(mem, u"usage");
    s.memoryPeak = num(mem, u"usage_peak");
    s.memoryTotal = num(mem, u"total");
    s.swapUsage = num(mem, u"swap_usage");
    const QJsonObject disk = o.value(u"disk").toObject();
    for (auto it = disk.begin(); it != disk.end() && s.disks.size() < 256; ++it) {
        const QJsonObject d = it.value().toObject();
        s.disks << InstanceDisk { it.key().left(kMaxStringChars), num(d, u"usage"), num(d, u"total") };
    }
    const QJsonObject net = o.value(u"network").toObject();
    for (auto it = net.begin(); it != net.end() && s.networks.size() < 1024; ++it) {
        const QJsonObject n = it.value().toObject();
        InstanceNetwork in;
        in.name = it.key().left(kMaxStringChars);
        in.hwaddr = str(n, u"hwaddr");
        in.hostName = str(n, u"host_name");
        in.state = str(n, u"state");
        in.type = str(n, u"type");
        in.mtu = num(n, u"mtu");
        const QJsonArray addrs = n.value(u"addresses").toArray();
        for (const QJsonValue &av : addrs) {
            if (in.addresses.size() >= 256)
                break;
            const QJsonObject a = av.toObject();
            if (!a.value(u"address").isString())
                continue;
            in.addresses << InstanceAddress { str(a, u"family"), str(a, u"address"), str(a, u"netmask"),
                str(a, u"scope") };
        }
        const QJsonObject c = n.value(u"counters").toObject();
        in.bytesReceived = num(c, u"bytes_received");
        in.bytesSent = num(c, u"bytes_sent");
        in.packetsReceived = num(c, u"packets_received");
        in.packetsSent = num(c, u"packets_sent");
        s.networks << in;
    }
    // QJsonObject iterates in key order already; keep that promise explicit for other sources
    std::sort(
        s.disks.begin(), s.disks.end(), [](const auto &a, const auto &b) { return a.device < b.device; });
    std::sort(
        s.networks.begin(), s.networks.end(), [](const auto &a, const auto &b) { return a.name < b.name; });
    return s;
}

bool parseLxdInstanceState(const QByteArray &body, InstanceState *state, QString *error)
{
    QJsonValue md;
    if (!syncMetadata(body, &md, error))
        return false;
    if (!md.isObject() || !md.toObject().value(u"status").isString())
        return fail(error, u"malformed LXD instance state: metadata is not an object with a status"_s);
    *state = instanceStateFromJson(md.toObject());
    return true;
}

Operation operationFromJson(const QJsonObject &o)
{
    Operation op;
    op.id = str(o, u"id");
    op.operationClass = str(o, u"class");
    op.description = str(o, u"description");
    op.status = str(o, u"status");
    op.statusCode = int(num(o, u"status_code"));
    op.mayCancel = o.value(u"may_cancel").toBool();
    op.err = str(o, u"err");
    op.location = str(o, u"location");
    op.created = lxdTimestamp(str(o, u"created_at"));
    op.updated = lxdTimestamp(str(o, u"updated_at"));
    const QJsonArray res = o.value(u"resources").toObject().value(u"instances").toArray();
    for (const QJsonValue &v : res) {
        if (op.instances.size() >= 10000)
            break;
        const QString n = instanceNameFromUrl(v.toString());
        if (!n.isEmpty() && !op.instances.contains(n))
            op.instances << n;
    }
    const QJsonObject md = o.value(u"metadata").toObject();
    const QJsonObject progress = md.value(u"progress").toObject();
    if (!progress.isEmpty()) {
        op.progressText = str(progress, u"stage");
        const QJsonValue p = progress.value(u"percent");
        // LXD sends percent as a string in some versions and as a number in others
        const int pct = p.isString() ? percentOf(p.toString() + u'%') : p.isDouble() ? int(p.toDouble()) : -1;
        op.progressPercent = pct < 0 ? -1 : std::clamp(pct, 0, 100);
    } else {
        for (auto it = md.begin(); it != md.end(); ++it) {
            if (it.key().endsWith(u"_progress") && it.value().isString()) {
                op.progressText = it.value().toString().left(kMaxStringChars);
                op.progressPercent = percentOf(op.progressText);
                break;
            }
        }
    }
    return op;
}

bool parseLxdOperation(const QByteArray &body, Operation *operation, QString *error)
{
    QJsonValue md;
    if (!syncMetadata(body, &md, error))
        return false;
    if (!md.isObject() || !md.toObject().value(u"id").isString())
        return fail(error, u"malformed LXD operation: metadata is not an object with an id"_s);
    *operation = operationFromJson(md.toObject());
    return true;
}

LxdCluster clusterFromJson(const QJsonObject &o)
{
    LxdCluster c;
    c.enabled = o.value(u"enabled").toBool();
    c.serverName = str(o, u"server_name");
    return c;
}

bool parseLxdCluster(const QByteArray &body, LxdCluster *cluster, QString *error)
{
    QJsonValue md;
    if (!syncMetadata(body, &md, error))
        return false;
    if (!md.isObject() || !md.toObject().value(u"enabled").isBool())
        return fail(error, u"malformed LXD cluster: metadata is not an object with \"enabled\""_s);
    *cluster = clusterFromJson(md.toObject());
    return true;
}

LxdClusterMember clusterMemberFromJson(const QJsonObject &o)
{
    LxdClusterMember m;
    m.serverName = str(o, u"server_name");
    m.url = str(o, u"url");
    m.database = o.value(u"database").toBool();
    m.status = str(o, u"status");
    m.message = str(o, u"message");
    m.architecture = str(o, u"architecture");
    m.failureDomain = str(o, u"failure_domain");
    m.description = str(o, u"description");
    m.roles = strList(o, u"roles");
    m.groups = strList(o, u"groups");
    return m;
}

bool clusterMembersFromJson(const QJsonValue &metadata, QList<LxdClusterMember> *members, QString *error)
{
    if (!metadata.isArray())
        return fail(error, u"malformed LXD cluster member list: metadata is not an array"_s);
    const QJsonArray a = metadata.toArray();
    if (a.size() > kMaxLxdListEntries)
        return fail(error, u"LXD cluster member list too long (%1 entries)"_s.arg(a.size()));
    QList<LxdClusterMember> out;
    for (const QJsonValue &v : a) {
        if (v.isString())
            return fail(error, u"LXD sent cluster member URLs, not objects: recursion=1 is required"_s);
        LxdClusterMember m = clusterMemberFromJson(v.toObject());
        if (!m.serverName.isEmpty())
            out << std::move(m);
    }
    std::sort(
        out.begin(), out.end(), [](const auto &x, const auto &y) { return x.serverName < y.serverName; });
    *members = std::move(out);
    return true;
}

bool parseLxdClusterMembers(const QByteArray &body, QList<LxdClusterMember> *members, QString *error)
{
    QJsonValue md;
    if (!syncMetadata(body, &md, error))
        return false;
    return clusterMembersFromJson(md, members, error);
}

bool parseLxdEvent(const QByteArray &message, LxdEvent *event, QString *error)
{
    QString why;
    const QJsonDocument doc = readJson(message, kMaxLxdEventBytes, &why);
    if (doc.isNull())
        return fail(error, why);
    const QJsonObject o = doc.object();
    if (!o.value(u"type").isString() || !o.value(u"metadata").isObject())
        return fail(error, u"malformed LXD event: no type or metadata"_s);
    LxdEvent e;
    e.type = str(o, u"type");
    e.timestamp = lxdTimestamp(str(o, u"timestamp"));
    e.location = str(o, u"location");
    e.project = str(o, u"project");
    e.metadata = o.value(u"metadata").toObject();
    if (e.type == u"lifecycle") {
        e.action = str(e.metadata, u"action");
        e.instance = instanceNameFromUrl(str(e.metadata, u"source"));
    } else if (e.type == u"operation") {
        if (!e.metadata.value(u"id").isString())
            return fail(error, u"malformed LXD operation event: no id"_s);
        e.operation = operationFromJson(e.metadata);
    }
    *event = e;
    return true;
}

} // namespace canyon
