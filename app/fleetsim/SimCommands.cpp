// SPDX-License-Identifier: GPL-3.0-or-later
// The `snap` (snapd 2.5x/2.6x) and `snappy` (Ubuntu Core 2014/15.04) command
// semantics. Texts follow snapd's cmd/snap sources and the shared samples; the
// tables go through formatTable(), which mirrors Go's tabwriter settings.
#include "SimDevice.h"
#include "SimTable.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace canyon::sim {

namespace {

QByteArray u8(const QString &s)
{
    return s.toUtf8();
}

const QString kStoreError
    = u"persistent network error: Post \"https://api.snapcraft.io/v2/snaps/refresh\": dial tcp: "
      u"lookup api.snapcraft.io: Temporary failure in name resolution"_s;
const QString kSnappyStoreError
    = u"Get https://search.apps.ubuntu.com/api/v1/search?q=: dial tcp: lookup search.apps.ubuntu.com: "
      u"no such host"_s;

RunResult fail(const QString &message, int code = 1)
{
    return RunResult { {}, u8(u"error: "_s + message + u'\n'), code, false };
}

RunResult ok(const QByteArray &out = {}, const QByteArray &err = {})
{
    return RunResult { out, err, 0, false };
}

// go-flags, as the snap command uses it: long options anywhere, --opt=value or
// --opt value, "--" ends options.
struct Flags
{
    QMap<QString, QString> values;
    QStringList positional;
    QString error;
    bool has(const QString &name) const { return values.contains(name); }
    QString value(const QString &name) const { return values.value(name); }
};

Flags parseFlags(const QStringList &args, const QStringList &boolFlags, const QStringList &valueFlags,
    const QStringList &optionalValueFlags = {})
{
    Flags f;
    bool optionsDone = false;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        if (optionsDone || !a.startsWith(u'-') || a == u"-") {
            f.positional.append(a);
            continue;
        }
        if (a == u"--") {
            optionsDone = true;
            continue;
        }
        const bool isLong = a.startsWith(u"--");
        QString name = a.mid(isLong ? 2 : 1);
        QString value;
        bool hasValue = false;
        if (const qsizetype eq = name.indexOf(u'='); eq >= 0) {
            value = name.mid(eq + 1);
            name = name.left(eq);
            hasValue = true;
        }
        if (boolFlags.contains(name)) {
            if (hasValue) {
                f.error = u"bool flag `--%1' cannot have an argument"_s.arg(name);
                return f;
            }
            f.values.insert(name, QString());
        } else if (valueFlags.contains(name)) {
            if (!hasValue) {
                if (i + 1 >= args.size()) {
                    f.error = u"expected argument for flag `--%1'"_s.arg(name);
                    return f;
                }
                value = args[++i];
            }
            f.values.insert(name, value);
        } else if (optionalValueFlags.contains(name)) {
            f.values.insert(name, hasValue ? value : u"forever"_s);
        } else {
            f.error = u"unknown flag `%1'"_s.arg(name);
            return f;
        }
    }
    return f;
}

// Numeric revisions compare as numbers; local ("x1") ones after them by text.
bool revisionLess(const QString &a, const QString &b)
{
    bool okA = false;
    bool okB = false;
    const qlonglong na = a.toLongLong(&okA);
    const qlonglong nb = b.toLongLong(&okB);
    if (okA && okB)
        return na < nb;
    if (okA != okB)
        return okA;
    return a < b;
}

QString quoted(const QStringList &names)
{
    QStringList q;
    for (const QString &n : names)
        q.append(u'"' + n + u'"');
    return q.join(u", "_s);
}

int versionCompare(const QString &a, const QString &b)
{
    const QStringList pa = a.split(u'.');
    const QStringList pb = b.split(u'.');
    for (qsizetype i = 0; i < std::max(pa.size(), pb.size()); ++i) {
        const int x = i < pa.size() ? pa[i].toInt() : 0;
        const int y = i < pb.size() ? pb[i].toInt() : 0;
        if (x != y)
            return x < y ? -1 : 1;
    }
    return 0;
}

// strutil.SizeToStr: SI units, integer division.
QString sizeToStr(qint64 size)
{
    static const char *const suffixes[] = { "B", "kB", "MB", "GB", "TB", "PB", "EB" };
    for (const char *suffix : suffixes) {
        if (size < 1000)
            return QString::number(size) + QLatin1String(suffix);
        size /= 1000;
    }
    return QString::number(size) + u"EB"_s;
}

// timeutil.Human, on a device whose clock is UTC.
QString humanTime(const QDateTime &then, const QDateTime &now)
{
    const QDateTime t = then.toUTC();
    const qint64 d = now.toUTC().date().daysTo(t.date());
    const QString hm = t.toString(u"HH:mm"_s) + u" UTC"_s;
    if (d < -1)
        return u"%1 days ago, at %2"_s.arg(-d).arg(hm);
    if (d == -1)
        return u"yesterday at "_s + hm;
    if (d == 0)
        return u"today at "_s + hm;
    if (d == 1)
        return u"tomorrow at "_s + hm;
    return u"in %1 days, at %2"_s.arg(d).arg(hm);
}

// Go's time.ParseDuration, for the units `snap refresh --hold` takes.
std::optional<qint64> parseDurationSeconds(const QString &text)
{
    static const QRegularExpression re(u"^(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?$"_s);
    const auto m = re.match(text);
    if (text.isEmpty() || !m.hasMatch())
        return std::nullopt;
    return m.captured(1).toLongLong() * 3600 + m.captured(2).toLongLong() * 60 + m.captured(3).toLongLong();
}

// Hostile rows: escapes, markup, huge and broken names, a cut-off row (unless !cutOff).
QList<TableRow> hostileRows(int cells, bool cutOff = true)
{
    QList<TableRow> rows;
    auto row = [cells](const QByteArray &name, const QByteArray &version, const QByteArray &publisher) {
        TableRow r { name, version, "7" };
        while (r.size() + 2 < cells)
            r.append("latest/stable");
        r.append(publisher);
        r.append("-");
        return r.mid(0, cells);
    };
    rows.append(row("\x1b[31mansi-red\x1b[0m", "1.0\x1b[2J", "evil\x1b]0;pwned\x07"));
    rows.append(row("<b>html</b><script>alert(1)</script>", "<i>2.0</i>", "<a href=\"x\">pub</a>"));
    rows.append(row(QByteArray(10000, 'a'), "1.0", "-"));
    rows.append(row("bad-\xff\xfe-utf8", "\xc3\x28", "-"));
    rows.append(row("\xe2\x80\xae"
                    "exe.gnp",
        "3.0", "rtl\xe2\x80\xae"));
    rows.append(row(QByteArray("nul\0name", 8), "1.0", "-"));
    if (cutOff)
        rows.append(TableRow { "truncated-ro", "1." });
    return rows;
}

