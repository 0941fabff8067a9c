// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace canyon {

// A column-aligned text table (snap/snappy CLI output). Cells are cut at the header's
// column start positions, never by splitting on whitespace: a cell may be empty.
struct TextTable
{
    QStringList headers;
    QList<QStringList> rows; // each row has headers.size() cells, trimmed
    int column(const QString &header) const { return int(headers.indexOf(header)); }
};

// Parses the first table in text (header = first non-empty line; stops at the first blank
// line after rows). requiredHeaders must all be present, else false with a reason.
bool parseColumnTable(const QString &text, TextTable *out, QString *error,
                      const QStringList &requiredHeaders = {});

} // namespace canyon
