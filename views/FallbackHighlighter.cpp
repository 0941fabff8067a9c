// SPDX-License-Identifier: GPL-3.0-or-later
#include "FallbackHighlighter.h"

using namespace Qt::StringLiterals;

namespace canyon {

FallbackHighlighter::FallbackHighlighter(QTextDocument *document, Syntax syntax)
    : QSyntaxHighlighter(document)
    , m_syntax(syntax)
{
    buildRules();
}

void FallbackHighlighter::setSyntax(Syntax syntax)
{
    if (syntax == m_syntax)
        return;
    m_syntax = syntax;
    buildRules();
    rehighlight();
}

void FallbackHighlighter::setDarkTheme(bool dark)
{
    if (dark == m_dark)
        return;
    m_dark = dark;
    rehighlight();
}

void FallbackHighlighter::buildRules()
{
    // Later rules win where they overlap: strings and comments come last so that a "#" or a
    // number inside a string stays part of the string.
    m_rules.clear();
    const auto add = [this](const QString &pattern, Category category, int group = 0) {
        m_rules.append(Rule { QRegularExpression(pattern), category, group });
    };
    switch (m_syntax) {
    case Syntax::Plain:
        break;
    case Syntax::Yaml:
        add(u"(?<![\\w.-])(?:true|false|yes|no|on|off|null|~)(?![\\w.-])"_s, Category::Keyword);
        add(u"(?<![\\w.-])[-+]?(?:\\d+\\.?\\d*(?:[eE][-+]?\\d+)?|0x[0-9a-fA-F]+)(?![\\w.-])"_s,
            Category::Number);
        add(u"^\\s*(?:-\\s+)?([^\\s#'\"][^:#]*?|\"[^\"]*\"|'[^']*')\\s*:(?=\\s|$)"_s, Category::Key, 1);
        add(u"^(?:---|\\.\\.\\.)\\s*$"_s, Category::Keyword);
        add(u"\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^']|'')*'"_s, Category::String);
        add(u"(?:^|(?<=\\s))#"_s, Category::Comment); // to the end of the line, see below
        break;
    case Syntax::Json:
        add(u"\\b(?:true|false|null)\\b"_s, Category::Keyword);
        add(u"-?\\b\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?\\b"_s, Category::Number);
        add(u"\"(?:[^\"\\\\]|\\\\.)*\""_s, Category::String);
        add(u"(\"(?:[^\"\\\\]|\\\\.)*\")\\s*:"_s, Category::Key, 1);
        break;
    case Syntax::Log:
        add(u"\\b(?:DEBUG|TRACE|debug|trace)\\b"_s, Category::Debug);
        add(u"\\b(?:INFO|NOTICE|info|notice)\\b"_s, Category::Info);
        add(u"\\b(?:WARN|WARNING|warn|warning)\\b"_s, Category::Warning);
        add(u"\\b(?:ERROR|ERR|FATAL|CRIT|CRITICAL|PANIC|EMERG|ALERT|error|fatal|panic)\\b"_s,
            Category::Error);
        // ISO 8601 (snap logs, LXD), and syslog's "Nov 29 12:10:37"
        add(u"\\b\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d+)?(?:Z|[+-]\\d{2}:?\\d{2})?"_s,
            Category::Timestamp);
        add(u"^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \\d]\\d \\d{2}:\\d{2}:\\d{2}"_s,
            Category::Timestamp);
        break;
    }
    for (const Rule &rule : std::as_const(m_rules))
        Q_ASSERT(rule.pattern.isValid());
}

QTextCharFormat FallbackHighlighter::format(Category category) const
{
    QTextCharFormat f;
    f.setProperty(CategoryProperty, static_cast<int>(category));
    // Two sets of colours, readable on a light or a dark base respectively.
    const auto pick = [this](QRgb light, QRgb dark) { return QColor::fromRgb(m_dark ? dark : light); };
    switch (category) {
    case Category::None:
        break;
    case Category::Key:
        f.setForeground(pick(0x0057ae, 0x8ab4f8));
        f.setFontWeight(QFont::DemiBold);
        break;
    case Category::String:
        f.setForeground(pick(0xbf0303, 0xf29e74));
        break;
    case Category::Number:
        f.setForeground(pick(0xb08000, 0xe6c06e));
        break;
    case Category::Keyword:
        f.setForeground(pick(0x644a9b, 0xc792ea));
        break;
    case Category::Comment:
        f.setForeground(pick(0x707070, 0x9a9a9a));
        f.setFontItalic(true);
        break;
    case Category::Timestamp:
        f.setForeground(pick(0x006e28, 0x7fd18b));
        break;
    case Category::Error:
        f.setForeground(pick(0xbf0303, 0xff6e6e));
        f.setFontWeight(QFont::Bold);
        break;
    case Category::Warning:
        f.setForeground(pick(0xb65c00, 0xffb86c));
        f.setFontWeight(QFont::Bold);
        break;
    case Category::Info:
        f.setForeground(pick(0x0057ae, 0x8ab4f8));
        break;
    case Category::Debug:
        f.setForeground(pick(0x707070, 0x9a9a9a));
        break;
    }
    return f;
}

void FallbackHighlighter::highlightBlock(const QString &text)
{
    // A "#" inside a quoted string does not start a comment: comment matches that begin inside
    // a string found earlier on the line are skipped.
    QList<std::pair<qsizetype, qsizetype>> strings;
    const auto insideString = [&strings](qsizetype position) {
        for (const auto &[start, end] : std::as_const(strings))
            if (position >= start && position < end)
                return true;
        return false;
    };
    for (const Rule &rule : std::as_const(m_rules)) {
        const QTextCharFormat f = format(rule.category);
        auto matches = rule.pattern.globalMatch(text);
        while (matches.hasNext()) {
            const QRegularExpressionMatch match = matches.next();
            const qsizetype start = match.capturedStart(rule.group);
            const qsizetype length = match.capturedLength(rule.group);
            if (length <= 0)
                continue;
            if (rule.category == Category::Comment) {
                if (insideString(start))
                    continue;
                setFormat(int(start), int(text.size() - start), f);
                break;
            }
            if (rule.category == Category::String)
                strings.append({ start, start + length });
            setFormat(int(start), int(length), f);
        }
    }
}

} // namespace canyon
