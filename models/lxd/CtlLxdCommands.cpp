// SPDX-License-Identifier: GPL-3.0-or-later
// canyonctl commands for LXD hosts (CLI.md: hosts add --lxd, instances).
#include "fleet/CtlCommands.h"

using namespace Qt::StringLiterals;

namespace canyon {

void CtlCommands::hostsAddLxd(QStringList)
{
    finish(2, u"hosts add --lxd: LXD hosts are not supported by this version yet"_s);
}

void CtlCommands::instances(QStringList)
{
    finish(2, u"instances: LXD hosts are not supported by this version yet"_s);
}

} // namespace canyon