// `--hostile-list-rows N`: N more rows whose names carry escapes, markup and bidi controls.
QList<TableRow> hostileBulkRows(int n)
{
    QList<TableRow> rows;
    rows.reserve(n);
    static const char *const kinds[]
        = { "\x1b]0;title\x07", "\x1b[31m", "<img src=x>", "\xe2\x80\xae", "<b>b</b>", "\x1b[2J" };
    for (int i = 0; i < n; ++i) {
        const QByteArray name = "bulk-" + QByteArray::number(i) + kinds[i % 6] + "-x";
        rows.append({ name, "1." + QByteArray::number(i % 97), QByteArray::number(i + 1), "latest/stable",
            "pub<i>" + QByteArray::number(i % 13) + "</i>", "-" });
    }
    return rows;
}

struct TaskLine
{
    QString status;
    QDateTime spawn;
    QDateTime ready;
    QString summary;
};

QList<TaskLine> tasksOf(const SimChange &c, const QDateTime &now)
{
    QStringList summaries;
    if (c.kind == u"refresh-snap" || c.kind == u"auto-refresh") {
        for (const QString &n : c.snaps) {
            summaries << u"Ensure prerequisites for \"%1\" are available"_s.arg(n)
                      << u"Download snap \"%1\" from channel \"latest/stable\""_s.arg(n)
                      << u"Mount snap \"%1\""_s.arg(n) << u"Stop snap \"%1\" services"_s.arg(n)
                      << u"Copy snap \"%1\" data"_s.arg(n)
                      << u"Make snap \"%1\" available to the system"_s.arg(n)
                      << u"Start snap \"%1\" services"_s.arg(n)
                      << u"Run health check of \"%1\" snap"_s.arg(n);
        }
    } else if (c.kind == u"install-snap") {
        for (const QString &n : c.snaps) {
            summaries << u"Prepare snap \"%1\""_s.arg(n) << u"Mount snap \"%1\""_s.arg(n)
                      << u"Copy snap \"%1\" data"_s.arg(n) << u"Setup snap \"%1\" security profiles"_s.arg(n)
                      << u"Make snap \"%1\" available to the system"_s.arg(n)
                      << u"Start snap \"%1\" services"_s.arg(n);
        }
    } else if (c.kind == u"remove-snap") {
        for (const QString &n : c.snaps) {
            summaries << u"Stop snap \"%1\" services"_s.arg(n) << u"Remove data for snap \"%1\""_s.arg(n)
                      << u"Remove snap \"%1\" from the system"_s.arg(n);
        }
    } else if (c.kind == u"revert-snap") {
        for (const QString &n : c.snaps) {
            summaries << u"Ensure prerequisites for \"%1\" are available"_s.arg(n)
                      << u"Stop snap \"%1\" services"_s.arg(n)
                      << u"Make snap \"%1\" available to the system"_s.arg(n)
                      << u"Start snap \"%1\" services"_s.arg(n);
        }
    }
    if (summaries.isEmpty())
        summaries << c.summary;

    const qint64 total = c.ready.isValid() ? std::max<qint64>(1, c.spawn.msecsTo(c.ready)) : 1;
    const qint64 elapsed = c.spawn.msecsTo(now);
    const qsizetype n = summaries.size();
    const qsizetype doneCount = (c.ready.isValid() && now >= c.ready)
        ? n
        : qsizetype(std::clamp<qint64>(elapsed * n / total, 0, n - 1));
    QList<TaskLine> tasks;
    for (qsizetype k = 0; k < n; ++k) {
        TaskLine t;
        t.spawn = c.spawn;
        t.summary = summaries[k];
        if (k < doneCount && c.status != u"Done" && doneCount == n) {
            // A failed change: snapd undid the tasks before the failing (last) one.
            t.status = k + 1 == n ? c.status : u"Undone"_s;
            t.ready = c.spawn.addMSecs(total * (k + 1) / n);
        } else if (k < doneCount) {
            t.status = u"Done"_s;
            t.ready = c.spawn.addMSecs(total * (k + 1) / n);
        } else {
            t.status = k == doneCount ? u"Doing"_s : u"Do"_s;
        }
        tasks.append(t);
    }
    return tasks;
}

struct CatalogEntry
{
    QString name;
    QString version;
    QString fingerprint;
    QString description;
    QString type;
};

// What the 2014 store answered (search samples in shared/samples/snappy-15.04).
const QList<CatalogEntry> &snappyCatalog()
{
    static const QList<CatalogEntry> catalog {
        { u"docker"_s, QString(), u"b1f2f85e77adab"_s, u"The docker app deployment mechanism"_s,
            u"framework"_s },
        { u"go-example-webserver"_s, u"1.0.1"_s, u"e0c2a7de51a8a3"_s,
            u"Minimal Golang webserver for snappy"_s, u"app"_s },
        { u"xkcd-webserver"_s, u"0.3.1"_s, u"3a9152b8bff494"_s,
            u"Show random XKCD compic via a build-in webserver"_s, u"app"_s },
    };
    return catalog;
}

// What the (simulated) snap store offers to `snap install NAME`.
struct StoreEntry
{
    QString name;
    QString version;
    QString revision;
    QString publisher;
    QString publisherDisplay;
    QString summary;
};

const QList<StoreEntry> &snapStore()
{
    static const QList<StoreEntry> store {
        { u"hello-world"_s, u"6.4"_s, u"29"_s, u"canonical"_s, u"Canonical"_s,
            u"The 'hello-world' of snaps"_s },
        { u"htop"_s, u"3.3.0"_s, u"4000"_s, u"maxiberta"_s, u"Maximiliano Bertacchini"_s,
            u"Interactive processes viewer"_s },
    };
    return store;
}

QString longPublisher(const SimSnap &s, bool unicode)
{
    const QString badge = s.verified ? (unicode ? u"✓"_s : u"*"_s) : QString();
    QString user = s.publisher;
    user.replace(u'-', u' ');
    if (user.compare(s.publisherDisplay, Qt::CaseInsensitive) == 0)
        return s.publisherDisplay + badge;
    return u"%1 (%2%3)"_s.arg(s.publisherDisplay, s.publisher, badge);
}

QString shortPublisher(const SimSnap &s, bool unicode)
{
    if (s.publisher.isEmpty())
        return u"-"_s;
    return s.publisher + (s.verified ? (unicode ? u"✓"_s : u"*"_s) : QString());
}

// showDone's " (channel)" suffix: nothing for stable on the default track.
QString channelSuffix(const QString &tracking)
{
    QString name = tracking;
    if (name.startsWith(u"latest/"))
        name = name.mid(7);
    if (name.isEmpty() || name == u"stable")
        return {};
    return u" ("_s + name + u')';
}

QStringList stripSudo(QStringList argv)
{
    if (argv.value(0) != u"sudo")
        return argv;
    argv.removeFirst();
    while (!argv.isEmpty() && argv.first().startsWith(u'-')) {
        const QString opt = argv.takeFirst();
        if (opt == u"--")
            break;
        if ((opt == u"-u" || opt == u"-g") && !argv.isEmpty())
            argv.removeFirst();
    }
    return argv;
}

} // namespace

