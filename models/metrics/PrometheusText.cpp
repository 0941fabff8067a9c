// SPDX-License-Identifier: GPL-3.0-or-later
#include "PrometheusText.h"

#include <QStringDecoder>
#include <QVarLengthArray>
#include <charconv>
#include <cstring>
#include <limits>

using namespace Qt::StringLiterals;

namespace canyon {

QString PrometheusSample::label(QStringView labelName) const
{
    for (const auto &[k, v] : labels)
        if (k == labelName)
            return v;
    return {};
}

namespace {

bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

bool isNameStart(char c, bool colon)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':');
}

bool isNameChar(char c, bool colon)
{
    return isNameStart(c, colon) || (c >= '0' && c <= '9');
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool equalsNoCase(QByteArrayView a, const char *lower)
{
    const qsizetype n = qsizetype(std::strlen(lower));
    if (a.size() != n)
        return false;
    for (qsizetype i = 0; i < n; ++i) {
        char c = a.at(i);
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
        if (c != lower[i])
            return false;
    }
    return true;
}

// One line of the exposition, read left to right. Every method either advances or fails with
// a reason; nothing looks back, so a line costs time linear in its length.
class LineReader
{
public:
    explicit LineReader(QByteArrayView line)
        : m_line(line)
    {
    }
    bool atEnd() const { return m_pos >= m_line.size(); }
    char peek() const { return atEnd() ? '\0' : m_line.at(m_pos); }
    void skip() { ++m_pos; }
    void skipBlanks()
    {
        while (!atEnd() && isBlank(m_line.at(m_pos)))
            ++m_pos;
    }
    // [a-zA-Z_:][a-zA-Z0-9_:]* for metric names (colon), [a-zA-Z_][a-zA-Z0-9_]* for label names
    QByteArrayView name(bool colon)
    {
        const qsizetype start = m_pos;
        if (!atEnd() && isNameStart(m_line.at(m_pos), colon)) {
            ++m_pos;
            while (!atEnd() && isNameChar(m_line.at(m_pos), colon))
                ++m_pos;
        }
        return m_line.sliced(start, m_pos - start);
    }
    QByteArrayView token() // up to the next blank or the end
    {
        const qsizetype start = m_pos;
        while (!atEnd() && !isBlank(m_line.at(m_pos)))
            ++m_pos;
        return m_line.sliced(start, m_pos - start);
    }
    QByteArrayView rest()
    {
        const QByteArrayView r = m_line.sliced(m_pos);
        m_pos = m_line.size();
        return r;
    }

private:
    QByteArrayView m_line;
    qsizetype m_pos = 0;
};

// Resolves the escapes of a label value (\\ \" \n, up to the closing quote) or of HELP text
// (\\ \n, to the end) into *buf. False with a reason on a bad escape or a missing quote.
bool unescape(LineReader &r, bool quoted, QByteArray *buf, QString *why)
{
    buf->clear();
    while (!r.atEnd()) {
        const char c = r.peek();
        r.skip();
        if (quoted && c == '"')
            return true;
        if (c != '\\') {
            buf->append(c);
            continue;
        }
        const char e = r.peek();
        if (r.atEnd()) {
            *why = u"a backslash ends the line"_s;
            return false;
        }
        r.skip();
        if (e == '\\')
            buf->append('\\');
        else if (e == 'n')
            buf->append('\n');
        else if (e == '"' && quoted)
            buf->append('"');
        else {
            *why = u"invalid escape sequence \\%1"_s.arg((e > 0x20 && e < 0x7f)
                    ? QString(QChar::fromLatin1(e))
                    : u"x%1"_s.arg(uint(uchar(e)), 2, 16, QChar(u'0')));
            return false;
        }
    }
    if (quoted) {
        *why = u"a label value has no closing quote"_s;
        return false;
    }
    return true;
}

bool toText(const QByteArray &bytes, QString *out)
{
    bool ascii = true;
    for (const char c : bytes) {
        if (uchar(c) >= 0x80) {
            ascii = false;
            break;
        }
    }
    if (ascii) {
        *out = QString::fromLatin1(bytes);
        return true;
    }
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString s = utf8.decode(bytes);
    if (utf8.hasError())
        return false;
    *out = std::move(s);
    return true;
}

// Go's strconv.ParseFloat, as Prometheus reads values, minus hex floats and underscores.
bool parseValue(QByteArrayView t, double *v, QString *why)
{
    QByteArrayView body = t;
    const bool negative = !body.isEmpty() && body.front() == '-';
    if (!body.isEmpty() && (body.front() == '+' || body.front() == '-'))
        body = body.sliced(1);
    if (equalsNoCase(body, "inf") || equalsNoCase(body, "infinity")) {
        *v = negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
        return true;
    }
    if (body.size() == t.size() && equalsNoCase(body, "nan")) {
        *v = std::numeric_limits<double>::quiet_NaN();
        return true;
    }
    // [digits][.digits][(e|E)[+-]digits], at least one mantissa digit
    qsizetype i = 0;
    qsizetype digits = 0;
    while (i < body.size() && isDigit(body.at(i)))
        ++i, ++digits;
    if (i < body.size() && body.at(i) == '.') {
        ++i;
        while (i < body.size() && isDigit(body.at(i)))
            ++i, ++digits;
    }
    bool good = digits > 0;
    if (good && i < body.size() && (body.at(i) == 'e' || body.at(i) == 'E')) {
        ++i;
        if (i < body.size() && (body.at(i) == '+' || body.at(i) == '-'))
            ++i;
        qsizetype expDigits = 0;
        while (i < body.size() && isDigit(body.at(i)))
            ++i, ++expDigits;
        good = expDigits > 0;
    }
    if (!good || i != body.size()) {
        *why = u"the value is not a number"_s;
        return false;
    }
    double d = 0;
    const auto [end, ec]
        = std::from_chars(body.data(), body.data() + body.size(), d, std::chars_format::general);
    if (ec == std::errc::result_out_of_range) {
        *why = u"the value is beyond the range of a double"_s;
        return false;
    }
    if (ec != std::errc() || end != body.data() + body.size()) {
        *why = u"the value is not a number"_s;
        return false;
    }
    *v = negative ? -d : d;
    return true;
}

bool parseTimestamp(QByteArrayView t, qint64 *ms)
{
    const char *first = t.data();
    const char *last = t.data() + t.size();
    if (first != last && *first == '+')
        ++first;
    if (first == last || (*first == '-' && first + 1 == last))
        return false;
    const auto [end, ec] = std::from_chars(first, last, *ms);
    return ec == std::errc() && end == last;
}

// Repeated names and label values share one QString: LXD repeats a handful of them thousands
// of times. Bounded, so hostile input with all-different strings costs no more than plain copies.
class Interner
{
public:
    QString get(QByteArrayView bytes) // ASCII only
    {
        // fromRawData: a lookup without a copy (Qt 6.4 has no heterogeneous lookup)
        const auto it = m_strings.constFind(QByteArray::fromRawData(bytes.data(), bytes.size()));
        if (it != m_strings.cend())
            return it.value();
        QString s = QString::fromLatin1(bytes);
        if (m_strings.size() < 4096)
            m_strings.insert(bytes.toByteArray(), s);
        return s;
    }

private:
    QHash<QByteArray, QString> m_strings;
};

bool isKnownType(QByteArrayView t)
{
    return t == "counter" || t == "gauge" || t == "histogram" || t == "summary" || t == "untyped";
}

} // namespace

