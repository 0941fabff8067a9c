// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>

namespace canyon::sim {

using TableRow = QList<QByteArray>;

// Lays out rows the way Go's text/tabwriter does for snap and snappy
// (NewWriter(out, minwidth 5, tabwidth 3, padding 2, ' ', 0)): every cell but
// the last is padded to the widest cell of its column plus two, at least 5;
// widths count UTF-8 code points (each invalid byte counts as one), as Go does.
// Cells are raw bytes so hostile devices can carry invalid UTF-8.
QByteArray formatTable(const QList<TableRow> &rows, int minWidth = 5, int padding = 2);

// Go's utf8.RuneCount: lead bytes and invalid bytes count, continuation bytes of
// a well-formed sequence do not.
int runeCount(const QByteArray &bytes);

} // namespace canyon::sim
