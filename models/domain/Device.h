// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Snap.h"

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace canyon {

// How Canyon talks to a device. Values are the CLI.md JSON spellings.
enum class Dialect { Unknown, Snappy, SnapCli, SnapdRest };
QString dialectName(Dialect d); // "snappy" | "snap" | "snapd" | "" (unknown)
Dialect dialectFromName(const QString &name, bool *ok = nullptr); // also accepts "auto" -> Unknown

// The classified outcome of talking to a device (CLI.md `status`), plus GUI-only states.
enum class DeviceStatus {
    NotYetContacted, // GUI only: never refreshed in this run and nothing cached
    Refreshing, // GUI only: a refresh is in flight
    Ok,
    Unreachable,
    AuthFailed,
    HostKeyUnknown,
    HostKeyChanged,
    Unsupported, // neither snap nor snappy
    Error,
};
QString deviceStatusName(DeviceStatus s); // CLI.md spelling: ok, unreachable, auth-failed, ...

struct DeviceSystem
{
    QString os; // "ubuntu-core", "debian", ...
    QString release; // "22", "12", "ubuntu-core/devel"
    QString series; // "16"
    QString snapdVersion; // snapd's version (empty on 2014 snappy devices, which have no snapd)
    QString kernel;
    QString architecture;
    QString hostname;
    QDateTime lastRefresh; // last time snapd refreshed snaps (if known)
    QString refreshError; // why updates could not be determined (store unreachable, ...)
    bool operator==(const DeviceSystem &) const = default;
};

// A server's SSH host key identity, for trust decisions and messages.
struct HostKeyInfo
{
    QString keyType; // "ssh-ed25519", ...
    QString sha256; // "SHA256:base64..." as OpenSSH prints it
    QString knownSha256; // for a changed key: the fingerprint we trusted before (if known)
    QString knownKeyType;
    bool revoked = false; // refused because a known_hosts file marks this very key @revoked
    bool operator==(const HostKeyInfo &) const = default;
};

// Everything one inventory pass learned about one device: what a worker hands to the models.
struct DeviceInventory
{
    QString host; // Canyon's name for the device
    QString address; // user@host:port
    Dialect dialect = Dialect::Unknown;
    bool reachable = false; // a session was established
    DeviceStatus status = DeviceStatus::NotYetContacted;
    QString error; // empty exactly when status == Ok
    DeviceSystem system;
    SnapList snaps;
    HostKeyInfo hostKey;
    QDateTime fetchedAt; // when this result was read (or the attempt made)
    // When status is not Ok, the console keeps the last good snaps and system (nothing is lost
    // from view); lastOkAt says when they were read. Invalid when there never was a good read.
    QDateTime lastOkAt;
    qint64 elapsedMs = 0;
};

} // namespace canyon

Q_DECLARE_METATYPE(canyon::DeviceInventory)
