// SPDX-License-Identifier: GPL-3.0-or-later
#include "TextViewer.h"

#include "FallbackHighlighter.h"
#include "config-views.h"
#include "domain/PlainText.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QElapsedTimer>
#include <QEvent>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QSaveFile>
#include <QScrollBar>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#if HAVE_KSYNTAXHIGHLIGHTING
#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>
#endif

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

// A remote line longer than this is cut (with an ellipsis): one 100 MB "line" must not take
// the viewer's memory with it.
constexpr qsizetype maxLineChars = 64 * 1024;
// Per timer turn: move lines into the document for at most this long, in batches of this many.
constexpr qint64 drainBudgetMs = 8;
constexpr int drainBatchLines = 256;

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

#if HAVE_KSYNTAXHIGHLIGHTING
KSyntaxHighlighting::Repository &repository()
{
    // Loading the definitions costs tens of milliseconds: once per process.
    static KSyntaxHighlighting::Repository repo;
    return repo;
}

QString definitionFileName(TextViewer::Syntax syntax)
{
    switch (syntax) {
    case TextViewer::Syntax::Yaml:
        return u"config.yaml"_s;
    case TextViewer::Syntax::Json:
        return u"data.json"_s;
    case TextViewer::Syntax::Log:
        return u"syslog.log"_s;
    case TextViewer::Syntax::Plain:
        break;
    }
    return {};
}
#endif

} // namespace

QString TextViewer::highlightingEngine()
{
#if HAVE_KSYNTAXHIGHLIGHTING
    return u"KSyntaxHighlighting"_s;
#else
    return u"fallback"_s;
#endif
}

TextViewer::TextViewer(QWidget *parent)
    : QWidget(parent)
    , m_editor(new QPlainTextEdit(this))
    , m_drainTimer(new QTimer(this))
{
    m_editor->setObjectName(u"textViewerEditor"_s);
    m_editor->setReadOnly(true);
    m_editor->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_editor->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setMaximumBlockCount(m_maximumLines);
    // Remote text is never rich text: QPlainTextEdit has no HTML path, and drops are refused.
    m_editor->setAcceptDrops(false);
    m_editor->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_editor, &QPlainTextEdit::customContextMenuRequested, this, &TextViewer::showContextMenu);

    m_searchBar = new QWidget(this);
    m_searchBar->setObjectName(u"textViewerSearchBar"_s);
    m_searchField = new QLineEdit(m_searchBar);
    m_searchField->setObjectName(u"textViewerSearchField"_s);
    m_searchField->setPlaceholderText(tr("Find in text"));
    m_searchField->setClearButtonEnabled(true);
    m_searchStatus = new QLabel(m_searchBar);
    auto *previous = new QToolButton(m_searchBar);
    previous->setText(tr("Previous"));
    previous->setToolTip(tr("Find the previous match (Shift+F3)"));
    auto *next = new QToolButton(m_searchBar);
    next->setText(tr("Next"));
    next->setToolTip(tr("Find the next match (F3)"));
    auto *close = new QToolButton(m_searchBar);
    close->setText(tr("Close"));
    close->setToolTip(tr("Close the search bar (Esc)"));
    auto *searchLayout = new QHBoxLayout(m_searchBar);
    searchLayout->setContentsMargins(0, 0, 0, 0);
    searchLayout->addWidget(m_searchField, 1);
    searchLayout->addWidget(previous);
    searchLayout->addWidget(next);
    searchLayout->addWidget(m_searchStatus);
    searchLayout->addWidget(close);
    m_searchBar->hide();
    connect(m_searchField, &QLineEdit::returnPressed, this, &TextViewer::findNext);
    connect(m_searchField, &QLineEdit::textChanged, m_searchStatus, &QLabel::clear);
    connect(next, &QToolButton::clicked, this, &TextViewer::findNext);
    connect(previous, &QToolButton::clicked, this, &TextViewer::findPrevious);
    connect(close, &QToolButton::clicked, m_searchBar, &QWidget::hide);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_editor, 1);
    layout->addWidget(m_searchBar);

    // Shortcuts live on this widget, so several viewers in tabs do not fight over them.
    const auto addAction = [this](const QString &text, const QKeySequence &keys, auto slot) {
        auto *action = new QAction(text, this);
        action->setShortcut(keys);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(action, &QAction::triggered, this, slot);
        QWidget::addAction(action);
        return action;
    };
    m_findAction = addAction(tr("Find…"), QKeySequence::Find, &TextViewer::showSearch);
    addAction(tr("Find Next"), QKeySequence::FindNext, &TextViewer::findNext);
    addAction(tr("Find Previous"), QKeySequence::FindPrevious, &TextViewer::findPrevious);
    m_saveAction = addAction(tr("Save As…"), QKeySequence::SaveAs, &TextViewer::saveAs);
    addAction(tr("Close Search"), QKeySequence(Qt::Key_Escape), [this] {
        m_searchBar->hide();
        m_editor->setFocus();
    });

