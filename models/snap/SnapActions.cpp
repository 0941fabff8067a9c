// SPDX-License-Identifier: GPL-3.0-or-later
#include "SnapActions.h"

#include "SnapdJson.h"
#include "TextTable.h"
#include "domain/PlainText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

QByteArray jsonBody(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

bool isReadyTaskStatus(const QString &s)
{
    return s == u"Done" || s == u"Undone" || s == u"Error" || s == u"Hold";
}

QDateTime parseTime(const QJsonValue &v)
{
    return QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
}

ChangeInfo changeFromJson(const QJsonObject &o)
{
    ChangeInfo c;
    c.id = o.value(u"id"_s).toString();
    c.kind = o.value(u"kind"_s).toString();
    c.summary = o.value(u"summary"_s).toString();
    c.status = o.value(u"status"_s).toString();
    c.ready = o.value(u"ready"_s).toBool();
    c.err = o.value(u"err"_s).toString();
    c.spawnTime = parseTime(o.value(u"spawn-time"_s));
    c.readyTime = parseTime(o.value(u"ready-time"_s));
    for (const QJsonValue &tv : o.value(u"tasks"_s).toArray()) {
        const QJsonObject t = tv.toObject();
        const QJsonObject p = t.value(u"progress"_s).toObject();
        c.tasks.append({ t.value(u"kind"_s).toString(), t.value(u"summary"_s).toString(),
            t.value(u"status"_s).toString(), p.value(u"done"_s).toInteger(),
            p.value(u"total"_s).toInteger() });
    }
    return c;
}

// The sync envelope's result, or false with the error envelope's reason.
bool syncResult(const QByteArray &body, QJsonValue *result, QString *error)
{
    if (body.size() > kMaxParserInputBytes) {
        *error = u"snapd answer too large"_s;
        return false;
    }
    SnapdError se;
    if (snapdErrorOf(body, &se)) {
        *error = se.message + (se.kind.isEmpty() ? QString() : u" ["_s + se.kind + u']');
        return false;
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = u"snapd answer is not a JSON object"_s;
        return false;
    }
    if (doc.object().value(u"type"_s).toString() != u"sync") {
        *error = u"snapd answer is not a sync response"_s;
        return false;
    }
    *result = doc.object().value(u"result"_s);
    return true;
}

} // namespace

QString snapActionName(SnapAction a)
{
    switch (a) {
    case SnapAction::Refresh:
        return u"refresh"_s;
    case SnapAction::Revert:
        return u"revert"_s;
    case SnapAction::Hold:
        return u"hold"_s;
    case SnapAction::Unhold:
        return u"unhold"_s;
    case SnapAction::Install:
        return u"install"_s;
    case SnapAction::Remove:
        return u"remove"_s;
    }
    return {};
}

bool isValidSnapName(const QString &name)
{
    // snapd's naming rule: lowercase letters, digits and dashes (snappy parts: the same set).
    static const QRegularExpression re(u"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$"_s);
    return re.match(name).hasMatch();
}

bool isValidChannel(const QString &channel)
{
    static const QRegularExpression re(u"^[A-Za-z0-9._/-]{1,128}$"_s);
    return re.match(channel).hasMatch();
}

bool isValidDevicePath(const QString &path)
{
    static const QRegularExpression re(u"^/[A-Za-z0-9._/+-]{1,512}$"_s);
    return re.match(path).hasMatch() && !path.contains(u".."_s);
}

QByteArray snapCliCommand(const ActionRequest &r)
{
    const QByteArray name = r.snap.toUtf8();
    switch (r.action) {
    case SnapAction::Refresh: {
        QByteArray c = "sudo -n snap refresh --no-wait";
        if (!r.channel.isEmpty())
            c += " --channel=" + r.channel.toUtf8();
        if (!name.isEmpty())
            c += ' ' + name;
        return c;
    }
    case SnapAction::Revert:
        return "sudo -n snap revert --no-wait " + name;
    case SnapAction::Hold:
        // snapd >= 2.58; synchronous (no change worth following), "forever" spelled out.
        return "sudo -n snap refresh --hold=forever " + name;
    case SnapAction::Unhold:
        return "sudo -n snap refresh --unhold " + name;
    case SnapAction::Install: {
        QByteArray c = "sudo -n snap install";
        if (!r.path.isEmpty())
            c += " --dangerous";
        c += " --no-wait";
        if (r.devmode)
            c += " --devmode";
        if (!r.channel.isEmpty() && r.path.isEmpty())
            c += " --channel=" + r.channel.toUtf8();
        return c + ' ' + (r.path.isEmpty() ? name : r.path.toUtf8());
    }
    case SnapAction::Remove:
        return "sudo -n snap remove --no-wait " + name;
    }
    return {};
}

