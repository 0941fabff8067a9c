// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QList>
#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace canyon {

// A small highlighter for YAML, JSON and log lines, used where KDE Syntax-Highlighting is not
// found (Debian 12). Line-local rules only: every block is formatted from its own text, so
// streaming appends never rehighlight what came before.
class FallbackHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    enum class Syntax { Plain, Yaml, Json, Log };
    enum class Category {
        None,
        Key,
        String,
        Number,
        Keyword,
        Comment,
        Timestamp,
        Error,
        Warning,
        Info,
        Debug
    };
    // Each applied format carries its category here, so tests (and themes) need no colours.
    static constexpr int CategoryProperty = QTextFormat::UserProperty + 1;

    explicit FallbackHighlighter(QTextDocument *document, Syntax syntax = Syntax::Plain);

    Syntax syntax() const { return m_syntax; }
    void setSyntax(Syntax syntax);
    // Dark palettes get light colours and vice versa.
    void setDarkTheme(bool dark);

protected:
    void highlightBlock(const QString &text) override;

private:
    struct Rule
    {
        QRegularExpression pattern;
        Category category;
        int group = 0; // capture group to format (0 = whole match)
    };
    void buildRules();
    QTextCharFormat format(Category category) const;

    Syntax m_syntax;
    bool m_dark = false;
    QList<Rule> m_rules;
};

} // namespace canyon
