// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "domain/Device.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <functional>
#include <memory>

struct ssh_key_struct;

namespace canyon {

struct SshKeyFree
{
    void operator()(ssh_key_struct *key) const;
};
using SshKeyPtr = std::unique_ptr<ssh_key_struct, SshKeyFree>;

// What the known_hosts files say about the key a host offered.
enum class KnownHostVerdict {
    Known, // an entry for the host holds exactly this key
    Changed, // the entries for the host hold another key of the same type
    OtherType, // the entries for the host hold keys of other types only
    Unknown, // no entry for the host, or no file
    Revoked, // an "@revoked" line for the host holds this very key
    Error, // a file exists but cannot be read
};

// Checks a server key against known_hosts files in the order libssh's
// ssh_session_is_known_server() does: the first file (Canyon's own) decides when it holds the
// key; otherwise the next file's verdict counts when it knows the host at all. Lines are matched
// by libssh's own parser (plain names, "[host]:port", hashed "|1|" names, patterns). On top of
// libssh, an "@revoked" line refuses its key, as OpenSSH does.
//
// Unlike libssh, which reads and parses every file twice per connection, each file is read once
// and indexed by host name; a file is read again when its size, times or inode change (an
// accepted key appended, an entry the user removed). hostPort is what libssh matches: the
// lower-case host name, as "[host]:port" off port 22. known gets the first entry's key (of the
// offered type when there is one, nothing when Known), for telling the user what was trusted.
// Thread-safe.
//
// record, when given, is called for an Unknown host under the same lock as the check, so that
// two connections to one name cannot both find it unknown and both record their own key: Known
// when it recorded the key, Error (with its error) when it could not.
using RecordNewKey = std::function<bool(QString *error)>;
KnownHostVerdict checkKnownHost(const QByteArray &hostPort, ssh_key_struct *serverKey,
    const QStringList &files, HostKeyInfo *known, QString *error, const RecordNewKey &record = {});

// The first key the files hold for hostPort, of any type (what a host is trusted with), from the
// same index. False when none does.
bool knownKeyFor(const QByteArray &hostPort, const QStringList &files, HostKeyInfo *known);

// The server host key algorithms libssh 0.10 offers by default, in its order of preference
// (DEFAULT_HOSTKEYS in its kex.c, outside FIPS mode).
const QByteArrayList &libsshHostKeyAlgorithms();

// The host key algorithms to offer hostPort, as libssh orders them itself when it reads the
// known_hosts files during the key exchange: those of the keys the files hold for the host
// first, then the other defaults, each group in libssh's order. Empty when the files hold no
// key for the host (libssh's defaults stand). From the same index as checkKnownHost: libssh
// would read and parse every line of both files again for each connection.
QByteArray hostKeyAlgorithmsFor(const QByteArray &hostPort, const QStringList &files);

// The SHA256 fingerprint of key as OpenSSH prints it ("SHA256:..."); empty on failure.
QString keySha256(ssh_key_struct *key);

// The host name libssh matches in known_hosts for host and port (see checkKnownHost).
QByteArray knownHostsName(const QByteArray &host, unsigned int port);

} // namespace canyon
