// SPDX-License-Identifier: GPL-3.0-or-later
// canyonctl fleet actions (CLI.md: refresh, revert, changes; and hold, unhold, install, remove).
#include "CtlArgs.h"
#include "CtlCommands.h"
#include "FleetJob.h"
#include "FleetService.h"
#include "domain/PlainText.h"
#include "ssh/SshSession.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

const QStringList kJobValued = { u"--hosts"_s, u"--group"_s, u"--channel"_s, u"--batches"_s, u"--max-fail"_s,
    u"--concurrency"_s, u"--timeout"_s, u"--writes"_s };
const QStringList kJobFlags = { u"--all"_s, u"--json"_s, u"--reboot"_s };

QString dash(const QString &s)
{
    return s.isEmpty() ? u"-"_s : visibleText(s, 200);
}

// Resolves --hosts A,B | --group G | --all to device names, in the order given (hosts) or
// configured (group, all). Returns an error text for exit status 2.
QString targetsOf(const Parsed &p, const FleetService &fleet, QStringList *names)
{
    const int forms = int(p.values.contains(u"--hosts"_s)) + int(p.values.contains(u"--group"_s))
        + int(p.flags.contains(u"--all"_s));
    if (forms != 1)
        return u"give exactly one of --hosts A,B, --group G or --all"_s;
    if (p.values.contains(u"--hosts"_s)) {
        for (const QString &raw : p.values.value(u"--hosts"_s).split(u',')) {
            const QString n = raw.trimmed();
            if (n.isEmpty())
                continue;
            const std::optional<HostConfig> h = fleet.host(n);
            if (!h)
                return u"no host named %1"_s.arg(n);
            if (h->kind != HostKind::Device)
                return u"%1 is an LXD host, not a snap device"_s.arg(n);
            if (!names->contains(n))
                names->append(n);
        }
    } else {
        const QString group = p.values.value(u"--group"_s);
        for (const HostConfig &h : fleet.hosts())
            if (h.kind == HostKind::Device && (p.flags.contains(u"--all"_s) || h.group == group))
                names->append(h.name);
    }
    if (names->isEmpty())
        return u"no devices selected"_s;
    return {};
}

QJsonObject itemJson(const JobItem &it)
{
    auto orNull = [](const QString &s) -> QJsonValue { return s.isEmpty() ? QJsonValue() : QJsonValue(s); };
    return QJsonObject { { u"host"_s, it.device }, { u"snap"_s, orNull(it.snap) },
        { u"batch"_s, it.batch + 1 }, { u"from"_s, orNull(it.fromRevision) },
        { u"to"_s, orNull(it.toRevision) }, { u"change"_s, orNull(it.changeId) },
        { u"status"_s, jobItemStatusName(it.status) }, { u"error"_s, orNull(it.error) },
        { u"via"_s, orNull(it.via) }, { u"reattached"_s, it.reattached },
        { u"progress"_s, QJsonObject { { u"done"_s, it.progressDone }, { u"total"_s, it.progressTotal } } },
        { u"changed"_s, QJsonArray::fromStringList(it.changedSnaps) },
        { u"elapsed_ms"_s, it.elapsedMs < 0 ? QJsonValue() : QJsonValue(it.elapsedMs) } };
}

} // namespace

void CtlCommands::refreshSnaps(QStringList args)
{
    const Parsed p = parseArgs(args, kJobValued, kJobFlags);
    if (!p.error.isEmpty())
        return finish(2, u"refresh: "_s + p.error);
    JobSpec spec;
    spec.action = SnapAction::Refresh;
    spec.snaps = p.positional;
    spec.channel = p.values.value(u"--channel"_s);
    if (!spec.channel.isEmpty() && spec.snaps.size() != 1)
        return finish(2, u"refresh: --channel needs exactly one SNAP"_s);
    runJob(spec, p);
}

void CtlCommands::revertSnap(QStringList args)
{
    const Parsed p = parseArgs(args, kJobValued, kJobFlags);
    if (!p.error.isEmpty())
        return finish(2, u"revert: "_s + p.error);
    if (p.positional.size() != 1)
        return finish(2, u"revert: expected exactly one SNAP"_s);
    if (p.values.contains(u"--channel"_s))
        return finish(2, u"revert: --channel is for refresh"_s);
    JobSpec spec;
    spec.action = SnapAction::Revert;
    spec.snaps = p.positional;
    runJob(spec, p);
}

