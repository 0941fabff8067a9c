// SPDX-License-Identifier: GPL-3.0-or-later
#include "Translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

// Our translators are children of the application, named so a later call finds and replaces
// them (a test switching locale, or a future language setting).
const QString appTranslatorName = u"canyon-translator-app"_s;
const QString qtTranslatorName = u"canyon-translator-qt"_s;

QString installOne(QCoreApplication *app, const QString &objectName, const QLocale &locale,
    const QString &fileName, const QString &directory)
{
    if (auto *old = app->findChild<QTranslator *>(objectName, Qt::FindDirectChildrenOnly)) {
        QCoreApplication::removeTranslator(old);
        delete old;
    }
    auto *translator = new QTranslator(app);
    translator->setObjectName(objectName);
    // QTranslator::load(QLocale, …) walks the locale's UI languages and their fallbacks
    // (de_AT → de), so a regional locale still finds the language catalogue.
    if (!translator->load(locale, fileName, u"_"_s, directory)
        || !QCoreApplication::installTranslator(translator)) {
        delete translator;
        return {};
    }
    return translator->filePath();
}

} // namespace

QString Translations::catalogueDirectory()
{
    return u":/i18n"_s;
}

Translations::Loaded Translations::install(QCoreApplication *app, const QLocale &locale)
{
    Loaded loaded;
    loaded.app = installOne(app, appTranslatorName, locale, u"canyon"_s, catalogueDirectory());
    // Qt's own strings (buttons of standard dialogs, QLineEdit's context menu…) only matter
    // when our own catalogue speaks the language; otherwise the window would mix languages.
    if (!loaded.app.isEmpty())
        loaded.qt = installOne(
            app, qtTranslatorName, locale, u"qtbase"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    else if (auto *old = app->findChild<QTranslator *>(qtTranslatorName, Qt::FindDirectChildrenOnly)) {
        QCoreApplication::removeTranslator(old);
        delete old;
    }
    return loaded;
}

} // namespace canyon
