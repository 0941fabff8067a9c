// SPDX-License-Identifier: GPL-3.0-or-later
#include "FleetJob.h"

#include "FleetService.h"
#include "Journal.h"
#include "domain/PlainText.h"
#include "snap/SnappyParser.h"
#include "snap/TextTable.h"
#include "ssh/SshSession.h"

#include <QPointer>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTimer>
#include <cmath>

using namespace Qt::StringLiterals;

namespace canyon {

// ------------------------------------------------------------------ statuses and batches

QString jobItemStatusName(JobItemStatus s)
{
    switch (s) {
    case JobItemStatus::Waiting:
        return u"waiting"_s;
    case JobItemStatus::Running:
        return u"running"_s;
    case JobItemStatus::PendingReboot:
        return u"pending-reboot"_s;
    case JobItemStatus::Done:
        return u"done"_s;
    case JobItemStatus::Failed:
        return u"failed"_s;
    case JobItemStatus::Undone:
        return u"undone"_s;
    case JobItemStatus::Unreachable:
        return u"unreachable"_s;
    case JobItemStatus::Skipped:
        return u"skipped"_s;
    case JobItemStatus::NotStarted:
        return u"not-started"_s;
    }
    return {};
}

bool isFinalStatus(JobItemStatus s)
{
    return s != JobItemStatus::Waiting && s != JobItemStatus::Running;
}

bool isFailureStatus(JobItemStatus s)
{
    return s == JobItemStatus::Failed || s == JobItemStatus::Undone || s == JobItemStatus::Unreachable;
}

bool isSuccessStatus(JobItemStatus s)
{
    return s == JobItemStatus::Done || s == JobItemStatus::PendingReboot;
}

bool parsePercent(const QString &text, double *percent)
{
    QString t = text.trimmed();
    if (t.endsWith(u'%'))
        t.chop(1);
    bool ok = false;
    const double v = t.toDouble(&ok);
    if (!ok || v < 0 || v > 100)
        return false;
    *percent = v;
    return true;
}

bool parseBatches(const QString &text, QList<BatchSpec> *batches, QString *error)
{
    QList<BatchSpec> out;
    const QStringList parts = text.split(u',');
    for (const QString &raw : parts) {
        const QString p = raw.trimmed();
        BatchSpec b;
        b.percent = p.endsWith(u'%');
        bool ok = false;
        b.value = (b.percent ? p.chopped(1) : p).toInt(&ok);
        if (!ok || b.value < 1 || (b.percent && b.value > 100)) {
            *error = u"bad batch size \"%1\" (a number of devices, or 1%..100%)"_s.arg(p);
            return false;
        }
        out.append(b);
    }
    if (out.isEmpty()) {
        *error = u"no batch sizes given"_s;
        return false;
    }
    *batches = out;
    return true;
}

QList<int> batchSizes(const QList<BatchSpec> &batches, int deviceCount)
{
    QList<int> sizes;
    int left = deviceCount;
    for (const BatchSpec &b : batches) {
        if (left <= 0)
            break;
        // Integer ceil: 10% of 20 is exactly 2, never 3 through floating-point noise.
        const int want = b.percent ? int((qint64(b.value) * deviceCount + 99) / 100) : b.value;
        const int n = qBound(1, want, left);
        sizes.append(n);
        left -= n;
    }
    if (left > 0)
        sizes.append(left);
    return sizes;
}

bool batchExceedsMaxFail(int failed, int batchSize, double maxFailPercent)
{
    if (batchSize <= 0)
        return false;
    return double(failed) * 100.0 > maxFailPercent * double(batchSize);
}

// ------------------------------------------------------------------ the plan

namespace {

// snapd's revisions: numbers, or x1, x2 for local installs; x-revisions sort after store ones.
bool revisionLess(const QString &a, const QString &b)
{
    const bool ax = a.startsWith(u'x'), bx = b.startsWith(u'x');
    if (ax != bx)
        return !ax;
    return (ax ? a.mid(1) : a).toLongLong() < (bx ? b.mid(1) : b).toLongLong();
}

bool snapdAtLeast(const QString &version, int major, int minor)
{
    static const QRegularExpression re(u"^(\\d+)\\.(\\d+)"_s);
    const auto m = re.match(version);
    if (!m.hasMatch())
        return false;
    const int a = m.captured(1).toInt(), b = m.captured(2).toInt();
    return a > major || (a == major && b >= minor);
}

} // namespace

QList<JobItem> FleetJob::buildPlan(
    const JobSpec &spec, const std::function<DeviceInventory(const QString &)> &inventoryOf)
{
    QList<JobItem> items;
    QList<BatchSpec> batches = spec.batches;
    const QList<int> sizes = batchSizes(batches, int(spec.devices.size()));
    int batch = 0, inBatch = 0;
    QStringList snaps = spec.snaps;
    if (snaps.isEmpty())
        snaps << QString(); // refresh of every snap: one change per device
    for (const QString &device : spec.devices) {
        while (batch < sizes.size() && inBatch >= sizes.at(batch)) {
            ++batch;
            inBatch = 0;
        }
        ++inBatch;
        const DeviceInventory inv = inventoryOf(device);
        for (const QString &snap : std::as_const(snaps)) {
            JobItem it;
            it.device = device;
            it.snap = snap;
            it.batch = batch;
            auto skip = [&it](const QString &why) {
                it.status = JobItemStatus::Skipped;
                it.error = why;
            };
            if (inv.status == DeviceStatus::Unsupported) {
                skip(u"neither snap nor snappy is installed on %1"_s.arg(device));
            } else if (inv.status != DeviceStatus::Ok) {
                it.status = JobItemStatus::Unreachable;
                it.error = inv.error.isEmpty() ? u"the device's inventory could not be read"_s : inv.error;
            }
            if (isFinalStatus(it.status)) {
                items.append(it);
                continue;
            }
            const Snap *active = nullptr;
            QList<const Snap *> older;
            for (const Snap &s : inv.snaps) {
                if (s.name != snap)
                    continue;
                if (s.active)
                    active = &s;
                else
                    older.append(&s);
            }
            const bool snappy = inv.dialect == Dialect::Snappy;
            auto revOf = [snappy](const Snap *s) -> QString {
                return snappy ? s->version : s->revision.value_or(QString());
            };
            // What the device cannot do at all comes first: that is its status, not "not installed".
            if (spec.action == SnapAction::Hold || spec.action == SnapAction::Unhold) {
                if (snappy)
                    skip(u"not supported by snappy (2014): it has no refresh holds"_s);
                else if (!snapdAtLeast(inv.system.snapdVersion, 2, 58))
                    skip(u"%1 of one snap's refreshes needs snapd 2.58 or newer (%2 runs %3)"_s.arg(
                        spec.action == SnapAction::Hold ? u"holding"_s : u"releasing a hold"_s, device,
                        inv.system.snapdVersion.isEmpty() ? u"an unknown version"_s
                                                          : inv.system.snapdVersion));
            } else if (spec.action == SnapAction::Install && snappy && !spec.path.isEmpty()) {
                skip(u"not supported by snappy (2014): installing a local snap file"_s);
            }
            if (isFinalStatus(it.status)) {
                items.append(it);
                continue;
            }
            if (!snap.isEmpty() && spec.action != SnapAction::Install && !active) {
                skip(u"%1 is not installed on %2"_s.arg(snap, device));
                items.append(it);
                continue;
            }
            if (active)
                it.fromRevision = revOf(active);
            switch (spec.action) {
            case SnapAction::Refresh:
                if (active && active->updateKnowledge == UpdateKnowledge::Available)
                    it.toRevision
                        = snappy ? active->update.version : active->update.revision.value_or(QString());
                break;
            case SnapAction::Revert: {
                // The previous revision: the newest kept one older than the current (snapd's
                // choice); snappy keeps one other version of a part.
                const Snap *target = nullptr;
                for (const Snap *s : std::as_const(older)) {
                    if (snappy) {
                        target = s;
                        continue;
                    }
                    if (revisionLess(revOf(s), it.fromRevision)
                        && (!target || revisionLess(revOf(target), revOf(s))))
                        target = s;
                }
                if (!target)
                    skip(u"no previous revision of %1 is kept on %2: nothing to revert to"_s.arg(
                        snap, device));
                else
                    it.toRevision = revOf(target);
                break;
            }
            case SnapAction::Hold:
            case SnapAction::Unhold:
                break; // checked above
            case SnapAction::Remove:
                break;
            case SnapAction::Install:
                if (active && spec.path.isEmpty())
                    skip(u"%1 is installed on %2 already (%3)"_s.arg(snap, device, it.fromRevision));
                break;
            }
            items.append(it);
        }
    }
    return items;
}

// ------------------------------------------------------------------ worker-side steps

struct FleetJob::Outcome
{
    enum class Kind {
        Final, // status is the outcome
        Running, // a change is in flight: poll it
        LinkLost, // the session died mid-step: the write may or may not have happened
        Rebooting, // snappy: the job rebooted the device; confirm once it is back
    };
    Kind kind = Kind::Final;
    JobItemStatus status = JobItemStatus::Failed;
    QString changeId;
    QString changeBefore;
    QString error;
    QString via;
    QString toRevision;
    qint64 done = 0;
    qint64 total = 0;
    bool reattached = false;
};

namespace {

struct StepInput
{
    ActionRequest req;
    JobSpec::Writes writes = JobSpec::Writes::Auto;
    bool reboot = false;
    QString device;
    QString changeId; // known change: follow it
    QString changeBefore; // a write whose answer was lost: look for a newer change first
    bool confirmReboot = false; // snappy: the device was rebooted, expect toRevision active
    QString fromRevision;
    QString toRevision;
    std::shared_ptr<Journal> journal;
};

const QByteArray kSocket = "/run/snapd.socket";

bool linkLost(const SshSession *s, const ExecResult &r)
{
    return !r.completed && (!s->isConnected() || r.failure == DeviceStatus::Unreachable);
}

QString firstLine(const QByteArray &text)
{
    return remoteSnippet(decodeRemote(text), 300);
}

QString cliError(const ExecResult &r)
{
    QString e = decodeRemote(r.err).trimmed();
    if (e.isEmpty())
        e = decodeRemote(r.out).trimmed();
    if (e.startsWith(u"error: "_s))
        e = e.mid(7);
    return boundedRemote(e.simplified(), 500);
}

void journalRecord(const StepInput &in, JournalRecord::State state, const QString &changeId,
    const QString &before = {}, const QString &status = {}, const QString &to = {})
{
    if (!in.journal)
        return;
    JournalRecord r;
    r.device = in.device;
    r.snap = in.req.snap;
    r.action = snapActionName(in.req.action);
    r.state = state;
    r.changeId = changeId;
    r.changeIdBefore = before;
    r.status = status;
    r.fromRevision = in.fromRevision;
    r.toRevision = to.isEmpty() ? in.toRevision : to;
    in.journal->append(r);
}

// The device's changes for the snap (all of them, when snap is empty), newest id last.
bool listChanges(SshSession &s, bool rest, const QString &snap, QDeadlineTimer deadline,
    QList<ChangeInfo> *out, QString *error, bool *lost)
{
    *lost = false;
    if (rest) {
        QByteArray path = "/v2/changes?select=all";
        if (!snap.isEmpty())
            path += "&for=" + snap.toUtf8();
        const HttpExchange h = s.httpOverUnixSocket(kSocket, "GET", path, {}, deadline);
        if (!h.completed) {
            *lost = !s.isConnected();
            *error = u"snapd REST: "_s + h.error;
            return false;
        }
        return parseSnapdChanges(h.body, out, error);
    }
    const ExecResult r = s.exec("LC_ALL=C.UTF-8 snap changes " + snap.toUtf8() + " 2>&1", deadline);
    if (!r.completed) {
        *lost = linkLost(&s, r);
        *error = r.error;
        return false;
    }
    return parseSnapChangesText(r.out, out, error);
}

bool readChange(SshSession &s, bool rest, const QString &id, QDeadlineTimer deadline, ChangeInfo *c,
    QString *error, bool *lost)
{
    *lost = false;
    if (rest) {
        const HttpExchange h
            = s.httpOverUnixSocket(kSocket, "GET", "/v2/changes/" + id.toUtf8(), {}, deadline);
        if (!h.completed) {
            *lost = !s.isConnected();
            *error = u"snapd REST: "_s + h.error;
            return false;
        }
        return parseSnapdChange(h.body, c, error);
    }
    const ExecResult r = s.exec("LC_ALL=C.UTF-8 snap tasks " + id.toUtf8(), deadline);
    if (!r.completed) {
        *lost = linkLost(&s, r);
        *error = r.error;
        return false;
    }
    if (r.exitCode != 0) {
        *error = cliError(r);
        return false;
    }
    c->id = id;
    return parseSnapTasksText(r.out, c, error);
}

FleetJob::Outcome followChange(
    SshSession &s, bool rest, const StepInput &in, const QString &id, QDeadlineTimer deadline)
{
    FleetJob::Outcome o;
    o.changeId = id;
    ChangeInfo c;
    QString error;
    bool lost = false;
    if (!readChange(s, rest, id, deadline, &c, &error, &lost)) {
        if (lost) {
            o.kind = FleetJob::Outcome::Kind::LinkLost;
            o.error = error;
            return o;
        }
        o.status = JobItemStatus::Failed;
        o.error = u"cannot read change %1: %2"_s.arg(id, error);
        return o;
    }
    o.done = c.progressDone();
    o.total = c.progressTotal();
    switch (changeOutcome(c)) {
    case ChangeOutcome::Running:
        o.kind = FleetJob::Outcome::Kind::Running;
        return o;
    case ChangeOutcome::Done:
        o.status = JobItemStatus::Done;
        break;
    case ChangeOutcome::Undone:
        o.status = JobItemStatus::Undone;
        o.error = changeError(c);
        break;
    case ChangeOutcome::Failed:
        o.status = JobItemStatus::Failed;
        o.error = changeError(c);
        break;
    }
    journalRecord(in, JournalRecord::State::Final, id, {}, jobItemStatusName(o.status));
    return o;
}

// A snappy part's active version (`snappy versions -a`).
bool snappyActiveVersion(
    SshSession &s, const QString &part, QDeadlineTimer deadline, QString *version, QString *error, bool *lost)
{
    const ExecResult r = s.exec("snappy versions -a", deadline);
    *lost = false;
    if (!r.completed) {
        *lost = linkLost(&s, r);
        *error = r.error;
        return false;
    }
    SnapList list;
    if (r.exitCode != 0 || !parseSnappyVersions(r.out, &list, error)) {
        if (error->isEmpty())
            *error = firstLine(r.out + r.err);
        return false;
    }
    version->clear();
    for (const Snap &sn : std::as_const(list))
        if (sn.name == part && sn.active)
            *version = sn.version;
    return true;
}

FleetJob::Outcome snappyStep(SshSession &s, const StepInput &in, QDeadlineTimer deadline)
{
    FleetJob::Outcome o;
    o.via = u"snappy"_s;
    bool lost = false;
    QString error;
    if (in.confirmReboot) {
        QString version;
        if (!snappyActiveVersion(s, in.req.snap, deadline, &version, &error, &lost)) {
            o.kind = FleetJob::Outcome::Kind::LinkLost; // still rebooting, most likely
            o.error = error;
            return o;
        }
        o.toRevision = version;
        if (version == in.toRevision) {
            o.status = JobItemStatus::Done;
        } else {
            o.status = JobItemStatus::Failed;
            o.error
                = u"after the reboot %1 runs version %2, not %3"_s.arg(in.req.snap, version, in.toRevision);
        }
        journalRecord(in, JournalRecord::State::Final, {}, {}, jobItemStatusName(o.status), version);
        return o;
    }
    const QByteArray cmd = snappyCommand(in.req);
    if (cmd.isEmpty()) {
        o.status = JobItemStatus::Skipped;
        o.error = u"not available on snappy (2014) devices"_s;
        return o;
    }
    journalRecord(in, JournalRecord::State::Submitting, {});
    const ExecResult r = s.exec(cmd, deadline);
    if (!r.completed) {
        o.kind = linkLost(&s, r) ? FleetJob::Outcome::Kind::LinkLost : FleetJob::Outcome::Kind::Final;
        o.status = JobItemStatus::Failed;
        o.error = r.error;
        return o;
    }
    if (r.exitCode != 0) {
        const QString sudo = sudoRefusal(r.err, in.device);
        o.status = JobItemStatus::Failed;
        o.error = sudo.isEmpty() ? cliError(r) : sudo;
        journalRecord(in, JournalRecord::State::Final, {}, {}, jobItemStatusName(o.status));
        return o;
    }
    const QString text = decodeRemote(r.out);
    // "Reboot to use the new ubuntu-core." (update) / "Reboot to use ubuntu-core version 141." (rollback)
    const bool needsReboot = text.contains(u"Reboot to use"_s);
    QString target = in.toRevision;
    static const QRegularExpression setting(u"Setting (\\S+) to version (\\S+)"_s);
    if (const auto m = setting.match(text); m.hasMatch())
        target = m.captured(2);
    SnapList rows;
    QString ignored;
    if (in.req.action == SnapAction::Refresh
        && parseSnappyVersions(r.out.left(r.out.indexOf("Reboot")), &rows, &ignored))
        for (const Snap &sn : std::as_const(rows))
            if (sn.name == in.req.snap || in.req.snap.isEmpty())
                target = sn.version;
    o.toRevision = target;
    if (!needsReboot) {
        o.status = JobItemStatus::Done;
        journalRecord(in, JournalRecord::State::Final, {}, {}, u"done"_s, target);
        return o;
    }
    if (!in.reboot) {
        o.status = JobItemStatus::PendingReboot;
        journalRecord(in, JournalRecord::State::Final, {}, {}, u"pending-reboot"_s, target);
        return o;
    }
    // Journal first: a job killed during the reboot confirms the version instead of updating again.
    journalRecord(in, JournalRecord::State::Started, {}, {}, u"pending-reboot"_s, target);
    s.exec("sudo -n reboot", QDeadlineTimer(qMin<qint64>(deadline.remainingTime(), 3000)));
    o.kind = FleetJob::Outcome::Kind::Rebooting;
    o.status = JobItemStatus::PendingReboot;
    return o;
}

FleetJob::Outcome snapStep(SshSession &s, const StepInput &in, Dialect dialect, QDeadlineTimer deadline)
{
    FleetJob::Outcome o;
    const bool restReads = dialect == Dialect::SnapdRest;
    if (!in.changeId.isEmpty()) {
        o = followChange(s, restReads, in, in.changeId, deadline);
        return o;
    }
    // Before any write: is a change for this snap in flight, or did a lost write of ours land?
    QList<ChangeInfo> changes;
    QString error;
    bool lost = false;
    if (!listChanges(s, restReads, in.req.snap, deadline, &changes, &error, &lost)) {
        if (lost) {
            o.kind = FleetJob::Outcome::Kind::LinkLost;
            o.changeBefore = in.changeBefore;
            o.error = error;
            return o;
        }
        o.status = JobItemStatus::Failed;
        o.error = u"cannot list the device's changes: "_s + error;
        return o;
    }
    qint64 maxId = 0;
    const ChangeInfo *inFlight = nullptr;
    const ChangeInfo *ours = nullptr;
    for (const ChangeInfo &c : std::as_const(changes)) {
        const qint64 id = c.id.toLongLong();
        maxId = qMax(maxId, id);
        if (!c.ready && !in.req.snap.isEmpty())
            inFlight = &c;
        if (!in.changeBefore.isEmpty() && id > in.changeBefore.toLongLong()
            && (!ours || id < ours->id.toLongLong()))
            ours = &c;
    }
    if (ours || inFlight) {
        const ChangeInfo &c = ours ? *ours : *inFlight;
        if (!ours && in.req.action != SnapAction::Refresh) {
            o.status = JobItemStatus::Failed;
            o.error = u"%1 has change %2 in progress (%3): not submitted"_s.arg(in.req.snap, c.id, c.summary);
            journalRecord(in, JournalRecord::State::Final, {}, {}, u"failed"_s);
            return o;
        }
        // Never a second write for a snap with a change in flight: follow that change instead.
        journalRecord(in, JournalRecord::State::Started, c.id);
        o = followChange(s, restReads, in, c.id, deadline);
        o.reattached = true;
        return o;
    }
    const QString before = QString::number(maxId);
    journalRecord(in, JournalRecord::State::Submitting, {}, before);

    bool viaRest = false;
    const QByteArray restPath = snapdActionPath(in.req);
    if (in.writes != JobSpec::Writes::Cli && restReads && !restPath.isEmpty())
        viaRest = true;
    if (in.writes == JobSpec::Writes::Rest && !viaRest) {
        o.status = JobItemStatus::Failed;
        o.error = restReads ? u"this action has no REST form"_s
                            : u"snapd's REST socket is not reachable on %1"_s.arg(in.device);
        journalRecord(in, JournalRecord::State::Final, {}, {}, u"failed"_s);
        return o;
    }
    QString id;
    if (viaRest) {
        const HttpExchange h
            = s.httpOverUnixSocket(kSocket, "POST", restPath, snapdActionBody(in.req), deadline);
        if (!h.completed) {
            o.kind = FleetJob::Outcome::Kind::LinkLost;
            o.changeBefore = before;
            o.error = h.error;
            return o;
        }
        QString kind;
        if (parseSnapdAsync(h.body, &id, &error, &kind)) {
            o.via = u"rest"_s;
        } else if ((h.status == 401 || h.status == 403) && in.writes == JobSpec::Writes::Auto) {
            viaRest = false; // the SSH user may read but not write: sudo -n below
        } else if (kind == u"snap-no-update-available") {
            o.via = u"rest"_s;
            o.status = JobItemStatus::Done;
            o.toRevision = in.fromRevision;
            journalRecord(in, JournalRecord::State::Final, {}, {}, u"done"_s);
            return o;
        } else {
            o.via = u"rest"_s;
            o.status = JobItemStatus::Failed;
            o.error = (h.status == 401 || h.status == 403)
                ? u"snapd refused the write over REST (the SSH user must be root): "_s + error
                : error;
            journalRecord(in, JournalRecord::State::Final, {}, {}, u"failed"_s);
            return o;
        }
    }
    if (!viaRest) {
        o.via = u"cli"_s;
        const ExecResult r = s.exec("LC_ALL=C.UTF-8 " + snapCliCommand(in.req), deadline);
        if (!r.completed) {
            // The write may have reached snapd: the retry looks for a change newer than `before`.
            o.kind = linkLost(&s, r) ? FleetJob::Outcome::Kind::LinkLost : FleetJob::Outcome::Kind::Final;
            o.changeBefore = before;
            o.status = JobItemStatus::Failed;
            o.error = r.error;
            return o;
        }
        if (r.exitCode != 0) {
            const QString sudo = sudoRefusal(r.err, in.device);
            o.status = JobItemStatus::Failed;
            o.error = sudo.isEmpty() ? cliError(r) : sudo;
            journalRecord(in, JournalRecord::State::Final, {}, {}, u"failed"_s);
            return o;
        }
        id = changeIdFromCliOutput(r.out);
        if (id.isEmpty()) {
            // No change: "snap "x" has no updates available", or a synchronous hold/unhold.
            o.status = JobItemStatus::Done;
            o.toRevision = in.req.action == SnapAction::Refresh ? in.fromRevision : QString();
            o.error = remoteSnippet(decodeRemote(r.err), 300);
            journalRecord(in, JournalRecord::State::Final, {}, {}, u"done"_s);
            return o;
        }
    }
    // R2: the id is on disk before anybody is told that the device started.
    journalRecord(in, JournalRecord::State::Started, id);
    const QString via = o.via;
    o = followChange(s, restReads, in, id, deadline);
    o.via = via;
    return o;
}

} // namespace

// ------------------------------------------------------------------ the job

bool FleetJob::readDeviceChanges(
    SshSession &session, Dialect dialect, QDeadlineTimer deadline, QList<ChangeInfo> *changes, QString *error)
{
    bool lost = false;
    return listChanges(session, dialect == Dialect::SnapdRest, {}, deadline, changes, error, &lost);
}

FleetJob::FleetJob(FleetService &fleet, JobSpec spec, QObject *parent)
    : QObject(parent)
    , m_fleet(fleet)
    , m_spec(std::move(spec))
    , m_alive(std::make_shared<bool>(true))
{
    qRegisterMetaType<JobItem>();
}

FleetJob::~FleetJob()
{
    // Results of steps still on workers are dropped; the journal stays open on purpose when
    // work was in flight, so the next job reattaches (R2).
    *m_alive = false;
}

const QList<JobItem> &FleetJob::plan()
{
    if (!m_planned && m_spec.reattachOnly) {
        // Adopted by start() like any open entry: followed by id, or looked up before a resubmit.
        const QString action = snapActionName(m_spec.action);
        for (const Journal::Pending &p : Journal::pending(m_fleet.config().stateDir())) {
            if (p.record.action != action || !m_spec.devices.contains(p.record.device))
                continue;
            if (std::any_of(m_items.cbegin(), m_items.cend(), [&p](const JobItem &o) {
                    return o.device == p.record.device && o.snap == p.record.snap;
                }))
                continue;
            JobItem it;
            it.device = p.record.device;
            it.snap = p.record.snap;
            it.fromRevision = p.record.fromRevision;
            it.toRevision = p.record.toRevision;
            it.changeId = p.record.changeId;
            it.reattached = true;
            m_items.append(it);
        }
        m_spec.batches.clear(); // one batch
        m_planned = true;
    }
    if (!m_planned) {
        m_items = buildPlan(m_spec, [this](const QString &n) { return m_fleet.inventory(n); });
        m_planned = true;
    }
    return m_items;
}

QString FleetJob::journalPath() const
{
    return m_journal ? m_journal->path() : QString();
}

double FleetJob::progress() const
{
    if (m_items.isEmpty())
        return 1.0;
    double sum = 0;
    for (const JobItem &it : m_items) {
        if (isFinalStatus(it.status))
            sum += 1;
        else if (it.status == JobItemStatus::Running && it.progressTotal > 0)
            sum += double(it.progressDone) / double(it.progressTotal);
    }
    return sum / double(m_items.size());
}

bool FleetJob::succeeded() const
{
    for (const JobItem &it : m_items)
        if (!isSuccessStatus(it.status))
            return false;
    return true;
}

bool FleetJob::start(QString *error)
{
    if (m_started) {
        *error = u"the job was started already"_s;
        return false;
    }
    for (const QString &s : std::as_const(m_spec.snaps))
        if (!isValidSnapName(s)) {
            *error = u"not a snap name: %1"_s.arg(visibleText(s, 80));
            return false;
        }
    if (!m_spec.channel.isEmpty() && !isValidChannel(m_spec.channel)) {
        *error = u"not a channel: %1"_s.arg(visibleText(m_spec.channel, 80));
        return false;
    }
    if (m_spec.action == SnapAction::Install && !m_spec.path.isEmpty() && !isValidDevicePath(m_spec.path)) {
        *error = u"not a plain absolute path: %1"_s.arg(visibleText(m_spec.path, 200));
        return false;
    }
    plan();
    const QString stateDir = m_fleet.config().stateDir();
    const QString jobId = QDateTime::currentDateTimeUtc().toString(u"yyyyMMdd-HHmmss-zzz"_s) + u'-'
        + QString::number(QRandomGenerator::global()->bounded(1u << 30), 36);
    const QString summary = snapActionName(m_spec.action) + u' ' + m_spec.snaps.join(u' ') + u" on "_s
        + QString::number(m_spec.devices.size()) + u" devices"_s;
    std::unique_ptr<Journal> j = Journal::create(stateDir, jobId, summary, error);
    if (!j)
        return false;
    m_journal = std::move(j);

    // Open work of killed jobs: the same device+snap+action is reattached, never resubmitted.
    const QString actionName = snapActionName(m_spec.action);
    QSet<QString> adoptedFrom;
    QSet<QString> openJournals;
    const QList<Journal::Pending> pending = Journal::pending(stateDir);
    QHash<QString, int> adoptedCount;
    for (const Journal::Pending &p : pending) {
        if (p.journalPath == m_journal->path())
            continue;
        openJournals.insert(p.journalPath);
        for (qsizetype i = 0; i < m_items.size(); ++i) {
            JobItem &it = m_items[i];
            if (it.device != p.record.device || it.snap != p.record.snap || actionName != p.record.action)
                continue;
            if (it.status == JobItemStatus::Skipped || it.status == JobItemStatus::Unreachable)
                it.status = JobItemStatus::Waiting; // the journal knows better than the plan
            it.error.clear();
            it.reattached = true;
            it.changeId = p.record.changeId;
            if (!p.record.fromRevision.isEmpty())
                it.fromRevision = p.record.fromRevision;
            if (!p.record.toRevision.isEmpty())
                it.toRevision = p.record.toRevision;
            if (p.record.changeId.isEmpty())
                m_changeBefore.insert(
                    int(i), p.record.changeIdBefore.isEmpty() ? u"0"_s : p.record.changeIdBefore);
            if (p.record.status == u"pending-reboot")
                it.status = JobItemStatus::PendingReboot; // confirm the version after the reboot
            m_adoptedFrom.insert(int(i), p.journalPath);
            JournalRecord r = p.record;
            r.at = {};
            m_journal->append(r); // ours now: this journal carries it on
            ++adoptedCount[p.journalPath];
        }
    }
    // An abandoned journal whose open entries all moved here is closed; others stay open.
    for (const QString &path : std::as_const(openJournals)) {
        int open = 0;
        for (const Journal::Pending &p : pending)
            if (p.journalPath == path)
                ++open;
        if (open == adoptedCount.value(path))
            Journal::closeFile(path);
    }

    m_batchSizes = batchSizes(m_spec.batches, int(m_spec.devices.size()));
    for (qsizetype i = 0; i < m_items.size(); ++i) {
        const JobItem &it = m_items.at(i);
        if (!m_itemsOfDevice.contains(it.device))
            m_deviceOrder << it.device;
        m_itemsOfDevice[it.device].append(int(i));
        m_deviceBatch.insert(it.device, it.batch);
        m_before.insert(it.device, m_fleet.inventory(it.device));
    }
    m_started = true;
    QPointer<FleetJob> self(this);
    QMetaObject::invokeMethod(
        this,
        [self] {
            if (self)
                self->startBatch(0);
        },
        Qt::QueuedConnection);
    return true;
}

void FleetJob::pause()
{
    m_paused = true;
}

void FleetJob::resume()
{
    if (!m_paused)
        return;
    m_paused = false;
    pump();
}

void FleetJob::cancel()
{
    if (!m_started || m_finished)
        return;
    m_cancelled = true;
    for (qsizetype i = 0; i < m_items.size(); ++i) {
        JobItem &it = m_items[i];
        if (it.status == JobItemStatus::Waiting && !m_activeDevices.contains(it.device) && !it.reattached) {
            it.status = JobItemStatus::NotStarted;
            it.error = u"cancelled"_s;
            Q_EMIT itemChanged(int(i));
        }
    }
    checkBatchDone();
}

void FleetJob::startBatch(int batch)
{
    m_batch = batch;
    if (batch >= m_batchSizes.size() || m_items.isEmpty()) {
        finishJob();
        return;
    }
    Q_EMIT batchStarted(batch);
    pump();
    checkBatchDone();
}

void FleetJob::pump()
{
    if (m_finished || m_paused)
        return;
    for (const QString &device : std::as_const(m_deviceOrder)) {
        if (m_activeDevices.size() >= qMax(1, m_spec.concurrency))
            break;
        if (m_deviceBatch.value(device) != m_batch || m_activeDevices.contains(device)
            || m_doneDevices.contains(device))
            continue;
        // A device's items run one after another on its session.
        int next = -1;
        for (int i : m_itemsOfDevice.value(device))
            if (m_items.at(i).status == JobItemStatus::Waiting
                || (m_items.at(i).status == JobItemStatus::PendingReboot && m_items.at(i).reattached
                    && !m_itemClock.contains(i))) {
                next = i;
                break;
            }
        if (next < 0) {
            m_doneDevices.insert(device);
            continue;
        }
        if (m_cancelled && !m_items.at(next).reattached)
            continue;
        m_activeDevices.insert(device);
        m_itemClock[next].start();
        runItem(next, false);
    }
}

void FleetJob::runItem(int index, bool poll)
{
    JobItem &it = m_items[index];
    StepInput in;
    in.req.action = m_spec.action;
    in.req.snap = it.snap;
    in.req.channel = m_spec.channel;
    in.req.path = m_spec.path;
    in.req.devmode = m_spec.devmode;
    in.writes = m_spec.writes;
    in.reboot = m_spec.rebootWhenNeeded;
    in.device = it.device;
    in.changeId = it.changeId;
    in.changeBefore = m_changeBefore.value(index);
    in.confirmReboot = it.status == JobItemStatus::PendingReboot;
    in.fromRevision = it.fromRevision;
    in.toRevision = it.toRevision;
    in.journal = m_journal;
    Q_UNUSED(poll)
    if (it.status == JobItemStatus::Waiting) {
        it.status = JobItemStatus::Running;
        Q_EMIT itemChanged(index);
    }
    QPointer<FleetJob> self(this);
    std::shared_ptr<bool> alive = m_alive;
    const bool ok = m_fleet.runDeviceStep(
        it.device, m_spec.stepTimeoutMs, [in, self, alive, index](FleetService::DeviceStep &step) {
            Outcome o;
            if (!step.session) {
                o.kind = Outcome::Kind::LinkLost;
                o.status = step.status == DeviceStatus::Unreachable ? JobItemStatus::Unreachable
                                                                    : JobItemStatus::Failed;
                o.error = step.error;
                o.changeBefore = in.changeBefore;
            } else if (step.dialect == Dialect::Snappy) {
                o = snappyStep(*step.session, in, step.deadline);
            } else {
                o = snapStep(*step.session, in, step.dialect, step.deadline);
            }
            if (o.kind == Outcome::Kind::LinkLost || o.kind == Outcome::Kind::Rebooting)
                step.dropSession = true;
            QMetaObject::invokeMethod(
                self.data(),
                [self, alive, index, o] {
                    if (self && *alive)
                        self->applyOutcome(index, o);
                },
                Qt::QueuedConnection);
        });
    if (!ok) {
        Outcome o;
        o.status = JobItemStatus::Failed;
        o.error = u"no device named %1"_s.arg(it.device);
        QMetaObject::invokeMethod(
            this,
            [self, index, o] {
                if (self)
                    self->applyOutcome(index, o);
            },
            Qt::QueuedConnection);
    }
}

void FleetJob::applyOutcome(int index, const Outcome &o)
{
    JobItem &it = m_items[index];
    if (!o.via.isEmpty())
        it.via = o.via;
    if (!o.changeId.isEmpty())
        it.changeId = o.changeId;
    if (o.reattached)
        it.reattached = true;
    if (!o.toRevision.isEmpty())
        it.toRevision = o.toRevision;
    if (o.total > 0) {
        it.progressDone = o.done;
        it.progressTotal = o.total;
    }
    const qint64 elapsed = m_itemClock.value(index).isValid() ? m_itemClock.value(index).elapsed() : 0;
    QPointer<FleetJob> self(this);
    auto again = [this, self, index](int ms) {
        QTimer::singleShot(ms, this, [self, index] {
            if (self && !self->m_finished)
                self->runItem(index, true);
        });
    };
    switch (o.kind) {
    case Outcome::Kind::Running:
        m_changeBefore.remove(index);
        it.error.clear();
        Q_EMIT itemChanged(index);
        again(m_spec.pollMs);
        return;
    case Outcome::Kind::Rebooting:
        it.status = JobItemStatus::PendingReboot;
        it.error = u"rebooting to activate %1"_s.arg(it.toRevision);
        Q_EMIT itemChanged(index);
        again(qMax(m_spec.pollMs, 1000));
        return;
    case Outcome::Kind::LinkLost: {
        const bool written = !it.changeId.isEmpty() || !o.changeBefore.isEmpty()
            || it.status == JobItemStatus::PendingReboot || m_changeBefore.contains(index);
        if (!o.changeBefore.isEmpty())
            m_changeBefore.insert(index, o.changeBefore);
        if (!written && !it.reattached) {
            // Nothing was sent: the device is simply unreachable.
            it.status
                = o.status == JobItemStatus::Failed ? JobItemStatus::Failed : JobItemStatus::Unreachable;
            it.error = o.error;
            itemFinal(index);
            return;
        }
        if (elapsed < m_spec.changeTimeoutMs) {
            // The change goes on without us: reconnect and look again, never write again.
            it.error = u"link lost, reconnecting: "_s + o.error;
            Q_EMIT itemChanged(index);
            again(qBound(m_spec.pollMs, int(elapsed / 4), 5000));
            return;
        }
        it.status = JobItemStatus::Unreachable;
        it.error = it.changeId.isEmpty()
            ? u"link lost while submitting; the outcome is unknown (journal: %1)"_s.arg(m_journal->path())
            : u"link lost; change %1 may still run on the device (journal: %2)"_s.arg(
                it.changeId, m_journal->path());
        m_leaveJournalOpen = true;
        itemFinal(index);
        return;
    }
    case Outcome::Kind::Final:
        break;
    }
    it.status = o.status;
    it.error = o.error;
    if (it.status == JobItemStatus::Done && it.progressTotal > 0)
        it.progressDone = it.progressTotal;
    itemFinal(index);
}

void FleetJob::itemFinal(int index)
{
    if (m_itemClock.value(index).isValid())
        m_items[index].elapsedMs = m_itemClock.value(index).elapsed();
    Q_EMIT itemChanged(index);
    const QString device = m_items.at(index).device;
    for (int i : m_itemsOfDevice.value(device)) {
        if (m_items.at(i).status != JobItemStatus::Waiting)
            continue;
        if (m_cancelled && !m_items.at(i).reattached) {
            m_items[i].status = JobItemStatus::NotStarted;
            m_items[i].error = u"cancelled"_s;
            Q_EMIT itemChanged(i);
            continue;
        }
        {
            m_itemClock[i].start();
            runItem(i, false);
            return;
        }
    }
    deviceIdle(device);
}

void FleetJob::deviceIdle(const QString &device)
{
    m_activeDevices.remove(device);
    m_doneDevices.insert(device);
    reread(device); // beside the devices still at work: the job's end waits for one read at most
    pump();
    checkBatchDone();
}

bool FleetJob::touched(const QString &device) const
{
    for (int i : m_itemsOfDevice.value(device)) {
        const JobItemStatus st = m_items.at(i).status;
        if (st != JobItemStatus::Skipped && st != JobItemStatus::NotStarted && st != JobItemStatus::Waiting)
            return true;
    }
    return false;
}

// What is shown is what is installed: a device the job worked on is read again as soon as its
// work is over.
void FleetJob::reread(const QString &device)
{
    if (m_rereadStarted.contains(device) || !touched(device))
        return;
    m_rereadStarted.insert(device);
    QPointer<FleetJob> self(this);
    // After a refresh the store was asked moments ago (the plan): read what is installed only.
    // (To another channel, the offered updates were those of the old one: ask again.)
    const auto scope = m_spec.action == SnapAction::Refresh && m_spec.channel.isEmpty()
        ? FleetService::ReadScope::Installed
        : FleetService::ReadScope::Everything;
    if (m_fleet.readDevice(device, scope, this, [self, device](const DeviceInventory &inv) {
            if (self)
                self->rereadDone(device, inv);
        }))
        m_rereadPending.insert(device);
}

void FleetJob::rereadDone(const QString &device, const DeviceInventory &inv)
{
    m_rereadPending.remove(device);
    if (inv.status == DeviceStatus::Ok)
        applyInventory(device, inv);
    if (m_finished && m_rereadPending.isEmpty())
        Q_EMIT finished();
}

void FleetJob::checkBatchDone()
{
    if (m_finished || m_batch < 0)
        return;
    int size = 0, failed = 0;
    for (const JobItem &it : std::as_const(m_items)) {
        if (it.batch != m_batch)
            continue;
        if (!isFinalStatus(it.status))
            return;
    }
    if (!m_activeDevices.isEmpty())
        return;
    // The failure share counts devices: one failed snap fails its device.
    QSet<QString> devices, failedDevices;
    for (const JobItem &it : std::as_const(m_items)) {
        if (it.batch != m_batch)
            continue;
        devices.insert(it.device);
        if (isFailureStatus(it.status))
            failedDevices.insert(it.device);
    }
    size = int(devices.size());
    failed = int(failedDevices.size());
    const bool stop = batchExceedsMaxFail(failed, size, m_spec.maxFailPercent);
    if (stop || m_cancelled) {
        if (stop) {
            m_stoppedBatch = m_batch;
            Q_EMIT maxFailExceeded(m_batch, failed, size);
        }
        for (qsizetype i = 0; i < m_items.size(); ++i) {
            JobItem &it = m_items[i];
            if (it.batch > m_batch && it.status == JobItemStatus::Waiting) {
                it.status = JobItemStatus::NotStarted;
                it.error = stop
                    ? u"batch %1 failed on %2 of %3 devices (more than --max-fail %4%)"_s.arg(m_batch + 1)
                          .arg(failed)
                          .arg(size)
                          .arg(m_spec.maxFailPercent)
                    : u"cancelled"_s;
                Q_EMIT itemChanged(int(i));
            }
        }
        finishJob();
        return;
    }
    startBatch(m_batch + 1);
}

void FleetJob::finishJob()
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_journal && !m_leaveJournalOpen)
        m_journal->close();
    Journal::pruneClosed(m_fleet.config().stateDir());
    for (const QString &device : std::as_const(m_deviceOrder))
        reread(device); // a touched device that never went idle through deviceIdle
    if (m_rereadPending.isEmpty())
        QMetaObject::invokeMethod(this, &FleetJob::finished, Qt::QueuedConnection);
}

