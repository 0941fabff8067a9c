// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "domain/Device.h"
#include "domain/Snap.h"

#include <QByteArray>
#include <QHash>

namespace canyon {

// All parsers here take the raw bytes a device printed (UTF-8; invalid sequences become
// U+FFFD), keep remote values as they are (the view layer makes control characters visible),
// refuse input over kMaxParserInputBytes, and touch their output only on success.

// `snap list --all`: Name Version Rev Tracking Publisher Notes (table rules: TextTable.h).
// Notes "-" = none, else comma-separated words; a "disabled" note means active == false; the
// type word (base, snapd, gadget, kernel; "core" = type os) also sets type (empty for apps).
// Tracking "-" = no channel. Publisher validation marks (✓ / ** verified, ✪ / * starred) are
// stripped, "-" = none; an old "Developer" column is read when there is no Publisher.
// Blank output or "No snaps are installed yet" (snap's stderr line, exit 0) is an empty list:
// check the exit status before calling this. Fails on a missing header, "error: ..." output
// (its message is the error), a row without name or revision, or a last line without its
// newline (the output was cut: rows would be missing or wrong).
bool parseSnapList(const QByteArray &output, SnapList *snaps, QString *error);

// What `snap refresh --list` or /v2/find?select=refresh said.
struct RefreshCheck
{
    bool determined = false; // false: could not tell (store unreachable, ...): see error
    QHash<QString, SnapUpdate> updates; // by snap name
    QString error; // remote words where the device gave them (snap's "error: ..." message)
    bool operator==(const RefreshCheck &) const = default;
};

// `snap refresh --list` (stdout+stderr, exit code): a table (Name Version Rev Size Publisher
// Notes) -> updates, or "All snaps up to date." -> determined with none, or "error: ..." or a
// non-zero exit -> not determined, error = snap's message without "error: " (continuation
// lines joined), e.g. "cannot refresh: ... dial tcp: lookup api.snapcraft.io: no such host".
RefreshCheck parseSnapRefreshList(const QByteArray &output, int exitCode);

// `snap version`: "snap 2.57.6", "snapd 2.57.6", "series 16", "<os-id> <version-id>",
// "kernel ...", optionally "architecture amd64". Sets snapdVersion, series, os, release,
// kernel, architecture; leaves the other fields of *system alone. snap prints the os line on
// classic systems only, so without one os = "ubuntu-core" and release is empty. The os line
// is the first key that is none of the known ones and looks like an os-release ID
// ([a-z0-9._-]); "-" as its version means unknown. "snapd unavailable" is an error.
bool parseSnapVersion(const QByteArray &output, DeviceSystem *system, QString *error);

// Sets updateKnowledge (and update) on every snap: not determined -> Unknown; determined ->
// Available with the update on the active revision of a listed snap, None everywhere else
// (disabled revisions never get Available).
void applyRefreshCheck(SnapList *snaps, const RefreshCheck &check);

} // namespace canyon
