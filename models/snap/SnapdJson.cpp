// SPDX-License-Identifier: GPL-3.0-or-later
#include "SnapdJson.h"

#include "TextTable.h"
#include "domain/PlainText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

bool fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return false;
}

enum class Envelope { Malformed, Error, Sync };

// Reads the envelope. Sync: *result set. Error: *serr set. Malformed: *why set.
Envelope readEnvelope(const QByteArray &body, QJsonValue *result, SnapdError *serr, QString *why)
{
    if (body.size() > kMaxParserInputBytes) {
        *why = QStringLiteral("snapd response too large (%1 bytes)").arg(body.size());
        return Envelope::Malformed;
    }
    QJsonParseError pe;
    // QJsonDocument stops at its own nesting limit (1024) with an error: depth bombs end here.
    QJsonDocument doc = QJsonDocument::fromJson(body, &pe);
    if (pe.error == QJsonParseError::IllegalUTF8String) // like all remote text: U+FFFD, not a failure
        doc = QJsonDocument::fromJson(decodeRemote(body).toUtf8(), &pe);
    if (pe.error != QJsonParseError::NoError) {
        *why = QStringLiteral("malformed snapd JSON: %1 at offset %2").arg(pe.errorString()).arg(pe.offset);
        return Envelope::Malformed;
    }
    if (!doc.isObject()) {
        *why = u"malformed snapd response: not a JSON object"_s;
        return Envelope::Malformed;
    }
    const QJsonObject o = doc.object();
    const QJsonValue type = o.value(u"type"_s);
    if (!type.isString()) {
        *why = u"malformed snapd response: no \"type\" string"_s;
        return Envelope::Malformed;
    }
    int status = 0;
    const QJsonValue sc = o.value(u"status-code"_s);
    if (!sc.isUndefined() && !sc.isNull()) {
        if (!sc.isDouble()) {
            *why = u"malformed snapd response: \"status-code\" is not a number"_s;
            return Envelope::Malformed;
        }
        status = sc.toInt(); // 0 for non-integral or out-of-range values
    }
    if (type.toString() == u"error" || status >= 400) {
        serr->statusCode = status;
        serr->kind.clear();
        serr->message.clear();
        const QJsonValue r = o.value(u"result"_s);
        if (r.isObject()) {
            const QJsonObject ro = r.toObject();
            if (ro.value(u"kind"_s).isString())
                serr->kind = boundedRemote(ro.value(u"kind"_s).toString(), 200);
            if (ro.value(u"message"_s).isString())
                serr->message = boundedRemote(ro.value(u"message"_s).toString());
        }
        if (serr->message.isEmpty() && o.value(u"status"_s).isString())
            serr->message = boundedRemote(o.value(u"status"_s).toString());
        if (serr->message.isEmpty())
            serr->message = status ? QStringLiteral("snapd error (HTTP %1)").arg(status) : u"snapd error"_s;
        return Envelope::Error;
    }
    if (type.toString() != u"sync") {
        *why
            = QStringLiteral("unexpected snapd response type \"%1\"").arg(remoteSnippet(type.toString(), 40));
        return Envelope::Malformed;
    }
    *result = o.value(u"result"_s);
    return Envelope::Sync;
}

QString describe(const SnapdError &e)
{
    return e.kind.isEmpty() ? e.message : e.message + u" ["_s + e.kind + u']';
}

// Typed field access: absent or null is the default; any other wrong type is an error that
// names the field (first one wins).
struct Fields
{
    QString context;
    QString error;

    void wrong(QLatin1StringView key, const char *expected)
    {
        if (error.isEmpty())
            error = QStringLiteral("%1: \"%2\" is not %3").arg(context, key, QLatin1StringView(expected));
    }
    QString string(const QJsonObject &o, QLatin1StringView key)
    {
        const QJsonValue v = o.value(key);
        if (v.isString())
            return v.toString();
        if (!v.isUndefined() && !v.isNull())
            wrong(key, "a string");
        return {};
    }
    bool boolean(const QJsonObject &o, QLatin1StringView key)
    {
        const QJsonValue v = o.value(key);
        if (v.isBool())
            return v.toBool();
        if (!v.isUndefined() && !v.isNull())
            wrong(key, "a boolean");
        return false;
    }
    QJsonObject object(const QJsonObject &o, QLatin1StringView key)
    {
        const QJsonValue v = o.value(key);
        if (v.isObject())
            return v.toObject();
        if (!v.isUndefined() && !v.isNull())
            wrong(key, "an object");
        return {};
    }
};

