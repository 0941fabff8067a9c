// SPDX-License-Identifier: GPL-3.0-or-later
// Device state: seeding and the JSON form. The command semantics live in
// SimCommands.cpp.
#include "SimDevice.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace canyon::sim {

QString dialectName(Dialect dialect)
{
    switch (dialect) {
    case Dialect::Snap:
        return u"snap"_s;
    case Dialect::Snappy:
        return u"snappy"_s;
    case Dialect::None:
        break;
    }
    return u"none"_s;
}

std::optional<Dialect> dialectFromName(const QString &name)
{
    if (name == u"snap")
        return Dialect::Snap;
    if (name == u"snappy")
        return Dialect::Snappy;
    if (name == u"none")
        return Dialect::None;
    return std::nullopt;
}

namespace {

SimSnap canonicalSnap(const QString &name, const QString &version, const QString &revision,
    const QString &tracking, const QString &type, const QString &summary, qint64 size)
{
    SimSnap s;
    s.name = name;
    s.version = version;
    s.revision = revision;
    s.tracking = tracking;
    s.publisher = u"canonical"_s;
    s.publisherDisplay = u"Canonical"_s;
    s.verified = true;
    s.type = type;
    if (type != u"app")
        s.notes = QStringList { type };
    s.summary = summary;
    s.size = size;
    return s;
}

SimSnap appSnap(const QString &name, const QString &version, const QString &revision,
    const QString &publisher, const QString &display, bool verified, const QString &summary, qint64 size)
{
    SimSnap s;
    s.name = name;
    s.version = version;
    s.revision = revision;
    s.tracking = u"latest/stable"_s;
    s.publisher = publisher;
    s.publisherDisplay = display;
    s.verified = verified;
    s.type = u"app"_s;
    s.summary = summary;
    s.size = size;
    return s;
}

SimSnap disabledCopy(SimSnap s, const QString &version, const QString &revision)
{
    s.version = version;
    s.revision = revision;
    s.active = false;
    return s;
}

SimSnap snappyPart(
    const QString &name, const QString &version, const QString &fingerprint, const QString &type)
{
    SimSnap s;
    s.name = name;
    s.version = version;
    s.revision = version;
    s.tracking = u"edge"_s;
    s.fingerprint = fingerprint;
    s.type = type;
    return s;
}

SimChange seedChange(int id, const QString &kind, const QString &summary, const QStringList &snaps,
    const QDateTime &spawn, int seconds)
{
    return SimChange { id, u"Done"_s, kind, summary, snaps, spawn, spawn.addSecs(seconds) };
}

void seedSnappy(SimDevice &d, int index)
{
    d.osId = u"ubuntu-core"_s;
    d.osVersion = u"devel"_s;
    d.release = u"ubuntu-core/devel"_s;
    d.kernel = u"3.16.0-28-generic"_s;
    d.snapdVersion.clear();
    // Index 0 is the seed transcript's device, exactly: ubuntu-core 141 and
    // docker with its empty version string, nothing available.
    d.snaps = { snappyPart(u"ubuntu-core"_s, u"141"_s, u"7f068cb4fa876c"_s, u"os"_s),
        snappyPart(u"docker"_s, QString(), u"b1f2f85e77adab"_s, u"framework"_s) };
    if (index == 0)
        return;
    // The demo's 15.04-era devices: 142 is out, some run the xkcd webserver.
    d.updates.insert(u"ubuntu-core"_s, SimUpdate { u"142"_s, u"142"_s, 0, u"4c2b8d1e90af33"_s });
    if (index % 2 == 0)
        d.snaps.append(snappyPart(u"xkcd-webserver"_s, u"0.3.1"_s, u"3a9152b8bff494"_s, u"app"_s));
    if (index % 3 == 2)
        d.updates.remove(u"ubuntu-core"_s);
}

void seedSnap(SimDevice &d, int index, const QDateTime &now)
{
    const bool classic = index % 5 == 3;
    const bool arm = index % 6 == 4;
    const bool oldSnapd = index % 8 == 5;
    d.onClassic = classic;
    d.osId = classic ? u"ubuntu"_s : u"ubuntu-core"_s;
    d.osVersion = classic ? u"22.04"_s : u"22"_s;
    d.architecture = arm ? u"arm64"_s : u"amd64"_s;
    d.kernel = arm ? u"5.15.0-1044-raspi"_s : u"5.15.0-91-generic"_s;
    d.snapdVersion = oldSnapd ? u"2.57.6"_s : u"2.61.3"_s;

    const SimSnap core22 = canonicalSnap(u"core22"_s, u"20240111"_s, u"1122"_s, u"latest/stable"_s, u"base"_s,
        u"Runtime environment based on Ubuntu 22.04"_s, 77'860'864);
    d.snaps.append(core22);
    if (index % 3 == 0)
        d.snaps.append(disabledCopy(core22, u"20231123"_s, u"1033"_s));
    d.snaps.append(canonicalSnap(u"snapd"_s, d.snapdVersion, oldSnapd ? u"17950"_s : u"21184"_s,
        u"latest/stable"_s, u"snapd"_s, u"Daemon and tooling that enable snap packages"_s, 40'120'320));
    if (!classic) {
        if (arm) {
            d.snaps.append(canonicalSnap(u"pi-kernel"_s, u"5.15.0-1044.47"_s, u"806"_s, u"22/stable"_s,
                u"kernel"_s, u"The Ubuntu Raspberry Pi kernel"_s, 190'451'712));
            d.snaps.append(canonicalSnap(u"pi"_s, u"22-2"_s, u"132"_s, u"22/stable"_s, u"gadget"_s,
                u"Raspberry Pi gadget"_s, 11'010'048));
        } else {
            d.snaps.append(canonicalSnap(u"pc-kernel"_s, u"5.15.0-91.101.1"_s, u"1606"_s, u"22/stable"_s,
                u"kernel"_s, u"The Ubuntu generic Linux kernel"_s, 298'840'064));
            d.snaps.append(canonicalSnap(u"pc"_s, u"22-0.3"_s, u"148"_s, u"22/stable"_s, u"gadget"_s,
                u"PC gadget for classic amd64 platforms"_s, 12'406'784));
        }
    }
    // Revisions shift a little per device so the fleet drifts.
    const int drift = index % 3;
    const SimSnap mosquitto = appSnap(u"mosquitto"_s, u"2.0.18"_s, QString::number(870 + drift),
        u"mosquitto"_s, u"Mosquitto"_s, false, u"Eclipse Mosquitto MQTT broker"_s, 6'684'672);
    d.snaps.append(mosquitto);
    // The disabled old revision that `snap revert mosquitto` goes back to.
    d.snaps.append(disabledCopy(mosquitto, u"2.0.17"_s, QString::number(812 + drift)));
    d.snaps.append(appSnap(u"node-red"_s, u"3.1.3"_s, QString::number(1114 + drift), u"nodered"_s,
        u"Node-RED"_s, true, u"Low-code programming for event-driven applications"_s, 58'327'040));
    if (index % 3 == 1)
        d.snaps.append(appSnap(u"telegraf"_s, u"1.29.2"_s, u"112"_s, u"influxdata"_s, u"InfluxData"_s, true,
            u"The plugin-driven server agent for collecting metrics"_s, 52'297'728));

    if (index % 2 == 0)
        d.updates.insert(
            u"mosquitto"_s, SimUpdate { u"2.0.19"_s, QString::number(901 + drift), 6'713'344, {} });
    if (index % 3 != 2)
        d.updates.insert(
            u"node-red"_s, SimUpdate { u"3.1.5"_s, QString::number(1130 + drift), 58'490'880, {} });
    if (index % 4 == 2)
        d.updates.insert(u"core22"_s, SimUpdate { u"20240209"_s, u"1177"_s, 77'901'824, {} });
    if (index % 4 == 1)
        d.held.append(u"node-red"_s);

    // A change log that matches the revisions on disk.
    const QDateTime base = now.addSecs(-(now.time().second()));
    int id = 1;
    d.changes.append(seedChange(id++, u"seed"_s, u"Initialize system state"_s, {}, base.addDays(-30), 41));
    d.changes.append(seedChange(
        id++, u"become-operational"_s, u"Initialize device"_s, {}, base.addDays(-30).addSecs(45), 60));
    if (index % 3 == 0)
        d.changes.append(seedChange(id++, u"auto-refresh"_s, u"Auto-refresh snap \"core22\""_s,
            { u"core22"_s }, base.addDays(-3).addSecs(-3600 * (index % 7)), 95));
    d.changes.append(seedChange(id++, u"auto-refresh"_s, u"Auto-refresh snap \"mosquitto\""_s,
        { u"mosquitto"_s }, base.addDays(-1).addSecs(-600 * (index % 5)), 23));
    if (index % 4 == 1)
        d.changes.append(seedChange(id++, u"hold-refresh"_s, u"Hold general refreshes for \"node-red\""_s,
            { u"node-red"_s }, base.addSecs(-1800), 0));
    d.nextChangeId = id;
}

QJsonArray toArray(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QStringList fromArray(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &v : value.toArray())
        out.append(v.toString());
    return out;
}

QString timeToJson(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QDateTime timeFromJson(const QJsonValue &v)
{
    const QString s = v.toString();
    if (s.isEmpty())
        return {};
    QDateTime t = QDateTime::fromString(s, Qt::ISODateWithMs);
    return t.isValid() ? t.toUTC() : QDateTime();
}

} // namespace

SimDevice SimDevice::seeded(int index, Dialect dialect, const QDateTime &now)
{
    const QDateTime anchor = (now.isValid() ? now : QDateTime::currentDateTimeUtc()).toUTC();
    SimDevice d;
    d.dialect = dialect;
    d.index = index;
    d.hostname = u"dev%1"_s.arg(index, 4, 10, QLatin1Char('0'));
    d.architecture = u"amd64"_s;
    // Every tenth device cannot reach the store, as on an air-gapped site.
    d.storeReachable = index % 10 != 7;
    switch (dialect) {
    case Dialect::Snappy:
        seedSnappy(d, index);
        break;
    case Dialect::Snap:
        seedSnap(d, index, anchor);
        break;
    case Dialect::None:
        d.osId = u"debian"_s;
        d.osVersion = u"12"_s;
        d.onClassic = true;
        d.kernel = u"6.1.0-18-amd64"_s;
        break;
    }
    return d;
}

QJsonObject SimDevice::toJson() const
{
    QJsonArray snapArray;
    for (const SimSnap &s : snaps) {
        QJsonObject o { { u"name"_s, s.name }, { u"version"_s, s.version }, { u"revision"_s, s.revision },
            { u"tracking"_s, s.tracking }, { u"publisher"_s, s.publisher },
            { u"publisherDisplay"_s, s.publisherDisplay }, { u"verified"_s, s.verified },
            { u"notes"_s, toArray(s.notes) }, { u"active"_s, s.active }, { u"type"_s, s.type },
            { u"summary"_s, s.summary }, { u"size"_s, double(s.size) } };
        if (!s.fingerprint.isEmpty())
            o.insert(u"fingerprint"_s, s.fingerprint);
        snapArray.append(o);
    }
    QJsonObject updateObject;
    for (auto it = updates.cbegin(); it != updates.cend(); ++it) {
        QJsonObject o { { u"version"_s, it->version }, { u"revision"_s, it->revision },
            { u"size"_s, double(it->size) } };
        if (!it->fingerprint.isEmpty())
            o.insert(u"fingerprint"_s, it->fingerprint);
        updateObject.insert(it.key(), o);
    }
    QJsonArray changeArray;
    for (const SimChange &c : changes) {
        changeArray.append(QJsonObject { { u"id"_s, c.id }, { u"status"_s, c.status }, { u"kind"_s, c.kind },
            { u"summary"_s, c.summary }, { u"snaps"_s, toArray(c.snaps) },
            { u"spawn"_s, timeToJson(c.spawn) }, { u"ready"_s, timeToJson(c.ready) } });
    }
    QJsonObject boot;
    for (auto it = pendingBoot.cbegin(); it != pendingBoot.cend(); ++it)
        boot.insert(it.key(), it.value());

    return QJsonObject { { u"format"_s, 1 }, { u"dialect"_s, dialectName(dialect) }, { u"index"_s, index },
        { u"hostname"_s, hostname },
        { u"os"_s, QJsonObject { { u"id"_s, osId }, { u"version"_s, osVersion } } },
        { u"onClassic"_s, onClassic }, { u"series"_s, series }, { u"snapdVersion"_s, snapdVersion },
        { u"kernel"_s, kernel }, { u"architecture"_s, architecture }, { u"release"_s, release },
        { u"snaps"_s, snapArray }, { u"updates"_s, updateObject }, { u"storeReachable"_s, storeReachable },
        { u"held"_s, toArray(held) }, { u"changes"_s, changeArray }, { u"nextChangeId"_s, nextChangeId },
        { u"changeDurationMs"_s, changeDurationMs }, { u"pendingBoot"_s, boot },
        { u"downUntil"_s, timeToJson(downUntil) }, { u"hostile"_s, hostile } };
}

std::optional<SimDevice> SimDevice::fromJson(const QJsonObject &json, QString *error)
{
    auto fail = [error](const QString &why) -> std::optional<SimDevice> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (json.value(u"format"_s).toInt() != 1)
        return fail(u"unsupported state format"_s);
    const auto dialect = dialectFromName(json.value(u"dialect"_s).toString());
    if (!dialect)
        return fail(u"unknown dialect \"%1\""_s.arg(json.value(u"dialect"_s).toString()));

    SimDevice d;
    d.dialect = *dialect;
    d.index = json.value(u"index"_s).toInt();
    d.hostname = json.value(u"hostname"_s).toString();
    const QJsonObject os = json.value(u"os"_s).toObject();
    d.osId = os.value(u"id"_s).toString();
    d.osVersion = os.value(u"version"_s).toString();
    d.onClassic = json.value(u"onClassic"_s).toBool();
    d.series = json.value(u"series"_s).toString(u"16"_s);
    d.snapdVersion = json.value(u"snapdVersion"_s).toString();
    d.kernel = json.value(u"kernel"_s).toString();
    d.architecture = json.value(u"architecture"_s).toString();
    d.release = json.value(u"release"_s).toString();
    for (const QJsonValue &v : json.value(u"snaps"_s).toArray()) {
        const QJsonObject o = v.toObject();
        SimSnap s;
        s.name = o.value(u"name"_s).toString();
        if (s.name.isEmpty())
            return fail(u"a snap without a name"_s);
        s.version = o.value(u"version"_s).toString();
        s.revision = o.value(u"revision"_s).toString();
        s.tracking = o.value(u"tracking"_s).toString();
        s.publisher = o.value(u"publisher"_s).toString();
        s.publisherDisplay = o.value(u"publisherDisplay"_s).toString();
        s.verified = o.value(u"verified"_s).toBool();
        s.notes = fromArray(o.value(u"notes"_s));
        s.active = o.value(u"active"_s).toBool(true);
        s.type = o.value(u"type"_s).toString();
        s.summary = o.value(u"summary"_s).toString();
        s.fingerprint = o.value(u"fingerprint"_s).toString();
        s.size = qint64(o.value(u"size"_s).toDouble());
        d.snaps.append(s);
    }
    const QJsonObject updateObject = json.value(u"updates"_s).toObject();
    for (auto it = updateObject.constBegin(); it != updateObject.constEnd(); ++it) {
        const QJsonObject o = it.value().toObject();
        d.updates.insert(it.key(),
            SimUpdate { o.value(u"version"_s).toString(), o.value(u"revision"_s).toString(),
                qint64(o.value(u"size"_s).toDouble()), o.value(u"fingerprint"_s).toString() });
    }
    d.storeReachable = json.value(u"storeReachable"_s).toBool(true);
    d.held = fromArray(json.value(u"held"_s));
    for (const QJsonValue &v : json.value(u"changes"_s).toArray()) {
        const QJsonObject o = v.toObject();
        d.changes.append(SimChange { o.value(u"id"_s).toInt(), o.value(u"status"_s).toString(),
            o.value(u"kind"_s).toString(), o.value(u"summary"_s).toString(), fromArray(o.value(u"snaps"_s)),
            timeFromJson(o.value(u"spawn"_s)), timeFromJson(o.value(u"ready"_s)) });
    }
    d.nextChangeId = json.value(u"nextChangeId"_s).toInt(1);
    d.changeDurationMs = json.value(u"changeDurationMs"_s).toInt(3000);
    const QJsonObject boot = json.value(u"pendingBoot"_s).toObject();
    for (auto it = boot.constBegin(); it != boot.constEnd(); ++it)
        d.pendingBoot.insert(it.key(), it.value().toString());
    d.downUntil = timeFromJson(json.value(u"downUntil"_s));
    d.hostile = json.value(u"hostile"_s).toBool();
    return d;
}

bool SimDevice::hasCommand(const QString &program) const
{
    if (program == u"snap")
        return dialect == Dialect::Snap;
    if (program == u"snappy")
        return dialect == Dialect::Snappy;
    return false;
}

void SimDevice::reboot(const QDateTime &now, int downMs)
{
    for (auto it = pendingBoot.cbegin(); it != pendingBoot.cend(); ++it) {
        for (SimSnap &s : snaps) {
            if (s.name == it.key())
                s.active = s.version == it.value();
        }
    }
    pendingBoot.clear();
    downUntil = now.addMSecs(downMs);
    dirty = true;
}

bool SimDevice::isDown(const QDateTime &now) const
{
    return downUntil.isValid() && now < downUntil;
}

} // namespace canyon::sim
