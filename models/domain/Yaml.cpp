// SPDX-License-Identifier: GPL-3.0-or-later
#include "Yaml.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

// PyYAML refuses implicit keys longer than 1024 characters: longer ones get "? KEY".
constexpr qsizetype maxImplicitKey = 1000;

template<class F> void forEachCodePoint(QStringView s, F f)
{
    for (qsizetype i = 0; i < s.size(); ++i) {
        const char16_t u = s[i].unicode();
        char32_t c = u;
        if (QChar::isHighSurrogate(u) && i + 1 < s.size() && QChar::isLowSurrogate(s[i + 1].unicode())) {
            c = QChar::surrogateToUcs4(u, s[i + 1].unicode());
            ++i;
        }
        f(c);
    }
}

// Outside YAML's printable set, or invisible/reordering on screen: written as an escape.
// '\n' is the caller's (a literal block or "\n").
bool mustEscape(char32_t c)
{
    if (c == U'\n')
        return false;
    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) // C0 (tab, CR), DEL, C1 (NEL)
        return true;
    if ((c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff) // a lone surrogate
        return true;
    if ((c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe) // non-characters
        return true;
    switch (QChar::category(c)) {
    case QChar::Other_Format: // bidi controls, zero-width characters, BOM
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
        return true;
    default:
        return false;
    }
}

bool anyEscape(QStringView s)
{
    bool any = false;
    forEachCodePoint(s, [&](char32_t c) { any = any || mustEscape(c); });
    return any;
}

void appendCodePoint(QString &out, char32_t c)
{
    if (c > 0xffff) {
        out += QChar(QChar::highSurrogate(c));
        out += QChar(QChar::lowSurrogate(c));
    } else {
        out += QChar(char16_t(c));
    }
}

QString doubleQuoted(QStringView s)
{
    QString out;
    out.reserve(s.size() + 2);
    out += u'"';
    forEachCodePoint(s, [&](char32_t c) {
        switch (c) {
        case U'"':
            out += u"\\\""_s;
            return;
        case U'\\':
            out += u"\\\\"_s;
            return;
        case 0x00:
            out += u"\\0"_s;
            return;
        case 0x07:
            out += u"\\a"_s;
            return;
        case 0x08:
            out += u"\\b"_s;
            return;
        case 0x09:
            out += u"\\t"_s;
            return;
        case 0x0a:
            out += u"\\n"_s;
            return;
        case 0x0b:
            out += u"\\v"_s;
            return;
        case 0x0c:
            out += u"\\f"_s;
            return;
        case 0x0d:
            out += u"\\r"_s;
            return;
        case 0x1b:
            out += u"\\e"_s;
            return;
        case 0x85:
            out += u"\\N"_s;
            return;
        case 0x2028:
            out += u"\\L"_s;
            return;
        case 0x2029:
            out += u"\\P"_s;
            return;
        default:
            break;
        }
        if (!mustEscape(c)) {
            appendCodePoint(out, c);
        } else if (c <= 0xff) {
            out += u"\\x"_s + QString::number(uint(c), 16).rightJustified(2, u'0');
        } else if (c <= 0xffff) {
            out += u"\\u"_s + QString::number(uint(c), 16).rightJustified(4, u'0');
        } else {
            out += u"\\U"_s + QString::number(uint(c), 16).rightJustified(8, u'0');
        }
    });
    out += u'"';
    return out;
}

// Would a reader take this plain (unquoted) scalar for exactly this string?
bool plainIsSafe(const QString &s)
{
    if (s.isEmpty())
        return false;
    const QChar first = s.front();
    const QChar last = s.back();
    if (first.isSpace() || last.isSpace())
        return false;
    // indicators, and the document markers "---" and "..."
    static const QString indicators = u"-?:,[]{}#&*!|>'\"%@`"_s;
    if (indicators.contains(first) || s.startsWith(u"..."_s))
        return false;
    if (s.contains(u": "_s) || s.contains(u" #"_s) || last == u':')
        return false;
    // YAML 1.1 and 1.2 null, booleans (y/n, yes/no, on/off), merge and value keys
    static const QRegularExpression reserved(
        u"^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO"
        "|on|On|ON|off|Off|OFF|<<|=)$"_s);
    // Anything number-like: ints, floats, hex/octal/binary, 1_000, sexagesimal 1:20, dates,
    // times, versions, ".inf"/".nan". Quoting a few harmless strings beats misreading one.
    static const QRegularExpression numeric(
        u"^(?:[-+]?\\.?[0-9]|\\._|[-+]?\\.(?:inf|Inf|INF|nan|NaN|NAN)$)"_s);
    return !reserved.match(s).hasMatch() && !numeric.match(s).hasMatch();
}

QString spaces(int n)
{
    return QString(n, u' ');
}

// A multi-line string as a literal block: only when every line shows as it is (no escapes, no
// trailing blanks a reader or an editor would lose) and there is text before the final newlines.
bool literalBlockFits(const QString &s)
{
    if (!s.contains(u'\n') || anyEscape(s))
        return false;
    qsizetype end = s.size();
    while (end > 0 && s.at(end - 1) == u'\n')
        --end;
    if (end == 0)
        return false;
    for (const QStringView line : QStringView(s).left(end).split(u'\n'))
        if (!line.isEmpty() && line.back().isSpace())
            return false;
    return true;
}

void appendLiteralBlock(QString &out, const QString &s, int col)
{
    qsizetype end = s.size();
    while (end > 0 && s.at(end - 1) == u'\n')
        --end;
    const qsizetype trailing = s.size() - end;
    const QList<QStringView> lines = QStringView(s).left(end).split(u'\n');
    // With a leading blank the indentation cannot be detected: say it (2, relative to the parent).
    bool indicator = false;
    for (const QStringView line : lines) {
        if (line.isEmpty())
            continue;
        indicator = line.front() == u' ';
        break;
    }
    out += u" |"_s;
    if (indicator)
        out += u'2';
    out += trailing == 0 ? u"-"_s : trailing == 1 ? QString() : u"+"_s;
    out += u'\n';
    const QString indent = spaces(col + 2);
    for (const QStringView line : lines) {
        if (!line.isEmpty())
            out += indent + line;
        out += u'\n';
    }
    for (qsizetype i = 1; i < trailing; ++i)
        out += u'\n';
}

QString yamlNumber(const QJsonValue &v)
{
    const QVariant var = v.toVariant();
    if (var.typeId() == QMetaType::LongLong)
        return QString::number(var.toLongLong());
    const double d = v.toDouble();
    if (!qIsFinite(d))
        return qIsNaN(d) ? u".nan"_s : d > 0 ? u".inf"_s : u"-.inf"_s;
    // YAML 1.1 floats need a '.' and a signed exponent ("1.0e+20"); 1.2 readers accept both.
    const QString t = QString::number(d, 'g', QLocale::FloatingPointShortest);
    const qsizetype e = t.indexOf(u'e');
    QString mantissa = e < 0 ? t : t.left(e);
    QString exponent = e < 0 ? QString() : t.mid(e);
    if (!mantissa.contains(u'.'))
        mantissa += u".0"_s;
    if (exponent.size() > 1 && exponent.at(1) != u'+' && exponent.at(1) != u'-')
        exponent.insert(1, u'+');
    return mantissa + exponent;
}

QString scalarText(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Bool:
        return v.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Double:
        return yamlNumber(v);
    case QJsonValue::String:
        return yamlScalar(v.toString());
    default:
        return u"null"_s;
    }
}

