// SPDX-License-Identifier: GPL-3.0-or-later
#include "JsonWriter.h"

#include <algorithm>
#include <iterator>

namespace canyon {

JsonWriter::JsonWriter(QByteArray *out, bool indented)
    : m_out(out)
    , m_indented(indented)
{
}

void JsonWriter::newline()
{
    if (!m_indented)
        return;
    m_out->append('\n');
    m_out->append(4 * m_nonEmpty.size(), ' '); // in place: no array of spaces per line
}

// A comma before every element but the first, and the line break of indented output. A value
// right after its key follows it on the same line.
void JsonWriter::beforeValue()
{
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (m_nonEmpty.isEmpty())
        return;
    if (m_nonEmpty.back())
        m_out->append(',');
    m_nonEmpty.back() = true;
    newline();
}

void JsonWriter::open(char bracket)
{
    beforeValue();
    m_out->append(bracket);
    m_nonEmpty.append(false);
}

void JsonWriter::close(char bracket)
{
    const bool nonEmpty = m_nonEmpty.back();
    m_nonEmpty.removeLast();
    if (nonEmpty)
        newline();
    m_out->append(bracket);
    if (m_nonEmpty.isEmpty() && m_indented)
        m_out->append('\n');
}

void JsonWriter::beginObject()
{
    open('{');
}

void JsonWriter::endObject()
{
    close('}');
}

void JsonWriter::beginArray()
{
    open('[');
}

void JsonWriter::endArray()
{
    close(']');
}

JsonWriter &JsonWriter::key(QLatin1StringView name)
{
    beforeValue();
    m_out->append('"');
    m_out->append(name.data(), name.size());
    m_out->append(m_indented ? "\": " : "\":");
    m_afterKey = true;
    return *this;
}

void JsonWriter::value(QStringView text)
{
    beforeValue();
    appendString(m_out, text);
}

void JsonWriter::value(bool b)
{
    beforeValue();
    m_out->append(b ? "true" : "false");
}

void JsonWriter::value(const std::optional<QString> &text)
{
    if (text)
        value(*text);
    else
        null();
}

void JsonWriter::null()
{
    beforeValue();
    m_out->append("null");
}

void JsonWriter::appendString(QByteArray *out, QStringView text)
{
    // toUtf8 replaces a lone surrogate, so the bytes are always valid UTF-8.
    const QByteArray utf8 = text.toUtf8();
    out->append('"');
    const char *p = utf8.constData();
    const char *end = p + utf8.size();
    const char *run = p;
    static constexpr char hex[] = "0123456789abcdef";
    for (; p != end; ++p) {
        const auto c = static_cast<unsigned char>(*p);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out->append(run, p - run);
        run = p + 1;
        // JSON's short escapes where there is one, \u00XX for the other control characters.
        static constexpr char shortForm[][2] = { { '"', '"' }, { '\\', '\\' }, { '\n', 'n' }, { '\r', 'r' },
            { '\t', 't' }, { '\b', 'b' }, { '\f', 'f' } };
        const auto named = std::find_if(
            std::begin(shortForm), std::end(shortForm), [c](const char(&e)[2]) { return e[0] == char(c); });
        if (named != std::end(shortForm)) {
            const char esc[] = { '\\', (*named)[1] };
            out->append(esc, sizeof esc);
        } else {
            const char esc[] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf] };
            out->append(esc, sizeof esc);
        }
    }
    out->append(run, p - run);
    out->append('"');
}

} // namespace canyon
