// SPDX-License-Identifier: GPL-3.0-or-later
#include "InventoryJson.h"

#include "domain/JsonReader.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace canyon {

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
        if (inv.hostKey.revoked)
            w.key("revoked"_L1).value(true);
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

namespace {

// The value as QJsonValue::toString() gives it: the text of a string, else empty (and read).
QString stringOr(JsonReader &r)
{
    if (r.peek() == JsonReader::Type::String)
        return r.readString();
    r.skipValue();
    return {};
}

std::optional<QString> optString(JsonReader &r)
{
    if (r.peek() == JsonReader::Type::String)
        return r.readString();
    r.skipValue();
    return std::nullopt;
}

bool boolOr(JsonReader &r, bool fallback)
{
    if (r.peek() == JsonReader::Type::Bool)
        return r.readBool();
    r.skipValue();
    return fallback;
}

// Calls f(key) for each key of the object that comes next; anything else there is skipped.
template<typename F> void forEachKey(JsonReader &r, const F &f)
{
    if (r.peek() != JsonReader::Type::Object) {
        r.skipValue();
        return;
    }
    r.beginObject();
    QByteArrayView key;
    while (r.nextKey(&key))
        f(key);
}

template<typename F> void forEachElement(JsonReader &r, const F &f)
{
    if (r.peek() != JsonReader::Type::Array) {
        r.skipValue();
        return;
    }
    r.beginArray();
    while (r.nextElement())
        f();
}

DeviceStatus statusFromName(const QString &name)
{
    for (DeviceStatus s :
        { DeviceStatus::Ok, DeviceStatus::Unreachable, DeviceStatus::AuthFailed, DeviceStatus::HostKeyUnknown,
            DeviceStatus::HostKeyChanged, DeviceStatus::Unsupported, DeviceStatus::Error })
        if (deviceStatusName(s) == name)
            return s;
    return DeviceStatus::Error;
}

Snap readSnap(JsonReader &r)
{
    Snap s;
    forEachKey(r, [&](QByteArrayView k) {
        if (k == "name")
            s.name = stringOr(r);
        else if (k == "version")
            s.version = stringOr(r);
        else if (k == "revision")
            s.revision = optString(r);
        else if (k == "channel")
            s.channel = stringOr(r);
        else if (k == "publisher")
            s.publisher = stringOr(r);
        else if (k == "active")
            s.active = boolOr(r, true);
        else if (k == "notes") {
            s.notes.clear();
            forEachElement(r, [&] { s.notes.append(stringOr(r)); });
        } else if (k == "fingerprint")
            s.fingerprint = stringOr(r);
        else if (k == "type")
            s.type = stringOr(r);
        else if (k == "summary")
            s.summary = stringOr(r);
        else if (k == "update") {
            // CLI.md: absent = unknown, null (or anything but an object) = none
            if (r.peek() == JsonReader::Type::Object) {
                s.updateKnowledge = UpdateKnowledge::Available;
                s.update = {};
                forEachKey(r, [&](QByteArrayView u) {
                    if (u == "version")
                        s.update.version = stringOr(r);
                    else if (u == "revision")
                        s.update.revision = optString(r);
                    else
                        r.skipValue();
                });
            } else {
                s.updateKnowledge = UpdateKnowledge::None;
                s.update = {};
                r.skipValue();
            }
        } else
            r.skipValue();
    });
    return s;
}

DeviceInventory readInventory(JsonReader &r)
{
    DeviceInventory inv;
    inv.status = DeviceStatus::Error;
    forEachKey(r, [&](QByteArrayView k) {
        if (k == "host")
            inv.host = stringOr(r);
        else if (k == "address")
            inv.address = stringOr(r);
        else if (k == "dialect")
            inv.dialect = dialectFromName(stringOr(r));
        else if (k == "reachable")
            inv.reachable = boolOr(r, false);
        else if (k == "status")
            inv.status = statusFromName(stringOr(r));
        else if (k == "error")
            inv.error = stringOr(r);
        else if (k == "system") {
            inv.system = {};
            forEachKey(r, [&](QByteArrayView f) {
                if (f == "os")
                    inv.system.os = stringOr(r);
                else if (f == "release")
                    inv.system.release = stringOr(r);
                else if (f == "series")
                    inv.system.series = stringOr(r);
                else if (f == "snapd_version")
                    inv.system.snapdVersion = stringOr(r);
                else if (f == "kernel")
                    inv.system.kernel = stringOr(r);
                else if (f == "architecture")
                    inv.system.architecture = stringOr(r);
                else if (f == "hostname")
                    inv.system.hostname = stringOr(r);
                else if (f == "last_refresh")
                    inv.system.lastRefresh = QDateTime::fromString(stringOr(r), Qt::ISODate);
                else if (f == "refresh_error")
                    inv.system.refreshError = stringOr(r);
                else
                    r.skipValue();
            });
        } else if (k == "snaps") {
            inv.snaps.clear();
            forEachElement(r, [&] { inv.snaps.append(readSnap(r)); });
        } else if (k == "host_key") {
            inv.hostKey = {};
            forEachKey(r, [&](QByteArrayView f) {
                if (f == "type")
                    inv.hostKey.keyType = stringOr(r);
                else if (f == "sha256")
                    inv.hostKey.sha256 = stringOr(r);
                else if (f == "known_sha256")
                    inv.hostKey.knownSha256 = stringOr(r);
                else if (f == "revoked")
                    inv.hostKey.revoked = boolOr(r, false);
                else
                    r.skipValue();
            });
        } else if (k == "fetched_at")
            inv.fetchedAt = QDateTime::fromString(stringOr(r), Qt::ISODateWithMs);
        else if (k == "last_ok_at")
            inv.lastOkAt = QDateTime::fromString(stringOr(r), Qt::ISODateWithMs);
        else
            r.skipValue();
    });
    return inv;
}

} // namespace

QList<DeviceInventory> inventoriesFromJson(QByteArrayView text, bool *ok)
{
    JsonReader r(text);
    QList<DeviceInventory> list;
    const bool array = r.peek() == JsonReader::Type::Array;
    forEachElement(r, [&] { list.append(readInventory(r)); });
    *ok = array && r.finished();
    if (!*ok)
        list.clear();
    return list;
}

} // namespace canyon