RunResult SimDevice::run(const QStringList &argvIn, const RunContext &contextIn)
{
    RunContext context = contextIn;
    if (!context.now.isValid())
        context.now = QDateTime::currentDateTimeUtc();
    context.now = context.now.toUTC();

    const QStringList argv = stripSudo(argvIn);
    const QString program = argv.value(0);
    if (!hasCommand(program))
        return RunResult { {}, u8(u"sh: 1: %1: not found\n"_s.arg(program)), 127, false };
    if (program == u"snap")
        return runSnap(argv.mid(1), context);
    return runSnappy(argv.mid(1), context);
}

// ---------------------------------------------------------------- snap

RunResult SimDevice::runSnap(const QStringList &args, const RunContext &context)
{
    if (args.isEmpty()) {
        return ok(
            QByteArrayLiteral("The snap command lets you install, configure, refresh and remove snaps.\n"
                              "Snaps are packages that work across many different Linux distributions,\n"
                              "enabling secure delivery and operation of the latest apps and utilities.\n"
                              "\n"
                              "Usage: snap <command> [<options>...]\n"
                              "\n"
                              "For more information about a command, run 'snap help <command>'.\n"));
    }
    const QString command = args.first();
    const QStringList rest = args.mid(1);
    if (command == u"version")
        return snapVersion(rest);
    if (command == u"list")
        return snapList(rest, context);
    if (command == u"refresh")
        return snapRefresh(rest, context);
    if (command == u"revert")
        return snapRevert(rest, context);
    if (command == u"install")
        return snapInstall(rest, context);
    if (command == u"remove")
        return snapRemove(rest, context);
    if (command == u"changes")
        return snapChanges(rest, context);
    if (command == u"tasks" || command == u"change")
        return snapTasks(rest, context);
    if (command == u"info")
        return snapInfo(rest, context);
    if (command == u"logs")
        return snapLogs(rest, context);
    if (command == u"--version")
        return snapVersion({});
    if (command.startsWith(u'-'))
        return fail(u"unknown flag `%1'"_s.arg(command.mid(command.startsWith(u"--") ? 2 : 1)));
    return fail(u"unknown command \"%1\", see 'snap help'."_s.arg(command));
}

RunResult SimDevice::snapVersion(const QStringList &args)
{
    const Flags f = parseFlags(args, { u"verbose"_s }, {});
    if (!f.error.isEmpty())
        return fail(f.error);
    if (!f.positional.isEmpty())
        return fail(u"too many arguments for command"_s);
    QList<TableRow> rows { { "snap", u8(snapdVersion) }, { "snapd", u8(snapdVersion) },
        { "series", u8(series) } };
    if (onClassic)
        rows.append({ u8(osId), u8(osVersion.isEmpty() ? u"-"_s : osVersion) });
    if (!kernel.isEmpty())
        rows.append({ "kernel", u8(kernel) });
    if (!architecture.isEmpty())
        rows.append({ "architecture", u8(architecture) });
    return ok(formatTable(rows));
}

RunResult SimDevice::snapList(const QStringList &args, const RunContext &context)
{
    const Flags f = parseFlags(args, { u"all"_s }, { u"color"_s, u"unicode"_s });
    if (!f.error.isEmpty())
        return fail(f.error);
    bool unicode = context.unicode;
    if (f.has(u"unicode"_s))
        unicode = f.value(u"unicode"_s) == u"always" || (f.value(u"unicode"_s) == u"auto" && unicode);
    const bool all = f.has(u"all"_s);

    QList<const SimSnap *> shown;
    for (const SimSnap &s : snaps) {
        if ((all || s.active) && (f.positional.isEmpty() || f.positional.contains(s.name)))
            shown.append(&s);
    }
    if (snaps.isEmpty() && f.positional.isEmpty())
        return ok({}, "No snaps are installed yet. Try 'snap install hello-world'.\n");
    if (shown.isEmpty())
        return fail(u"no matching snaps installed"_s);
    // By name; the current revision before kept ones, newest first.
    std::stable_sort(shown.begin(), shown.end(), [](const SimSnap *a, const SimSnap *b) {
        if (a->name != b->name)
            return a->name < b->name;
        if (a->active != b->active)
            return a->active;
        return revisionLess(b->revision, a->revision);
    });

    QList<TableRow> rows { { "Name", "Version", "Rev", "Tracking", "Publisher", "Notes" } };
    for (const SimSnap *s : shown) {
        QStringList notes;
        if (!s->active)
            notes << u"disabled"_s;
        notes << s->notes;
        if (held.contains(s->name) && s->active && versionCompare(snapdVersion, u"2.58"_s) >= 0)
            notes << u"held"_s;
        rows.append(
            { u8(s->name), u8(s->version), u8(s->revision), u8(s->tracking.isEmpty() ? u"-"_s : s->tracking),
                u8(shortPublisher(*s, unicode)), u8(notes.isEmpty() ? u"-"_s : notes.join(u',')) });
    }
    if (hostile)
        rows.append(hostileRows(6, hostileListRows == 0));
    if (hostile)
        rows.append(hostileBulkRows(hostileListRows));
    return ok(formatTable(rows));
}

qsizetype SimDevice::activeIndex(const QString &name) const
{
    for (qsizetype i = 0; i < snaps.size(); ++i) {
        if (snaps[i].name == name && snaps[i].active)
            return i;
    }
    return -1;
}

const SimChange *SimDevice::inProgressChangeFor(const QString &name, const QDateTime &now) const
{
    for (const SimChange &c : changes) {
        if (c.snaps.contains(name) && (!c.ready.isValid() || now < c.ready))
            return &c;
    }
    return nullptr;
}

int SimDevice::recordChange(const QString &kind, const QString &summary, const QStringList &names,
    bool noWait, const QDateTime &now, const QString &status)
{
    SimChange c;
    c.id = nextChangeId++;
    c.status = status;
    c.kind = kind;
    c.summary = summary;
    c.snaps = names;
    c.spawn = now;
    // A waited-for change is over when the command returns; --no-wait leaves
    // it running for a while so progress and conflicts can be observed.
    c.ready = noWait ? now.addMSecs(changeDurationMs) : now;
    changes.append(c);
    // snapd prunes old changes; keep the log bounded the same way.
    while (changes.size() > 50)
        changes.removeFirst();
    dirty = true;
    return c.id;
}