void appendMapping(QString &out, const QJsonObject &o, int col);
void appendSequence(QString &out, const QJsonArray &a, int col);

// The value after "KEY:" or "-" at column col: " scalar\n", a block, or a nested collection.
void appendValue(QString &out, const QJsonValue &v, int col, bool afterKey)
{
    if (v.isObject() && !v.toObject().isEmpty()) {
        out += u'\n';
        appendMapping(out, v.toObject(), col + 2);
    } else if (v.isArray() && !v.toArray().isEmpty()) {
        out += u'\n';
        // under a key: not indented (go-yaml, lxc); under "-": one level deeper
        appendSequence(out, v.toArray(), afterKey ? col : col + 2);
    } else if (v.isObject()) {
        out += u" {}\n"_s;
    } else if (v.isArray()) {
        out += u" []\n"_s;
    } else if (v.isString() && literalBlockFits(v.toString())) {
        appendLiteralBlock(out, v.toString(), col);
    } else {
        out += u' ' + scalarText(v) + u'\n';
    }
}

void appendEntry(QString &out, const QString &key, const QJsonValue &value, int col)
{
    const QString k = yamlScalar(key);
    if (k.size() > maxImplicitKey) {
        out += spaces(col) + u"? "_s + k + u'\n' + spaces(col) + u':';
    } else {
        out += spaces(col) + k + u':';
    }
    appendValue(out, value, col, true);
}

