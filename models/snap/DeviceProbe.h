// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "domain/Device.h"

#include <QByteArray>
#include <QDeadlineTimer>
#include <QList>
#include <atomic>

namespace canyon {

class SshSession;

// The output of one marker-delimited shell script: each command's text and exit code.
struct ScriptSection
{
    QByteArray output;
    int exitCode = -1;
};

// Builds "cmd1; echo "@@canyon-NONCE $?"; cmd2; ..." so that several commands cost one round trip.
QByteArray buildSectionScript(const QList<QByteArray> &commands, const QByteArray &nonce);
// Splits stdout of such a script. False when a marker is missing (output cut short).
bool splitSections(
    const QByteArray &stdoutText, const QByteArray &nonce, int expected, QList<ScriptSection> *sections);

// What a warm session remembers of the device's system between refreshes. The system facts
// (snapd version, kernel, OS) change only when snapd, the core/base or the kernel snap changes,
// so a warm refresh skips `snap version` / system-info while those revisions are the same.
struct KnownSystem
{
    bool valid = false;
    QString key; // systemKeyOf(snaps) when system was read
    DeviceSystem system;
};

// "snapd@x1,core22@1122,pc-kernel@1606": the active snaps whose revisions decide the system facts.
QString systemKeyOf(const SnapList &snaps);

// Reads a device's system and snaps over an established session, in the forced dialect or
// (Dialect::Unknown) detecting it: snapd REST through /run/snapd.socket, else `snap`, else
// `snappy`. knownDialect skips detection on warm sessions; known (may be null) lets a warm
// refresh skip re-reading unchanged system facts, and is updated. Fills
// status/error/dialect/system/snaps. askStore false reads what is installed only (no `snap
// refresh --list`, no /v2/find: the device does not ask its store); every snap's update is then
// Unknown, for the caller to carry over (carryUpdates).
void probeInventory(SshSession &session, Dialect forced, Dialect knownDialect, QDeadlineTimer deadline,
    const std::atomic_bool *cancel, DeviceInventory *out, KnownSystem *known = nullptr, bool askStore = true);

// After a read with askStore false: each snap keeps what the earlier read (before) knew of its
// update, except that a snap now at the revision (snappy: version) that was offered has none.
void carryUpdates(const DeviceInventory &before, DeviceInventory *now);

} // namespace canyon
