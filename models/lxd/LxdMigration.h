// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Migration of instances between independent LXD hosts (issue 5). Public API used by the CLI
// (`canyonctl migrate`) and the GUI (drag and drop, migration dialog, operations dock).
// Stable: extend by adding, never rename.
//
// A migration is journalled (Config::stateDir()/migrations/ID.jsonl, each step fdatasync'd
// BEFORE it is taken): plan -> [stop source] -> copy -> verify target -> [start target] ->
// delete source. The source is deleted only after the target was verified (exists, config,
// snapshot count, running if the source was running). On failure the result says which copy is
// authoritative; a partial target that never verified is deleted when that is safe (Canyon
// created it: the name was free at plan time), otherwise it is reported as a leftover.
// A journal left open by a killed console is recovered before the same instance is migrated
// again: the migration is finished or rolled back, never copied twice.

#include "LxdClient.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <functional>
#include <memory>

namespace canyon {

enum class MigrationMode {
    Auto, // pull where the target can reach the source, then push, then relay
    Pull, // the target fetches from the source (source operation URL + source certificate)
    Push, // the source sends to the target (target operation URL + target certificate)
    Relay, // the console pipes the websockets between both servers (last resort)
    Member, // within one LXD cluster: LXD moves the instance to another member (POST ?target=);
            // one server, one copy (never asked for with --mode: a target member implies it)
};
QString migrationModeName(MigrationMode mode); // "auto" | "pull" | "push" | "relay" | "member"
bool parseMigrationMode(const QString &text, MigrationMode *mode); // false on anything else (and "member")

// What the caller asks for.
struct MigrationRequest
{
    QString sourceHost; // fleet host names (HostKind::Lxd)
    QString instance;
    QString targetHost;
    QString targetName; // empty: the same name as on the source
    MigrationMode mode = MigrationMode::Auto;
    bool stateless = true; // running instances: stop -> move -> start (the only transfer here)
    bool live = false; // ask for a live (stateful) move; refused at plan time unless livePossible
    bool instanceOnly = false; // without snapshots
    // A cluster member of the target host (its server_name). With targetHost == sourceHost this
    // is a member move inside the cluster (MigrationMode::Member: LXD moves the one copy); with
    // another target host the copy is placed on that member of the target cluster (?target=).
    QString targetMember = {}; // (initialised: older aggregate initialisations stay warning-free)
    QString effectiveTargetName() const { return targetName.isEmpty() ? instance : targetName; }
    bool isMemberMove() const { return !targetMember.isEmpty() && sourceHost == targetHost; }
    bool operator==(const MigrationRequest &) const = default;
};

// One thing on the target (or source) that prevents the migration; found before any copy.
struct MigrationProblem
{
    enum class Kind {
        NameClash, // an instance of that name exists on the target (use TARGET/NEWNAME)
        MissingStoragePool, // a pool the instance's root/disk devices use is not on the target
        MissingProfile,
        MissingNetwork, // a managed network a nic device uses is not on the target
        SourceMissing, // no such instance on the source
        HostUnknown, // not a configured LXD host
        Unreachable, // a host did not answer (error says which and why)
        SameHost, // source and target are the same server (use a rename, or a cluster move)
        LiveNotPossible, // live was asked for and is not possible (liveReason says why)
        Busy, // another migration of this instance runs now, or an unfinished one is in the journal
        Other,
        MissingMember, // the target member is not a member of the target host's cluster (or no cluster)
        AlreadyOnMember, // a member move to the member the instance is on already
    };
    Kind kind = Kind::Other;
    QString subject; // pool / profile / network / instance name concerned
    QString message; // one line for the user (remote text passed through visibleText())
    bool operator==(const MigrationProblem &) const = default;
};
QString migrationProblemKindName(MigrationProblem::Kind kind); // "name-clash", "missing-profile", ...

// The answer to plan(): what would happen, and why not if it cannot.
struct MigrationPlan
{
    MigrationRequest request;
    MigrationMode mode = MigrationMode::Pull; // the mode that will be tried first (never Auto)
    QString modeReason; // why this mode ("pull: the default, the target fetches from the source")
    QString instanceType; // "container" | "virtual-machine"
    bool sourceRunning = false;
    QString sourceMember; // the instance's "location" when the source is a cluster ("" otherwise)
    QStringList targetMembers; // the target cluster's members, when a target member was asked for
    int snapshotCount = 0; // on the source
    QStringList profiles; // needed on the target
    QStringList storagePools;
    QStringList networks;
    QStringList targetPools; // what exists on the target (for a mapping UI)
    QStringList targetProfiles;
    bool livePossible = false; // a stateful move is possible for this instance between these hosts
    QString liveReason; // why not (greyed-out text), or why it is possible
    QList<MigrationProblem> problems; // empty: the migration may start
    bool ok() const { return problems.isEmpty(); }
};

enum class MigrationStage {
    Queued, // waiting for a slot (concurrency limit per host)
    Planning,
    StoppingSource,
    Copying,
    Verifying,
    StartingTarget,
    DeletingSource,
    RollingBack, // deleting a partial target / starting the source again
    Done,
    Failed,
};
QString migrationStageName(MigrationStage stage); // "queued", "planning", "stopping-source", ...

// Which copy holds the instance after the migration ended (successfully or not).
enum class MigrationAuthority {
    Source, // the source instance is authoritative (target absent, removed, or flagged leftover)
    Target, // the verified target is authoritative (source deleted, or kept and flagged)
    Unknown, // could not be determined (a host unreachable): nothing was deleted
};
QString migrationAuthorityName(MigrationAuthority a); // "source" | "target" | "unknown"

struct MigrationStageResult
{
    MigrationStage stage = MigrationStage::Planning;
    bool ok = false;
    QString error;
    qint64 ms = 0;
    QString detail; // e.g. "pull", "snapshots 2/2", operation id
};

// The truthful end of one migration.
struct MigrationResult
{
    QString id; // journal id
    MigrationRequest request;
    MigrationMode mode = MigrationMode::Pull; // the mode that moved the data (or was last tried)
    QStringList modesTried;
    bool ok = false; // target verified AND source deleted
    LxdResultKind kind = LxdResultKind::Ok; // classification of the first failure
    QString error; // one line
    MigrationAuthority authoritative = MigrationAuthority::Unknown;
    bool sourceExists = true; // as last seen
    bool targetExists = false;
    bool targetVerified = false;
    bool recovered = false; // finished or rolled back from an earlier (killed) console's journal
    QStringList leftovers; // what remains that the user should look at ("two copies: ...")
    QStringList cleaned; // what Canyon removed (a partial target that never verified)
    QList<MigrationStageResult> stages;
    qint64 bytes = -1; // transferred, when known (relay counts them; LXD progress otherwise)
    qint64 wallMs = 0;
    bool cancelRefused = false; // cancel() came after the target was verified: the move completed
    qint64 relayPeakBufferedBytes = -1; // relay mode: the most the console held at once
};

// Progress of one running migration (operation metadata of the copy, or the relay's counters).
struct MigrationProgress
{
    MigrationStage stage = MigrationStage::Planning;
    int percent = -1; // -1 unknown (LXD reports bytes, not a total, for container copies)
    qint64 bytes = -1; // transferred so far, -1 unknown
    double bytesPerSecond = -1; // -1 unknown
    QString text; // LXD's progress text, as given (show through visibleText())
    qint64 bufferedBytes = -1; // relay mode: held by the console right now (flow control bounds it)
};

// Relay flow control: above the high-water mark of bytes waiting to be written to one server,
// the relay stops reading the other; it reads again below the low-water mark.
inline constexpr qint64 MigrationRelayHighWaterBytes = 4 * 1024 * 1024;
inline constexpr qint64 MigrationRelayLowWaterBytes = 1024 * 1024;

// Gives the client for a fleet host (LxdService::client is the usual provider). nullptr with
// *error for an unknown / non-LXD host. Clients stay owned by the provider.
using LxdClientProvider = std::function<LxdClient *(const QString &host, QString *error)>;

// One migration at a time per object; created by LxdMigrator. GUI thread.
class LxdMigration : public QObject
{
    Q_OBJECT
public:
    ~LxdMigration() override;
    quint64 id() const { return m_id; }
    QString journalId() const;
    const MigrationRequest &request() const { return m_request; }
    MigrationStage stage() const;
    MigrationProgress progress() const;
    bool isFinished() const;
    MigrationResult result() const; // meaningful once finished() was emitted
    MigrationPlan plan() const; // the plan it ran with (problems when it refused to start)
    // Stops before the target is verified: running operations are cancelled, a partial target
    // is removed and a stopped source started again; the source stays authoritative. After the
    // target was verified cancelling is refused (the result says so): the move completes.
    void cancel();
    // cancel() would be honoured now (false once finished or once the target was verified).
    bool canCancel() const;

Q_SIGNALS:
    void stageChanged(canyon::MigrationStage stage);
    void progressChanged(const canyon::MigrationProgress &progress);
    void finished(const canyon::MigrationResult &result);
    // cancel() was refused (why: one line); the migration goes on to its end.
    void cancelRefused(const QString &why);

private:
    friend class LxdMigrator;
    struct Impl;
    LxdMigration(quint64 id, const MigrationRequest &request, QObject *parent);
    quint64 m_id = 0;
    MigrationRequest m_request;
    std::unique_ptr<Impl> d;
};

// The migration service: plans, queues (concurrency limit per host) and runs migrations, and
// recovers journals left open by a killed console. GUI thread; everything asynchronous.
class LxdMigrator : public QObject
{
    Q_OBJECT
public:
    // stateDir: Config::stateDir() (journals go to stateDir/migrations/).
    LxdMigrator(LxdClientProvider clients, const QString &stateDir, QObject *parent = nullptr);
    ~LxdMigrator() override;