void SimDevice::retainRevisions(const QString &name)
{
    // refresh.retain: 3 revisions on Core, 2 on classic.
    const int retain = onClassic ? 2 : 3;
    QList<qsizetype> disabled;
    int count = 0;
    for (qsizetype i = 0; i < snaps.size(); ++i) {
        if (snaps[i].name != name)
            continue;
        ++count;
        if (!snaps[i].active)
            disabled.append(i);
    }
    std::sort(disabled.begin(), disabled.end(),
        [this](qsizetype a, qsizetype b) { return revisionLess(snaps[a].revision, snaps[b].revision); });
    QList<qsizetype> drop;
    for (qsizetype k = 0; k < disabled.size() && count > retain; ++k, --count)
        drop.append(disabled[k]);
    std::sort(drop.begin(), drop.end(), std::greater<>());
    for (qsizetype i : drop)
        snaps.removeAt(i);
}

// Applies the store's update for `name`; returns the done line for showDone.
QString SimDevice::refreshOne(const QString &name, const RunContext &context)
{
    const qsizetype i = activeIndex(name);
    const SimUpdate u = updates.take(name);
    SimSnap next = snaps[i];
    snaps[i].active = false;
    next.version = u.version;
    next.revision = u.revision;
    if (u.size > 0)
        next.size = u.size;
    if (!u.fingerprint.isEmpty())
        next.fingerprint = u.fingerprint;
    snaps.insert(i, next);
    retainRevisions(name);
    dirty = true;
    if (next.publisher.isEmpty())
        return u"%1%2 %3 refreshed\n"_s.arg(name, channelSuffix(next.tracking), next.version);
    return u"%1%2 %3 from %4 refreshed\n"_s.arg(
        name, channelSuffix(next.tracking), next.version, longPublisher(next, context.unicode));
}

RunResult SimDevice::snapRefresh(const QStringList &args, const RunContext &context)
{
    const Flags f = parseFlags(args,
        { u"list"_s, u"no-wait"_s, u"unhold"_s, u"amend"_s, u"ignore-validation"_s, u"ignore-running"_s,
            u"leave-cohort"_s, u"time"_s, u"devmode"_s, u"jailmode"_s, u"classic"_s, u"stable"_s,
            u"candidate"_s, u"beta"_s, u"edge"_s, u"abs-time"_s },
        { u"channel"_s, u"revision"_s, u"cohort"_s, u"transaction"_s, u"color"_s, u"unicode"_s },
        { u"hold"_s });
    if (!f.error.isEmpty())
        return fail(f.error);
    // Per-snap holds arrived in snapd 2.58; older go-flags do not know the option.
    const bool holdSupported = versionCompare(snapdVersion, u"2.58"_s) >= 0;
    if ((f.has(u"hold"_s) || f.has(u"unhold"_s)) && !holdSupported)
        return fail(u"unknown flag `%1'"_s.arg(f.has(u"hold"_s) ? u"hold"_s : u"unhold"_s));
    const bool noWait = f.has(u"no-wait"_s);

    if (f.has(u"list"_s)) {
        if (!f.positional.isEmpty())
            return fail(u"--list does not accept additional arguments"_s);
        return snapRefreshList(context);
    }
    if (f.has(u"hold"_s) && f.has(u"unhold"_s))
        return fail(u"cannot use --hold with other flags"_s);
    if (f.has(u"hold"_s)) {
        const QString value = f.value(u"hold"_s);
        if (value != u"forever") {
            const auto seconds = parseDurationSeconds(value);
            if (!seconds)
                return fail(u"hold value must be a number of hours, minutes or seconds, or \"forever\": "
                            u"time: invalid duration \"%1\""_s.arg(value));
            if (*seconds < 1)
                return fail(u"cannot hold refreshes for less than a second: %1"_s.arg(value));
        }
        return snapHold(f.positional, true, noWait, context);
    }
    if (f.has(u"unhold"_s))
        return snapHold(f.positional, false, noWait, context);
    if (f.has(u"time"_s)) {
        return ok(u8(u"timer: 00:00~24:00/4\nlast: %1\nnext: %2\n"_s.arg(
            humanTime(context.now.addSecs(-3 * 3600), context.now),
            humanTime(context.now.addSecs(3 * 3600), context.now))));
    }

    const QStringList names = f.positional;
    for (const QString &n : names) {
        if (activeIndex(n) < 0)
            return fail(u"snap \"%1\" is not installed"_s.arg(n));
    }
    if (names.size() > 1 && (f.has(u"channel"_s) || f.has(u"revision"_s)))
        return fail(u"a single snap name is needed to specify mode or channel flags"_s);
    if (!storeReachable) {
        if (names.size() == 1)
            return fail(u"cannot refresh \"%1\": %2"_s.arg(names.first(), kStoreError));
        return fail(u"cannot refresh: "_s + kStoreError);
    }
    for (const QString &n : names) {
        if (const SimChange *c = inProgressChangeFor(n, context.now))
            return fail(u"snap \"%1\" has \"%2\" change in progress"_s.arg(n, c->kind));
    }

    if (names.size() == 1) {
        const QString name = names.first();
        if (f.has(u"channel"_s)) {
            snaps[activeIndex(name)].tracking = f.value(u"channel"_s);
            dirty = true;
        }
        if (failRefresh) {
            // The new revision fails its health check; snapd undoes the change.
            const int id = recordChange(u"refresh-snap"_s, u"Refresh \"%1\" snap"_s.arg(name), { name },
                noWait, context.now, u"Error"_s);
            if (noWait)
                return ok(u8(QString::number(id) + u'\n'));
            return fail(u"cannot perform the following tasks:\n- Run health check of \"%1\" snap (run hook "
                        u"\"check-health\": snap is unhealthy)"_s.arg(name));
        }
        if (!updates.contains(name))
            return ok({}, u8(u"snap \"%1\" has no updates available\n"_s.arg(name)));
        const QString line = refreshOne(name, context);
        const int id = recordChange(
            u"refresh-snap"_s, u"Refresh \"%1\" snap"_s.arg(name), { name }, noWait, context.now);
        return ok(noWait ? u8(QString::number(id) + u'\n') : u8(line));
    }

    // Many or all: a general refresh skips held snaps, named ones do not.
    QStringList candidates;
    for (auto it = updates.cbegin(); it != updates.cend(); ++it) {
        const bool wanted = names.isEmpty() ? !held.contains(it.key()) : names.contains(it.key());
        if (wanted && activeIndex(it.key()) >= 0)
            candidates.append(it.key());
    }
    if (names.isEmpty()) {
        for (const QString &n : candidates) {
            if (const SimChange *c = inProgressChangeFor(n, context.now))
                return fail(u"snap \"%1\" has \"%2\" change in progress"_s.arg(n, c->kind));
        }
    }
    if (candidates.isEmpty()) {
        // snapd still records a (no-op) change; the CLI says so on stderr.
        const int id
            = recordChange(u"refresh-snap"_s, u"Refresh all snaps: no updates"_s, {}, noWait, context.now);
        if (noWait)
            return ok(u8(QString::number(id) + u'\n'));
        return ok({}, "All snaps up to date.\n");
    }
    std::sort(candidates.begin(), candidates.end());
    QString lines;
    for (const QString &n : candidates)
        lines += refreshOne(n, context);
    const QString summary = candidates.size() == 1 ? u"Refresh snap \"%1\""_s.arg(candidates.first())
                                                   : u"Refresh snaps "_s + quoted(candidates);
    const int id = recordChange(u"refresh-snap"_s, summary, candidates, noWait, context.now);
    return ok(noWait ? u8(QString::number(id) + u'\n') : u8(lines));
}

