// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Argument parsing shared by the canyonctl command files (CtlCommands.cpp, CtlJobCommands.cpp,
// lxd/CtlLxdCommands.cpp), so that every command treats options alike.

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

namespace canyon {

// Options in allowedValued take a value ("--x v" or "--x=v"); allowedFlags take none; anything
// else starting with "--" is an error, and so is a valued option without its value.
struct Parsed
{
    QStringList positional;
    QHash<QString, QString> values;
    QSet<QString> flags;
    QString error;
};

inline Parsed parseArgs(
    const QStringList &args, const QStringList &allowedValued, const QStringList &allowedFlags)
{
    using namespace Qt::StringLiterals;
    Parsed p;
    for (qsizetype i = 0; i < args.size(); ++i) {
        QString a = args.at(i);
        if (!a.startsWith(u"--")) {
            p.positional << a;
            continue;
        }
        QString value;
        const qsizetype eq = a.indexOf(u'=');
        bool hasInline = false;
        if (eq > 0) {
            value = a.mid(eq + 1);
            a = a.left(eq);
            hasInline = true;
        }
        if (allowedValued.contains(a)) {
            if (!hasInline) {
                if (i + 1 >= args.size()) {
                    p.error = u"%1 needs a value"_s.arg(a);
                    return p;
                }
                value = args.at(++i);
            }
            p.values.insert(a, value);
        } else if (allowedFlags.contains(a) && !hasInline) {
            p.flags.insert(a);
        } else {
            p.error = u"unknown option %1"_s.arg(a);
            return p;
        }
    }
    return p;
}

} // namespace canyon