#if HAVE_KSYNTAXHIGHLIGHTING
    m_highlighter = new KSyntaxHighlighting::SyntaxHighlighter(m_editor->document());
#else
    m_fallback = new FallbackHighlighter(m_editor->document());
    m_highlighter = m_fallback;
#endif
    applyTheme();

    m_drainTimer->setInterval(0);
    connect(m_drainTimer, &QTimer::timeout, this, &TextViewer::drain);
}

TextViewer::~TextViewer() = default;

void TextViewer::setSyntax(Syntax syntax)
{
    m_syntax = syntax;
#if HAVE_KSYNTAXHIGHLIGHTING
    auto *kf = static_cast<KSyntaxHighlighting::SyntaxHighlighter *>(m_highlighter);
    const QString fileName = definitionFileName(syntax);
    kf->setDefinition(fileName.isEmpty() ? KSyntaxHighlighting::Definition()
                                         : repository().definitionForFileName(fileName));
#else
    m_fallback->setSyntax(static_cast<FallbackHighlighter::Syntax>(syntax));
#endif
}

void TextViewer::applyTheme()
{
    const bool dark = isDark(palette());
#if HAVE_KSYNTAXHIGHLIGHTING
    auto *kf = static_cast<KSyntaxHighlighting::SyntaxHighlighter *>(m_highlighter);
    kf->setTheme(repository().defaultTheme(
        dark ? KSyntaxHighlighting::Repository::DarkTheme : KSyntaxHighlighting::Repository::LightTheme));
    kf->rehighlight();
#else
    m_fallback->setDarkTheme(dark);
#endif
}

void TextViewer::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
    QWidget::changeEvent(event);
}

void TextViewer::setText(const QString &remoteText)
{
    clear();
    appendText(remoteText);
    finishStream();
}

void TextViewer::appendText(const QString &remoteChunk)
{
    queueLines(remoteChunk);
}

void TextViewer::finishStream()
{
    if (!m_partialLine.isEmpty()) {
        m_pending.push_back(visibleText(std::exchange(m_partialLine, {}), maxLineChars));
        if (!m_drainTimer->isActive())
            m_drainTimer->start();
    }
}

void TextViewer::clear()
{
    m_drainTimer->stop();
    m_pending.clear();
    m_partialLine.clear();
    m_dropped = 0;
    m_editor->clear();
}

void TextViewer::setMaximumLines(int lines)
{
    m_maximumLines = qMax(1, lines);
    m_editor->setMaximumBlockCount(m_maximumLines);
}

void TextViewer::queueLines(const QString &chunk)
{
    qsizetype start = 0;
    while (start < chunk.size()) {
        const qsizetype newline = chunk.indexOf(u'\n', start);
        if (newline < 0) {
            m_partialLine += QStringView(chunk).mid(start);
            // a stream without newlines still must not grow without bound
            if (m_partialLine.size() > maxLineChars) {
                m_pending.push_back(visibleText(m_partialLine, maxLineChars));
                m_partialLine.clear();
            }
            break;
        }
        QString line = m_partialLine + QStringView(chunk).mid(start, newline - start);
        m_partialLine.clear();
        if (line.endsWith(u'\r'))
            line.chop(1);
        m_pending.push_back(visibleText(line, maxLineChars));
        start = newline + 1;
    }
    // Lines that would be pushed out of the document at once need not be kept meanwhile.
    while (m_pending.size() > size_t(m_maximumLines)) {
        m_pending.pop_front();
        ++m_dropped;
    }
    if (!m_pending.empty() && !m_drainTimer->isActive())
        m_drainTimer->start();
}