// snap list's note words, in snap's order (cmd/snap/notes.go), so both dialects agree.
QStringList notesOf(const QString &type, bool disabled, bool devmode, bool jailmode, bool classic,
    bool isPrivate, bool tryMode, bool broken, bool ignoreValidation, bool held)
{
    QStringList n;
    if (type == u"os")
        n << u"core"_s;
    else if (!type.isEmpty() && type != u"app")
        n << type;
    if (disabled)
        n << u"disabled"_s;
    if (devmode)
        n << u"devmode"_s;
    if (jailmode)
        n << u"jailmode"_s;
    if (classic)
        n << u"classic"_s;
    if (isPrivate)
        n << u"private"_s;
    if (tryMode)
        n << u"try"_s;
    if (broken)
        n << u"broken"_s;
    if (ignoreValidation)
        n << u"ignore-validation"_s;
    if (held)
        n << u"held"_s;
    return n;
}

bool readResultArray(
    const QByteArray &body, const QString &what, QJsonArray *items, QString *error, SnapdError *serr)
{
    QJsonValue result;
    QString why;
    switch (readEnvelope(body, &result, serr, &why)) {
    case Envelope::Malformed:
        return fail(error, what + u": "_s + why);
    case Envelope::Error:
        return fail(error, what + u": "_s + describe(*serr));
    case Envelope::Sync:
        break;
    }
    if (!result.isArray())
        return fail(error, what + u": \"result\" is not a list"_s);
    *items = result.toArray();
    if (items->size() > kMaxTableRows)
        return fail(error, QStringLiteral("%1: more than %2 entries").arg(what).arg(kMaxTableRows));
    return true;
}

} // namespace

bool snapdErrorOf(const QByteArray &body, SnapdError *err)
{
    QJsonValue result;
    QString why;
    SnapdError e;
    if (readEnvelope(body, &result, &e, &why) != Envelope::Error)
        return false;
    if (err)
        *err = e;
    return true;
}

bool parseSnapdSnaps(const QByteArray &body, SnapList *snaps, QString *error)
{
    QJsonArray items;
    SnapdError serr;
    if (!readResultArray(body, u"/v2/snaps"_s, &items, error, &serr))
        return false;
    SnapList result;
    result.reserve(items.size());
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonValue v = items.at(i);
        if (!v.isObject())
            return fail(error, QStringLiteral("/v2/snaps: entry %1 is not an object").arg(i + 1));
        const QJsonObject o = v.toObject();
        Fields f { QStringLiteral("/v2/snaps entry %1").arg(i + 1), {} };
        Snap s;
        s.name = f.string(o, "name"_L1);
        s.version = f.string(o, "version"_L1);
        const QString revision = f.string(o, "revision"_L1);
        const QString tracking = f.string(o, "tracking-channel"_L1);
        const QString channel = f.string(o, "channel"_L1);
        const QJsonObject publisher = f.object(o, "publisher"_L1);
        const QString username = f.string(publisher, "username"_L1);
        const QString developer = f.string(o, "developer"_L1);
        const QString status = f.string(o, "status"_L1);
        s.type = f.string(o, "type"_L1);
        s.summary = f.string(o, "summary"_L1);
        const QString confinement = f.string(o, "confinement"_L1);
        const bool devmode = f.boolean(o, "devmode"_L1);
        const bool jailmode = f.boolean(o, "jailmode"_L1);
        const bool tryMode = f.boolean(o, "trymode"_L1);
        const bool isPrivate = f.boolean(o, "private"_L1);
        const bool ignoreValidation = f.boolean(o, "ignore-validation"_L1);
        const QString broken = f.string(o, "broken"_L1);
        const QString hold = f.string(o, "hold"_L1); // snapd >= 2.58: held until this time
        if (!f.error.isEmpty())
            return fail(error, f.error);
        if (s.name.isEmpty() || revision.isEmpty())
            return fail(error, QStringLiteral("/v2/snaps: entry %1 has no name or revision").arg(i + 1));
        s.revision = revision;
        s.channel = tracking.isEmpty() ? channel : tracking;
        s.publisher = username.isEmpty() ? developer : username;
        // snap's rule: anything but "active" is shown as disabled ("installed" with select=all)
        s.active = status == u"active";
        s.notes = notesOf(s.type, !s.active, devmode, jailmode, !jailmode && confinement == u"classic",
            isPrivate, tryMode, !broken.isEmpty(), ignoreValidation, !hold.isEmpty());
        result.append(std::move(s));
    }
    *snaps = std::move(result);
    return true;
}

