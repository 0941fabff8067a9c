// SPDX-License-Identifier: GPL-3.0-or-later
#include "DeviceProbe.h"

#include "SnapCliParser.h"
#include "SnapdJson.h"
#include "SnappyParser.h"
#include "ssh/SshSession.h"

#include <QScopeGuard>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

constexpr int kCommandNotFound = 127;

QString firstLine(const QByteArray &text)
{
    const QString s = QString::fromUtf8(text).trimmed();
    const qsizetype nl = s.indexOf(u'\n');
    return (nl < 0 ? s : s.left(nl)).left(300);
}

void fail(DeviceInventory *out, DeviceStatus status, const QString &error)
{
    out->status = status;
    out->error = error;
}

bool probeSnapd(SshSession &session, QDeadlineTimer deadline, const std::atomic_bool *cancel, bool forced,
    DeviceInventory *out, KnownSystem *known, bool askStore)
{
    static const QByteArray socket = "/run/snapd.socket";
    QString error;
    const auto get = [&](const QByteArray &path) {
        return session.httpOverUnixSocket(socket, "GET", path, {}, deadline, cancel);
    };
    // A Stop ends the read here, whatever the dialect: no detection goes on after it.
    const auto cancelled = [&](const HttpExchange &x) {
        if (x.completed || !cancel || !cancel->load())
            return false;
        fail(out, DeviceStatus::Error, u"cancelled"_s);
        return true;
    };
    // Warm and known: start with the snaps; system-info only if the system may have changed.
    const bool warm = forced && known && known->valid;
    if (!warm) {
        const HttpExchange info = get("/v2/system-info");
        if (cancelled(info))
            return true;
        if (!info.completed) {
            if (forced)
                fail(out,
                    info.channelRefused || session.isConnected() ? DeviceStatus::Error
                                                                 : DeviceStatus::Unreachable,
                    u"snapd REST: "_s + info.error);
            return false;
        }
        DeviceSystem system;
        if (!parseSnapdSystemInfo(info.body, &system, &error)) {
            if (forced)
                fail(out, DeviceStatus::Error, u"snapd /v2/system-info: "_s + error);
            return false;
        }
        out->system = system;
    }
    // From here on the device speaks snapd REST: failures are errors of that dialect.
    out->dialect = Dialect::SnapdRest;
    const HttpExchange snaps = get("/v2/snaps?select=all");
    if (cancelled(snaps))
        return true;
    if (!snaps.completed) {
        fail(out, session.isConnected() ? DeviceStatus::Error : DeviceStatus::Unreachable,
            u"snapd /v2/snaps: "_s + snaps.error);
        return true;
    }
    SnapList list;
    if (!parseSnapdSnaps(snaps.body, &list, &error)) {
        fail(out, DeviceStatus::Error, u"snapd /v2/snaps: "_s + error);
        return true;
    }
    if (warm) {
        if (known->key == systemKeyOf(list)) {
            out->system = known->system;
        } else {
            const HttpExchange info = get("/v2/system-info");
            if (cancelled(info))
                return true;
            if (!info.completed || !parseSnapdSystemInfo(info.body, &out->system, &error)) {
                fail(out, session.isConnected() ? DeviceStatus::Error : DeviceStatus::Unreachable,
                    u"snapd /v2/system-info: "_s + (info.completed ? error : info.error));
                return true;
            }
        }
    }
    if (askStore) {
        const HttpExchange find = get("/v2/find?select=refresh");
        if (cancelled(find))
            return true;
        RefreshCheck check;
        if (find.completed)
            check = parseSnapdFindRefresh(find.body);
        else
            check.error = find.error;
        out->system.refreshError = check.determined ? QString() : check.error;
        applyRefreshCheck(&list, check);
    }
    out->snaps = list;
    out->status = DeviceStatus::Ok;
    out->error.clear();
    return true;
}

QList<QByteArray> snapCliCommands(bool warm, bool askStore)
{
    QList<QByteArray> commands = { "snap list --all" };
    if (askStore)
        commands << "snap refresh --list 2>&1";
    if (!warm)
        commands.prepend("snap version");
    return commands;
}

const QList<QByteArray> &snappyCommands()
{
    static const QList<QByteArray> commands = { "snappy info", "snappy versions -a" };
    return commands;
}

