// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLocale>
#include <QString>

class QCoreApplication;

namespace canyon {

// Installs the console's catalogue (embedded under :/i18n) and Qt's own (qtbase_*, from
// QLibraryInfo's translations path) for a locale. Calling it again replaces what an earlier call
// installed. A locale without a catalogue leaves the English source strings: no error.
class Translations
{
public:
    struct Loaded
    {
        QString app; // the catalogue file loaded, e.g. ":/i18n/canyon_de.qm"; empty for English
        QString qt; // Qt's own catalogue loaded, empty if none
    };

    static Loaded install(QCoreApplication *app, const QLocale &locale = QLocale());
    static QString catalogueDirectory(); // ":/i18n"
};

} // namespace canyon
