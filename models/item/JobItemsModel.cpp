// SPDX-License-Identifier: GPL-3.0-or-later
#include "JobItemsModel.h"

#include "domain/PlainText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

QString dashIfEmpty(const QString &s)
{
    return s.isEmpty() ? u"–"_s : s;
}

// A CSV cell; text a spreadsheet would evaluate (=, +, -, @) gets a leading quote (OWASP's rule).
QByteArray csvCell(const QString &text)
{
    QString t = text;
    if (!t.isEmpty() && (t.front() == u'=' || t.front() == u'+' || t.front() == u'-' || t.front() == u'@'))
        t.prepend(u'\'');
    if (t.contains(u',') || t.contains(u'"') || t.contains(u'\n') || t.contains(u'\r') || t.contains(u'\''))
        t = u'"' + QString(t).replace(u"\""_s, u"\"\""_s) + u'"';
    return t.toUtf8();
}

} // namespace

JobItemsModel::JobItemsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void JobItemsModel::setPlan(const QList<JobItem> &items)
{
    beginResetModel();
    if (m_job)
        disconnect(m_job, nullptr, this, nullptr);
    m_job = nullptr;
    m_items = items;
    m_expected.clear();
    for (const JobItem &it : items)
        if (it.snap.isEmpty() && !it.changedSnaps.isEmpty())
            m_expected.insert(it.device, it.changedSnaps);
    for (JobItem &it : m_items)
        it.changedSnaps.clear(); // shown from m_expected until the job reports what moved
    endResetModel();
}

void JobItemsModel::setJob(FleetJob *job)
{
    beginResetModel();
    if (m_job)
        disconnect(m_job, nullptr, this, nullptr);
    m_job = job;
    m_items = job ? job->items() : QList<JobItem>();
    m_action = job ? snapActionName(job->spec().action) : QString();
    if (job) {
        connect(job, &FleetJob::itemChanged, this, &JobItemsModel::itemChanged);
        // The job's last change (finished) can alter how rows read (expected → what moved).
        connect(job, &FleetJob::finished, this, [this] {
            if (!m_items.isEmpty())
                Q_EMIT dataChanged(index(0, RevisionColumn), index(rowCount() - 1, RevisionColumn));
        });
    }
    endResetModel();
}

void JobItemsModel::clear()
{
    setPlan({});
}

void JobItemsModel::itemChanged(int i)
{
    if (!m_job || i < 0 || i >= m_items.size() || i >= m_job->items().size())
        return;
    const JobItem &now = m_job->items().at(i);
    const JobItem was = std::exchange(m_items[i], now);
    // The narrowest range of columns that differ.
    bool changed[ColumnCount] = {};
    changed[DeviceColumn] = was.device != now.device;
    changed[SnapColumn] = was.snap != now.snap;
    changed[BatchColumn] = was.batch != now.batch;
    changed[StatusColumn] = was.status != now.status || was.reattached != now.reattached;
    changed[RevisionColumn] = was.fromRevision != now.fromRevision || was.toRevision != now.toRevision
        || was.changedSnaps != now.changedSnaps || was.status != now.status;
    changed[ChangeColumn] = was.changeId != now.changeId || was.via != now.via;
    changed[ProgressColumn] = was.progressDone != now.progressDone || was.progressTotal != now.progressTotal
        || was.status != now.status;
    changed[ErrorColumn] = was.error != now.error;
    int first = -1, last = -1;
    for (int c = 0; c < ColumnCount; ++c)
        if (changed[c]) {
            if (first < 0)
                first = c;
            last = c;
        }
    if (first >= 0)
        Q_EMIT dataChanged(index(i, first), index(i, last));
}

QStringList JobItemsModel::expectedOf(int row) const
{
    const JobItem &it = m_items.at(row);
    return it.snap.isEmpty() ? m_expected.value(it.device) : QStringList();
}

QString JobItemsModel::statusText(JobItemStatus s)
{
    switch (s) {
    case JobItemStatus::Waiting:
        return tr("waiting");
    case JobItemStatus::Running:
        return tr("running");
    case JobItemStatus::PendingReboot:
        return tr("pending reboot");
    case JobItemStatus::Done:
        return tr("done");
    case JobItemStatus::Failed:
        return tr("failed");
    case JobItemStatus::Undone:
        return tr("undone by snapd");
    case JobItemStatus::Unreachable:
        return tr("unreachable");
    case JobItemStatus::Skipped:
        return tr("skipped");
    case JobItemStatus::NotStarted:
        return tr("not started");
    }
    return {};
}

