// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "domain/Device.h"
#include "snap/SnapActions.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <functional>
#include <memory>

namespace canyon {

class FleetService;
class Journal;
class SshSession;

// Where one device+snap of a job stands (CLI.md spellings via jobItemStatusName).
enum class JobItemStatus {
    Waiting,
    Running,
    PendingReboot, // snappy OS part updated; takes effect after a reboot (not done by the job)
    Done,
    Failed,
    Undone, // snapd failed the change and put the previous revision back
    Unreachable,
    Skipped, // nothing to do or not possible here (reason in error)
    NotStarted, // a batch before it exceeded --max-fail, or the job was cancelled
};
QString jobItemStatusName(JobItemStatus s); // waiting running pending-reboot done failed undone ...
bool isFinalStatus(JobItemStatus s);
bool isFailureStatus(JobItemStatus s); // failed, undone, unreachable: what --max-fail counts
bool isSuccessStatus(JobItemStatus s); // done, pending-reboot: what exit status 0 needs

struct JobItem
{
    QString device;
    QString snap; // empty: every snap of the device (one refresh change)
    int batch = 0;
    JobItemStatus status = JobItemStatus::Waiting;
    QString fromRevision; // snappy: versions
    QString toRevision; // expected while running; what the device shows after the job
    QString changeId;
    qint64 progressDone = 0; // Σdone/Σtotal of the change's tasks
    qint64 progressTotal = 0;
    QString error; // failure text, or the reason of skipped / not-started
    QString via; // "rest", "cli" or "snappy": how the write was sent
    bool reattached = false; // followed a change an earlier (killed) run or someone else started
    QStringList changedSnaps; // refresh of every snap: "name from→to" read after the job
    qint64 elapsedMs = -1; // from its first command to its final status (-1: never run)
};

// Rollout batches (CLI.md): "1,10%,100%" -> sizes are shares of the whole target list in the
// order given: a number is that many devices, N% is ceil(N% of all); the last batch takes the
// rest, and devices beyond the listed batches go in one more batch.
struct BatchSpec
{
    int value = 0;
    bool percent = false;
    bool operator==(const BatchSpec &) const = default;
};
bool parseBatches(const QString &text, QList<BatchSpec> *batches, QString *error);
QList<int> batchSizes(const QList<BatchSpec> &batches, int deviceCount);
// "10%" or "10" -> 10; 0..100.
bool parsePercent(const QString &text, double *percent);
// Ansible's rule: later batches stop when the batch's failure share EXCEEDS the maximum.
bool batchExceedsMaxFail(int failed, int batchSize, double maxFailPercent);

struct JobSpec
{
    SnapAction action = SnapAction::Refresh;
    QStringList snaps; // empty with Refresh: every snap
    QString channel; // Refresh
    QString path; // Install: a .snap file already on the device, installed --dangerous
    bool devmode = false; // Install: --devmode
    QStringList devices; // the target list, in rollout order
    QList<BatchSpec> batches; // empty: one batch
    double maxFailPercent = 100; // 100: never stop early
    int concurrency = 16; // devices of this job at once (the fleet's pool bounds it too)
    enum class Writes { Auto, Rest, Cli };
    Writes writes = Writes::Auto; // Auto: REST where the SSH user may write, else sudo -n CLI
    bool rebootWhenNeeded = false; // snappy OS updates: reboot and confirm the new version
    int pollMs = 500;
    int stepTimeoutMs = 30000; // one round of SSH work
    int changeTimeoutMs = 15 * 60 * 1000; // following one change (reconnecting across link loss)
    // Reattach only (the GUI's offer after a killed job): the plan is the open journal entries
    // (Journal::pending) of this action on `devices`, not the inventory; snaps is ignored.
    bool reattachOnly = false;
};

// A fleet action over devices: plan, batches with --max-fail, bounded concurrency,
// pause/resume/cancel, per device+snap progress from snapd's change tasks, and a write-ahead
// journal (Journal) so that a restarted job reattaches to changes instead of resubmitting.
// Lives on the GUI (or CLI main) thread; SSH work runs through FleetService::runDeviceStep.
//
// GUI use: construct, plan() (show the items), start(); watch itemChanged(i) / items();
// pause() / resume() / cancel(); finished() comes after every touched device's inventory was
// read again (FleetService::readDevice, as soon as its work there is over), so the snaps table shows what is
// installed.
class FleetJob : public QObject
{
    Q_OBJECT
public:
    struct Outcome; // internal: what one worker step found (FleetJob.cpp)