RunResult SimDevice::snapRefreshList(const RunContext &context)
{
    if (!storeReachable)
        return fail(u"cannot list updates: "_s + kStoreError);
    QList<TableRow> rows { { "Name", "Version", "Rev", "Size", "Publisher", "Notes" } };
    for (auto it = updates.cbegin(); it != updates.cend(); ++it) {
        const qsizetype i = activeIndex(it.key());
        if (i < 0)
            continue;
        const SimSnap &s = snaps[i];
        rows.append({ u8(it.key()), u8(it->version), u8(it->revision), u8(sizeToStr(it->size)),
            u8(shortPublisher(s, context.unicode)), "-" });
    }
    if (rows.size() == 1 && !hostile)
        return ok({}, "All snaps up to date.\n");
    if (hostile)
        rows.append(hostileRows(6));
    return ok(formatTable(rows));
}

RunResult SimDevice::snapRevert(const QStringList &args, const RunContext &context)
{
    const Flags f = parseFlags(args,
        { u"no-wait"_s, u"devmode"_s, u"jailmode"_s, u"classic"_s, u"ignore-running"_s }, { u"revision"_s });
    if (!f.error.isEmpty())
        return fail(f.error);
    if (f.positional.isEmpty())
        return fail(u"the required argument `<snap>` was not provided"_s);
    if (f.positional.size() > 1)
        return fail(u"too many arguments for command"_s);
    const QString name = f.positional.first();
    const qsizetype current = activeIndex(name);
    if (current < 0)
        return fail(u"snap \"%1\" is not installed"_s.arg(name));

    qsizetype target = -1;
    const QString wanted = f.value(u"revision"_s);
    for (qsizetype i = 0; i < snaps.size(); ++i) {
        const SimSnap &s = snaps[i];
        if (s.name != name || s.active)
            continue;
        if (!wanted.isEmpty()) {
            if (s.revision == wanted)
                target = i;
            continue;
        }
        // The previous revision: the newest kept one older than the current.
        if (revisionLess(s.revision, snaps[current].revision)
            && (target < 0 || revisionLess(snaps[target].revision, s.revision)))
            target = i;
    }
    if (target < 0) {
        if (!wanted.isEmpty())
            return fail(u"cannot revert \"%1\": cannot find revision %2"_s.arg(name, wanted));
        return fail(u"cannot revert \"%1\": no revision to revert to"_s.arg(name));
    }
    if (const SimChange *c = inProgressChangeFor(name, context.now))
        return fail(u"snap \"%1\" has \"%2\" change in progress"_s.arg(name, c->kind));

    snaps[current].active = false;
    snaps[target].active = true;
    dirty = true;
    const bool noWait = f.has(u"no-wait"_s);
    const int id
        = recordChange(u"revert-snap"_s, u"Revert \"%1\" snap"_s.arg(name), { name }, noWait, context.now);
    if (noWait)
        return ok(u8(QString::number(id) + u'\n'));
    return ok(u8(u"%1 reverted to %2\n"_s.arg(name, snaps[target].version)));
}

RunResult SimDevice::snapInstall(const QStringList &args, const RunContext &context)
{
    const Flags f = parseFlags(args,
        { u"no-wait"_s, u"dangerous"_s, u"devmode"_s, u"jailmode"_s, u"classic"_s, u"unaliased"_s },
        { u"channel"_s, u"revision"_s });
    if (!f.error.isEmpty())
        return fail(f.error);
    if (f.positional.isEmpty())
        return fail(u"the required argument `<snap>` was not provided"_s);
    if (f.positional.size() > 1)
        return fail(u"a single snap name is needed in this simulator"_s);
    const bool noWait = f.has(u"no-wait"_s);
    const QString arg = f.positional.first();
    const bool local = arg.contains(u'/') || arg.endsWith(u".snap"_s);
    if (local) {
        // A sideloaded file NAME_VERSION_ARCH.snap: a new local revision xN (a refresh when the
        // snap is installed). The simulator has no files: the name carries what it needs.
        if (!f.has(u"dangerous"_s))
            return fail(u"cannot find signatures with metadata for snap \"%1\""_s.arg(arg));
        const QString base = arg.section(u'/', -1);
        const QStringList parts = base.chopped(base.endsWith(u".snap"_s) ? 5 : 0).split(u'_');
        if (parts.size() < 2 || parts.first().isEmpty())
            return fail(u"cannot open \"%1\": no such file or directory"_s.arg(arg));
        const QString name = parts.at(0);
        if (const SimChange *c = inProgressChangeFor(name, context.now))
            return fail(u"snap \"%1\" has \"%2\" change in progress"_s.arg(name, c->kind));
        int localRev = 0;
        for (const SimSnap &s : std::as_const(snaps))
            if (s.name == name && s.revision.startsWith(u'x'))
                localRev = std::max(localRev, s.revision.mid(1).toInt());
        const qsizetype current = activeIndex(name);
        SimSnap next;
        if (current >= 0) {
            next = snaps[current];
            snaps[current].active = false;
        } else {
            next.name = name;
            next.type = u"app"_s;
            next.summary = u"sideloaded"_s;
        }
        next.version = parts.at(1);
        next.revision = u"x"_s + QString::number(localRev + 1);
        next.tracking = QString();
        next.publisher = QString();
        next.verified = false;
        next.active = true;
        if (f.has(u"devmode"_s) && !next.notes.contains(u"devmode"_s))
            next.notes.append(u"devmode"_s);
        snaps.insert(current >= 0 ? current : snaps.size(), next);
        retainRevisions(name);
        dirty = true;
        const int id = recordChange(u"install-snap"_s,
            u"Install \"%1\" snap from file \"%2\""_s.arg(name, arg), { name }, noWait, context.now);
        if (noWait)
            return ok(u8(QString::number(id) + u'\n'));
        return ok(u8(u"%1 %2 installed\n"_s.arg(name, next.version)));
    }
    const QString name = arg;
    if (activeIndex(name) >= 0)
        return ok({}, u8(u"snap \"%1\" is already installed, see 'snap help refresh'\n"_s.arg(name)));
    if (!storeReachable)
        return fail(u"cannot install \"%1\": %2"_s.arg(name, kStoreError));
    for (const StoreEntry &e : snapStore()) {
        if (e.name != name)
            continue;
        if (const SimChange *c = inProgressChangeFor(name, context.now))
            return fail(u"snap \"%1\" has \"%2\" change in progress"_s.arg(name, c->kind));
        SimSnap s;
        s.name = e.name;
        s.version = e.version;
        s.revision = e.revision;
        s.tracking = f.has(u"channel"_s) ? f.value(u"channel"_s) : u"latest/stable"_s;
        if (!s.tracking.contains(u'/'))
            s.tracking = u"latest/"_s + s.tracking;
        s.publisher = e.publisher;
        s.publisherDisplay = e.publisherDisplay;
        s.verified = e.publisher == u"canonical"_s;
        s.type = u"app"_s;
        s.summary = e.summary;
        s.size = 20480;
        snaps.append(s);
        dirty = true;
        const int id = recordChange(
            u"install-snap"_s, u"Install \"%1\" snap"_s.arg(name), { name }, noWait, context.now);
        if (noWait)
            return ok(u8(QString::number(id) + u'\n'));
        return ok(u8(u"%1 %2 from %3 installed\n"_s.arg(name, s.version, longPublisher(s, context.unicode))));
    }
    return fail(u"snap \"%1\" not found"_s.arg(name));
}

