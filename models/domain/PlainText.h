// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace canyon {

// Remote text is shown as plain text with control characters made visible: ESC becomes
// "\x1b", NUL "\x00", bidi overrides "\u202e", so a hostile name cannot paint, hide or reorder.
// Invalid UTF-8 becomes U+FFFD. maxChars bounds what is kept (0 = unbounded), with an ellipsis.
QString visibleText(const QString &remote, qsizetype maxChars = 0);
QString decodeRemote(const QByteArray &bytes); // UTF-8 with U+FFFD for invalid sequences

} // namespace canyon