QString JobItemsModel::revisionText(const JobItem &it, const QStringList &expected, bool finished)
{
    if (it.snap.isEmpty()) {
        // Every snap of the device: what moved after the job, what should move before.
        if (!it.changedSnaps.isEmpty())
            return visibleText(it.changedSnaps.join(u", "_s), 1000);
        if (it.status == JobItemStatus::PendingReboot) // snappy: the new OS part is active after a reboot
            return expected.isEmpty()
                ? tr("after a reboot")
                : tr("%1 after a reboot").arg(visibleText(expected.join(u", "_s), 1000));
        if (finished)
            return isSuccessStatus(it.status) ? tr("nothing changed") : QString();
        return expected.isEmpty() ? tr("no update known") : visibleText(expected.join(u", "_s), 1000);
    }
    if (it.fromRevision.isEmpty() && it.toRevision.isEmpty())
        return {};
    if (it.toRevision.isEmpty() || it.toRevision == it.fromRevision)
        return visibleText(dashIfEmpty(it.fromRevision), 100)
            + (it.status == JobItemStatus::Waiting && it.toRevision.isEmpty() ? tr(" → ?") : QString());
    return visibleText(dashIfEmpty(it.fromRevision), 100) + u" → "_s + visibleText(it.toRevision, 100);
}

int JobItemsModel::progressPercent(const JobItem &it)
{
    if (isSuccessStatus(it.status))
        return 100;
    if (it.progressTotal > 0)
        return int(std::clamp<qint64>(it.progressDone * 100 / it.progressTotal, 0, 100));
    return -1;
}

int JobItemsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int JobItemsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant JobItemsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const JobItem &it = m_items.at(index.row());
    const bool finished = m_job && m_job->isFinished();
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case DeviceColumn:
            return visibleText(it.device, 200);
        case SnapColumn:
            return it.snap.isEmpty() ? tr("(all snaps)") : visibleText(it.snap, 200);
        case BatchColumn:
            return it.batch + 1;
        case StatusColumn:
            return it.reattached ? tr("%1 (reattached)").arg(statusText(it.status)) : statusText(it.status);
        case RevisionColumn:
            return revisionText(it, expectedOf(index.row()), finished);
        case ChangeColumn:
            return visibleText(it.changeId, 40);
        case ProgressColumn: {
            const int p = progressPercent(it);
            return p < 0 ? QString() : tr("%1 %").arg(p);
        }
        case ErrorColumn:
            return visibleText(it.error.simplified(), 500);
        case ColumnCount:
            break;
        }
        return {};
    case Qt::ToolTipRole:
        switch (Column(index.column())) {
        case ErrorColumn:
            return it.error.isEmpty() ? QVariant() : QVariant(visibleText(it.error, 4000));
        case RevisionColumn:
            return it.snap.isEmpty() ? QVariant(revisionText(it, expectedOf(index.row()), finished))
                                     : QVariant();
        case ChangeColumn:
            return it.via.isEmpty() ? QVariant() : QVariant(tr("sent over %1").arg(visibleText(it.via, 20)));
        default:
            return {};
        }
    case Qt::TextAlignmentRole:
        if (index.column() == BatchColumn || index.column() == ProgressColumn
            || index.column() == ChangeColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case SortRole:
        switch (Column(index.column())) {
        case BatchColumn:
            return it.batch;
        case StatusColumn:
            return int(it.status);
        case ProgressColumn:
            return progressPercent(it);
        case ChangeColumn:
            return it.changeId.toLongLong();
        default:
            return data(index, Qt::DisplayRole);
        }
    case StatusRole:
        return int(it.status);
    case ProgressRole:
        return progressPercent(it);
    case DeviceRole:
        return it.device;
    case SnapRole:
        return it.snap;
    default:
        return {};
    }
}

QVariant JobItemsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case DeviceColumn:
        return tr("Device");
    case SnapColumn:
        return tr("Snap");
    case BatchColumn:
        return tr("Batch");
    case StatusColumn:
        return tr("Status");
    case RevisionColumn:
        return tr("Revision");
    case ChangeColumn:
        return tr("Change");
    case ProgressColumn:
        return tr("Progress");
    case ErrorColumn:
        return tr("Message");
    case ColumnCount:
        break;
    }
    return {};
}