RunResult SimDevice::snapRemove(const QStringList &args, const RunContext &context)
{
    const Flags f = parseFlags(args, { u"no-wait"_s, u"purge"_s }, { u"revision"_s });
    if (!f.error.isEmpty())
        return fail(f.error);
    if (f.positional.isEmpty())
        return fail(u"the required argument `<snap>` was not provided"_s);
    if (f.positional.size() > 1)
        return fail(u"a single snap name is needed in this simulator"_s);
    const QString name = f.positional.first();
    const qsizetype current = activeIndex(name);
    if (current < 0)
        return fail(u"snap \"%1\" is not installed"_s.arg(name));
    const QString type = snaps[current].type;
    if (type == u"snapd"_s || type == u"kernel"_s || type == u"gadget"_s || type == u"os"_s)
        return fail(u"cannot remove \"%1\": snap \"%1\" is not removable: required snap"_s.arg(name));
    if (const SimChange *c = inProgressChangeFor(name, context.now))
        return fail(u"snap \"%1\" has \"%2\" change in progress"_s.arg(name, c->kind));
    snaps.removeIf([&name](const SimSnap &s) { return s.name == name; });
    updates.remove(name);
    held.removeAll(name);
    dirty = true;
    const bool noWait = f.has(u"no-wait"_s);
    const int id
        = recordChange(u"remove-snap"_s, u"Remove \"%1\" snap"_s.arg(name), { name }, noWait, context.now);
    if (noWait)
        return ok(u8(QString::number(id) + u'\n'));
    return ok(u8(u"%1 removed\n"_s.arg(name)));
}

RunResult SimDevice::snapHold(const QStringList &names, bool hold, bool noWait, const RunContext &context)
{
    for (const QString &n : names) {
        if (activeIndex(n) < 0)
            return fail(u"snap \"%1\" is not installed"_s.arg(n));
    }
    QString summary;
    if (hold) {
        for (const QString &n : names) {
            if (!held.contains(n))
                held.append(n);
        }
        summary = names.isEmpty() ? u"Hold auto-refreshes for all snaps"_s
                                  : u"Hold general refreshes for "_s + quoted(names);
    } else {
        for (const QString &n : names)
            held.removeAll(n);
        summary = names.isEmpty() ? u"Release auto-refresh hold on all snaps"_s
                                  : u"Release general refresh hold on "_s + quoted(names);
    }
    const int id
        = recordChange(hold ? u"hold-refresh"_s : u"unhold-refresh"_s, summary, names, noWait, context.now);
    if (noWait)
        return ok(u8(QString::number(id) + u'\n'));
    if (hold) {
        if (names.isEmpty())
            return ok("Auto-refresh of all snaps held indefinitely\n");
        return ok(u8(u"General refreshes of %1 held indefinitely\n"_s.arg(quoted(names))));
    }
    if (names.isEmpty())
        return ok("Removed auto-refresh hold on all snaps\n");
    return ok(u8(u"Removed general refresh hold of %1\n"_s.arg(quoted(names))));
}

RunResult SimDevice::snapChanges(const QStringList &args, const RunContext &context)
{
    const Flags f = parseFlags(args, { u"abs-time"_s }, {});
    if (!f.error.isEmpty())
        return fail(f.error);
    if (f.positional.size() > 1)
        return fail(u"too many arguments for command"_s);
    const QString snapName = f.positional.value(0);
    static const QRegularExpression allDigits(u"^[0-9]+$"_s);
    if (allDigits.match(snapName).hasMatch())
        return fail(u"\"snap changes\" command expects a snap name, try: \"snap change %1\""_s.arg(snapName));
    if (snapName == u"everything")
        return ok("Yes, yes it does.\n");

    QList<const SimChange *> shown;
    for (const SimChange &c : changes) {
        if (snapName.isEmpty() || c.snaps.contains(snapName))
            shown.append(&c);
    }
    if (shown.isEmpty())
        return ok({}, "no changes found\n");
    std::stable_sort(shown.begin(), shown.end(),
        [](const SimChange *a, const SimChange *b) { return a->spawn < b->spawn; });
    const bool abs = f.has(u"abs-time"_s);
    auto fmt = [&](const QDateTime &t) {
        return abs ? t.toUTC().toString(Qt::ISODate) : humanTime(t, context.now);
    };
    QList<TableRow> rows { { "ID", "Status", "Spawn", "Ready", "Summary" } };
    for (const SimChange *c : shown) {
        const bool running = !c->ready.isValid() || context.now < c->ready;
        rows.append({ u8(QString::number(c->id)), u8(running ? u"Doing"_s : c->status), u8(fmt(c->spawn)),
            u8(running ? u"-"_s : fmt(c->ready)), u8(c->summary) });
    }
    if (hostile)
        rows.append({ "99", "Done", "today at 00:00 UTC", "-",
            "Refresh \"\xe2\x80\xae"
            "evil\x1b[5m\" snap" });
    return ok(formatTable(rows) + '\n');
}

RunResult SimDevice::snapTasks(const QStringList &args, const RunContext &context)
{
    const Flags f = parseFlags(args, { u"abs-time"_s }, { u"last"_s });
    if (!f.error.isEmpty())
        return fail(f.error);
    QString id = f.positional.value(0);
    if (id.isEmpty() && f.has(u"last"_s)) {
        for (const SimChange &c : changes) {
            if (f.value(u"last"_s).isEmpty() || c.kind == f.value(u"last"_s))
                id = QString::number(c.id);
        }
        if (id.isEmpty())
            return fail(u"no changes of type \"%1\" found"_s.arg(f.value(u"last"_s)));
    }
    if (id.isEmpty())
        return fail(u"please provide change ID or type with --last=<type>"_s);
    const SimChange *change = nullptr;
    for (const SimChange &c : changes) {
        if (QString::number(c.id) == id)
            change = &c;
    }
    if (!change)
        return fail(u"cannot find change with id \"%1\""_s.arg(id));
    const bool abs = f.has(u"abs-time"_s);
    auto fmt = [&](const QDateTime &t) {
        if (!t.isValid())
            return u"-"_s;
        return abs ? t.toUTC().toString(Qt::ISODate) : humanTime(t, context.now);
    };
    QList<TableRow> rows { { "Status", "Spawn", "Ready", "Summary" } };
    for (const TaskLine &t : tasksOf(*change, context.now))
        rows.append({ u8(t.status), u8(fmt(t.spawn)), u8(fmt(t.ready)), u8(t.summary) });
    return ok(formatTable(rows) + '\n');
}

