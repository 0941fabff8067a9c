// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Argument parsing shared by the canyonctl command files (CtlCommands.cpp, CtlJobCommands.cpp,
// lxd/CtlLxdCommands.cpp), so that every command treats options alike.

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>
#include <algorithm>

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

// --timeout SECONDS (a positive number, capped at a day) in milliseconds: *ms is left as it
// is when the option is absent. False when the value is not a positive number.
inline bool timeoutOption(const Parsed &p, int *ms)
{
    using namespace Qt::StringLiterals;
    if (!p.values.contains(u"--timeout"_s))
        return true;
    bool ok = false;
    const double s = p.values.value(u"--timeout"_s).toDouble(&ok);
    if (!ok || !(s > 0))
        return false;
    *ms = int(std::min(s * 1000, 24.0 * 3600 * 1000));
    return true;
}

} // namespace canyon
