// SPDX-License-Identifier: GPL-3.0-or-later
#include "SimTable.h"

#include <algorithm>

namespace canyon::sim {

int runeCount(const QByteArray &bytes)
{
    int count = 0;
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.constData());
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    while (i < n) {
        const unsigned char c = p[i];
        int len = 1;
        if (c >= 0xC2 && c <= 0xDF)
            len = 2;
        else if (c >= 0xE0 && c <= 0xEF)
            len = 3;
        else if (c >= 0xF0 && c <= 0xF4)
            len = 4;
        bool valid = len > 1 && i + len <= n;
        for (int k = 1; valid && k < len; ++k)
            valid = (p[i + k] & 0xC0) == 0x80;
        i += valid ? len : 1;
        ++count;
    }
    return count;
}

QByteArray formatTable(const QList<TableRow> &rows, int minWidth, int padding)
{
    qsizetype columns = 0;
    for (const auto &row : rows)
        columns = std::max(columns, row.size());

    // Only cells followed by another cell take part in a column (tabwriter's
    // rule: the trailing cell of a line is never padded).
    QList<int> widths(columns, minWidth);
    for (const auto &row : rows) {
        for (qsizetype c = 0; c + 1 < row.size(); ++c)
            widths[c] = std::max(widths[c], runeCount(row[c]) + padding);
    }

    QByteArray out;
    for (const auto &row : rows) {
        for (qsizetype c = 0; c < row.size(); ++c) {
            out += row[c];
            if (c + 1 < row.size())
                out += QByteArray(widths[c] - runeCount(row[c]), ' ');
        }
        out += '\n';
    }
    return out;
}

} // namespace canyon::sim
