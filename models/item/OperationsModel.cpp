// SPDX-License-Identifier: GPL-3.0-or-later
#include "OperationsModel.h"

#include "domain/PlainText.h"

#include <QLocale>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {
constexpr qsizetype DisplayLimit = 512;
}

OperationsModel::OperationsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

QString OperationsModel::stateText(State state)
{
    switch (state) {
    case State::Running:
        return tr("Running");
    case State::Succeeded:
        return tr("Done");
    case State::Failed:
        return tr("Failed");
    case State::Cancelled:
        return tr("Cancelled");
    }
    return {};
}

int OperationsModel::rowOf(const QString &id) const
{
    return m_index.value(id, -1);
}

void OperationsModel::reindex()
{
    m_index.clear();
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        m_index.insert(m_rows[i].id, int(i));
    const int running = int(std::count_if(
        m_rows.cbegin(), m_rows.cend(), [](const Row &r) { return r.state == State::Running; }));
    if (running != m_running) {
        m_running = running;
        Q_EMIT runningCountChanged(running);
    }
}

void OperationsModel::upsert(const Row &in)
{
    if (in.id.isEmpty())
        return;
    Row row = in;
    if (!row.updated.isValid())
        row.updated = QDateTime::currentDateTimeUtc();
    const int r = rowOf(row.id);
    if (r < 0) {
        if (!row.started.isValid())
            row.started = row.updated;
        beginInsertRows({}, 0, 0);
        m_rows.insert(m_rows.begin(), row);
        reindex();
        endInsertRows();
        prune();
        return;
    }
    Row &old = m_rows[std::size_t(r)];
    if (old.state != State::Running && row.state == State::Running)
        return; // a late progress report never revives a finished row
    if (!row.started.isValid())
        row.started = old.started;
    if (row.progress < 0)
        row.progress = old.progress;
    if (row.title.isEmpty())
        row.title = old.title;
    if (old == row)
        return;
    old = row;
    Q_EMIT dataChanged(index(r, 0), index(r, ColumnCount - 1));
    reindex();
    prune();
}

void OperationsModel::finish(const QString &id, State state, const QString &status)
{
    const int r = rowOf(id);
    if (r < 0)
        return;
    Row row = m_rows[std::size_t(r)];
    row.state = state;
    row.status = status;
    row.cancellable = false;
    if (state == State::Succeeded)
        row.progress = 100;
    row.updated = QDateTime::currentDateTimeUtc();
    m_rows[std::size_t(r)] = row;
    Q_EMIT dataChanged(index(r, 0), index(r, ColumnCount - 1));
    reindex();
    prune();
}

std::optional<OperationsModel::Row> OperationsModel::row(const QString &id) const
{
    const int r = rowOf(id);
    if (r < 0)
        return std::nullopt;
    return m_rows[std::size_t(r)];
}

int OperationsModel::runningCount() const
{
    return m_running;
}

void OperationsModel::setFinishedLimit(int limit)
{
    m_finishedLimit = qMax(0, limit);
    prune();
}

void OperationsModel::clearFinished()
{
    const int keep = m_finishedLimit;
    m_finishedLimit = 0;
    prune();
    m_finishedLimit = keep;
}

void OperationsModel::prune()
{
    int finished = 0;
    for (const Row &r : m_rows)
        if (r.state != State::Running)
            ++finished;
    // drop the oldest finished rows (from the bottom) one by one: they are rarely many
    for (int i = int(m_rows.size()) - 1; i >= 0 && finished > m_finishedLimit; --i) {
        if (m_rows[std::size_t(i)].state == State::Running)
            continue;
        beginRemoveRows({}, i, i);
        m_rows.erase(m_rows.begin() + i);
        reindex();
        endRemoveRows();
        --finished;
    }
}

int OperationsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int OperationsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant OperationsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SourceColumn:
        return tr("Source");
    case TitleColumn:
        return tr("Operation");
    case ProgressColumn:
        return tr("Progress");
    case StatusColumn:
        return tr("Status");
    case StartedColumn:
        return tr("Started");
    default:
        return {};
    }
}

QHash<int, QByteArray> OperationsModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(IdRole, "id");
    names.insert(StateRole, "state");
    names.insert(ProgressRole, "progress");
    names.insert(CancellableRole, "cancellable");
    names.insert(SortRole, "sortValue");
    return names;
}

QVariant OperationsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.model() != this || index.row() >= int(m_rows.size()))
        return {};
    const Row &r = m_rows[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case SourceColumn:
            return visibleText(r.source, DisplayLimit);
        case TitleColumn:
            return visibleText(r.title, DisplayLimit);
        case ProgressColumn:
            if (r.progress >= 0)
                return tr("%1%").arg(r.progress);
            return r.state == State::Running ? tr("…") : QString();
        case StatusColumn:
            if (r.status.isEmpty())
                return stateText(r.state);
            return QString(stateText(r.state) + u": "_s + visibleText(r.status, DisplayLimit));
        case StartedColumn:
            return QLocale().toString(r.started.toLocalTime().time(), QLocale::ShortFormat);
        default:
            return {};
        }
    case Qt::ToolTipRole: {
        QString tip = visibleText(r.title, DisplayLimit) + u'\n' + stateText(r.state);
        if (!r.status.isEmpty())
            tip += u'\n' + visibleText(r.status, DisplayLimit);
        return tip;
    }
    case IdRole:
        return r.id;
    case StateRole:
        return int(r.state);
    case ProgressRole:
        return r.progress;
    case CancellableRole:
        return r.cancellable && r.state == State::Running;
    case SortRole:
        if (index.column() == ProgressColumn)
            return r.progress;
        if (index.column() == StartedColumn)
            return r.started.toMSecsSinceEpoch();
        return data(index, Qt::DisplayRole).toString().toCaseFolded();
    default:
        return {};
    }
}

} // namespace canyon

#include "moc_OperationsModel.cpp"