QByteArray snapdActionPath(const ActionRequest &r)
{
    // A device-local file has no single-call REST form (snapd wants a multipart upload of it).
    if ((r.action == SnapAction::Install && !r.path.isEmpty()) || r.snap.isEmpty())
        return {};
    return "/v2/snaps/" + r.snap.toUtf8();
}

QByteArray snapdActionBody(const ActionRequest &r)
{
    if (snapdActionPath(r).isEmpty())
        return {};
    QJsonObject o { { u"action"_s, snapActionName(r.action) } };
    if ((r.action == SnapAction::Refresh || r.action == SnapAction::Install) && !r.channel.isEmpty())
        o.insert(u"channel"_s, r.channel);
    if (r.action == SnapAction::Install && r.devmode)
        o.insert(u"devmode"_s, true);
    // snapd (daemon/api_snaps.go) requires both for "hold" and refuses either for any other
    // action, "unhold" included.
    if (r.action == SnapAction::Hold) {
        o.insert(u"hold-level"_s, u"general"_s);
        o.insert(u"time"_s, u"forever"_s);
    }
    return jsonBody(o);
}

QByteArray snappyCommand(const ActionRequest &r)
{
    switch (r.action) {
    case SnapAction::Refresh:
        return r.snap.isEmpty() ? QByteArray("sudo -n snappy update")
                                : "sudo -n snappy update " + r.snap.toUtf8();
    case SnapAction::Revert:
        return "sudo -n snappy rollback " + r.snap.toUtf8();
    case SnapAction::Install:
        if (!r.path.isEmpty())
            return {}; // local files need --allow-unauthenticated and differ between releases
        return "sudo -n snappy install " + r.snap.toUtf8();
    case SnapAction::Remove:
        return "sudo -n snappy remove " + r.snap.toUtf8();
    case SnapAction::Hold:
    case SnapAction::Unhold:
        return {}; // snappy has no refresh holds
    }
    return {};
}

QString changeIdFromCliOutput(const QByteArray &out)
{
    static const QRegularExpression re(u"^\\s*([0-9]+)\\s*$"_s);
    const QStringList lines = decodeRemote(out).split(u'\n');
    for (auto it = lines.crbegin(); it != lines.crend(); ++it) {
        const auto m = re.match(*it);
        if (m.hasMatch())
            return m.captured(1);
    }
    return {};
}

QString sudoRefusal(const QByteArray &err, const QString &device)
{
    const QString e = decodeRemote(err);
    if (e.contains(u"sudo: a password is required"_s) || e.contains(u"sudo: a terminal is required"_s))
        return u"sudo needs a password on %1 (passwordless sudo is required for writes)"_s.arg(device);
    if (e.contains(u"is not in the sudoers file"_s) || e.contains(u"is not allowed to run sudo"_s))
        return u"sudo refused on %1: %2"_s.arg(device, remoteSnippet(e));
    if (e.contains(u"sudo: not found"_s) || e.contains(u"sudo: command not found"_s))
        return u"sudo is not installed on %1"_s.arg(device);
    return {};
}

qint64 ChangeInfo::progressDone() const
{
    qint64 s = 0;
    for (const ChangeTask &t : tasks)
        s += t.done;
    return s;
}

qint64 ChangeInfo::progressTotal() const
{
    qint64 s = 0;
    for (const ChangeTask &t : tasks)
        s += t.total;
    return s;
}

ChangeOutcome changeOutcome(const ChangeInfo &c)
{
    if (!c.ready)
        return ChangeOutcome::Running;
    if (c.status == u"Done")
        return ChangeOutcome::Done;
    for (const ChangeTask &t : c.tasks)
        if (t.status == u"Undone")
            return ChangeOutcome::Undone;
    return c.status == u"Undone" ? ChangeOutcome::Undone : ChangeOutcome::Failed;
}

QString changeError(const ChangeInfo &c)
{
    if (!c.err.isEmpty())
        return boundedRemote(c.err, 1000);
    QStringList failed;
    for (const ChangeTask &t : c.tasks)
        if (t.status == u"Error")
            failed << t.summary;
    if (!failed.isEmpty())
        return boundedRemote(u"task failed: "_s + failed.join(u"; "_s), 1000);
    return c.status.isEmpty() ? u"change failed"_s : u"change ended in %1"_s.arg(c.status);
}