// The sections of a `snap` script (snapCliCommands) that ran to its end: fills out. warm: the
// script had no `snap version` (known->system is used while the deciding snaps are unchanged).
void takeSnapCli(SshSession &session, QDeadlineTimer deadline, const std::atomic_bool *cancel,
    const ExecResult &r, const QList<ScriptSection> &sections, bool warm, KnownSystem *known, bool askStore,
    DeviceInventory *out);
void takeSnappy(const ExecResult &r, const QList<ScriptSection> &sections, DeviceInventory *out);

// Returns false when `snap` is not installed (exit 127), so that snappy is tried next.
bool probeSnapCli(SshSession &session, QDeadlineTimer deadline, const std::atomic_bool *cancel,
    DeviceInventory *out, KnownSystem *known, bool askStore)
{
    // Warm and known: one round trip without `snap version`, unless the system may have changed.
    const bool warm = known && known->valid;
    const QList<QByteArray> commands = snapCliCommands(warm, askStore);
    const QByteArray nonce = makeNonce();
    QList<QByteArray> inCLocale;
    for (const QByteArray &c : commands)
        inCLocale << "LC_ALL=C.UTF-8 " + c; // per command: the kept shell (execRead) keeps no export
    const ExecResult r = session.execRead(buildSectionScript(inCLocale, nonce), deadline, cancel);
    if (!r.completed) {
        fail(out, r.failure, r.error);
        return true;
    }
    QList<ScriptSection> sections;
    const bool whole = splitSections(r.out, nonce, int(commands.size()), &sections);
    if (!sections.isEmpty() && sections.at(0).exitCode == kCommandNotFound)
        return false;
    if (!whole) {
        fail(out, DeviceStatus::Error, u"the output of `snap` was cut short or garbled"_s);
        return true;
    }
    takeSnapCli(session, deadline, cancel, r, sections, warm, known, askStore, out);
    return true;
}

void takeSnapCli(SshSession &session, QDeadlineTimer deadline, const std::atomic_bool *cancel,
    const ExecResult &r, const QList<ScriptSection> &sections, bool warm, KnownSystem *known, bool askStore,
    DeviceInventory *out)
{
    out->dialect = Dialect::SnapCli;
    QString error;
    const qsizetype first = warm ? 0 : 1;
    if (!warm
        && (sections.at(0).exitCode != 0 || !parseSnapVersion(sections.at(0).output, &out->system, &error))) {
        fail(out, DeviceStatus::Error,
            u"snap version failed: "_s
                + (error.isEmpty() ? firstLine(sections.at(0).output + r.err) : error));
        return;
    }
    const ScriptSection &listSection = sections.at(first);
    SnapList list;
    if (listSection.exitCode != 0) {
        fail(out, DeviceStatus::Error,
            u"snap list failed (exit %1): %2"_s.arg(listSection.exitCode)
                .arg(firstLine(r.err.isEmpty() ? listSection.output : r.err)));
        return;
    }
    if (!parseSnapList(listSection.output, &list, &error)) {
        fail(out, DeviceStatus::Error, error); // parser errors name their command
        return;
    }
    if (warm) {
        if (known->key == systemKeyOf(list)) {
            out->system = known->system;
        } else {
            const ExecResult v = session.execRead("LC_ALL=C.UTF-8 snap version", deadline, cancel);
            if (!v.completed || v.exitCode != 0 || !parseSnapVersion(v.out, &out->system, &error)) {
                fail(out, v.completed ? DeviceStatus::Error : v.failure,
                    u"snap version failed: "_s
                        + (v.completed ? (error.isEmpty() ? firstLine(v.out + v.err) : error) : v.error));
                return;
            }
        }
    }
    if (askStore) {
        const ScriptSection &refreshSection = sections.at(first + 1);
        const RefreshCheck check = parseSnapRefreshList(refreshSection.output, refreshSection.exitCode);
        out->system.refreshError = check.determined ? QString() : check.error;
        applyRefreshCheck(&list, check);
    }
    out->snaps = list;
    out->status = DeviceStatus::Ok;
    out->error.clear();
}