QHash<int, QByteArray> JobItemsModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(SortRole, "sort");
    names.insert(StatusRole, "status");
    names.insert(ProgressRole, "progress");
    names.insert(DeviceRole, "device");
    names.insert(SnapRole, "snap");
    return names;
}

QString JobItemsModel::summaryText() const
{
    const JobItemStatus order[] = { JobItemStatus::Done, JobItemStatus::PendingReboot, JobItemStatus::Running,
        JobItemStatus::Waiting, JobItemStatus::Failed, JobItemStatus::Undone, JobItemStatus::Unreachable,
        JobItemStatus::Skipped, JobItemStatus::NotStarted };
    QStringList parts;
    for (JobItemStatus s : order) {
        const auto n = std::count_if(
            m_items.cbegin(), m_items.cend(), [s](const JobItem &it) { return it.status == s; });
        if (n > 0)
            parts << tr("%1 %2").arg(n).arg(statusText(s));
    }
    return parts.isEmpty() ? tr("nothing to do") : parts.join(u", "_s);
}

QString JobItemsModel::toText() const
{
    const bool finished = m_job && m_job->isFinished();
    QString out;
    for (qsizetype r = 0; r < m_items.size(); ++r) {
        const JobItem &it = m_items.at(r);
        QStringList cells { visibleText(it.device, 200),
            it.snap.isEmpty() ? tr("(all snaps)") : visibleText(it.snap, 200),
            tr("batch %1").arg(it.batch + 1), data(index(int(r), StatusColumn)).toString(),
            revisionText(it, expectedOf(int(r)), finished) };
        if (!it.changeId.isEmpty())
            cells << tr("change %1").arg(visibleText(it.changeId, 40));
        if (!it.error.isEmpty())
            cells << visibleText(it.error.simplified(), 1000);
        cells.removeAll(QString());
        out += cells.join(u"  "_s) + u'\n';
    }
    out += summaryText() + u'\n';
    return out;
}

QByteArray JobItemsModel::toCsv() const
{
    QByteArray out
        = "host,snap,batch,status,from,to,change,progress_done,progress_total,reattached,changed,error\r\n";
    for (const JobItem &it : m_items) {
        const QList<QByteArray> cells { csvCell(it.device), csvCell(it.snap),
            QByteArray::number(it.batch + 1), csvCell(jobItemStatusName(it.status)), csvCell(it.fromRevision),
            csvCell(it.toRevision), csvCell(it.changeId), QByteArray::number(it.progressDone),
            QByteArray::number(it.progressTotal), it.reattached ? "true" : "false",
            csvCell(it.changedSnaps.join(u"; "_s)), csvCell(it.error) };
        out += cells.join(',') + "\r\n";
    }
    return out;
}

QByteArray JobItemsModel::toJson() const
{
    auto orNull = [](const QString &s) -> QJsonValue { return s.isEmpty() ? QJsonValue() : QJsonValue(s); };
    QJsonArray results;
    for (const JobItem &it : m_items)
        results.append(QJsonObject { { u"host"_s, it.device }, { u"snap"_s, orNull(it.snap) },
            { u"batch"_s, it.batch + 1 }, { u"from"_s, orNull(it.fromRevision) },
            { u"to"_s, orNull(it.toRevision) }, { u"change"_s, orNull(it.changeId) },
            { u"status"_s, jobItemStatusName(it.status) }, { u"error"_s, orNull(it.error) },
            { u"via"_s, orNull(it.via) }, { u"reattached"_s, it.reattached },
            { u"progress"_s,
                QJsonObject { { u"done"_s, it.progressDone }, { u"total"_s, it.progressTotal } } },
            { u"changed"_s, QJsonArray::fromStringList(it.changedSnaps) } });
    QJsonObject doc { { u"action"_s, orNull(m_action) }, { u"results"_s, results } };
    if (m_job) {
        doc.insert(u"stopped_by_max_fail"_s, m_job->stoppedByMaxFail());
        doc.insert(u"journal"_s, orNull(m_job->journalPath()));
    }
    return QJsonDocument(doc).toJson(QJsonDocument::Indented);
}

} // namespace canyon
