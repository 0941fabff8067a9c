// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "domain/Device.h"
#include "domain/Snap.h"

#include <QByteArray>

namespace canyon {

// `snappy versions -a` (2014): Part Tag Installed Available Fingerprint Active.
// version = Installed, revision = none, channel = Tag, active = (Active == "*"),
// update = Available unless "-" (updateKnowledge None when "-").
bool parseSnappyVersions(const QByteArray &output, SnapList *snaps, QString *error);

// `snappy info`: "release: ubuntu-core/devel" lines -> system.release/os/snapdVersion...
bool parseSnappyInfo(const QByteArray &output, DeviceSystem *system, QString *error);

} // namespace canyon
