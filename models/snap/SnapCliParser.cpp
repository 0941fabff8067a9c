// SPDX-License-Identifier: GPL-3.0-or-later
#include "SnapCliParser.h"

#include "TextTable.h"
#include "domain/PlainText.h"

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

bool fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return false;
}

QString tooLarge(qsizetype bytes)
{
    return QStringLiteral("output too large (%1 bytes, limit %2)").arg(bytes).arg(kMaxParserInputBytes);
}

// Calls f(line) for each line, CR of CRLF dropped; stops early when f returns false.
template<typename F> void forEachLine(const QString &text, F f)
{
    qsizetype pos = 0;
    while (pos < text.size()) {
        qsizetype end = text.indexOf(u'\n', pos);
        if (end < 0)
            end = text.size();
        QStringView line = QStringView(text).mid(pos, end - pos);
        if (line.endsWith(u'\r'))
            line.chop(1);
        pos = end + 1;
        if (!f(line))
            return;
    }
}

bool hasLine(const QString &text, QStringView wanted)
{
    bool found = false;
    forEachLine(text, [&](QStringView line) {
        found = line.trimmed() == wanted;
        return !found;
    });
    return found;
}

bool hasLineStartingWith(const QString &text, QStringView prefix)
{
    bool found = false;
    forEachLine(text, [&](QStringView line) {
        found = line.trimmed().startsWith(prefix);
        return !found;
    });
    return found;
}

// snap reports failures as "error: <message>" on stderr, long messages wrapped onto indented
// continuation lines. Returns the message (prefix dropped, lines joined), or empty if none.
QString snapErrorMessage(const QString &text)
{
    QString msg;
    bool inError = false;
    forEachLine(text, [&](QStringView line) {
        if (!inError) {
            if (line.startsWith(u"error:")) {
                inError = true;
                msg = line.mid(6).trimmed().toString();
            }
            return true;
        }
        if (line.isEmpty() || !line.front().isSpace())
            return false;
        msg += u' ' + line.trimmed().toString();
        return msg.size() < 4000;
    });
    if (inError && msg.isEmpty())
        msg = u"error"_s;
    return boundedRemote(msg);
}

QString stripTrailingSgr(QString s)
{
    // colour output wraps the validation mark in SGR sequences ("\x1b[32m✓\x1b[0m")
    while (s.endsWith(u'm')) {
        const qsizetype esc = s.lastIndexOf(u"\x1b["_s);
        if (esc < 0)
            break;
        bool params = true;
        for (qsizetype i = esc + 2; i < s.size() - 1; ++i)
            params = params && ((s.at(i) >= u'0' && s.at(i) <= u'9') || s.at(i) == u';');
        if (!params)
            break;
        s.truncate(esc);
    }
    return s;
}

// Publisher cell: "canonical✓" / "canonical**" (verified), "x✪" / "x*" (starred), "-" (none).
QString publisherFromCell(const QString &cell)
{
    if (cell == u"-")
        return {};
    QString s = stripTrailingSgr(cell);
    if (s.endsWith(QChar(0x2713)) || s.endsWith(QChar(0x272A)))
        s.chop(1);
    else if (s.endsWith(u"**"))
        s.chop(2);
    else if (s.endsWith(u'*'))
        s.chop(1);
    else
        return cell; // no mark: keep the remote text untouched
    return stripTrailingSgr(s);
}

QStringList notesFromCell(const QString &cell)
{
    QStringList notes;
    if (cell.isEmpty() || cell == u"-")
        return notes;
    const QStringList words = cell.split(u',');
    for (const QString &w : words) {
        const QString t = w.trimmed();
        if (!t.isEmpty())
            notes.append(t);
    }
    return notes;
}

// snap list names a snap's type in its notes for everything but apps ("core" = type os).
QString typeFromNotes(const QStringList &notes)
{
    for (const QString &n : notes) {
        if (n == u"core")
            return u"os"_s;
        if (n == u"base" || n == u"snapd" || n == u"gadget" || n == u"kernel")
            return n;
    }
    return {};
}

