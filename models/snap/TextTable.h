// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace canyon {

// Limits shared by the snap/snappy/snapd parsers: remote output beyond them is refused with an
// error rather than parsed, so a hostile device cannot make the console eat its memory.
inline constexpr qsizetype kMaxParserInputBytes = 16 * 1024 * 1024;
inline constexpr qsizetype kMaxTableRows = 100000;
inline constexpr qsizetype kMaxTableColumns = 16;
inline constexpr qsizetype kMaxTableLineChars = 1024 * 1024;

// A column-aligned text table (snap/snappy CLI output). Cells are cut at the header's
// column start positions, never by splitting on whitespace: a cell may be empty.
struct TextTable
{
    QStringList headers;
    QList<QStringList> rows; // each row has headers.size() cells, trimmed of spaces
    // The last row was the text's final line and had no newline: it may be cut short.
    bool truncated = false;
    // Lines after the last row that do not line up with the header (stderr warnings such as
    // "WARNING: There is 1 new warning...", garbage): not rows. At most a few are kept.
    QStringList trailer;
    int column(const QString &header) const { return int(headers.indexOf(header)); }
    // The cell, or an empty string when column is -1 (header absent).
    static QString cell(const QStringList &row, int column)
    {
        return column >= 0 && column < row.size() ? row.at(column) : QString();
    }
};

// Parses the first table in text.
// - Lines end at LF; a CR before it is dropped. Tabs are expanded to 8-column tab stops, so
//   tab-aligned output (snappy 2014) parses like space-aligned output (snap's tabwriter).
// - Positions are QChar (UTF-16 unit) offsets in the decoded line, the same unit for header
//   and rows. Go's tabwriter counts code points, so a row holding characters outside the BMP
//   (emoji: two QChars each) has its later cells shifted by one per such character; real
//   snap output only has ASCII plus BMP marks (✓) there.
// - Header: the first non-blank line, or with requiredHeaders, the first line whose
//   space-separated words include them all (so a "sudo: unable to resolve host" line before
//   the table is skipped). Header words are compared with ANSI SGR sequences removed.
// - Cell i of a row = the text from column i's start to column i+1's start, trimmed of
//   spaces (cell 0 starts at 0; the last cell runs to the end of the line). A row shorter
//   than the header has empty cells at the end; a wider line's overflow lands in the last cell.
// - Rows end at the first blank line or at the end of text. Lines that do not line up with
//   the header (a non-space just before a column start) and are followed by no aligned row
//   go to trailer; misaligned lines between aligned rows are still cut by position.
// Returns false with a reason when no header is found, requiredHeaders are missing, or the
// input exceeds the limits above (chars, rows, columns, line length).
bool parseColumnTable(
    const QString &text, TextTable *out, QString *error, const QStringList &requiredHeaders = {});

// For error messages that quote remote output: the first non-blank line, control characters
// made visible (visibleText) and capped at maxChars, so an error never carries a terminal
// escape or megabytes of garbage.
QString remoteSnippet(const QString &text, qsizetype maxChars = 120);

// Remote text kept as is but bounded (with an ellipsis), for messages such as snapd's errors.
QString boundedRemote(const QString &text, qsizetype maxChars = 2000);

} // namespace canyon
