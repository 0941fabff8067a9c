// SPDX-License-Identifier: GPL-3.0-or-later
#include "TextTable.h"

#include "domain/PlainText.h"

#include <QRegularExpression>
#include <utility>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

constexpr int kTabStop = 8;
// Total characters kept in cells: tab expansion can grow a line 8x, so the input cap alone
// does not bound memory.
constexpr qsizetype kMaxCellChars = 32 * 1024 * 1024;
constexpr qsizetype kMaxTrailerLines = 8;

// Expands tabs to kTabStop columns; false when the result would exceed kMaxTableLineChars.
bool expandTabs(QStringView raw, QString *out)
{
    if (!raw.contains(u'\t')) {
        *out = raw.toString();
        return true;
    }
    QString s;
    s.reserve(raw.size() + 8);
    for (const QChar ch : raw) {
        if (ch == u'\t') {
            const qsizetype pad = kTabStop - s.size() % kTabStop;
            s.append(QString(pad, u' '));
        } else {
            s.append(ch);
        }
        if (s.size() > kMaxTableLineChars)
            return false;
    }
    *out = std::move(s);
    return true;
}

bool isBlank(QStringView line)
{
    for (const QChar ch : line) {
        if (ch != u' ' && ch != u'\t')
            return false;
    }
    return true;
}

// Only the ASCII space separates columns (tabs are expanded before): other whitespace, even
// U+00A0, is part of a remote value and kept.
QString trimSpaces(QStringView s)
{
    qsizetype b = 0;
    qsizetype e = s.size();
    while (b < e && s.at(b) == u' ')
        ++b;
    while (e > b && s.at(e - 1) == u' ')
        --e;
    return s.mid(b, e - b).toString();
}

QString withoutSgr(const QString &word)
{
    if (!word.contains(u'\x1b'))
        return word;
    static const QRegularExpression csi(u"\\x1b\\[[0-9;?]*[ -/]*[@-~]"_s);
    QString s = word;
    s.remove(csi);
    return s;
}

void splitHeader(const QString &line, QStringList *names, QList<qsizetype> *starts)
{
    qsizetype i = 0;
    const qsizetype n = line.size();
    while (i < n) {
        while (i < n && line.at(i) == u' ')
            ++i;
        if (i >= n)
            break;
        const qsizetype b = i;
        while (i < n && line.at(i) != u' ')
            ++i;
        names->append(withoutSgr(line.mid(b, i - b)));
        starts->append(b);
    }
}

// A real row has padding before every column start it reaches (tabwriter pads by >= 1).
bool isAligned(const QString &line, const QList<qsizetype> &starts)
{
    for (qsizetype c = 1; c < starts.size(); ++c) {
        const qsizetype s = starts.at(c);
        if (s >= line.size())
            break;
        if (line.at(s - 1) != u' ')
            return false;
    }
    return true;
}

QStringList cutRow(const QString &line, const QList<qsizetype> &starts)
{
    QStringList cells;
    cells.reserve(starts.size());
    const QStringView v(line);
    for (qsizetype c = 0; c < starts.size(); ++c) {
        const qsizetype b = c == 0 ? 0 : starts.at(c);
        const qsizetype e = c + 1 < starts.size() ? starts.at(c + 1) : line.size();
        if (b >= line.size() || e <= b)
            cells.append(QString());
        else
            cells.append(trimSpaces(v.mid(b, qMin(e, line.size()) - b)));
    }
    return cells;
}

} // namespace

QString remoteSnippet(const QString &text, qsizetype maxChars)
{
    qsizetype pos = 0;
    while (pos < text.size()) {
        qsizetype end = text.indexOf(u'\n', pos);
        if (end < 0)
            end = text.size();
        const QStringView line = QStringView(text).mid(pos, end - pos).trimmed();
        if (!line.isEmpty())
            return visibleText(line.left(maxChars + 1).toString(), maxChars);
        pos = end + 1;
    }
    return {};
}

