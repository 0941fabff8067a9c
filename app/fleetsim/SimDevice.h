// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <optional>

namespace canyon::sim {

// Which command-line tool a simulated device has: the 2014 `snappy` CLI, the
// modern `snap` CLI, or neither (a plain Linux box).
enum class Dialect { Snap, Snappy, None };

QString dialectName(Dialect dialect);
std::optional<Dialect> dialectFromName(const QString &name);

// One installed revision (snap) or one installed version of a part (snappy).
struct SimSnap
{
    QString name;
    QString version;
    QString revision; // "1122", "x1"; snappy parts use the version
    QString tracking; // "latest/stable", "22/stable"; snappy: the tag ("edge")
    QString publisher; // store username; empty = none ("-")
    QString publisherDisplay; // display name, for "refreshed" lines
    bool verified = false; // publisher validation == "verified"
    QStringList notes; // type notes such as "base", "snapd", "kernel"
    bool active = true; // false = a disabled (kept) revision
    QString type; // app, base, snapd, kernel, gadget, os, framework
    QString summary;
    QString fingerprint; // snappy only
    qint64 size = 0; // bytes, for refresh --list

    bool operator==(const SimSnap &) const = default;
};

// What the store offers for an installed snap (snap refresh --list / snappy Available).
struct SimUpdate
{
    QString version;
    QString revision;
    qint64 size = 0;
    QString fingerprint;

    bool operator==(const SimUpdate &) const = default;
};

// One entry of `snap changes`. Changes submitted with --no-wait stay "Doing"
// until ready time; the state itself changes at submission.
struct SimChange
{
    int id = 0;
    QString status; // final status: Done, Error
    QString kind; // refresh-snap, revert-snap, ...
    QString summary;
    QStringList snaps; // snaps the change touches (conflict checks, `changes NAME`)
    QDateTime spawn;
    QDateTime ready; // invalid = never ready

    bool operator==(const SimChange &) const = default;
};

// Bytes a command wrote, and how it ended.
struct RunResult
{
    QByteArray out;
    QByteArray err;
    int exitCode = 0;
    bool reboot = false; // the device went down for a reboot after this
};

// Per-invocation facts that are not device state.
struct RunContext
{
    QDateTime now; // UTC; invalid = current time
    bool unicode = true; // LANG says UTF-8: "✓" instead of "*"
    int rebootMs = 5000; // how long a rebooting device stays away
};

// A simulated Ubuntu Core / snap device: its state, JSON form and the
// semantics of the `snap` and `snappy` commands against it. Pure data plus
// pure functions; no I/O, no threads.
class SimDevice
{
public:
    Dialect dialect = Dialect::Snap;
    int index = 0;
    QString hostname;
    QString osId; // os-release ID: "ubuntu-core", "ubuntu"
    QString osVersion; // os-release VERSION_ID: "22", "22.04"
    bool onClassic = false; // `snap version` prints the OS line only on classic
    QString series = QStringLiteral("16");
    QString snapdVersion;
    QString kernel;
    QString architecture;
    QString release; // snappy: "ubuntu-core/devel"
    QList<SimSnap> snaps; // insertion order is kept (snappy prints it)
    QMap<QString, SimUpdate> updates;
    bool storeReachable = true;
    QStringList held;
    QList<SimChange> changes;
    int nextChangeId = 1;
    int changeDurationMs = 3000; // --no-wait changes stay Doing this long
    QMap<QString, QString> pendingBoot; // part -> version to activate on reboot
    QDateTime downUntil; // rebooting until then
    bool hostile = false; // output carries hostile rows
    // Set by `serve` (not persisted): > 0 makes a hostile `snap list` parse (no cut-off row) and
    // adds this many hostile rows to it (a huge listing).
    int hostileListRows = 0;
    // Fault knobs set by `serve` per device (not persisted): refreshes fail and snapd undoes
    // them (the change ends in Error, the old revision stays); sudo wants a password.
    bool failRefresh = false;
    bool sudoNeedsPassword = false;

    bool operator==(const SimDevice &) const = default;

    // Deterministic seed for device `index`; `now` anchors the change log
    // (invalid = current time). Index 0 of the snappy dialect is the seed's
    // transcript device (versions -a equals the shared sample).
    static SimDevice seeded(int index, Dialect dialect, const QDateTime &now = {});

    QJsonObject toJson() const;
    static std::optional<SimDevice> fromJson(const QJsonObject &json, QString *error = nullptr);

    // True when this device has a program of that name on its PATH.
    bool hasCommand(const QString &program) const;

    // Runs one command: argv[0] is "snap" or "snappy" (a leading "sudo [-n]"
    // is accepted). Mutates the state like the real tool would.
    RunResult run(const QStringList &argv, const RunContext &context);

    // Applies a pending reboot (snappy OS updates/rollbacks).
    void reboot(const QDateTime &now, int downMs);
    bool isDown(const QDateTime &now) const;

    // Set by every mutation, so callers know when to persist.
    bool dirty = false;

private:
    RunResult runSnap(const QStringList &args, const RunContext &context);
    RunResult runSnappy(const QStringList &args, const RunContext &context);

    RunResult snapVersion(const QStringList &args);
    RunResult snapList(const QStringList &args, const RunContext &context);
    RunResult snapRefresh(const QStringList &args, const RunContext &context);
    RunResult snapRefreshList(const RunContext &context);
    RunResult snapRevert(const QStringList &args, const RunContext &context);
    RunResult snapInstall(const QStringList &args, const RunContext &context);
    RunResult snapRemove(const QStringList &args, const RunContext &context);
    RunResult snapHold(const QStringList &names, bool hold, bool noWait, const RunContext &context);
    RunResult snapChanges(const QStringList &args, const RunContext &context);
    RunResult snapTasks(const QStringList &args, const RunContext &context);
    RunResult snapInfo(const QStringList &args, const RunContext &context);
    RunResult snapLogs(const QStringList &args, const RunContext &context);

    RunResult snappyInfo();
    RunResult snappyVersions(const QStringList &args);
    RunResult snappyUpdate(const QStringList &args);
    RunResult snappyRollback(const QStringList &args);
    RunResult snappyInstall(const QStringList &args);
    RunResult snappyRemove(const QStringList &args);
    RunResult snappySearch(const QStringList &args);

    qsizetype activeIndex(const QString &name) const;
    QString refreshOne(const QString &name, const RunContext &context);
    void retainRevisions(const QString &name);
    int recordChange(const QString &kind, const QString &summary, const QStringList &names, bool noWait,
        const QDateTime &now, const QString &status = QStringLiteral("Done"));
    const SimChange *inProgressChangeFor(const QString &name, const QDateTime &now) const;
    QByteArray snappyTable(const QList<const SimSnap *> &parts) const;
};

} // namespace canyon::sim