bool parsePrometheusText(QByteArrayView text, PrometheusText *out, QString *error)
{
    if (text.size() > kMaxPrometheusInputBytes) {
        *error = u"the metrics text is larger than %1 MiB"_s.arg(kMaxPrometheusInputBytes / (1024 * 1024));
        return false;
    }
    PrometheusText result;
    Interner strings;
    QByteArray buf;
    QString why;
    qsizetype lineNo = 0;
    qsizetype pos = 0;
    auto fail = [&](const QString &reason) {
        *error = u"line %1: %2"_s.arg(lineNo).arg(reason);
        return false;
    };
    while (pos < text.size()) {
        ++lineNo;
        const void *nl = std::memchr(text.data() + pos, '\n', size_t(text.size() - pos));
        const qsizetype end = nl ? qsizetype(static_cast<const char *>(nl) - text.data()) : text.size();
        QByteArrayView line = text.sliced(pos, end - pos);
        pos = end + 1;
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.size() > kMaxPrometheusLineBytes)
            return fail(u"longer than %1 bytes"_s.arg(kMaxPrometheusLineBytes));
        LineReader r(line);
        r.skipBlanks();
        if (r.atEnd())
            continue;

        if (r.peek() == '#') {
            r.skip();
            r.skipBlanks();
            const QByteArrayView keyword = r.token();
            if (keyword != "HELP" && keyword != "TYPE")
                continue; // a plain comment
            r.skipBlanks();
            if (r.atEnd())
                continue; // "# HELP" alone: a comment, as Prometheus reads it
            const QByteArrayView family = r.name(true);
            if (family.isEmpty() || !(r.atEnd() || isBlank(r.peek())))
                return fail(u"# %1 needs a metric name"_s.arg(QLatin1String(keyword)));
            const QString familyName = strings.get(family);
            r.skipBlanks();
            if (keyword == "TYPE") {
                QByteArrayView type = r.rest();
                while (!type.isEmpty() && isBlank(type.back()))
                    type.chop(1);
                if (!isKnownType(type))
                    return fail(u"unknown metric type for %1"_s.arg(familyName));
                if (result.types.contains(familyName))
                    return fail(u"a second # TYPE line for %1"_s.arg(familyName));
                result.types.insert(familyName, QString::fromLatin1(type));
            } else {
                if (!unescape(r, false, &buf, &why))
                    return fail(why);
                QString help;
                if (!toText(buf, &help))
                    return fail(u"the help text is not valid UTF-8"_s);
                if (result.help.contains(familyName))
                    return fail(u"a second # HELP line for %1"_s.arg(familyName));
                result.help.insert(familyName, help);
            }
            continue;
        }

        if (result.samples.size() >= kMaxPrometheusSamples)
            return fail(u"more than %1 samples"_s.arg(kMaxPrometheusSamples));
        PrometheusSample sample;
        const QByteArrayView name = r.name(true);
        if (name.isEmpty())
            return fail(u"expected a metric name"_s);
        sample.name = strings.get(name);
        if (!r.atEnd() && !isBlank(r.peek()) && r.peek() != '{')
            return fail(u"unexpected character after the metric name"_s);
        r.skipBlanks();
        if (r.peek() == '{') {
            r.skip();
            QVarLengthArray<QByteArrayView, 16> seen;
            for (;;) {
                r.skipBlanks();
                if (r.atEnd())
                    return fail(u"the label set has no closing brace"_s);
                if (r.peek() == '}') {
                    r.skip();
                    break;
                }
                const QByteArrayView labelName = r.name(false);
                if (labelName.isEmpty())
                    return fail(u"expected a label name"_s);
                for (const QByteArrayView &s : std::as_const(seen))
                    if (s == labelName)
                        return fail(u"the label %1 appears twice"_s.arg(QLatin1String(labelName)));
                if (seen.size() >= kMaxPrometheusLabels)
                    return fail(u"more than %1 labels"_s.arg(kMaxPrometheusLabels));
                seen.append(labelName);
                r.skipBlanks();
                if (r.peek() != '=')
                    return fail(u"expected = after the label %1"_s.arg(QLatin1String(labelName)));
                r.skip();
                r.skipBlanks();
                if (r.peek() != '"')
                    return fail(u"expected a quoted value for the label %1"_s.arg(QLatin1String(labelName)));
                r.skip();
                if (!unescape(r, true, &buf, &why))
                    return fail(why);
                QString value;
                bool ascii = true;
                for (const char c : std::as_const(buf))
                    ascii = ascii && uchar(c) < 0x80;
                if (ascii)
                    value = strings.get(buf);
                else if (!toText(buf, &value))
                    return fail(
                        u"the value of the label %1 is not valid UTF-8"_s.arg(QLatin1String(labelName)));
                sample.labels.append({ strings.get(labelName), std::move(value) });
                r.skipBlanks();
                if (r.peek() == ',') {
                    r.skip();
                } else if (r.peek() != '}') {
                    return fail(u"expected , or } after a label value"_s);
                }
            }
        }
        r.skipBlanks();
        if (r.atEnd())
            return fail(u"the sample has no value"_s);
        if (!parseValue(r.token(), &sample.value, &why))
            return fail(why);
        r.skipBlanks();
        if (!r.atEnd()) {
            qint64 ms = 0;
            if (!parseTimestamp(r.token(), &ms))
                return fail(u"the timestamp is not an integer number of milliseconds"_s);
            sample.timestampMs = ms;
            r.skipBlanks();
            if (!r.atEnd())
                return fail(u"unexpected text after the timestamp"_s);
        }
        result.samples.append(std::move(sample));
    }
    *out = std::move(result);
    return true;
}

} // namespace canyon
