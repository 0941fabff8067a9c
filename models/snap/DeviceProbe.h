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
bool splitSections(const QByteArray &stdoutText, const QByteArray &nonce, int expected,
                   QList<ScriptSection> *sections);

// Reads a device's system and snaps over an established session, in the forced dialect or
// (Dialect::Unknown) detecting it: snapd REST through /run/snapd.socket, else `snap`, else
// `snappy`. knownDialect skips detection on warm sessions. Fills status/error/dialect/system/snaps.
void probeInventory(SshSession &session, Dialect forced, Dialect knownDialect, QDeadlineTimer deadline,
                    const std::atomic_bool *cancel, DeviceInventory *out);

} // namespace canyon