bool probeSnappy(
    SshSession &session, QDeadlineTimer deadline, const std::atomic_bool *cancel, DeviceInventory *out)
{
    const QByteArray nonce = makeNonce();
    const QByteArray script = buildSectionScript(snappyCommands(), nonce);
    const ExecResult r = session.execRead(script, deadline, cancel);
    if (!r.completed) {
        fail(out, r.failure, r.error);
        return true;
    }
    QList<ScriptSection> sections;
    const bool whole = splitSections(r.out, nonce, 2, &sections);
    if (!sections.isEmpty() && sections.at(0).exitCode == kCommandNotFound)
        return false;
    if (!whole) {
        fail(out, DeviceStatus::Error, u"the output of `snappy` was cut short or garbled"_s);
        return true;
    }
    takeSnappy(r, sections, out);
    return true;
}

void takeSnappy(const ExecResult &r, const QList<ScriptSection> &sections, DeviceInventory *out)
{
    out->dialect = Dialect::Snappy;
    QString error;
    if (sections.at(0).exitCode != 0 || !parseSnappyInfo(sections.at(0).output, &out->system, &error)) {
        fail(out, DeviceStatus::Error,
            u"snappy info failed: "_s + (error.isEmpty() ? firstLine(sections.at(0).output + r.err) : error));
        return;
    }
    SnapList list;
    if (sections.at(1).exitCode != 0 || !parseSnappyVersions(sections.at(1).output, &list, &error)) {
        fail(out, DeviceStatus::Error,
            error.isEmpty() ? u"snappy versions failed: "_s + firstLine(sections.at(1).output + r.err)
                            : error);
        return;
    }
    out->snaps = list;
    out->status = DeviceStatus::Ok;
    out->error.clear();
}

// Detection without a dialect: `snap`, else `snappy`, in ONE round trip. The shell picks the
// commands (`command -v snap`), so a snappy-only device costs no second exec; each command is
// the one probeSnapCli / probeSnappy would run, in the same environment (LC_ALL=C.UTF-8 for
// `snap` only). NoneInstalled when neither is; SnapNotRunnable when `snap` is there but exits
// 127 (the caller then tries snappy on its own, as before).
enum class CliDetect { Done, NoneInstalled, SnapNotRunnable };
CliDetect probeCliDetect(SshSession &session, QDeadlineTimer deadline, const std::atomic_bool *cancel,
    DeviceInventory *out, bool askStore)
{
    static const QByteArray hasSnap = "command -v snap >/dev/null 2>&1";
    const QList<QByteArray> snapCommands = snapCliCommands(false, askStore);
    QList<QByteArray> commands = { hasSnap };
    for (const QByteArray &c : snapCommands)
        commands << hasSnap + " && LC_ALL=C.UTF-8 " + c;
    for (const QByteArray &c : snappyCommands())
        commands << hasSnap + " || " + c;
    const QByteArray nonce = makeNonce();
    const ExecResult r = session.execRead(buildSectionScript(commands, nonce), deadline, cancel);
    if (!r.completed) {
        fail(out, r.failure, r.error);
        return CliDetect::Done;
    }
    QList<ScriptSection> all;
    const bool whole = splitSections(r.out, nonce, int(commands.size()), &all);
    const bool snap = !all.isEmpty() && all.at(0).exitCode == 0;
    const qsizetype first = snap ? 1 : 1 + snapCommands.size();
    const QList<ScriptSection> sections = all.mid(first);
    if (!sections.isEmpty() && sections.at(0).exitCode == kCommandNotFound)
        return snap ? CliDetect::SnapNotRunnable : CliDetect::NoneInstalled;
    if (!whole) {
        fail(out, DeviceStatus::Error,
            snap || all.isEmpty() ? u"the output of `snap` was cut short or garbled"_s
                                  : u"the output of `snappy` was cut short or garbled"_s);
        return CliDetect::Done;
    }
    if (snap)
        takeSnapCli(session, deadline, cancel, r, sections, false, nullptr, askStore, out);
    else
        takeSnappy(r, sections, out);
    return CliDetect::Done;
}

} // namespace

QString systemKeyOf(const SnapList &snaps)
{
    QStringList parts;
    for (const Snap &s : snaps) {
        if (!s.active)
            continue;
        const bool decides = s.name == u"snapd" || s.name == u"core" || s.notes.contains(u"snapd"_s)
            || s.notes.contains(u"core"_s) || s.notes.contains(u"kernel"_s) || s.type == u"os"
            || s.type == u"kernel" || s.type == u"snapd";
        if (decides)
            parts << s.name + u'@' + s.revision.value_or(s.version);
    }
    parts.sort();
    return parts.join(u',');
}

