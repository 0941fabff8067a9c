// SPDX-License-Identifier: GPL-3.0-or-later
#include "InventoryJson.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace canyon {

static std::optional<QString> readOptString(const QJsonValue &v)
{
    return v.isString() ? std::optional<QString>(v.toString()) : std::nullopt;
}

void writeInventoryJson(JsonWriter &w, const DeviceInventory &inv, bool withKept)
{
    using namespace Qt::Literals::StringLiterals;
    const bool current = inv.status == DeviceStatus::Ok || withKept;
    w.beginObject();
    w.key("host"_L1).value(inv.host);
    w.key("address"_L1).value(inv.address);
    if (inv.dialect == Dialect::Unknown)
        w.key("dialect"_L1).null();
    else
        w.key("dialect"_L1).value(dialectName(inv.dialect));
    w.key("reachable"_L1).value(inv.reachable);
    w.key("status"_L1).value(deviceStatusName(inv.status));
    if (inv.status == DeviceStatus::Ok)
        w.key("error"_L1).null();
    else
        w.key("error"_L1).value(inv.error);
    if (!inv.hostKey.sha256.isEmpty()) {
        w.key("host_key"_L1).beginObject();
        w.key("type"_L1).value(inv.hostKey.keyType);
        w.key("sha256"_L1).value(inv.hostKey.sha256);
        if (!inv.hostKey.knownSha256.isEmpty())
            w.key("known_sha256"_L1).value(inv.hostKey.knownSha256);
        w.endObject();
    }
    if (inv.fetchedAt.isValid())
        w.key("fetched_at"_L1).value(inv.fetchedAt.toString(Qt::ISODateWithMs));
    if (withKept && inv.lastOkAt.isValid())
        w.key("last_ok_at"_L1).value(inv.lastOkAt.toString(Qt::ISODateWithMs));

    w.key("system"_L1).beginObject();
    if (current) {
        w.key("os"_L1).value(inv.system.os);
        w.key("release"_L1).value(inv.system.release);
        w.key("series"_L1).value(inv.system.series);
        w.key("snapd_version"_L1).value(inv.system.snapdVersion);
        w.key("kernel"_L1).value(inv.system.kernel);
        w.key("architecture"_L1).value(inv.system.architecture);
        w.key("hostname"_L1).value(inv.system.hostname);
        if (inv.system.lastRefresh.isValid())
            w.key("last_refresh"_L1).value(inv.system.lastRefresh.toString(Qt::ISODate));
        if (!inv.system.refreshError.isEmpty())
            w.key("refresh_error"_L1).value(inv.system.refreshError);
    }
    w.endObject();

    w.key("snaps"_L1).beginArray();
    for (const Snap &s : current ? inv.snaps : SnapList()) {
        w.beginObject();
        w.key("name"_L1).value(s.name);
        w.key("version"_L1).value(s.version);
        w.key("revision"_L1).value(s.revision);
        w.key("channel"_L1).value(s.channel);
        w.key("publisher"_L1).value(s.publisher);
        w.key("active"_L1).value(s.active);
        w.key("notes"_L1).beginArray();
        for (const QString &n : s.notes)
            w.value(n);
        w.endArray();
        if (!s.fingerprint.isEmpty())
            w.key("fingerprint"_L1).value(s.fingerprint);
        if (!s.type.isEmpty())
            w.key("type"_L1).value(s.type);
        if (!s.summary.isEmpty())
            w.key("summary"_L1).value(s.summary);
        // CLI.md: null when none, absent when it could not be determined
        if (s.updateKnowledge == UpdateKnowledge::None) {
            w.key("update"_L1).null();
        } else if (s.updateKnowledge == UpdateKnowledge::Available) {
            w.key("update"_L1).beginObject();
            w.key("version"_L1).value(s.update.version);
            w.key("revision"_L1).value(s.update.revision);
            w.endObject();
        }
        w.endObject();
    }
    w.endArray();
    w.endObject();
}

