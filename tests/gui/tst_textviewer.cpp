// SPDX-License-Identifier: GPL-3.0-or-later
#include "FallbackHighlighter.h"
#include "TextViewer.h"

#include <QElapsedTimer>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextLayout>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace canyon;

using Syntax = FallbackHighlighter::Syntax;
using Category = FallbackHighlighter::Category;

namespace {

// The category the highlighter gave the characters [start, start+length), or None if they are
// not formatted as one run.
Category categoryAt(const QTextBlock &block, int start, int length)
{
    Category found = Category::None;
    for (const QTextLayout::FormatRange &range : block.layout()->formats()) {
        if (range.start <= start && range.start + range.length >= start + length)
            found
                = static_cast<Category>(range.format.property(FallbackHighlighter::CategoryProperty).toInt());
    }
    return found;
}

bool waitDrained(TextViewer &viewer)
{
    return QTest::qWaitFor([&viewer] { return viewer.pendingLines() == 0; }, 60000);
}

} // namespace

class TestTextViewer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fallbackFormats_data();
    void fallbackFormats();
    void fallbackPlainFormatsNothing();
    void fallbackThemeFollowsPalette();
    void controlCharactersVisible();
    void search();
    void searchShortcut();
    void saveAs();
    void streamingDoesNotBlock();
    void streamingIsBounded();
    void kf6Highlighting();
    void engineIsWhatTheBuildFound();
};

void TestTextViewer::fallbackFormats_data()
{
    QTest::addColumn<Syntax>("syntax");
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("part");
    QTest::addColumn<Category>("category");

    QTest::addRow("yaml key") << Syntax::Yaml << u"  image: ubuntu/22.04"_s << u"image"_s << Category::Key;
    QTest::addRow("yaml list key") << Syntax::Yaml << u"- name: eth0"_s << u"name"_s << Category::Key;
    QTest::addRow("yaml dotted key") << Syntax::Yaml << u"limits.cpu: \"2\""_s << u"limits.cpu"_s
                                     << Category::Key;
    QTest::addRow("yaml string") << Syntax::Yaml << u"limits.cpu: \"2\""_s << u"\"2\""_s << Category::String;
    QTest::addRow("yaml single-quoted")
        << Syntax::Yaml << u"a: 'it''s'"_s << u"'it''s'"_s << Category::String;
    QTest::addRow("yaml number") << Syntax::Yaml << u"size: 1024"_s << u"1024"_s << Category::Number;
    QTest::addRow("yaml bool") << Syntax::Yaml << u"ephemeral: false"_s << u"false"_s << Category::Keyword;
    QTest::addRow("yaml null") << Syntax::Yaml << u"profile: null"_s << u"null"_s << Category::Keyword;
    QTest::addRow("yaml comment") << Syntax::Yaml << u"a: 1 # why"_s << u"# why"_s << Category::Comment;
    QTest::addRow("yaml hash in string")
        << Syntax::Yaml << u"a: \"x # y\""_s << u"\"x # y\""_s << Category::String;
    QTest::addRow("yaml comment after string")
        << Syntax::Yaml << u"a: \"x # y\" # real"_s << u"# real"_s << Category::Comment;
    QTest::addRow("yaml hash inside word")
        << Syntax::Yaml << u"url: http://h/#frag"_s << u"#frag"_s << Category::None;
    QTest::addRow("yaml document") << Syntax::Yaml << u"---"_s << u"---"_s << Category::Keyword;
    QTest::addRow("json key") << Syntax::Json << u"  \"status\": \"Running\","_s << u"\"status\""_s
                              << Category::Key;
    QTest::addRow("json string") << Syntax::Json << u"  \"status\": \"Running\","_s << u"\"Running\""_s
                                 << Category::String;
    QTest::addRow("json escaped quote")
        << Syntax::Json << u"\"a\": \"say \\\"hi\\\"\""_s << u"\"say \\\"hi\\\"\""_s << Category::String;
    QTest::addRow("json number") << Syntax::Json << u"\"pid\": -12.5e3,"_s << u"-12.5e3"_s
                                 << Category::Number;
    QTest::addRow("json true") << Syntax::Json << u"\"ok\": true"_s << u"true"_s << Category::Keyword;
    QTest::addRow("json null") << Syntax::Json << u"[null, 1]"_s << u"null"_s << Category::Keyword;
    QTest::addRow("json digits in string")
        << Syntax::Json << u"\"v\": \"2.57\""_s << u"\"2.57\""_s << Category::String;
    QTest::addRow("log iso timestamp") << Syntax::Log << u"2026-11-29T12:10:37.123+01:00 snapd[42]: INFO ok"_s
                                       << u"2026-11-29T12:10:37.123+01:00"_s << Category::Timestamp;
    QTest::addRow("log zulu timestamp")
        << Syntax::Log << u"2026-11-29T12:10:37Z ok"_s << u"2026-11-29T12:10:37Z"_s << Category::Timestamp;
    QTest::addRow("log syslog timestamp") << Syntax::Log << u"Nov  9 12:10:37 kiosk snapd[42]: hi"_s
                                          << u"Nov  9 12:10:37"_s << Category::Timestamp;
    QTest::addRow("log error") << Syntax::Log << u"t=1 level=ERROR msg=boom"_s << u"ERROR"_s
                               << Category::Error;
    QTest::addRow("log fatal") << Syntax::Log << u"FATAL: disk"_s << u"FATAL"_s << Category::Error;
    QTest::addRow("log warning") << Syntax::Log << u"[WARN] slow"_s << u"WARN"_s << Category::Warning;
    QTest::addRow("log warning word")
        << Syntax::Log << u"lxd: WARNING low space"_s << u"WARNING"_s << Category::Warning;
    QTest::addRow("log info") << Syntax::Log << u"INFO started"_s << u"INFO"_s << Category::Info;
    QTest::addRow("log debug") << Syntax::Log << u"DEBUG x=1"_s << u"DEBUG"_s << Category::Debug;
    QTest::addRow("log no level inside word")
        << Syntax::Log << u"INFORMATION"_s << u"INFO"_s << Category::None;
}

