// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>
#include <QWidget>
#include <deque>

class QAction;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSyntaxHighlighter;
class QTimer;
class QToolButton;

namespace canyon {

class FallbackHighlighter;

// Read-only viewer for remote text (configs, `snap changes`, logs): plain text only, control
// characters made visible per line, highlighting (KDE Syntax-Highlighting where the build has
// it, else FallbackHighlighter), search (Ctrl+F, F3/Shift+F3), copy and "Save as…".
// Large logs stream in through appendText(): lines are queued and moved into the document a
// few milliseconds at a time, so the event loop keeps turning; the document keeps at most
// maximumLines() lines (the oldest go first).
class TextViewer : public QWidget
{
    Q_OBJECT
public:
    enum class Syntax { Plain, Yaml, Json, Log };

    explicit TextViewer(QWidget *parent = nullptr);
    ~TextViewer() override;

    void setSyntax(Syntax syntax);
    Syntax syntax() const { return m_syntax; }
    // "KSyntaxHighlighting" or "fallback": which engine formats the text.
    static QString highlightingEngine();
    QSyntaxHighlighter *highlighter() const { return m_highlighter; }

    // Replaces the whole text (queued like appendText, so a huge config does not freeze).
    void setText(const QString &remoteText);
    // Appends a chunk of a stream; a line is complete at its '\n' (a trailing part waits for
    // the next chunk or for finishStream()).
    void appendText(const QString &remoteChunk);
    void finishStream();
    void clear();

    void setMaximumLines(int lines);
    int maximumLines() const { return m_maximumLines; }
    qsizetype pendingLines() const { return qsizetype(m_pending.size()); }
    qint64 droppedLines() const { return m_dropped; } // never shown: beyond maximumLines()

    bool find(const QString &text, bool backward = false);
    bool saveTo(const QString &fileName, QString *error) const;
    QPlainTextEdit *editor() const { return m_editor; }
    QLineEdit *searchField() const { return m_searchField; }
    QString text() const; // what is shown

    void showSearch();
    void findNext();
    void findPrevious();
    void saveAs();
    void copy();

Q_SIGNALS:
    void streamDrained(); // every queued line is in the document

protected:
    void changeEvent(QEvent *event) override;

private:
    void queueLines(const QString &chunk);
    void drain();
    void applyTheme();
    void showContextMenu(const QPoint &pos);

    QPlainTextEdit *m_editor = nullptr;
    QWidget *m_searchBar = nullptr;
    QLineEdit *m_searchField = nullptr;
    QLabel *m_searchStatus = nullptr;
    QAction *m_findAction = nullptr;
    QAction *m_saveAction = nullptr;
    QSyntaxHighlighter *m_highlighter = nullptr;
    FallbackHighlighter *m_fallback = nullptr; // == m_highlighter without KF6
    QTimer *m_drainTimer = nullptr;
    Syntax m_syntax = Syntax::Plain;
    std::deque<QString> m_pending;
    QString m_partialLine;
    int m_maximumLines = 200000;
    qint64 m_dropped = 0;
};

} // namespace canyon
