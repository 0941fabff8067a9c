// SPDX-License-Identifier: GPL-3.0-or-later
#include "JsonReader.h"

#include <QStringDecoder>
#include <charconv>

namespace canyon {

namespace {

// As deep as QJsonDocument goes; keeps a hostile document from exhausting the stack.
constexpr qsizetype kMaxDepth = 1024;

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// UTF-8 to UTF-16 keeping a U+FEFF at the start (QString::fromUtf8 drops it as a byte order
// mark, but inside a string it is text).
QString fromUtf8(QByteArrayView utf8)
{
    QStringDecoder d(
        QStringDecoder::Utf8, QStringDecoder::Flag::Stateless | QStringDecoder::Flag::ConvertInitialBom);
    return d.decode(utf8);
}

} // namespace

JsonReader::JsonReader(QByteArrayView text)
    : m_text(text)
{
    if (m_text.startsWith("\xEF\xBB\xBF")) // a UTF-8 byte order mark, which QJsonDocument skips
        m_pos = 3;
}

bool JsonReader::fail()
{
    m_ok = false;
    m_pos = m_text.size();
    return false;
}

void JsonReader::skipSpace()
{
    while (m_pos < m_text.size() && isSpace(m_text[m_pos]))
        ++m_pos;
}

bool JsonReader::expect(char c)
{
    skipSpace();
    if (m_pos < m_text.size() && m_text[m_pos] == c) {
        ++m_pos;
        return true;
    }
    return fail();
}

JsonReader::Type JsonReader::peek()
{
    skipSpace();
    if (!m_ok || m_pos >= m_text.size())
        return Type::Invalid;
    switch (m_text[m_pos]) {
    case '{':
        return Type::Object;
    case '[':
        return Type::Array;
    case '"':
        return Type::String;
    case 't':
    case 'f':
        return Type::Bool;
    case 'n':
        return Type::Null;
    default:
        return m_text[m_pos] == '-' || isDigit(m_text[m_pos]) ? Type::Number : Type::Invalid;
    }
}

bool JsonReader::enter(char bracket)
{
    if (!m_ok || m_started.size() >= kMaxDepth || !expect(bracket))
        return fail();
    m_started.append(false);
    return true;
}

// Whether another member of the open object or array follows (past its comma); false at the
// closing bracket (the container is left) or on an error.
bool JsonReader::next(char closing)
{
    if (!m_ok || m_started.isEmpty())
        return fail();
    skipSpace();
    if (m_pos < m_text.size() && m_text[m_pos] == closing) {
        ++m_pos;
        m_started.removeLast();
        return false;
    }
    if (m_started.last() && !expect(','))
        return false;
    m_started.last() = true;
    return true;
}

bool JsonReader::beginObject()
{
    return enter('{');
}

bool JsonReader::nextKey(QByteArrayView *key)
{
    return next('}') && readKey(key) && expect(':');
}

bool JsonReader::beginArray()
{
    return enter('[');
}

bool JsonReader::nextElement()
{
    return next(']');
}

// A key's bytes: a view into the text when it has no escapes (Canyon's keys never do), else its
// UTF-8 decoded into m_key.
bool JsonReader::readKey(QByteArrayView *key)
{
    skipSpace();
    if (!m_ok || m_pos >= m_text.size() || m_text[m_pos] != '"')
        return fail();
    const qsizetype start = m_pos + 1;
    qsizetype i = start;
    while (i < m_text.size() && m_text[i] != '"' && m_text[i] != '\\' && uchar(m_text[i]) >= 0x20)
        ++i;
    if (i < m_text.size() && m_text[i] == '"') {
        *key = m_text.sliced(start, i - start);
        m_pos = i + 1;
        return true;
    }
    m_key = readString().toUtf8();
    *key = m_key;
    return m_ok;
}

QString JsonReader::readString()
{
    skipSpace();
    if (!m_ok || m_pos >= m_text.size() || m_text[m_pos] != '"') {
        fail();
        return {};
    }
    ++m_pos;
    const char *d = m_text.data();
    const qsizetype n = m_text.size();
    QString out;
    while (true) {
        qsizetype i = m_pos;
        while (i < n && d[i] != '"' && d[i] != '\\' && uchar(d[i]) >= 0x20)
            ++i;
        if (i >= n || uchar(d[i]) < 0x20) {
            fail(); // unterminated, or a raw control character
            return {};
        }
        const QByteArrayView run(d + m_pos, i - m_pos);
        if (d[i] == '"') {
            m_pos = i + 1;
            if (out.isEmpty())
                return fromUtf8(run);
            out += fromUtf8(run);
            return out;
        }
        out += fromUtf8(run);
        if (i + 1 >= n) {
            fail();
            return {};
        }
        const char e = d[i + 1];
        m_pos = i + 2;
        switch (e) {
        case '"':
        case '\\':
        case '/':
            out += QLatin1Char(e);
            break;
        case 'b':
            out += QLatin1Char('\b');
            break;
        case 'f':
            out += QLatin1Char('\f');
            break;
        case 'n':
            out += QLatin1Char('\n');
            break;
        case 'r':
            out += QLatin1Char('\r');
            break;
        case 't':
            out += QLatin1Char('\t');
            break;
        case 'u': {
            if (m_pos + 4 > n) {
                fail();
                return {};
            }
            int v = 0;
            for (int k = 0; k < 4; ++k) {
                const int h = hexDigit(d[m_pos + k]);
                if (h < 0) {
                    fail();
                    return {};
                }
                v = v * 16 + h;
            }
            m_pos += 4;
            out += QChar(char16_t(v)); // surrogate pairs arrive as two escapes, as QString holds them
            break;
        }
        default:
            fail();
            return {};
        }
    }
}

bool JsonReader::readLiteral(const char *word)
{
    skipSpace();
    const QByteArrayView w(word);
    if (!m_ok || !m_text.sliced(m_pos).startsWith(w))
        return fail();
    m_pos += w.size();
    return true;
}

bool JsonReader::readBool()
{
    skipSpace();
    if (m_ok && m_pos < m_text.size() && m_text[m_pos] == 't')
        return readLiteral("true");
    readLiteral("false");
    return false;
}

void JsonReader::readNull()
{
    readLiteral("null");
}

double JsonReader::readNumber()
{
    skipSpace();
    if (!m_ok)
        return 0;
    // RFC 8259: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    const qsizetype start = m_pos;
    const qsizetype n = m_text.size();
    qsizetype i = m_pos;
    auto bad = [this] {
        fail();
        return 0.0;
    };
    auto digits = [&] {
        const qsizetype from = i;
        while (i < n && isDigit(m_text[i]))
            ++i;
        return i > from;
    };
    if (i < n && m_text[i] == '-')
        ++i;
    if (i < n && m_text[i] == '0')
        ++i;
    else if (!digits())
        return bad();
    if (i < n && m_text[i] == '.') {
        ++i;
        if (!digits())
            return bad();
    }
    if (i < n && (m_text[i] == 'e' || m_text[i] == 'E')) {
        ++i;
        if (i < n && (m_text[i] == '+' || m_text[i] == '-'))
            ++i;
        if (!digits())
            return bad();
    }
    double v = 0;
    const auto [end, ec] = std::from_chars(m_text.data() + start, m_text.data() + i, v);
    if (ec == std::errc::invalid_argument || end != m_text.data() + i)
        return bad();
    m_pos = i;
    return v; // out of range: from_chars leaves 0 (QJsonDocument would keep infinity)
}

void JsonReader::skipValue()
{
    QByteArrayView key;
    switch (peek()) {
    case Type::Object:
        if (beginObject())
            while (nextKey(&key))
                skipValue();
        break;
    case Type::Array:
        if (beginArray())
            while (nextElement())
                skipValue();
        break;
    case Type::String:
        readString();
        break;
    case Type::Number:
        readNumber();
        break;
    case Type::Bool:
        readBool();
        break;
    case Type::Null:
        readNull();
        break;
    case Type::Invalid:
        fail();
        break;
    }
}

bool JsonReader::finished()
{
    skipSpace();
    return m_ok && m_started.isEmpty() && m_pos == m_text.size();
}

} // namespace canyon