void appendMapping(QString &out, const QJsonObject &o, int col)
{
    for (auto it = o.constBegin(); it != o.constEnd(); ++it)
        appendEntry(out, it.key(), it.value(), col);
}

void appendSequence(QString &out, const QJsonArray &a, int col)
{
    for (const QJsonValue &item : a) {
        const bool nestedMap = item.isObject() && !item.toObject().isEmpty();
        const bool nestedSeq = item.isArray() && !item.toArray().isEmpty();
        if (nestedMap || nestedSeq) {
            // written one level deeper, then its first indentation becomes "- ": "- key: v"
            QString nested;
            if (nestedMap)
                appendMapping(nested, item.toObject(), col + 2);
            else
                appendSequence(nested, item.toArray(), col + 2);
            nested.replace(0, col + 2, spaces(col) + u"- "_s);
            out += nested;
        } else {
            out += spaces(col) + u'-';
            appendValue(out, item, col, false);
        }
    }
}

} // namespace

QString yamlScalar(const QString &text)
{
    if (text.contains(u'\n') || anyEscape(text))
        return doubleQuoted(text);
    if (plainIsSafe(text))
        return text;
    QString quoted = text;
    quoted.replace(u'\'', u"''"_s);
    return u'\'' + quoted + u'\'';
}

QString toYaml(const QJsonValue &value)
{
    QString out;
    if (value.isObject()) {
        if (value.toObject().isEmpty())
            return u"{}\n"_s;
        appendMapping(out, value.toObject(), 0);
    } else if (value.isArray()) {
        if (value.toArray().isEmpty())
            return u"[]\n"_s;
        appendSequence(out, value.toArray(), 0);
    } else {
        out = scalarText(value) + u'\n';
    }
    return out;
}

QString lxdInstanceConfigYaml(const QJsonObject &instance)
{
    // `lxc config show --expanded`: its fields, in its order
    const std::pair<QString, QString> fields[] = {
        { u"architecture"_s, u"architecture"_s },
        { u"config"_s, u"expanded_config"_s },
        { u"devices"_s, u"expanded_devices"_s },
        { u"ephemeral"_s, u"ephemeral"_s },
        { u"profiles"_s, u"profiles"_s },
        { u"stateful"_s, u"stateful"_s },
        { u"description"_s, u"description"_s },
    };
    QString out;
    for (const auto &[shown, field] : fields) {
        QJsonValue v = instance.value(field);
        if (v.isUndefined() && field.startsWith(u"expanded_"_s))
            v = instance.value(shown); // an older answer without the expanded view
        if (!v.isUndefined())
            appendEntry(out, shown, v, 0);
    }
    return out;
}

} // namespace canyon