// `snap info NAME` of an installed snap, as snapd prints it for the local side (the store part,
// "channels:", is left out: the simulated store is not browsable).
RunResult SimDevice::snapInfo(const QStringList &args, const RunContext &context)
{
    const Flags f = parseFlags(args, { u"verbose"_s, u"abs-time"_s }, { u"color"_s, u"unicode"_s });
    if (!f.error.isEmpty())
        return fail(f.error);
    if (f.positional.isEmpty())
        return fail(u"the required argument `<snap>` was not provided"_s);
    QByteArray out;
    for (const QString &name : f.positional) {
        const qsizetype i = activeIndex(name);
        if (i < 0)
            return fail(u"no snap found for \"%1\""_s.arg(name));
        const SimSnap &s = snaps[i];
        if (!out.isEmpty())
            out += "---\n";
        const QString summary = s.summary.isEmpty() ? s.name : s.summary;
        out += u8(
            u"name:      %1\nsummary:   %2\npublisher: %3\nlicense:   unset\ndescription: |\n  %4\n"_s.arg(
                s.name, summary, s.publisher.isEmpty() ? u"-"_s : longPublisher(s, context.unicode),
                summary));
        if (hostile)
            out += "  \x1b[31mred\x1b[0m <b>bold</b> \xe2\x80\xae"
                   "txet\n";
        if (!s.type.isEmpty() && s.type != u"app")
            out += u8(u"type:      %1\n"_s.arg(s.type));
        if (s.type == u"app")
            out += u8(u"services:\n  %1.%1: simple, enabled, active\n"_s.arg(s.name));
        // A stable, made-up snap id: 32 characters from the name.
        const QByteArray id = QCryptographicHash::hash(u8(s.name), QCryptographicHash::Sha256).toHex();
        out += "snap-id:   " + id.left(32) + '\n';
        out += u8(u"tracking:  %1\n"_s.arg(s.tracking.isEmpty() ? u"-"_s : s.tracking));
        const QString notes = s.notes.isEmpty() ? u"-"_s : s.notes.join(u',');
        out += u8(u"installed: %1 (%2) %3 %4\n"_s.arg(s.version, s.revision, sizeToStr(s.size), notes));
    }
    return ok(out);
}

// `snap logs NAME [-n N|all]`: the journal of a snap's services (the simulator's is made up,
// deterministic, 2,000 lines long; a hostile device's carries escapes and markup).
RunResult SimDevice::snapLogs(const QStringList &args, const RunContext &context)
{
    const Flags f = parseFlags(args, { u"abs-time"_s }, { u"n"_s });
    if (!f.error.isEmpty())
        return fail(f.error);
    if (f.positional.isEmpty())
        return fail(u"the required argument `<service> (at least 1 argument)` was not provided"_s);
    qsizetype lines = 10;
    if (f.has(u"n"_s)) {
        bool okNumber = false;
        const QString n = f.value(u"n"_s);
        lines = n == u"all" ? -1 : n.toLongLong(&okNumber);
        if (n != u"all" && (!okNumber || lines < 0))
            return fail(
                u"invalid argument for flag `-n': expected a non-negative integer argument, or \"all\""_s);
    }
    QStringList services;
    for (const QString &name : f.positional) {
        const QString snapName = name.section(u'.', 0, 0);
        const qsizetype i = activeIndex(snapName);
        if (i < 0)
            return fail(u"snap \"%1\" not found"_s.arg(snapName));
        if (snaps[i].type != u"app")
            return fail(u"snap \"%1\" has no services"_s.arg(snapName));
        services << snapName + u'.' + snapName;
    }
    constexpr int history = 2000;
    const QDateTime start = context.now.addSecs(-history * 30);
    QByteArray out;
    const qsizetype first = lines < 0 ? 0 : qMax<qsizetype>(0, history - lines);
    for (qsizetype k = first; k < history; ++k) {
        const QString &service = services.at(k % services.size());
        const QDateTime t = start.addSecs(k * 30);
        QString message;
        switch (k % 5) {
        case 0:
            message = u"Started %1 (pid %2)."_s.arg(service).arg(1000 + index);
            break;
        case 1:
            message = u"Received PINGREQ from sensor-%1"_s.arg(k % 17);
            break;
        case 2:
            message = u"Sending PINGRESP to sensor-%1"_s.arg(k % 17);
            break;
        case 3:
            message = u"warning: slow consumer, %1 messages queued"_s.arg(k % 97);
            break;
        default:
            message = u"error: connection from 10.0.%1.%2 closed: timeout"_s.arg(k % 7).arg(k % 250);
            break;
        }
        out += u8(u"%1 %2[%3]: %4\n"_s.arg(t.toString(Qt::ISODate), service).arg(1000 + index).arg(message));
        if (hostile && k % 100 == 0)
            out += "2024-01-01T00:00:00Z evil[1]: \x1b]0;pwned\x07<script>alert(1)</script>\xe2\x80\xae"
                   "txet \xff\n";
    }
    return ok(out);
}

// ---------------------------------------------------------------- snappy

RunResult SimDevice::runSnappy(const QStringList &args, const RunContext &context)
{
    Q_UNUSED(context)
    static const QString usage
        = u"Please specify one command of: booted, build, info, install, purge, remove, rollback, search, "
          u"update or versions"_s;
    if (args.isEmpty())
        return RunResult { {}, u8(usage + u'\n'), 1, false };
    const QString command = args.first();
    const QStringList rest = args.mid(1);
    if (command == u"info")
        return snappyInfo();
    if (command == u"versions")
        return snappyVersions(rest);
    if (command == u"update")
        return snappyUpdate(rest);
    if (command == u"rollback")
        return snappyRollback(rest);
    if (command == u"install")
        return snappyInstall(rest);
    if (command == u"remove")
        return snappyRemove(rest);
    if (command == u"search")
        return snappySearch(rest);
    if (command.startsWith(u'-'))
        return RunResult { {},
            u8(u"unknown flag `%1'\n"_s.arg(command.mid(command.startsWith(u"--") ? 2 : 1))), 1, false };
    return RunResult { {}, u8(u"Unknown command `%1'. %2\n"_s.arg(command, usage)), 1, false };
}