void CtlCommands::snapJob(const QString &verb, QStringList args)
{
    // hold / unhold / remove SNAP...; install SNAP [--channel C | --file PATH [--devmode]].
    const bool install = verb == u"install";
    QStringList valued = kJobValued;
    QStringList flags = kJobFlags;
    if (install) {
        valued << u"--file"_s;
        flags << u"--devmode"_s;
    } else {
        valued.removeAll(u"--channel"_s);
    }
    const Parsed p = parseArgs(args, valued, flags);
    if (!p.error.isEmpty())
        return finish(2, verb + u": "_s + p.error);
    JobSpec spec;
    if (verb == u"hold")
        spec.action = SnapAction::Hold;
    else if (verb == u"unhold")
        spec.action = SnapAction::Unhold;
    else if (install)
        spec.action = SnapAction::Install;
    else
        spec.action = SnapAction::Remove;
    spec.snaps = p.positional;
    spec.snaps.removeDuplicates();
    if (spec.snaps.isEmpty())
        return finish(2, verb + u": expected at least one SNAP"_s);
    if (install) {
        spec.channel = p.values.value(u"--channel"_s);
        spec.path = p.values.value(u"--file"_s);
        spec.devmode = p.flags.contains(u"--devmode"_s);
        if (spec.snaps.size() != 1)
            return finish(2, u"install: expected exactly one SNAP"_s);
        if (!spec.path.isEmpty() && !spec.channel.isEmpty())
            return finish(2, u"install: --channel is for the store, --file for a snap file on the device"_s);
        if (!spec.path.isEmpty() && !isValidDevicePath(spec.path))
            return finish(2, u"install: --file needs a plain absolute path on the device"_s);
        if (spec.path.isEmpty() && spec.devmode)
            return finish(2, u"install: --devmode goes with --file"_s);
    }
    runJob(spec, p);
}

void CtlCommands::runJob(JobSpec spec, const Parsed &p)
{
    const QString verb = snapActionName(spec.action);
    m_json = p.flags.contains(u"--json"_s);
    const QString targetError = targetsOf(p, *m_fleet, &spec.devices);
    if (!targetError.isEmpty())
        return finish(2, verb + u": "_s + targetError);
    for (const QString &s : std::as_const(spec.snaps))
        if (!isValidSnapName(s))
            return finish(2, u"%1: not a snap name: %2"_s.arg(verb, s));
    if (!spec.channel.isEmpty() && !isValidChannel(spec.channel))
        return finish(2, u"%1: not a channel: %2"_s.arg(verb, spec.channel));
    QString error;
    if (p.values.contains(u"--batches"_s)
        && !parseBatches(p.values.value(u"--batches"_s), &spec.batches, &error))
        return finish(2, verb + u": "_s + error);
    if (p.values.contains(u"--max-fail"_s)
        && !parsePercent(p.values.value(u"--max-fail"_s), &spec.maxFailPercent))
        return finish(2, verb + u": --max-fail needs a percentage from 0 to 100"_s);
    if (p.values.contains(u"--concurrency"_s)) {
        bool ok = false;
        spec.concurrency = p.values.value(u"--concurrency"_s).toInt(&ok);
        if (!ok || spec.concurrency < 1)
            return finish(2, verb + u": --concurrency needs a positive number"_s);
        m_fleet->setMaxConcurrency(qMax(spec.concurrency, m_fleet->maxConcurrency()));
    }
    if (!timeoutOption(p, &spec.changeTimeoutMs))
        return finish(2, verb + u": --timeout needs a positive number of seconds"_s);
    const QString writes = p.values.value(u"--writes"_s, u"auto"_s);
    if (writes == u"rest")
        spec.writes = JobSpec::Writes::Rest;
    else if (writes == u"cli")
        spec.writes = JobSpec::Writes::Cli;
    else if (writes != u"auto")
        return finish(2, verb + u": --writes is auto, rest or cli"_s);
    spec.rebootWhenNeeded = p.flags.contains(u"--reboot"_s);

    // The plan is made from what the devices have now: read them first.
    QElapsedTimer wall; // the command's own time: inventory read, job, inventory re-read
    wall.start();
    connect(
        m_fleet.get(), &FleetService::refreshFinished, this,
        [this, spec, verb, wall] {
            auto *job = new FleetJob(*m_fleet, spec, this);
            QElapsedTimer jobClock;
            jobClock.start();
            connect(job, &FleetJob::finished, this, [this, job, verb, wall, jobClock] {
                QJsonArray arr;
                int bad = 0;
                for (const JobItem &it : job->items()) {
                    if (!isSuccessStatus(it.status))
                        ++bad;
                    if (m_json) {
                        arr.append(itemJson(it));
                        continue;
                    }
                    m_out << visibleText(it.device, 60) << "  "
                          << dash(it.snap.isEmpty() ? u"(all)"_s : it.snap) << "  " << dash(it.fromRevision)
                          << " -> " << dash(it.toRevision) << "  change " << dash(it.changeId) << "  "
                          << jobItemStatusName(it.status);
                    if (it.reattached)
                        m_out << " (reattached)";
                    if (!it.changedSnaps.isEmpty())
                        m_out << "  [" << visibleText(it.changedSnaps.join(u", "_s), 500) << ']';
                    if (!it.error.isEmpty())
                        m_out << "  " << visibleText(it.error, 500);
                    m_out << Qt::endl;
                }
                if (m_json) {
                    QJsonArray sizes;
                    for (int i = 0; i < job->batchCount(); ++i)
                        sizes.append(qsizetype(std::count_if(job->items().cbegin(), job->items().cend(),
                            [i](const JobItem &it) { return it.batch == i; })));
                    const QJsonObject doc { { u"action"_s, verb }, { u"batches"_s, sizes },
                        { u"stopped_by_max_fail"_s, job->stoppedByMaxFail() },
                        { u"journal"_s, job->journalPath() }, { u"results"_s, arr },
                        { u"wall_ms"_s, wall.elapsed() }, { u"job_ms"_s, jobClock.elapsed() } };
                    m_out << QJsonDocument(doc).toJson(QJsonDocument::Indented);
                }
                m_fleet->saveInventoryCache(nullptr);
                if (bad > 0)
                    return finish(1,
                        u"%1: %2 of %3 results did not succeed%4"_s.arg(verb)
                            .arg(bad)
                            .arg(job->items().size())
                            .arg(job->stoppedByMaxFail() ? u" (stopped by --max-fail)"_s : QString()));
                finish(0);
            });
            QString err;
            if (!job->start(&err))
                return finish(2, verb + u": "_s + err);
        },
        Qt::SingleShotConnection);
    m_fleet->refresh(spec.devices);
}

