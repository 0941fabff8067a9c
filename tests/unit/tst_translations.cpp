// SPDX-License-Identifier: GPL-3.0-or-later
#include "TextViewer.h"
#include "Translations.h"

#include <QDir>
#include <QFile>
#include <QLibraryInfo>
#include <QLineEdit>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;
using namespace canyon;

class TestTranslations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup();
    void catalogueLoadsForLocale_data();
    void catalogueLoadsForLocale();
    void switchingLocaleSwitchesWidgets();
    void qtOwnTranslations();
    void everySourceStringTranslated_data();
    void everySourceStringTranslated();
    void catalogueMatchesSources();
};

void TestTranslations::cleanup()
{
    Translations::install(qApp, QLocale(QLocale::English, QLocale::UnitedStates));
}

void TestTranslations::catalogueLoadsForLocale_data()
{
    QTest::addColumn<QLocale>("locale");
    QTest::addColumn<QString>("catalogue"); // empty: English source strings
    QTest::addColumn<QString>("quit");

    QTest::addRow("German") << QLocale(QLocale::German, QLocale::Germany) << u":/i18n/canyon_de.qm"_s
                            << u"&Beenden"_s;
    QTest::addRow("Austrian German falls back to de")
        << QLocale(QLocale::German, QLocale::Austria) << u":/i18n/canyon_de.qm"_s << u"&Beenden"_s;
    QTest::addRow("Swiss German falls back to de")
        << QLocale(u"de_CH"_s) << u":/i18n/canyon_de.qm"_s << u"&Beenden"_s;
    QTest::addRow("English") << QLocale(QLocale::English, QLocale::UnitedStates) << QString() << u"&Quit"_s;
    QTest::addRow("French has no catalogue: English")
        << QLocale(QLocale::French, QLocale::France) << QString() << u"&Quit"_s;
    QTest::addRow("C locale") << QLocale::c() << QString() << u"&Quit"_s;
}

void TestTranslations::catalogueLoadsForLocale()
{
    QFETCH(QLocale, locale);
    QFETCH(QString, catalogue);
    QFETCH(QString, quit);

    // from German first, so every row also proves that an earlier catalogue is replaced
    Translations::install(qApp, QLocale(QLocale::German));
    const Translations::Loaded loaded = Translations::install(qApp, locale);
    QCOMPARE(loaded.app, catalogue);
    QCOMPARE(QCoreApplication::translate("canyon::MainWindow", "&Quit"), quit);
    QCOMPARE(QCoreApplication::translate("main", "Demo fleet"),
        catalogue.isEmpty() ? u"Demo fleet"_s : u"Demo-Flotte"_s);
    // plural forms come through as well
    QCOMPARE(
        QCoreApplication::translate("canyon::MainWindow", "Remove %n device(s) from the fleet?", nullptr, 3),
        catalogue.isEmpty() ? u"Remove 3 device(s) from the fleet?"_s
                            : u"3 Geräte aus der Flotte entfernen?"_s);
}

void TestTranslations::switchingLocaleSwitchesWidgets()
{
    Translations::install(qApp, QLocale(QLocale::German));
    {
        TextViewer viewer;
        QCOMPARE(viewer.searchField()->placeholderText(), u"Im Text suchen"_s);
    }
    Translations::install(qApp, QLocale(QLocale::English));
    TextViewer viewer;
    QCOMPARE(viewer.searchField()->placeholderText(), u"Find in text"_s);
}

void TestTranslations::qtOwnTranslations()
{
    const QString dir = QLibraryInfo::path(QLibraryInfo::TranslationsPath);
    if (!QFile::exists(dir + u"/qtbase_de.qm"_s))
        QFAIL(qPrintable(
            u"Qt's German catalogue is missing from %1 (Debian: qt6-translations-l10n)"_s.arg(dir)));
    const Translations::Loaded loaded = Translations::install(qApp, QLocale(QLocale::German));
    QCOMPARE(loaded.qt, dir + u"/qtbase_de.qm"_s);
    // a string of Qt's own command-line help, as `canyon --help` shows it
    QCOMPARE(QCoreApplication::translate("QCommandLineParser", "Displays version information."),
        u"Zeigt Versionsinformation an."_s);
    QVERIFY(Translations::install(qApp, QLocale(QLocale::English)).qt.isEmpty());
    QCOMPARE(QCoreApplication::translate("QCommandLineParser", "Displays version information."),
        u"Displays version information."_s);
}

void TestTranslations::everySourceStringTranslated_data()
{
    QTest::addColumn<QString>("tsFile");
    const QDir dir(QStringLiteral(CANYON_SOURCE_DIR "/translations"));
    const QStringList files = dir.entryList({ u"canyon_*.ts"_s }, QDir::Files);
    QVERIFY(!files.isEmpty());
    for (const QString &file : files)
        QTest::addRow("%s", qPrintable(file)) << dir.filePath(file);
}