QByteArray buildSectionScript(const QList<QByteArray> &commands, const QByteArray &nonce)
{
    QByteArray s;
    for (const QByteArray &c : commands) {
        if (!s.isEmpty())
            s += "; ";
        s += c + "; echo \"@@canyon-" + nonce + " $?\"";
    }
    return s;
}

bool splitSections(
    const QByteArray &text, const QByteArray &nonce, int expected, QList<ScriptSection> *sections)
{
    sections->clear();
    const QByteArray marker = "@@canyon-" + nonce + ' ';
    qsizetype pos = 0;
    while (sections->size() < expected) {
        qsizetype m = text.indexOf(marker, pos);
        // the marker must start a line
        while (m > 0 && text.at(m - 1) != '\n')
            m = text.indexOf(marker, m + 1);
        if (m < 0)
            return false;
        const qsizetype eol = text.indexOf('\n', m);
        if (eol < 0)
            return false;
        bool ok = false;
        const int code = text.mid(m + marker.size(), eol - m - marker.size()).trimmed().toInt(&ok);
        if (!ok)
            return false;
        sections->append({ text.mid(pos, m - pos), code });
        pos = eol + 1;
    }
    return true;
}

void probeInventory(SshSession &session, Dialect forced, Dialect knownDialect, QDeadlineTimer deadline,
    const std::atomic_bool *cancel, DeviceInventory *out, KnownSystem *known, bool askStore)
{
    // Known system facts only hold for the dialect they were read in.
    KnownSystem *warm = known && known->valid && forced == Dialect::Unknown ? known : nullptr;
    auto remember = qScopeGuard([&] {
        if (!known)
            return;
        known->valid = out->status == DeviceStatus::Ok
            && (out->dialect == Dialect::SnapCli || out->dialect == Dialect::SnapdRest);
        if (known->valid) {
            known->key = systemKeyOf(out->snaps);
            known->system = out->system;
            known->system.refreshError.clear();
        }
    });
    out->reachable = true;
    const Dialect d = forced != Dialect::Unknown ? forced : knownDialect;
    switch (d) {
    case Dialect::SnapdRest:
        if (!probeSnapd(session, deadline, cancel, true, out, warm, askStore) && forced == Dialect::Unknown)
            break; // the socket went away: detect again below
        return;
    case Dialect::SnapCli:
        if (!probeSnapCli(session, deadline, cancel, out, warm, askStore)) {
            if (forced != Dialect::Unknown) {
                fail(out, DeviceStatus::Unsupported, u"`snap` is not installed on this device"_s);
                return;
            }
            break;
        }
        return;
    case Dialect::Snappy:
        if (!probeSnappy(session, deadline, cancel, out)) {
            if (forced != Dialect::Unknown) {
                fail(out, DeviceStatus::Unsupported, u"`snappy` is not installed on this device"_s);
                return;
            }
            break;
        }
        return;
    case Dialect::Unknown:
        break;
    }
    if (!session.isConnected()) {
        fail(out, DeviceStatus::Unreachable, u"the connection was lost"_s);
        return;
    }
    if (probeSnapd(session, deadline, cancel, false, out, nullptr, askStore))
        return;
    if (!session.isConnected()) {
        fail(out, DeviceStatus::Unreachable, u"the connection was lost"_s);
        return;
    }
    switch (probeCliDetect(session, deadline, cancel, out, askStore)) {
    case CliDetect::Done:
        return;
    case CliDetect::SnapNotRunnable:
        if (probeSnappy(session, deadline, cancel, out))
            return;
        break;
    case CliDetect::NoneInstalled:
        break;
    }
    fail(out, DeviceStatus::Unsupported, u"neither `snap` nor `snappy` is installed on this device"_s);
}

void carryUpdates(const DeviceInventory &before, DeviceInventory *now)
{
    const bool snappy = now->dialect == Dialect::Snappy;
    now->system.refreshError = before.system.refreshError;
    for (Snap &snap : now->snaps) {
        for (const Snap &was : before.snaps) {
            if (was.name != snap.name || was.active != snap.active)
                continue;
            snap.updateKnowledge = was.updateKnowledge;
            snap.update = was.update;
            const bool reached = snappy ? snap.version == was.update.version
                                        : was.update.revision && snap.revision == was.update.revision;
            if (was.updateKnowledge == UpdateKnowledge::Available && reached) {
                snap.updateKnowledge = UpdateKnowledge::None;
                snap.update = {};
            }
            break;
        }
    }
}

} // namespace canyon
