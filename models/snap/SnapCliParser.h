// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "domain/Device.h"
#include "domain/Snap.h"

#include <QByteArray>
#include <QHash>

namespace canyon {

// `snap list --all`: Name Version Rev Tracking Publisher Notes. Notes "-" = none; a
// "disabled" note means active == false. Publisher validation marks (✓, *, **) are stripped.
bool parseSnapList(const QByteArray &output, SnapList *snaps, QString *error);

// What `snap refresh --list` or /v2/find?select=refresh said.
struct RefreshCheck
{
    bool determined = false; // false: could not tell (store unreachable, ...): see error
    QHash<QString, SnapUpdate> updates; // by snap name
    QString error;
};

// `snap refresh --list` (stdout+stderr, exit code): a table (Name Version Rev Size Publisher
// Notes), or "All snaps up to date.", or "error: ..." (not determined, with the reason).
RefreshCheck parseSnapRefreshList(const QByteArray &output, int exitCode);

// `snap version`: "snap 2.57.6", "snapd 2.57.6", "series 16", "<os-id> <version-id>",
// "kernel ...", optionally "architecture amd64".
bool parseSnapVersion(const QByteArray &output, DeviceSystem *system, QString *error);

// Marks updates on the active revision of each snap named in check (sets updateKnowledge on
// every snap: Available/None when determined, Unknown otherwise).
void applyRefreshCheck(SnapList *snaps, const RefreshCheck &check);

} // namespace canyon
