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
    bool operator==(const SnapdError &) const = default;
};

// Every parser here fails (false, or determined == false, with a reason) on bodies over
// kMaxParserInputBytes, malformed JSON (nesting bombs included: QJsonDocument reports them),
// a non-object document, an envelope without a "type" string, an error envelope ("type":
// "error" or status-code >= 400: the reason is result.message, plus " [kind]" when kind is
// set), a non-"sync" type, and a known field of the wrong JSON type (null counts as absent).
// Invalid UTF-8 inside strings is no failure: it becomes U+FFFD, like all remote text.
// Output is touched only on success.

// GET /v2/snaps?select=all. notes are derived the way `snap list` does, in its order: the
// type (base, snapd, gadget, kernel; "core" for type os; nothing for app), disabled (status
// other than "active", i.e. "installed" with select=all; active = false), devmode, jailmode,
// classic (classic confinement unless jailmode), private, try (trymode), broken,
// ignore-validation, held (hold set, snapd >= 2.58). channel = tracking-channel, else
// channel; publisher = publisher.username, else developer. name and revision are required.
bool parseSnapdSnaps(const QByteArray &body, SnapList *snaps, QString *error);

// GET /v2/find?select=refresh: a result list -> updates; an error envelope (e.g. kind
// "network-timeout", "store" errors, message "cannot refresh ...") -> determined = false.
RefreshCheck parseSnapdFindRefresh(const QByteArray &body);

// GET /v2/system-info -> os (os-release.id), release (version-id), series, snapdVersion
// (version, required), kernel (kernel-version), architecture, lastRefresh (refresh.last; an
// unreadable date is left invalid). Other fields of *system are left alone.
bool parseSnapdSystemInfo(const QByteArray &body, DeviceSystem *system, QString *error);

// Reads an envelope's error, if it is one. Returns true when body is an error envelope
// (also for "type":"sync" with status-code >= 400); false for anything else, malformed included.
bool snapdErrorOf(const QByteArray &body, SnapdError *err);

} // namespace canyon
