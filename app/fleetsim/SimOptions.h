// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMap>
#include <QString>
#include <QStringList>

namespace canyon::sim {

// --name value / --name=value; flags listed in `booleans` take no value.
struct Options
{
    QMap<QString, QString> values;
    QStringList rest; // after "--"
    QString error;
};

Options parseOptions(const QStringList &args, const QStringList &known, const QStringList &booleans = {});

// Reads --NAME as an int in [low, high] into `out`; absent leaves `out` alone.
bool intOption(const Options &o, const QString &name, int low, int high, int &out, QString &error);

} // namespace canyon::sim
