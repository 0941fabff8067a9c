// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SnapCliParser.h"
#include "domain/Device.h"
#include "domain/Snap.h"

#include <QByteArray>

namespace canyon {

// snapd REST envelope errors: {type:"error", result:{kind, message, value}}.
struct SnapdError
{
    int statusCode = 0;
    QString kind;
    QString message;
};

// GET /v2/snaps?select=all. Fails (false + reason) on malformed JSON or an error envelope.
// notes are derived like `snap list` does: type base/snapd/core/gadget/kernel ("base",
// "snapd", "core", ...), devmode, classic (confinement), jailmode, disabled (status
// "installed"), held (hold set), try, broken.
bool parseSnapdSnaps(const QByteArray &body, SnapList *snaps, QString *error);

// GET /v2/find?select=refresh: a result list -> updates; an error envelope (e.g. kind
// "network-timeout", "store" errors, message "cannot refresh ...") -> determined = false.
RefreshCheck parseSnapdFindRefresh(const QByteArray &body);

// GET /v2/system-info -> os (os-release.id), release (version-id), series, snapdVersion,
// kernel, architecture, lastRefresh (refresh.last).
bool parseSnapdSystemInfo(const QByteArray &body, DeviceSystem *system, QString *error);

// Reads an envelope's error, if it is one. Returns true when body is an error envelope.
bool snapdErrorOf(const QByteArray &body, SnapdError *err);

} // namespace canyon
