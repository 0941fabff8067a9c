// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace canyon {

// Where and how to reach one SSH device. Either an explicit user@host:port, or an
// ~/.ssh/config alias (then host holds the alias and libssh resolves the rest).
struct SshTarget
{
    QString user; // empty: libssh's default (config or local user)
    QString host;
    int port = 0; // 0: from ~/.ssh/config or 22
    // Parses "user@host[:port]", "host", "[v6addr]:port" or an alias. False with a reason on junk.
    static bool parse(const QString &text, SshTarget *out, QString *error);
    QString toString() const; // "user@host:port" with only the parts that are set
    bool operator==(const SshTarget &) const = default;
};

enum class HostKind { Device, Lxd };

// One configured host, as persisted in hosts.json.
struct HostConfig
{
    QString name;
    HostKind kind = HostKind::Device;
    QString group;
    SshTarget ssh; // devices
    QString identityFile; // optional private key file for this device
    QString dialect; // forced dialect ("" = auto)
    QString lxdUrl; // LXD hosts: https://host:port
    QString lxdCertificateSha256; // LXD hosts: the pinned server certificate (lowercase hex)
    bool operator==(const HostConfig &) const = default;
};

} // namespace canyon