QString boundedRemote(const QString &text, qsizetype maxChars)
{
    if (text.size() <= maxChars)
        return text;
    return text.left(maxChars) + QChar(0x2026);
}

bool parseColumnTable(const QString &text, TextTable *out, QString *error, const QStringList &requiredHeaders)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    if (text.size() > kMaxParserInputBytes)
        return fail(QStringLiteral("output too large (%1 characters)").arg(text.size()));

    TextTable table;
    QList<qsizetype> starts;
    bool haveHeader = false;
    bool sawText = false;
    QString firstLine; // quoted in the no-header error
    // Misaligned lines seen after the last aligned row: rows if an aligned one follows, else trailer.
    QList<std::pair<QString, bool>> pending;
    qsizetype cellChars = 0;

    auto addRow = [&](const QString &line, bool terminated) {
        cellChars += line.size();
        table.rows.append(cutRow(line, starts));
        table.truncated = !terminated;
    };

    const qsizetype n = text.size();
    qsizetype pos = 0;
    qsizetype lineNo = 0;
    while (pos < n) {
        qsizetype end = text.indexOf(u'\n', pos);
        const bool terminated = end >= 0;
        if (!terminated)
            end = n;
        QStringView raw = QStringView(text).mid(pos, end - pos);
        pos = end + 1;
        ++lineNo;
        if (raw.endsWith(u'\r'))
            raw.chop(1);
        if (isBlank(raw)) {
            if (haveHeader)
                break;
            continue;
        }
        if (raw.size() > kMaxTableLineChars)
            return fail(
                QStringLiteral("line %1 is longer than %2 characters").arg(lineNo).arg(kMaxTableLineChars));
        if (!haveHeader) {
            if (!sawText)
                firstLine = raw.left(200).toString();
            sawText = true;
            // cheap test first: megabytes of non-table lines must not each be split into words
            bool mayMatch = true;
            for (const QString &h : requiredHeaders)
                mayMatch = mayMatch && raw.contains(h);
            if (!mayMatch)
                continue;
        }
        QString line;
        if (!expandTabs(raw, &line))
            return fail(
                QStringLiteral("line %1 is longer than %2 characters").arg(lineNo).arg(kMaxTableLineChars));
        if (!haveHeader) {
            QStringList names;
            QList<qsizetype> st;
            splitHeader(line, &names, &st);
            bool all = true;
            for (const QString &h : requiredHeaders)
                all = all && names.contains(h);
            if (!all)
                continue;
            if (names.size() > kMaxTableColumns)
                return fail(QStringLiteral("table header has %1 columns (more than %2)")
                                .arg(names.size())
                                .arg(kMaxTableColumns));
            table.headers = names;
            starts = st;
            haveHeader = true;
            table.truncated = !terminated;
            continue;
        }
        if (table.rows.size() + pending.size() >= kMaxTableRows)
            return fail(QStringLiteral("table has more than %1 rows").arg(kMaxTableRows));
        if (cellChars + line.size() > kMaxCellChars)
            return fail(QStringLiteral("table larger than %1 characters").arg(kMaxCellChars));
        if (isAligned(line, starts)) {
            for (const auto &[l, t] : std::as_const(pending))
                addRow(l, t);
            pending.clear();
            addRow(line, terminated);
        } else {
            cellChars += line.size();
            pending.append({ line, terminated });
        }
    }

    if (!haveHeader) {
        if (!sawText)
            return fail(u"empty output"_s);
        if (requiredHeaders.isEmpty()) // unreachable: any non-blank line is a header then
            return fail(u"no table header"_s);
        return fail(QStringLiteral("no table header with columns %1 (output starts with \"%2\")")
                        .arg(requiredHeaders.join(u' '), remoteSnippet(firstLine)));
    }
    for (qsizetype i = 0; i < pending.size() && i < kMaxTrailerLines; ++i)
        table.trailer.append(pending.at(i).first);
    *out = std::move(table);
    return true;
}

} // namespace canyon
