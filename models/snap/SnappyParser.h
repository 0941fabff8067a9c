// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "domain/Device.h"
#include "domain/Snap.h"

#include <QByteArray>

namespace canyon {

// `snappy versions -a` (2014): Part Tag Installed Available Fingerprint Active (table rules:
// TextTable.h; Installed may be empty). name = Part, version = Installed, revision = none,
// channel = Tag, fingerprint, active = (Active == "*"); Available "-" -> updateKnowledge None,
// another value -> Available with update.version = it, empty -> Unknown. Fails like
// parseSnapList on a missing header, a row without a part name or a cut last line.
bool parseSnappyVersions(const QByteArray &output, SnapList *snaps, QString *error);

// `snappy info`: "key: value" lines. "release: ubuntu-core/devel" -> os "ubuntu-core",
// release "devel" (15.04's "ubuntu-core/15.04/edge" -> release "15.04/edge"; no '/' -> release
// only); "architecture:" (15.04) -> architecture. snapdVersion stays empty (there is no snapd);
// other keys (frameworks, apps) and other fields of *system are left alone. No release line
// is an error.
bool parseSnappyInfo(const QByteArray &output, DeviceSystem *system, QString *error);

} // namespace canyon