void TestTranslations::everySourceStringTranslated()
{
    QFETCH(QString, tsFile);
    QFile file(tsFile);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&file);
    static const QRegularExpression placeholder(u"%(?:\\d|n)"_s);

    QStringList problems;
    int messages = 0;
    QString context;
    QString source;
    QStringList forms; // translation text, or each numerus form
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const auto name = xml.name();
            if (name == u"name"_s) {
                context = xml.readElementText();
            } else if (name == u"message"_s) {
                source.clear();
                forms.clear();
            } else if (name == u"source"_s) {
                source = xml.readElementText();
            } else if (name == u"translation"_s) {
                const auto type = xml.attributes().value(u"type"_s);
                if (!type.isEmpty())
                    problems << u"%1: \"%2\" is %3"_s.arg(context, source, type.toString());
                // plain translations are text; numerus ones have one <numerusform> per form
                QString text;
                while (!xml.atEnd() && !(xml.isEndElement() && xml.name() == u"translation"_s)) {
                    xml.readNext();
                    if (xml.isStartElement() && xml.name() == u"numerusform"_s)
                        forms << xml.readElementText();
                    else if (xml.isCharacters())
                        text += xml.text();
                }
                if (forms.isEmpty())
                    forms << text;
            }
        } else if (xml.isEndElement() && xml.name() == u"message"_s) {
            ++messages;
            if (forms.isEmpty() || forms.contains(QString())) {
                problems << u"%1: \"%2\" has an empty translation"_s.arg(context, source);
                continue;
            }
            // every placeholder of the source survives into the translation
            auto it = placeholder.globalMatch(source);
            while (it.hasNext()) {
                const QString p = it.next().captured();
                for (const QString &form : std::as_const(forms))
                    if (!form.contains(p))
                        problems << u"%1: \"%2\" lost %3"_s.arg(context, source, p);
            }
            if (source.contains(u'&') && !source.contains(u"& "_s) && !forms.constFirst().contains(u'&'))
                problems << u"%1: \"%2\" lost its accelerator"_s.arg(context, source);
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    QVERIFY2(messages >= 100, qPrintable(u"only %1 messages: is the .ts complete?"_s.arg(messages)));
    qInfo("%d messages, all translated", messages);
}

namespace {

// Every message of a .ts file as "context | source | comment".
QSet<QString> messagesOf(const QString &tsFile, QString *error)
{
    QFile file(tsFile);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return {};
    }
    QXmlStreamReader xml(&file);
    QSet<QString> messages;
    QString context;
    QString source;
    QString comment;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            if (xml.name() == u"name"_s) {
                context = xml.readElementText();
            } else if (xml.name() == u"message"_s) {
                source.clear();
                comment.clear();
            } else if (xml.name() == u"source"_s) {
                source = xml.readElementText();
            } else if (xml.name() == u"comment"_s) {
                comment = xml.readElementText();
            }
        } else if (xml.isEndElement() && xml.name() == u"message"_s) {
            messages.insert(context + u" | "_s + source + u" | "_s + comment);
        }
    }
    if (xml.hasError())
        *error = xml.errorString();
    return messages;
}

} // namespace

// lupdate, run now over the same sources as translations/CMakeLists.txt, finds exactly the
// messages of the committed catalogue: a string added to the code and not translated, or one
// translated but gone from the code, fails here (run the update_translations target, translate).
void TestTranslations::catalogueMatchesSources()
{
    const QString lupdate = QStringLiteral(CANYON_LUPDATE);
    if (!QFileInfo::exists(lupdate))
        QFAIL(qPrintable(u"lupdate not found at %1"_s.arg(lupdate)));
    const QString src = QStringLiteral(CANYON_SOURCE_DIR);
    // the glob of translations/CMakeLists.txt
    QStringList files;
    const auto add = [&](const QString &dir, const QStringList &patterns) {
        const QDir d(src + u'/' + dir);
        for (const QString &f : d.entryList(patterns, QDir::Files, QDir::Name))
            files << d.filePath(f);
    };
    add(u"views"_s, { u"*.cpp"_s, u"*.h"_s });
    add(u"views/charts"_s, { u"*.cpp"_s, u"*.h"_s });
    for (const QString &sub : QDir(src + u"/models"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        add(u"models/"_s + sub, { u"*.cpp"_s, u"*.h"_s });
    add(u"app/canyon"_s, { u"*.cpp"_s });
    add(u"app/ctl"_s, { u"*.cpp"_s });
    add(u"app/fleetsim"_s, { u"*.cpp"_s });
    QVERIFY(files.size() > 20);

    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString committed = src + u"/translations/canyon_de.ts"_s;
    const QString fresh = tmp.filePath(u"canyon_de.ts"_s);
    QVERIFY(QFile::copy(committed, fresh));
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(lupdate,
        QStringList { u"-no-obsolete"_s, u"-locations"_s, u"none"_s, u"-I"_s, src + u"/models"_s, u"-I"_s,
            src + u"/views"_s }
            + files + QStringList { u"-ts"_s, fresh });
    QVERIFY(p.waitForFinished(120000));
    QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, p.readAll().constData());

    QString error;
    const QSet<QString> have = messagesOf(committed, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QSet<QString> want = messagesOf(fresh, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QStringList added = QSet<QString>(want).subtract(have).values();
    QStringList vanished = QSet<QString>(have).subtract(want).values();
    added.sort();
    vanished.sort();
    QVERIFY2(added.isEmpty(),
        qPrintable(u"In the sources but not in translations/canyon_de.ts (run the update_translations "
                   "target and translate them):\n"_s
            + added.join(u'\n')));
    QVERIFY2(vanished.isEmpty(),
        qPrintable(u"In translations/canyon_de.ts but gone from the sources:\n"_s + vanished.join(u'\n')));
    qInfo("%lld messages, the same in the sources and the catalogue", qint64(want.size()));
}

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
