// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

namespace canyon {

// A write action on one snap of one device (PROTOCOLS.md "snapd" and "Snappy").
enum class SnapAction { Refresh, Revert, Hold, Unhold, Install, Remove };
QString snapActionName(SnapAction a); // "refresh", "revert", ...

struct ActionRequest
{
    SnapAction action = SnapAction::Refresh;
    QString snap; // empty with Refresh: every snap (one snapd change)
    QString channel; // Refresh, and Install from the store
    QString path; // Install only: a .snap file already on the device (installed --dangerous);
                  // empty: install `snap` from the store
    bool devmode = false; // Install only: a snap built for devmode needs the confinement override
};

// Names, channels and paths go into a shell command line: anything outside these sets is
// refused before a command is built (no quoting games with remote shells).
bool isValidSnapName(const QString &name);
bool isValidChannel(const QString &channel);
bool isValidDevicePath(const QString &path);

// `sudo -n snap ACTION --no-wait ...`: prints the change id on stdout. `-n` makes sudo fail at
// once (instead of waiting for a password nobody will type). Hold/unhold (`snap refresh
// --hold=forever|--unhold NAME`, snapd >= 2.58) run synchronously and print no change id.
QByteArray snapCliCommand(const ActionRequest &r);
// POST /v2/snaps/NAME body; empty when the action has no single-call REST form (install from
// a device-local file needs a multipart upload; a refresh of everything is POST /v2/snaps).
QByteArray snapdActionPath(const ActionRequest &r);
QByteArray snapdActionBody(const ActionRequest &r);
// 2014 snappy: `sudo -n snappy update [PART]`, `sudo -n snappy rollback PART`,
// `sudo -n snappy install NAME`, `sudo -n snappy remove NAME`; empty for actions snappy has
// not (hold, unhold, installing a local file).
QByteArray snappyCommand(const ActionRequest &r);

// The id `--no-wait` printed (a line of digits, possibly after sudo's warnings); empty if none.
QString changeIdFromCliOutput(const QByteArray &stdoutText);
// Non-empty when stderr says sudo refused to run without a password or at all.
QString sudoRefusal(const QByteArray &stderrText, const QString &device);

struct ChangeTask
{
    QString kind;
    QString summary;
    QString status; // Do Doing Done Wait Abort Undo Undoing Undone Hold Error
    qint64 done = 0;
    qint64 total = 0;
};

// What snapd says of one change, from REST or from `snap changes` / `snap tasks` text.
struct ChangeInfo
{
    QString id;
    QString kind; // REST only ("refresh-snap", "revert-snap", ...); empty from text
    QString summary;
    QString status; // change status; from `snap tasks` alone it is derived from the tasks
    bool ready = false;
    QString err;
    QDateTime spawnTime; // REST only (the CLI prints "today at ..." words)
    QDateTime readyTime;
    QList<ChangeTask> tasks;

    qint64 progressDone() const;
    qint64 progressTotal() const;
};

// What a change means for a job.
enum class ChangeOutcome { Running, Done, Failed, Undone };
// Not ready -> Running; Done -> Done; Error (or Undone) with any task Undone -> Undone (snapd
// put the old revision back), other ready states -> Failed.
ChangeOutcome changeOutcome(const ChangeInfo &c);
// The error to show for a failed change: snapd's err, else the summaries of tasks in Error.
QString changeError(const ChangeInfo &c);

// GET /v2/changes/ID (result object) and GET /v2/changes?... (result array). Error envelopes
// fail with their message.
bool parseSnapdChange(const QByteArray &body, ChangeInfo *change, QString *error);
bool parseSnapdChanges(const QByteArray &body, QList<ChangeInfo> *changes, QString *error);
// A POST's answer: 202 async -> change id; an error envelope fails with "message [kind]".
bool parseSnapdAsync(const QByteArray &body, QString *changeId, QString *error, QString *kind = nullptr);

// `snap changes [SNAP]`: ID Status Spawn Ready Summary ("no changes found" on stderr = empty).
// ready = Ready column is not "-".
bool parseSnapChangesText(const QByteArray &output, QList<ChangeInfo> *changes, QString *error);
// `snap tasks ID` / `snap change ID`: Status Spawn Ready Summary. Each task counts 1 of 1
// when in a ready state (Done Undone Error Hold), else 0 of 1. status/ready are derived:
// any Do/Doing/Undo/Undoing/Wait/Abort task -> not ready ("Doing"); else "Error" when any
// task is Error or Undone, else "Done".
bool parseSnapTasksText(const QByteArray &output, ChangeInfo *change, QString *error);

} // namespace canyon