bool parseSnapdChange(const QByteArray &body, ChangeInfo *change, QString *error)
{
    QJsonValue result;
    if (!syncResult(body, &result, error))
        return false;
    if (!result.isObject() || !result.toObject().value(u"id"_s).isString()) {
        *error = u"snapd change: no change object"_s;
        return false;
    }
    *change = changeFromJson(result.toObject());
    return true;
}

bool parseSnapdChanges(const QByteArray &body, QList<ChangeInfo> *changes, QString *error)
{
    QJsonValue result;
    if (!syncResult(body, &result, error))
        return false;
    if (!result.isArray()) {
        *error = u"snapd changes: result is not a list"_s;
        return false;
    }
    QList<ChangeInfo> out;
    for (const QJsonValue &v : result.toArray()) {
        if (!v.isObject() || !v.toObject().value(u"id"_s).isString()) {
            *error = u"snapd changes: an entry without id"_s;
            return false;
        }
        out.append(changeFromJson(v.toObject()));
    }
    *changes = out;
    return true;
}

bool parseSnapdAsync(const QByteArray &body, QString *changeId, QString *error, QString *kind)
{
    SnapdError se;
    if (snapdErrorOf(body, &se)) {
        *error = se.message + (se.kind.isEmpty() ? QString() : u" ["_s + se.kind + u']');
        if (kind)
            *kind = se.kind;
        return false;
    }
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    const QString id = o.value(u"change"_s).toString();
    if (o.value(u"type"_s).toString() != u"async" || id.isEmpty()) {
        *error = u"snapd did not answer with a change"_s;
        return false;
    }
    *changeId = id;
    return true;
}

bool parseSnapChangesText(const QByteArray &output, QList<ChangeInfo> *changes, QString *error)
{
    const QString text = decodeRemote(output);
    if (text.trimmed().isEmpty() || text.contains(u"no changes found"_s)) {
        changes->clear();
        return true;
    }
    if (text.trimmed().startsWith(u"error:"_s)) {
        *error = remoteSnippet(text.trimmed().mid(6).trimmed(), 300);
        return false;
    }
    TextTable t;
    if (!parseColumnTable(text, &t, error, { u"ID"_s, u"Status"_s, u"Summary"_s }))
        return false;
    const int id = t.column(u"ID"_s), st = t.column(u"Status"_s), rd = t.column(u"Ready"_s),
              sum = t.column(u"Summary"_s);
    QList<ChangeInfo> out;
    static const QRegularExpression digits(u"^[0-9]+$"_s);
    for (const QStringList &row : std::as_const(t.rows)) {
        ChangeInfo c;
        c.id = TextTable::cell(row, id);
        if (!digits.match(c.id).hasMatch())
            continue; // hostile or garbled rows are not changes we could follow
        c.status = TextTable::cell(row, st);
        const QString ready = TextTable::cell(row, rd);
        c.ready = !ready.isEmpty() && ready != u"-";
        c.summary = TextTable::cell(row, sum);
        out.append(c);
    }
    *changes = out;
    return true;
}

bool parseSnapTasksText(const QByteArray &output, ChangeInfo *change, QString *error)
{
    const QString text = decodeRemote(output);
    if (text.trimmed().startsWith(u"error:"_s)) {
        *error = remoteSnippet(text.trimmed().mid(6).trimmed(), 300);
        return false;
    }
    TextTable t;
    if (!parseColumnTable(text, &t, error, { u"Status"_s, u"Summary"_s }))
        return false;
    if (t.rows.isEmpty()) {
        *error = u"snap tasks: no tasks listed"_s;
        return false;
    }
    const int st = t.column(u"Status"_s), sum = t.column(u"Summary"_s);
    ChangeInfo c = *change;
    c.tasks.clear();
    bool running = false, bad = false;
    for (const QStringList &row : std::as_const(t.rows)) {
        ChangeTask task;
        task.status = TextTable::cell(row, st);
        task.summary = TextTable::cell(row, sum);
        task.total = 1;
        task.done = isReadyTaskStatus(task.status) ? 1 : 0;
        running = running || !isReadyTaskStatus(task.status);
        bad = bad || task.status == u"Error" || task.status == u"Undone";
        c.tasks.append(task);
    }
    c.ready = !running;
    c.status = running ? u"Doing"_s : (bad ? u"Error"_s : u"Done"_s);
    *change = c;
    return true;
}

} // namespace canyon