RunResult SimDevice::snappyInfo()
{
    QStringList frameworks;
    QStringList apps;
    for (const SimSnap &s : snaps) {
        if (!s.active)
            continue;
        if (s.type == u"framework")
            frameworks << s.name;
        else if (s.type == u"app")
            apps << s.name;
    }
    return ok(u8(u"release: %1\narchitecture: %2\nframeworks: %3\napps: %4\n"_s.arg(
        release, architecture, frameworks.join(u", "_s), apps.join(u", "_s))));
}

QByteArray SimDevice::snappyTable(const QList<const SimSnap *> &parts) const
{
    QList<TableRow> rows { { "Part", "Tag", "Installed", "Available", "Fingerprint", "Active" } };
    for (const SimSnap *s : parts) {
        const auto update = updates.constFind(s->name);
        const QString available = (s->active && update != updates.cend()) ? update->version : u"-"_s;
        rows.append({ u8(s->name), u8(s->tracking), u8(s->version), u8(available), u8(s->fingerprint),
            s->active ? "*" : "" });
    }
    if (hostile)
        rows.append(hostileRows(6));
    return formatTable(rows);
}

RunResult SimDevice::snappyVersions(const QStringList &args)
{
    bool all = false;
    for (const QString &a : args) {
        if (a == u"-a" || a == u"--all")
            all = true;
        else if (a.startsWith(u'-'))
            return RunResult { {}, u8(u"unknown flag `%1'\n"_s.arg(a.mid(a.startsWith(u"--") ? 2 : 1))), 1,
                false };
    }
    QList<const SimSnap *> parts;
    for (const SimSnap &s : snaps) {
        if (all || s.active)
            parts.append(&s);
    }
    return ok(snappyTable(parts));
}

RunResult SimDevice::snappyUpdate(const QStringList &args)
{
    const QString only = args.value(0);
    if (!storeReachable)
        return fail(kSnappyStoreError);
    QList<QPair<QString, QString>> changed; // name, new version
    QStringList rebootFor;
    const QStringList names = updates.keys();
    for (const QString &name : names) {
        if (!only.isEmpty() && name != only)
            continue;
        const qsizetype i = activeIndex(name);
        if (i < 0)
            continue;
        const SimUpdate u = updates.take(name);
        SimSnap next = snaps[i];
        next.version = u.version;
        next.revision = u.revision;
        next.fingerprint = u.fingerprint;
        if (snaps[i].type == u"os") {
            // The OS part switches on the next boot.
            next.active = false;
            pendingBoot.insert(name, u.version);
            rebootFor << name;
        } else {
            snaps[i].active = false;
        }
        snaps.insert(i + 1, next);
        changed.append({ name, next.version });
        dirty = true;
    }
    if (changed.isEmpty())
        return ok();
    // Pointers only once the list has stopped growing.
    QList<const SimSnap *> rows;
    for (const auto &[name, version] : changed) {
        for (const SimSnap &s : snaps) {
            if (s.name == name && s.version == version)
                rows.append(&s);
        }
    }
    QByteArray out = snappyTable(rows);
    for (const QString &name : rebootFor)
        out += u8(u"Reboot to use the new %1.\n"_s.arg(name));
    return ok(out);
}

RunResult SimDevice::snappyRollback(const QStringList &args)
{
    if (args.isEmpty())
        return RunResult { {}, "the required argument `package name` was not provided\n", 1, false };
    const QString name = args.first();
    const qsizetype current = activeIndex(name);
    if (current < 0)
        return fail(u"no package named \"%1\" installed"_s.arg(name));
    // An OS rollback that is already pending goes back to what runs now.
    const QString runningVersion = snaps[current].version;
    qsizetype target = -1;
    for (qsizetype i = 0; i < snaps.size(); ++i) {
        const SimSnap &s = snaps[i];
        if (s.name == name && !s.active && s.version != pendingBoot.value(name, runningVersion))
            target = i;
    }
    if (target < 0)
        return fail(u"no version to rollback to for %1"_s.arg(name));
    const QString version = snaps[target].version;
    if (snaps[current].type == u"os") {
        if (version == runningVersion)
            pendingBoot.remove(name);
        else
            pendingBoot.insert(name, version);
    } else {
        snaps[current].active = false;
        snaps[target].active = true;
    }
    dirty = true;
    QList<const SimSnap *> rows;
    for (const SimSnap &s : snaps) {
        if (s.name == name)
            rows.append(&s);
    }
    QByteArray out = u8(u"Setting %1 to version %2\n"_s.arg(name, version));
    out += snappyTable(rows);
    if (snaps[current].type == u"os" && pendingBoot.contains(name))
        out += u8(u"Reboot to use %1 version %2.\n"_s.arg(name, version));
    return ok(out);
}

RunResult SimDevice::snappyInstall(const QStringList &args)
{
    if (args.isEmpty())
        return RunResult { {}, "the required argument `package name` was not provided\n", 1, false };
    const QString name = args.first();
    for (const SimSnap &s : snaps) {
        if (s.name == name)
            return fail(u"package \"%1\" is already installed"_s.arg(name));
    }
    if (!storeReachable)
        return fail(kSnappyStoreError);
    for (const CatalogEntry &e : snappyCatalog()) {
        if (e.name != name)
            continue;
        SimSnap s;
        s.name = e.name;
        s.version = e.version;
        s.revision = e.version;
        s.tracking = u"edge"_s;
        s.fingerprint = e.fingerprint;
        s.type = e.type;
        s.summary = e.description;
        snaps.append(s);
        dirty = true;
        return ok(snappyTable({ &snaps.last() }));
    }
    return fail(u"snappy package not found"_s);
}

RunResult SimDevice::snappyRemove(const QStringList &args)
{
    if (args.isEmpty())
        return RunResult { {}, "the required argument `package name` was not provided\n", 1, false };
    const QString name = args.first();
    const qsizetype current = activeIndex(name);
    if (current < 0)
        return fail(u"no package named \"%1\" installed"_s.arg(name));
    if (snaps[current].type == u"os")
        return fail(u"cannot remove the OS part %1"_s.arg(name));
    snaps.removeIf([&name](const SimSnap &s) { return s.name == name; });
    updates.remove(name);
    dirty = true;
    return ok(u8(u"Removing %1\n"_s.arg(name)));
}

RunResult SimDevice::snappySearch(const QStringList &args)
{
    if (args.isEmpty())
        return RunResult { {}, "the required argument `search term` was not provided\n", 1, false };
    if (!storeReachable)
        return fail(kSnappyStoreError);
    const QString term = args.join(u' ');
    QList<TableRow> rows { { "Part", "Version", "Description" } };
    for (const CatalogEntry &e : snappyCatalog()) {
        if (e.name.contains(term, Qt::CaseInsensitive))
            rows.append({ u8(e.name), u8(e.version), u8(e.description) });
    }
    if (rows.size() == 1)
        return ok();
    return ok(formatTable(rows));
}

} // namespace canyon::sim
