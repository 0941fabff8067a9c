// SPDX-License-Identifier: GPL-3.0-or-later
#include "JobOperations.h"

#include "fleet/FleetJob.h"

#include <QMap>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

// "3 done, 1 failed, 16 waiting" in a fixed order.
QString counts(const FleetJob &job)
{
    QMap<int, int> n;
    for (const JobItem &it : job.items())
        ++n[int(it.status)];
    QStringList parts;
    for (auto it = n.cbegin(); it != n.cend(); ++it)
        parts << u"%1 %2"_s.arg(it.value()).arg(jobItemStatusName(JobItemStatus(it.key())));
    return parts.join(u", "_s);
}

} // namespace

JobOperations::JobOperations(OperationsModel *model, QObject *parent)
    : QObject(parent)
    , m_model(model)
{
}

QString JobOperations::describe(const FleetJob &job)
{
    const JobSpec &s = job.spec();
    QString what = snapActionName(s.action);
    what[0] = what.at(0).toUpper();
    const QString snaps = s.snaps.isEmpty() ? (s.action == SnapAction::Refresh ? tr("every snap") : QString())
                                            : s.snaps.join(u", "_s);
    if (s.reattachOnly)
        return tr("%1: reattach to interrupted work on %n device(s)", nullptr, int(s.devices.size()))
            .arg(what);
    return tr("%1 %2 on %n device(s)", nullptr, int(s.devices.size())).arg(what, snaps);
}

QString JobOperations::track(FleetJob *job, const QString &title)
{
    if (!m_model || !job)
        return {};
    const QString id = u"job:"_s + QString::number(m_next++);
    m_jobs.insert(id, job);
    OperationsModel::Row row;
    row.id = id;
    row.source = tr("fleet");
    row.title = title.isEmpty() ? describe(*job) : title;
    row.progress = int(job->progress() * 100);
    row.cancellable = true;
    m_model->upsert(row);
    // Item changes come in bursts (one per poll of every device): one row update per burst.
    auto *coalesce = new QTimer(job); // goes with the job
    coalesce->setSingleShot(true);
    coalesce->setInterval(100);
    connect(coalesce, &QTimer::timeout, this, [this, id] { update(id); });
    connect(job, &FleetJob::itemChanged, coalesce, qOverload<>(&QTimer::start));
    connect(job, &FleetJob::batchStarted, coalesce, qOverload<>(&QTimer::start));
    connect(job, &FleetJob::finished, this, [this, id, coalesce] {
        coalesce->stop();
        finished(id);
    });
    connect(job, &QObject::destroyed, this, [this, id] {
        m_jobs.remove(id);
        if (!m_model) // the window is going away: nothing left to show
            return;
        const std::optional<OperationsModel::Row> r = m_model->row(id);
        if (r && r->state == OperationsModel::State::Running)
            m_model->finish(id, OperationsModel::State::Failed,
                tr("the job was closed before it finished; its journal keeps the open changes"));
    });
    update(id);
    return id;
}

FleetJob *JobOperations::jobOf(const QString &id) const
{
    return m_jobs.value(id);
}

bool JobOperations::cancel(const QString &id)
{
    FleetJob *job = m_jobs.value(id);
    if (!job || !job->isRunning())
        return false;
    job->cancel();
    update(id);
    return true;
}

void JobOperations::update(const QString &id)
{
    FleetJob *job = m_jobs.value(id);
    if (!m_model)
        return;
    const std::optional<OperationsModel::Row> old = m_model->row(id);
    if (!job || !old || old->state != OperationsModel::State::Running || job->isFinished())
        return;
    OperationsModel::Row row = *old;
    row.progress = int(job->progress() * 100);
    QString stage;
    if (job->isCancelled())
        stage = tr("cancelling: running changes are followed to their end");
    else if (job->isPaused())
        stage = tr("paused");
    else
        stage = tr("batch %1 of %2").arg(qMax(0, job->currentBatch()) + 1).arg(qMax(1, job->batchCount()));
    row.status = stage + u" · "_s + counts(*job);
    row.cancellable = !job->isCancelled();
    row.updated = {};
    m_model->upsert(row);
}

void JobOperations::finished(const QString &id)
{
    FleetJob *job = m_jobs.value(id);
    if (!job || !m_model || !m_model->row(id))
        return;
    OperationsModel::State state = OperationsModel::State::Succeeded;
    if (job->isCancelled())
        state = OperationsModel::State::Cancelled;
    else if (!job->succeeded())
        state = OperationsModel::State::Failed;
    QString status = counts(*job);
    if (job->stoppedByMaxFail())
        status += u"; "_s + tr("later batches stopped by the failure threshold");
    // The progress bar shows how much was worked through, also for failed jobs.
    OperationsModel::Row row = *m_model->row(id);
    row.progress = int(job->progress() * 100);
    row.updated = {};
    m_model->upsert(row);
    m_model->finish(id, state, status);
}

} // namespace canyon

#include "moc_JobOperations.cpp"