void TextViewer::drain()
{
    QElapsedTimer clock;
    clock.start();
    QScrollBar *bar = m_editor->verticalScrollBar();
    const bool followTail = bar->value() == bar->maximum();
    while (!m_pending.empty() && clock.elapsed() < drainBudgetMs) {
        QString batch;
        for (int i = 0; i < drainBatchLines && !m_pending.empty(); ++i) {
            if (i > 0)
                batch += u'\n';
            batch += m_pending.front();
            m_pending.pop_front();
        }
        m_editor->appendPlainText(batch);
    }
    if (followTail)
        bar->setValue(bar->maximum());
    if (m_pending.empty()) {
        m_drainTimer->stop();
        Q_EMIT streamDrained();
    }
}

QString TextViewer::text() const
{
    return m_editor->toPlainText();
}

void TextViewer::showSearch()
{
    m_searchBar->show();
    const QString selected = m_editor->textCursor().selectedText();
    if (!selected.isEmpty() && !selected.contains(QChar::ParagraphSeparator))
        m_searchField->setText(selected);
    m_searchField->setFocus();
    m_searchField->selectAll();
}

bool TextViewer::find(const QString &needle, bool backward)
{
    if (needle.isEmpty())
        return false;
    const QTextDocument::FindFlags flags
        = backward ? QTextDocument::FindBackward : QTextDocument::FindFlags();
    if (m_editor->find(needle, flags)) {
        m_searchStatus->clear();
        return true;
    }
    // wrap around once
    QTextCursor cursor = m_editor->textCursor();
    const QTextCursor saved = cursor;
    cursor.movePosition(backward ? QTextCursor::End : QTextCursor::Start);
    m_editor->setTextCursor(cursor);
    if (m_editor->find(needle, flags)) {
        m_searchStatus->setText(backward ? tr("Wrapped to the end") : tr("Wrapped to the start"));
        return true;
    }
    m_editor->setTextCursor(saved);
    m_searchStatus->setText(tr("Not found"));
    return false;
}

void TextViewer::findNext()
{
    if (m_searchBar->isHidden() || m_searchField->text().isEmpty()) {
        showSearch();
        return;
    }
    find(m_searchField->text(), false);
}

void TextViewer::findPrevious()
{
    if (m_searchBar->isHidden() || m_searchField->text().isEmpty()) {
        showSearch();
        return;
    }
    find(m_searchField->text(), true);
}

void TextViewer::copy()
{
    if (m_editor->textCursor().hasSelection())
        m_editor->copy();
    else
        QApplication::clipboard()->setText(text());
}

bool TextViewer::saveTo(const QString &fileName, QString *error) const
{
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        *error = file.errorString();
        return false;
    }
    QString all = text();
    if (!all.isEmpty())
        all += u'\n';
    file.write(all.toUtf8());
    if (!file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

void TextViewer::saveAs()
{
    const QString fileName = QFileDialog::getSaveFileName(this, tr("Save As"));
    if (fileName.isEmpty())
        return;
    QString error;
    if (!saveTo(fileName, &error))
        QMessageBox::warning(
            this, tr("Save As"), tr("The text could not be saved to %1: %2").arg(fileName, error));
}

void TextViewer::showContextMenu(const QPoint &pos)
{
    QMenu *menu = m_editor->createStandardContextMenu(pos);
    menu->addSeparator();
    menu->addAction(m_findAction);
    menu->addAction(m_saveAction);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(m_editor->viewport()->mapToGlobal(pos));
}

} // namespace canyon