RefreshCheck parseSnapdFindRefresh(const QByteArray &body)
{
    RefreshCheck r;
    QJsonArray items;
    SnapdError serr;
    if (!readResultArray(body, u"/v2/find"_s, &items, &r.error, &serr)) {
        // snapd's own words ("cannot list updates: ...") are what the user needs
        if (serr.statusCode || !serr.message.isEmpty())
            r.error = describe(serr);
        return r;
    }
    QHash<QString, SnapUpdate> updates;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonValue v = items.at(i);
        if (!v.isObject()) {
            r.error = QStringLiteral("/v2/find: entry %1 is not an object").arg(i + 1);
            return r;
        }
        const QJsonObject o = v.toObject();
        Fields f { QStringLiteral("/v2/find entry %1").arg(i + 1), {} };
        const QString name = f.string(o, "name"_L1);
        const QString version = f.string(o, "version"_L1);
        const QString revision = f.string(o, "revision"_L1);
        if (!f.error.isEmpty()) {
            r.error = f.error;
            return r;
        }
        if (name.isEmpty() || revision.isEmpty()) {
            r.error = QStringLiteral("/v2/find: entry %1 has no name or revision").arg(i + 1);
            return r;
        }
        updates.insert(name, SnapUpdate { version, revision });
    }
    r.determined = true;
    r.updates = std::move(updates);
    return r;
}

bool parseSnapdSystemInfo(const QByteArray &body, DeviceSystem *system, QString *error)
{
    QJsonValue result;
    QString why;
    SnapdError serr;
    switch (readEnvelope(body, &result, &serr, &why)) {
    case Envelope::Malformed:
        return fail(error, u"/v2/system-info: "_s + why);
    case Envelope::Error:
        return fail(error, u"/v2/system-info: "_s + describe(serr));
    case Envelope::Sync:
        break;
    }
    if (!result.isObject())
        return fail(error, u"/v2/system-info: \"result\" is not an object"_s);
    const QJsonObject o = result.toObject();
    Fields f { u"/v2/system-info"_s, {} };
    DeviceSystem sys = *system;
    const QJsonObject osRelease = f.object(o, "os-release"_L1);
    sys.os = f.string(osRelease, "id"_L1);
    sys.release = f.string(osRelease, "version-id"_L1);
    sys.series = f.string(o, "series"_L1);
    sys.snapdVersion = f.string(o, "version"_L1);
    sys.kernel = f.string(o, "kernel-version"_L1);
    sys.architecture = f.string(o, "architecture"_L1);
    const QJsonObject refresh = f.object(o, "refresh"_L1);
    const QString last = f.string(refresh, "last"_L1);
    if (!f.error.isEmpty())
        return fail(error, f.error);
    if (sys.snapdVersion.isEmpty())
        return fail(error, u"/v2/system-info: no snapd \"version\""_s);
    // RFC 3339 with up to nanoseconds; an unreadable date is left unknown, not fatal
    sys.lastRefresh = last.isEmpty() ? QDateTime() : QDateTime::fromString(last, Qt::ISODateWithMs);
    *system = std::move(sys);
    return true;
}

} // namespace canyon
