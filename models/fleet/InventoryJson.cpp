// SPDX-License-Identifier: GPL-3.0-or-later
#include "InventoryJson.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace canyon {

static QJsonValue optString(const std::optional<QString> &s)
{
    return s ? QJsonValue(*s) : QJsonValue(QJsonValue::Null);
}

static std::optional<QString> readOptString(const QJsonValue &v)
{
    return v.isString() ? std::optional<QString>(v.toString()) : std::nullopt;
}

QJsonObject inventoryToJson(const DeviceInventory &inv, bool withKept)
{
    const bool current = inv.status == DeviceStatus::Ok || withKept;
    QJsonObject system { { u"os"_s, inv.system.os }, { u"release"_s, inv.system.release },
        { u"series"_s, inv.system.series }, { u"snapd_version"_s, inv.system.snapdVersion },
        { u"kernel"_s, inv.system.kernel }, { u"architecture"_s, inv.system.architecture },
        { u"hostname"_s, inv.system.hostname } };
    if (inv.system.lastRefresh.isValid())
        system.insert(u"last_refresh"_s, inv.system.lastRefresh.toString(Qt::ISODate));
    if (!inv.system.refreshError.isEmpty())
        system.insert(u"refresh_error"_s, inv.system.refreshError);

    QJsonArray snaps;
    for (const Snap &s : current ? inv.snaps : SnapList()) {
        QJsonObject o { { u"name"_s, s.name }, { u"version"_s, s.version },
            { u"revision"_s, optString(s.revision) }, { u"channel"_s, s.channel },
            { u"publisher"_s, s.publisher }, { u"active"_s, s.active },
            { u"notes"_s, QJsonArray::fromStringList(s.notes) } };
        if (!s.fingerprint.isEmpty())
            o.insert(u"fingerprint"_s, s.fingerprint);
        if (!s.type.isEmpty())
            o.insert(u"type"_s, s.type);
        if (!s.summary.isEmpty())
            o.insert(u"summary"_s, s.summary);
        // CLI.md: null when none, absent when it could not be determined
        if (s.updateKnowledge == UpdateKnowledge::None)
            o.insert(u"update"_s, QJsonValue::Null);
        else if (s.updateKnowledge == UpdateKnowledge::Available)
            o.insert(u"update"_s,
                QJsonObject {
                    { u"version"_s, s.update.version }, { u"revision"_s, optString(s.update.revision) } });
        snaps.append(o);
    }
    QJsonObject o { { u"host"_s, inv.host }, { u"address"_s, inv.address },
        { u"dialect"_s,
            inv.dialect == Dialect::Unknown ? QJsonValue(QJsonValue::Null)
                                            : QJsonValue(dialectName(inv.dialect)) },
        { u"reachable"_s, inv.reachable }, { u"status"_s, deviceStatusName(inv.status) },
        { u"error"_s, inv.status == DeviceStatus::Ok ? QJsonValue(QJsonValue::Null) : QJsonValue(inv.error) },
        { u"system"_s, current ? system : QJsonObject() }, { u"snaps"_s, snaps } };
    if (!inv.hostKey.sha256.isEmpty()) {
        QJsonObject hk { { u"type"_s, inv.hostKey.keyType }, { u"sha256"_s, inv.hostKey.sha256 } };
        if (!inv.hostKey.knownSha256.isEmpty())
            hk.insert(u"known_sha256"_s, inv.hostKey.knownSha256);
        o.insert(u"host_key"_s, hk);
    }
    if (inv.fetchedAt.isValid())
        o.insert(u"fetched_at"_s, inv.fetchedAt.toString(Qt::ISODateWithMs));
    if (withKept && inv.lastOkAt.isValid())
        o.insert(u"last_ok_at"_s, inv.lastOkAt.toString(Qt::ISODateWithMs));
    return o;
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
