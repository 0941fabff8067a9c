// SPDX-License-Identifier: GPL-3.0-or-later
// canyonctl fleet actions (CLI.md: refresh, revert, changes).
#include "CtlCommands.h"

using namespace Qt::StringLiterals;

namespace canyon {

void CtlCommands::refreshSnaps(QStringList)
{
    finish(2, u"refresh: fleet updates are not supported by this version yet"_s);
}

void CtlCommands::revertSnap(QStringList)
{
    finish(2, u"revert: fleet rollbacks are not supported by this version yet"_s);
}

void CtlCommands::changes(QStringList)
{
    finish(2, u"changes: not supported by this version yet"_s);
}

} // namespace canyon