void FleetJob::applyInventory(const QString &device, const DeviceInventory &inv)
{
    const bool snappy = inv.dialect == Dialect::Snappy;
    for (int i : m_itemsOfDevice.value(device)) {
        JobItem &it = m_items[i];
        if (!isSuccessStatus(it.status) && it.status != JobItemStatus::Undone)
            continue;
        if (it.snap.isEmpty()) {
            // Refresh of every snap: report what moved.
            const DeviceInventory before = m_before.value(it.device);
            it.changedSnaps.clear();
            for (const Snap &now : inv.snaps) {
                if (!now.active)
                    continue;
                const QString rev = snappy ? now.version : now.revision.value_or(QString());
                for (const Snap &was : before.snaps)
                    if (was.name == now.name && was.active) {
                        const QString old = snappy ? was.version : was.revision.value_or(QString());
                        if (old != rev)
                            it.changedSnaps << now.name + u' ' + old + u"→"_s + rev;
                    }
            }
        } else if (it.status != JobItemStatus::PendingReboot) {
            for (const Snap &now : inv.snaps)
                if (now.name == it.snap && now.active)
                    it.toRevision = snappy ? now.version : now.revision.value_or(QString());
        }
        Q_EMIT itemChanged(i);
    }
}

} // namespace canyon
