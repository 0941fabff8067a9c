// SPDX-License-Identifier: GPL-3.0-or-later
#include "SimOptions.h"

using namespace Qt::StringLiterals;

namespace canyon::sim {

Options parseOptions(const QStringList &args, const QStringList &known, const QStringList &booleans)
{
    Options o;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        if (a == u"--") {
            o.rest = args.mid(i + 1);
            break;
        }
        if (!a.startsWith(u"--")) {
            o.error = u"unexpected argument \"%1\""_s.arg(a);
            return o;
        }
        QString name = a.mid(2);
        QString value;
        const qsizetype eq = name.indexOf(u'=');
        if (eq >= 0) {
            value = name.mid(eq + 1);
            name = name.left(eq);
        }
        if (booleans.contains(name)) {
            o.values.insert(name, u"1"_s);
            continue;
        }
        if (!known.contains(name)) {
            o.error = u"unknown option --%1"_s.arg(name);
            return o;
        }
        if (eq < 0) {
            if (i + 1 >= args.size()) {
                o.error = u"--%1 needs a value"_s.arg(name);
                return o;
            }
            value = args[++i];
        }
        o.values.insert(name, value);
    }
    return o;
}

bool intOption(const Options &o, const QString &name, int low, int high, int &out, QString &error)
{
    if (!o.values.contains(name))
        return true;
    bool ok = false;
    const int v = o.values.value(name).toInt(&ok);
    if (!ok || v < low || v > high) {
        error = u"--%1 must be a number from %2 to %3"_s.arg(name).arg(low).arg(high);
        return false;
    }
    out = v;
    return true;
}

} // namespace canyon::sim