constexpr auto kTruncated = "output ends in the middle of a row (truncated)"_L1;

} // namespace

bool parseSnapList(const QByteArray &output, SnapList *snaps, QString *error)
{
    if (output.size() > kMaxParserInputBytes)
        return fail(error, tooLarge(output.size()));
    const QString text = decodeRemote(output);

    TextTable table;
    QString why;
    if (!parseColumnTable(text, &table, &why, { u"Name"_s, u"Version"_s, u"Rev"_s, u"Notes"_s })) {
        // With nothing installed snap prints no table, only this on stderr (exit 0).
        if (text.trimmed().isEmpty() || hasLineStartingWith(text, u"No snaps are installed yet")) {
            snaps->clear();
            return true;
        }
        const QString err = snapErrorMessage(text);
        return fail(error, err.isEmpty() ? u"snap list: "_s + why : err);
    }
    if (table.truncated)
        return fail(error, u"snap list: "_s + kTruncated);

    const int cName = table.column(u"Name"_s);
    const int cVersion = table.column(u"Version"_s);
    const int cRev = table.column(u"Rev"_s);
    const int cTracking = table.column(u"Tracking"_s);
    int cPublisher = table.column(u"Publisher"_s);
    if (cPublisher < 0)
        cPublisher = table.column(u"Developer"_s); // snapd before 2.30
    const int cNotes = table.column(u"Notes"_s);

    SnapList result;
    result.reserve(table.rows.size());
    for (qsizetype i = 0; i < table.rows.size(); ++i) {
        const QStringList &row = table.rows.at(i);
        Snap s;
        s.name = TextTable::cell(row, cName);
        s.version = TextTable::cell(row, cVersion);
        const QString rev = TextTable::cell(row, cRev);
        if (s.name.isEmpty() || rev.isEmpty())
            return fail(error,
                QStringLiteral("snap list: row %1 has no name or revision: \"%2\"")
                    .arg(i + 1)
                    .arg(visibleText(row.join(u"  ").trimmed(), 120)));
        s.revision = rev;
        const QString tracking = TextTable::cell(row, cTracking);
        s.channel = tracking == u"-" ? QString() : tracking;
        s.publisher = publisherFromCell(TextTable::cell(row, cPublisher));
        s.notes = notesFromCell(TextTable::cell(row, cNotes));
        s.active = !s.notes.contains(u"disabled"_s);
        s.type = typeFromNotes(s.notes);
        result.append(std::move(s));
    }
    *snaps = std::move(result);
    return true;
}

RefreshCheck parseSnapRefreshList(const QByteArray &output, int exitCode)
{
    RefreshCheck r;
    if (output.size() > kMaxParserInputBytes) {
        r.error = tooLarge(output.size());
        return r;
    }
    const QString text = decodeRemote(output);
    const QString err = snapErrorMessage(text);
    if (!err.isEmpty()) {
        r.error = err;
        return r;
    }
    if (exitCode != 0) {
        const QString first = remoteSnippet(text);
        r.error = QStringLiteral("snap refresh --list failed (exit status %1)").arg(exitCode)
            + (first.isEmpty() ? QString() : u": "_s + first);
        return r;
    }
    if (hasLine(text, u"All snaps up to date.")) {
        r.determined = true;
        return r;
    }
    TextTable table;
    QString why;
    if (!parseColumnTable(text, &table, &why, { u"Name"_s, u"Version"_s, u"Rev"_s })) {
        r.error = u"snap refresh --list: "_s + why;
        return r;
    }
    if (table.truncated) {
        r.error = u"snap refresh --list: "_s + kTruncated;
        return r;
    }
    const int cName = table.column(u"Name"_s);
    const int cVersion = table.column(u"Version"_s);
    const int cRev = table.column(u"Rev"_s);
    QHash<QString, SnapUpdate> updates;
    for (qsizetype i = 0; i < table.rows.size(); ++i) {
        const QStringList &row = table.rows.at(i);
        const QString name = TextTable::cell(row, cName);
        const QString rev = TextTable::cell(row, cRev);
        if (name.isEmpty() || rev.isEmpty()) {
            r.error = QStringLiteral("snap refresh --list: row %1 has no name or revision: \"%2\"")
                          .arg(i + 1)
                          .arg(visibleText(row.join(u"  ").trimmed(), 120));
            return r;
        }
        updates.insert(name, SnapUpdate { TextTable::cell(row, cVersion), rev });
    }
    r.determined = true;
    r.updates = std::move(updates);
    return r;
}