void TestTextViewer::fallbackFormats()
{
    QFETCH(Syntax, syntax);
    QFETCH(QString, line);
    QFETCH(QString, part);
    QFETCH(Category, category);

    QTextDocument document;
    FallbackHighlighter highlighter(&document, syntax);
    document.setPlainText(line);
    highlighter.rehighlight(); // a new highlighter's first pass waits for the event loop
    const int start = int(line.indexOf(part));
    QVERIFY(start >= 0);
    QCOMPARE(categoryAt(document.firstBlock(), start, int(part.size())), category);
}

void TestTextViewer::fallbackPlainFormatsNothing()
{
    QTextDocument document;
    FallbackHighlighter highlighter(&document, Syntax::Plain);
    document.setPlainText(u"ERROR 2026-11-29T12:10:37Z \"key\": true"_s);
    highlighter.rehighlight();
    QVERIFY(document.firstBlock().layout()->formats().isEmpty());

    highlighter.setSyntax(Syntax::Log); // switching rehighlights what is there
    QVERIFY(!document.firstBlock().layout()->formats().isEmpty());
}

void TestTextViewer::fallbackThemeFollowsPalette()
{
    QTextDocument document;
    FallbackHighlighter highlighter(&document, Syntax::Json);
    document.setPlainText(u"\"key\": 1"_s);
    highlighter.rehighlight();
    const auto keyColour = [&document] {
        return document.firstBlock().layout()->formats().constLast().format.foreground().color();
    };
    const QColor light = keyColour();
    highlighter.setDarkTheme(true);
    const QColor dark = keyColour();
    QVERIFY2(dark.lightness() > light.lightness(), "dark palettes get lighter colours");

    // the viewer switches by itself when its palette turns dark (only the fallback exposes it)
    if (TextViewer::highlightingEngine() == u"fallback"_s) {
        TextViewer viewer;
        viewer.setSyntax(TextViewer::Syntax::Json);
        viewer.setText(u"\"key\": 1"_s);
        QVERIFY(waitDrained(viewer));
        const auto colour = [&viewer] {
            return viewer.editor()
                ->document()
                ->firstBlock()
                .layout()
                ->formats()
                .constLast()
                .format.foreground()
                .color();
        };
        const QColor before = colour();
        QPalette palette = viewer.palette();
        palette.setColor(QPalette::Base, Qt::black);
        palette.setColor(QPalette::Text, Qt::white);
        viewer.setPalette(palette);
        QVERIFY(colour().lightness() > before.lightness());
    }
}

