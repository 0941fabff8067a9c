// SPDX-License-Identifier: GPL-3.0-or-later
#include "PlainText.h"

#include <QStringDecoder>

namespace canyon {

static bool isFormatControl(char32_t c)
{
    // bidi embeddings/overrides/isolates and zero-width marks that can reorder or hide text
    return (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)
        || c == 0xFEFF || c == 0x061C;
}

QString visibleText(const QString &remote, qsizetype maxChars)
{
    QString out;
    out.reserve(qMin<qsizetype>(remote.size(), maxChars > 0 ? maxChars + 8 : remote.size()));
    for (qsizetype i = 0; i < remote.size(); ++i) {
        if (maxChars > 0 && out.size() >= maxChars) {
            out += QChar(0x2026);
            break;
        }
        const QChar ch = remote.at(i);
        const char16_t c = ch.unicode();
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
            if (c == u'\t') {
                out += u' ';
                continue;
            }
            out += QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
        } else if (isFormatControl(c)) {
            out += QStringLiteral("\\u%1").arg(uint(c), 4, 16, QLatin1Char('0'));
        } else {
            out += ch;
        }
    }
    return out;
}

QString decodeRemote(const QByteArray &bytes)
{
    QStringDecoder dec(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    return dec.decode(bytes);
}

} // namespace canyon