QJsonObject inventoryToJson(const DeviceInventory &inv, bool withKept)
{
    QByteArray text;
    JsonWriter w(&text);
    writeInventoryJson(w, inv, withKept);
    return QJsonDocument::fromJson(text).object();
}

DeviceInventory inventoryFromJson(const QJsonObject &o)
{
    DeviceInventory inv;
    inv.host = o.value(u"host"_s).toString();
    inv.address = o.value(u"address"_s).toString();
    inv.dialect = dialectFromName(o.value(u"dialect"_s).toString());
    inv.reachable = o.value(u"reachable"_s).toBool();
    const QString status = o.value(u"status"_s).toString();
    inv.status = DeviceStatus::Error;
    for (DeviceStatus s :
        { DeviceStatus::Ok, DeviceStatus::Unreachable, DeviceStatus::AuthFailed, DeviceStatus::HostKeyUnknown,
            DeviceStatus::HostKeyChanged, DeviceStatus::Unsupported, DeviceStatus::Error })
        if (deviceStatusName(s) == status)
            inv.status = s;
    inv.error = o.value(u"error"_s).toString();
    const QJsonObject sys = o.value(u"system"_s).toObject();
    inv.system.os = sys.value(u"os"_s).toString();
    inv.system.release = sys.value(u"release"_s).toString();
    inv.system.series = sys.value(u"series"_s).toString();
    inv.system.snapdVersion = sys.value(u"snapd_version"_s).toString();
    inv.system.kernel = sys.value(u"kernel"_s).toString();
    inv.system.architecture = sys.value(u"architecture"_s).toString();
    inv.system.hostname = sys.value(u"hostname"_s).toString();
    inv.system.lastRefresh = QDateTime::fromString(sys.value(u"last_refresh"_s).toString(), Qt::ISODate);
    inv.system.refreshError = sys.value(u"refresh_error"_s).toString();
    const QJsonArray snaps = o.value(u"snaps"_s).toArray();
    for (const QJsonValue &v : snaps) {
        const QJsonObject so = v.toObject();
        Snap s;
        s.name = so.value(u"name"_s).toString();
        s.version = so.value(u"version"_s).toString();
        s.revision = readOptString(so.value(u"revision"_s));
        s.channel = so.value(u"channel"_s).toString();
        s.publisher = so.value(u"publisher"_s).toString();
        s.active = so.value(u"active"_s).toBool(true);
        for (const QJsonValue &n : so.value(u"notes"_s).toArray())
            s.notes.append(n.toString());
        s.fingerprint = so.value(u"fingerprint"_s).toString();
        s.type = so.value(u"type"_s).toString();
        s.summary = so.value(u"summary"_s).toString();
        if (!so.contains(u"update"_s)) {
            s.updateKnowledge = UpdateKnowledge::Unknown;
        } else if (so.value(u"update"_s).isObject()) {
            const QJsonObject u = so.value(u"update"_s).toObject();
            s.updateKnowledge = UpdateKnowledge::Available;
            s.update = { u.value(u"version"_s).toString(), readOptString(u.value(u"revision"_s)) };
        } else {
            s.updateKnowledge = UpdateKnowledge::None;
        }
        inv.snaps.append(s);
    }
    const QJsonObject hk = o.value(u"host_key"_s).toObject();
    inv.hostKey.keyType = hk.value(u"type"_s).toString();
    inv.hostKey.sha256 = hk.value(u"sha256"_s).toString();
    inv.hostKey.knownSha256 = hk.value(u"known_sha256"_s).toString();
    inv.fetchedAt = QDateTime::fromString(o.value(u"fetched_at"_s).toString(), Qt::ISODateWithMs);
    inv.lastOkAt = QDateTime::fromString(o.value(u"last_ok_at"_s).toString(), Qt::ISODateWithMs);
    return inv;
}

} // namespace canyon