void TestTextViewer::controlCharactersVisible()
{
    TextViewer viewer;
    viewer.appendText(u"plain\n\x1b]0;owned\x07 title\r\nrtl \u202eevil\nno newline yet"_s);
    QVERIFY(waitDrained(viewer));
    QCOMPARE(viewer.text(), u"plain\n\\x1b]0;owned\\x07 title\nrtl \\u202eevil"_s);
    viewer.finishStream();
    QVERIFY(waitDrained(viewer));
    QVERIFY(viewer.text().endsWith(u"\nno newline yet"_s));
    QVERIFY(viewer.editor()->isReadOnly());
}

void TestTextViewer::search()
{
    TextViewer viewer;
    viewer.setText(u"alpha\nbeta needle one\ngamma\ndelta needle two\n"_s);
    QVERIFY(waitDrained(viewer));

    QVERIFY(viewer.find(u"needle"_s));
    QCOMPARE(viewer.editor()->textCursor().blockNumber(), 1);
    QCOMPARE(viewer.editor()->textCursor().selectedText(), u"needle"_s);
    QVERIFY(viewer.find(u"needle"_s));
    QCOMPARE(viewer.editor()->textCursor().blockNumber(), 3);
    QVERIFY(viewer.find(u"needle"_s)); // wraps to the start
    QCOMPARE(viewer.editor()->textCursor().blockNumber(), 1);
    QVERIFY(viewer.find(u"needle"_s, true)); // backwards wraps to the end
    QCOMPARE(viewer.editor()->textCursor().blockNumber(), 3);
    QVERIFY(viewer.find(u"needle"_s, true));
    QCOMPARE(viewer.editor()->textCursor().blockNumber(), 1);

    QVERIFY(!viewer.find(u"absent"_s));
    QCOMPARE(viewer.editor()->textCursor().blockNumber(), 1); // selection kept
    QCOMPARE(viewer.editor()->textCursor().selectedText(), u"needle"_s);
}

void TestTextViewer::searchShortcut()
{
    TextViewer viewer;
    viewer.setText(u"one\ntwo needle\nthree needle\n"_s);
    viewer.resize(400, 300);
    viewer.show();
    QVERIFY(QTest::qWaitForWindowExposed(&viewer));
    viewer.activateWindow();
    viewer.editor()->setFocus();
    QVERIFY(waitDrained(viewer));

    QLineEdit *field = viewer.searchField();
    QVERIFY(!field->isVisible());
    QTest::keySequence(viewer.editor(), QKeySequence::Find);
    QTRY_VERIFY(field->isVisible());
    QTest::keyClicks(field, u"needle"_s);
    QTest::keyClick(field, Qt::Key_Return);
    QCOMPARE(viewer.editor()->textCursor().blockNumber(), 1);
    QTest::keySequence(field, QKeySequence::FindNext);
    QCOMPARE(viewer.editor()->textCursor().blockNumber(), 2);
    QTest::keySequence(field, QKeySequence::FindPrevious);
    QCOMPARE(viewer.editor()->textCursor().blockNumber(), 1);
    QTest::keyClick(field, Qt::Key_Escape);
    QTRY_VERIFY(!field->isVisible());
}