void CtlCommands::changes(QStringList args)
{
    const Parsed p = parseArgs(args, { u"--timeout"_s }, { u"--json"_s });
    if (!p.error.isEmpty())
        return finish(2, u"changes: "_s + p.error);
    if (p.positional.size() != 1)
        return finish(2, u"changes: expected exactly one NAME"_s);
    m_json = p.flags.contains(u"--json"_s);
    const QString name = p.positional.first();
    const std::optional<HostConfig> h = m_fleet->host(name);
    if (!h || h->kind != HostKind::Device)
        return finish(2, u"changes: no device named %1"_s.arg(name));
    connect(
        m_fleet.get(), &FleetService::refreshFinished, this,
        [this, name] {
            const DeviceInventory inv = m_fleet->inventory(name);
            if (inv.status != DeviceStatus::Ok)
                return finish(1, u"%1: %2 (%3)"_s.arg(name, deviceStatusName(inv.status), inv.error));
            if (inv.dialect == Dialect::Snappy)
                return finish(1, u"%1 is a snappy (2014) device: it keeps no changes"_s.arg(name));
            QPointer<CtlCommands> self(this);
            m_fleet->runDeviceStep(name, 20000, [self](FleetService::DeviceStep &step) {
                QList<ChangeInfo> list;
                QString error = step.error;
                bool ok = step.session
                    && FleetJob::readDeviceChanges(*step.session, step.dialect, step.deadline, &list, &error);
                QMetaObject::invokeMethod(
                    self.data(),
                    [self, ok, list, error] {
                        if (self)
                            self->printChanges(ok, list, error);
                    },
                    Qt::QueuedConnection);
            });
        },
        Qt::SingleShotConnection);
    m_fleet->refresh({ name });
}

void CtlCommands::printChanges(bool ok, const QList<ChangeInfo> &list, const QString &error)
{
    if (!ok)
        return finish(1, u"changes: "_s + error);
    QJsonArray arr;
    for (const ChangeInfo &c : list) {
        if (m_json) {
            QJsonObject o { { u"id"_s, c.id }, { u"status"_s, c.status }, { u"ready"_s, c.ready },
                { u"summary"_s, c.summary },
                { u"kind"_s, c.kind.isEmpty() ? QJsonValue() : QJsonValue(c.kind) },
                { u"err"_s, c.err.isEmpty() ? QJsonValue() : QJsonValue(c.err) } };
            if (c.spawnTime.isValid())
                o.insert(u"spawn_time"_s, c.spawnTime.toUTC().toString(Qt::ISODateWithMs));
            if (c.readyTime.isValid())
                o.insert(u"ready_time"_s, c.readyTime.toUTC().toString(Qt::ISODateWithMs));
            if (c.progressTotal() > 0)
                o.insert(u"progress"_s,
                    QJsonObject { { u"done"_s, c.progressDone() }, { u"total"_s, c.progressTotal() } });
            arr.append(o);
            continue;
        }
        m_out << c.id.leftJustified(6) << ' ' << visibleText(c.status, 20).leftJustified(8) << ' '
              << (c.ready ? u"ready   "_s : u"running "_s) << visibleText(c.summary, 300) << Qt::endl;
    }
    if (m_json)
        m_out << QJsonDocument(arr).toJson(QJsonDocument::Indented);
    finish(0);
}

} // namespace canyon