bool parseSnapVersion(const QByteArray &output, DeviceSystem *system, QString *error)
{
    if (output.size() > kMaxParserInputBytes)
        return fail(error, tooLarge(output.size()));
    const QString text = decodeRemote(output);
    DeviceSystem sys = *system;
    bool haveSnapd = false;
    bool haveOs = false;
    forEachLine(text, [&](QStringView line) {
        // "key<spaces or tab>value"; snap's tabwriter pads the key column
        const QStringView t = line.trimmed();
        qsizetype sep = 0;
        while (sep < t.size() && !t.at(sep).isSpace())
            ++sep;
        const QStringView key = t.left(sep);
        const QString value = t.mid(sep).trimmed().toString();
        if (key.isEmpty())
            return true;
        if (key == u"snap" || key == u"snapd-bin-origin" || key == u"snap-bin-origin") {
            // the client's own version and --verbose details: not the device's
        } else if (key == u"snapd") {
            haveSnapd = true;
            sys.snapdVersion = value;
        } else if (key == u"series") {
            sys.series = value == u"-" ? QString() : value;
        } else if (key == u"kernel") {
            sys.kernel = value;
        } else if (key == u"architecture") {
            sys.architecture = value;
        } else if (!haveOs) {
            // The os-release line "<ID> <VERSION_ID>". ID is [a-z0-9._-] by os-release(5), which
            // also keeps stray lines ("sudo: unable to resolve host ...") from posing as it.
            bool idLike = true;
            for (const QChar c : key)
                idLike = idLike
                    && ((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'.' || c == u'_'
                        || c == u'-');
            if (idLike && key != u"-") {
                haveOs = true;
                sys.os = key.toString();
                sys.release = value == u"-" ? QString() : value;
            }
        }
        return true;
    });
    if (!haveSnapd) {
        const QString err = snapErrorMessage(text);
        if (!err.isEmpty())
            return fail(error, err);
        return fail(error,
            QStringLiteral("not snap version output (no snapd line): \"%1\"").arg(remoteSnippet(text)));
    }
    // snap prints this when it cannot reach snapd
    if (sys.snapdVersion == u"unavailable" || sys.snapdVersion.isEmpty())
        return fail(error, u"snapd is unavailable (snap version could not reach it)"_s);
    if (!haveOs) {
        // snap prints the os-release line on classic systems only: none means Ubuntu Core.
        sys.os = u"ubuntu-core"_s;
        sys.release.clear();
    }
    *system = std::move(sys);
    return true;
}

void applyRefreshCheck(SnapList *snaps, const RefreshCheck &check)
{
    for (Snap &s : *snaps) {
        s.update = {};
        if (!check.determined) {
            s.updateKnowledge = UpdateKnowledge::Unknown;
            continue;
        }
        const auto it = check.updates.constFind(s.name);
        if (s.active && it != check.updates.constEnd()) {
            s.updateKnowledge = UpdateKnowledge::Available;
            s.update = it.value();
        } else {
            s.updateKnowledge = UpdateKnowledge::None;
        }
    }
}

} // namespace canyon