    void setMaxPerHost(int n) { m_maxPerHost = std::max(1, n); } // default 2 (a source or target counts)
    int maxPerHost() const { return m_maxPerHost; }
    void setOperationTimeoutMs(int ms) { m_operationTimeoutMs = ms; } // one LXD operation (default 30 min)
    // A copy that stops moving ends by this deadline: the relay with no byte in either direction,
    // or one side's operation still running after the other side's failed (default 60 s).
    void setStallTimeoutMs(int ms) { m_stallTimeoutMs = std::max(100, ms); }

    // Looks at both hosts (nothing is changed anywhere) and answers once.
    void plan(const MigrationRequest &request, std::function<void(const MigrationPlan &)> done);
    // Plans, then (if the plan has no problems) queues and runs the migration. While it is queued
    // or runs, the source and target instances are claimed (MigrationLock, shared with other
    // console processes): a second migration touching either is refused at once (a Busy problem,
    // nothing looked at or changed) instead of being caught later. The returned
    // object lives until the migrator is destroyed (or deleteLater after finished). A plan with
    // problems finishes at once with ok=false, the problems in error, authoritative=Source.
    // An open journal for the same source instance is recovered first (result.recovered).
    LxdMigration *start(const MigrationRequest &request);
    QList<LxdMigration *> migrations() const; // running and queued

    // Journals of migrations that never finished (a killed console): id, request, last step.
    struct OpenJournal
    {
        QString id;
        QString path;
        MigrationRequest request;
        QString lastStep;
    };
    QList<OpenJournal> openJournals() const;
    // Finishes or rolls back one open journal (the same object/signals as a migration).
    LxdMigration *recover(const QString &journalId);

Q_SIGNALS:
    void migrationStarted(canyon::LxdMigration *migration);
    void migrationFinished(canyon::LxdMigration *migration, const canyon::MigrationResult &result);

private:
    friend class LxdMigration;
    void pump(); // starts queued migrations while slots are free
    void release(LxdMigration *m);

    LxdClientProvider m_clients;
    QString m_stateDir;
    int m_maxPerHost = 2;
    int m_operationTimeoutMs = 30 * 60 * 1000;
    int m_stallTimeoutMs = 60 * 1000;
    quint64 m_nextId = 1;
    QList<LxdMigration *> m_queue; // waiting for a slot
    QList<LxdMigration *> m_running;
    QHash<QString, int> m_busy; // host -> running migrations touching it
};

} // namespace canyon

Q_DECLARE_METATYPE(canyon::MigrationProgress)
Q_DECLARE_METATYPE(canyon::MigrationResult)