    FleetJob(FleetService &fleet, JobSpec spec, QObject *parent = nullptr);
    ~FleetJob() override;

    // The plan from the devices' current (last read) inventory: one item per device and snap,
    // from/to revisions, batch numbers; unreachable, unsupported or impossible ones final already.
    static QList<JobItem> buildPlan(
        const JobSpec &spec, const std::function<DeviceInventory(const QString &)> &inventoryOf);
    const QList<JobItem> &plan(); // builds it from the fleet's inventory on first call

    // Lists a device's snapd changes (REST where the dialect is snapd, else `snap changes`).
    // Blocking: for worker threads (FleetService::runDeviceStep), e.g. `canyonctl changes`.
    static bool readDeviceChanges(SshSession &session, Dialect dialect, QDeadlineTimer deadline,
        QList<ChangeInfo> *changes, QString *error);

    bool start(QString *error); // creates the journal, adopts open journal entries, starts batch 1
    void pause(); // no new device starts; running changes are still followed
    void resume();
    void cancel(); // devices not started become not-started; running changes are followed to their end

    const JobSpec &spec() const { return m_spec; }
    const QList<JobItem> &items() const { return m_items; }
    bool isRunning() const { return m_started && !m_finished; }
    bool isPaused() const { return m_paused; }
    bool isCancelled() const { return m_cancelled; }
    bool isFinished() const { return m_finished; }
    int batchCount() const { return int(m_batchSizes.size()); }
    int currentBatch() const { return m_batch; }
    double progress() const; // 0..1 over all items (running ones by their task progress)
    bool succeeded() const; // every item done (or pending-reboot)
    bool stoppedByMaxFail() const { return m_stoppedBatch >= 0; }
    QString journalPath() const;

Q_SIGNALS:
    void itemChanged(int index);
    void batchStarted(int batch);
    void maxFailExceeded(int batch, int failed, int batchSize); // later batches will not start
    void finished();

private:
    void startBatch(int batch);
    void pump();
    void runItem(int index, bool poll);
    void applyOutcome(int index, const Outcome &o);
    void itemFinal(int index);
    void deviceIdle(const QString &device);
    void checkBatchDone();
    void finishJob();
    bool touched(const QString &device) const;
    void reread(const QString &device);
    void rereadDone(const QString &device, const DeviceInventory &inv);
    void applyInventory(const QString &device, const DeviceInventory &inv);
    QString journalPathOf(int index) const;

    FleetService &m_fleet;
    JobSpec m_spec;
    QList<JobItem> m_items;
    bool m_planned = false;
    QList<int> m_batchSizes;
    QHash<QString, QList<int>> m_itemsOfDevice;
    QStringList m_deviceOrder;
    QHash<QString, int> m_deviceBatch;
    QSet<QString> m_activeDevices;
    QSet<QString> m_doneDevices;
    QSet<QString> m_rereadStarted; // devices read again after their work (once each)
    QSet<QString> m_rereadPending;
    QHash<int, QElapsedTimer> m_itemClock;
    QHash<int, QString> m_changeBefore; // Submitting records (id unknown): look before resubmitting
    QHash<int, QString> m_adoptedFrom; // journal a pending entry came from
    QHash<QString, DeviceInventory> m_before;
    std::shared_ptr<Journal> m_journal;
    std::shared_ptr<bool> m_alive;
    int m_batch = -1;
    int m_stoppedBatch = -1;
    bool m_started = false;
    bool m_paused = false;
    bool m_cancelled = false;
    bool m_finished = false;
    bool m_leaveJournalOpen = false;
};

} // namespace canyon

Q_DECLARE_METATYPE(canyon::JobItem)