void TestTextViewer::saveAs()
{
    TextViewer viewer;
    viewer.setText(u"config:\n  limits.cpu: \"2\"\n\x1b[31m"_s);
    QVERIFY(waitDrained(viewer));
    QTemporaryDir dir;
    const QString path = dir.filePath(u"saved.yaml"_s);
    QString error;
    QVERIFY2(viewer.saveTo(path, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    // what is shown is what is saved: the escape stays visible, never raw
    QCOMPARE(file.readAll(), "config:\n  limits.cpu: \"2\"\n\\x1b[31m\n"_ba);
    QVERIFY(!viewer.saveTo(dir.filePath(u"missing/dir/x"_s), &error));
    QVERIFY(!error.isEmpty());
}

void TestTextViewer::streamingDoesNotBlock()
{
    // 200k log lines arrive in 100 chunks (as from a `snap logs -n=all` channel) while a
    // heartbeat timer measures how long the event loop goes without a turn.
    constexpr int totalLines = 200000;
    constexpr int chunks = 100;
    TextViewer viewer;
    viewer.setSyntax(TextViewer::Syntax::Log);
    viewer.resize(800, 600);
    viewer.show();
    QVERIFY(QTest::qWaitForWindowExposed(&viewer));

    QElapsedTimer clock;
    clock.start();
    qint64 last = 0;
    qint64 worstGap = 0;
    QTimer heartbeat;
    heartbeat.setInterval(1);
    connect(&heartbeat, &QTimer::timeout, this, [&] {
        const qint64 now = clock.elapsed();
        worstGap = qMax(worstGap, now - last);
        last = now;
    });
    int sent = 0;
    QTimer producer;
    producer.setInterval(0);
    connect(&producer, &QTimer::timeout, this, [&] {
        QString chunk;
        for (int i = 0; i < totalLines / chunks; ++i, ++sent)
            chunk += u"2026-11-29T12:10:37.%1Z kiosk snapd[42]: INFO line %2 of the stream\n"_s
                         .arg(sent % 1000, 3, 10, QChar(u'0'))
                         .arg(sent);
        viewer.appendText(chunk);
        if (sent >= totalLines)
            producer.stop();
    });
    heartbeat.start();
    producer.start();
    QVERIFY(QTest::qWaitFor([&] { return sent >= totalLines && viewer.pendingLines() == 0; }, 120000));
    heartbeat.stop();
    const qint64 total = clock.elapsed();
    qInfo("streamed %d lines in %lld ms; longest event-loop stall %lld ms", totalLines, total, worstGap);

    QCOMPARE(viewer.editor()->document()->blockCount(), totalLines);
    QCOMPARE(viewer.editor()->document()->lastBlock().text(),
        u"2026-11-29T12:10:37.999Z kiosk snapd[42]: INFO line 199999 of the stream"_s);
    QVERIFY2(worstGap <= 100, qPrintable(u"event loop stalled for %1 ms"_s.arg(worstGap)));
}

void TestTextViewer::streamingIsBounded()
{
    TextViewer viewer;
    viewer.setMaximumLines(5000);
    QString chunk;
    for (int i = 0; i < 20000; ++i)
        chunk += u"line %1\n"_s.arg(i);
    viewer.appendText(chunk); // more than fits: the oldest are dropped before they are shown
    QCOMPARE(viewer.pendingLines(), 5000);
    QCOMPARE(viewer.droppedLines(), 15000);
    viewer.appendText(u"tail\n"_s);
    QVERIFY(waitDrained(viewer));
    QCOMPARE(viewer.editor()->document()->blockCount(), 5000);
    QCOMPARE(viewer.editor()->document()->firstBlock().text(), u"line 15001"_s);
    QCOMPARE(viewer.editor()->document()->lastBlock().text(), u"tail"_s);

    // one endless "line" is cut, not kept whole
    TextViewer single;
    single.appendText(QString(300 * 1024, u'x'));
    single.finishStream();
    QVERIFY(waitDrained(single));
    QVERIFY(single.text().size() < 300 * 1024);
}

void TestTextViewer::kf6Highlighting()
{
    if (TextViewer::highlightingEngine() != u"KSyntaxHighlighting"_s)
        QSKIP("This build has no KF6SyntaxHighlighting (Debian 12 does not package KF6): the "
              "fallback highlighter is in use and covered above. The KDE Flatpak runtime and "
              "newer distributions build this path.");
    TextViewer viewer;
    viewer.setSyntax(TextViewer::Syntax::Json);
    viewer.setText(u"{\n  \"status\": \"Running\",\n  \"pid\": 42\n}\n"_s);
    QVERIFY(waitDrained(viewer));
    const QTextBlock block = viewer.editor()->document()->findBlockByNumber(1);
    QVERIFY2(!block.layout()->formats().isEmpty(), "KSyntaxHighlighting formatted a JSON line");
}

// The engine in use is the one the configure step announced (views/CMakeLists.txt).
void TestTextViewer::engineIsWhatTheBuildFound()
{
    const bool kf6 = CANYON_BUILD_FOUND_KF6;
    QCOMPARE(TextViewer::highlightingEngine(), kf6 ? u"KSyntaxHighlighting"_s : u"fallback"_s);
    TextViewer viewer;
    QVERIFY(viewer.highlighter());
    QCOMPARE(qobject_cast<FallbackHighlighter *>(viewer.highlighter()) != nullptr, !kf6);
    qInfo("highlighting engine: %s", qPrintable(TextViewer::highlightingEngine()));
}

QTEST_MAIN(TestTextViewer)
#include "tst_textviewer.moc"
