// SPDX-License-Identifier: GPL-3.0-or-later
#include "InstancesTableModel.h"

#include "domain/PlainText.h"
#include "item/InstanceDrag.h"

#include <QLocale>
#include <QMimeData>
#include <QSet>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

constexpr qsizetype DisplayLimit = 512;

QStringList addressesOf(const InstanceState &s, const QString &family)
{
    QStringList out;
    for (const InstanceNetwork &n : s.networks) {
        if (n.type == u"loopback" || n.name == u"lo")
            continue;
        for (const InstanceAddress &a : n.addresses)
            if (a.family == family && a.scope == u"global")
                out << a.address;
    }
    return out;
}

} // namespace

InstancesTableModel::InstancesTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

QString InstancesTableModel::formatBytes(double bytes)
{
    return QLocale().formattedDataSize(qint64(bytes), 1, QLocale::DataSizeIecFormat);
}

QString InstancesTableModel::formatRate(double bytesPerSec)
{
    return tr("%1/s").arg(formatBytes(bytesPerSec));
}

// --- feeding ------------------------------------------------------------------------------

void InstancesTableModel::setHosts(const QStringList &hosts)
{
    if (hosts == m_hosts)
        return;
    removeRowsWhere([&hosts](const Row &r) { return !hosts.contains(r.host); });
    // kept rows stay where they are (a host's rows stay together); new hosts' rows go after
    // them (views sort anyway)
    QStringList order;
    for (const Row &r : m_rows)
        if (!order.contains(r.host))
            order << r.host;
    for (const QString &h : hosts)
        if (!order.contains(h))
            order << h;
    m_hosts = order;
}

void InstancesTableModel::removeRowsWhere(const std::function<bool(const Row &)> &pred)
{
    int r = int(m_rows.size()) - 1;
    while (r >= 0) {
        if (!pred(m_rows[std::size_t(r)])) {
            --r;
            continue;
        }
        const int last = r;
        while (r - 1 >= 0 && pred(m_rows[std::size_t(r - 1)]))
            --r;
        beginRemoveRows({}, r, last);
        m_rows.erase(m_rows.begin() + r, m_rows.begin() + last + 1);
        rebuildIndex(r);
        endRemoveRows();
        --r;
    }
}

void InstancesTableModel::rebuildIndex(int from)
{
    // rows before `from` keep their numbers; removed keys must go, so drop what is stale
    for (auto it = m_index.begin(); it != m_index.end();) {
        if (it.value() >= from)
            it = m_index.erase(it);
        else
            ++it;
    }
    for (std::size_t i = std::size_t(from); i < m_rows.size(); ++i)
        m_index.insert(key(m_rows[i].host, m_rows[i].instance.name), int(i));
}

int InstancesTableModel::rowOf(const QString &host, const QString &name) const
{
    return m_index.value(key(host, name), -1);
}

int InstancesTableModel::insertPosition(const QString &host) const
{
    const qsizetype order = m_hosts.indexOf(host);
    int pos = int(m_rows.size());
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        const qsizetype o = m_hosts.indexOf(m_rows[std::size_t(i)].host);
        if (o > order)
            pos = i;
        else
            break;
    }
    return pos;
}

void InstancesTableModel::rowChanged(int row, int firstColumn, int lastColumn)
{
    Q_EMIT dataChanged(index(row, firstColumn), index(row, lastColumn));
}

void InstancesTableModel::setInstances(const QString &host, const QList<Instance> &instances)
{
    if (!m_hosts.contains(host))
        return;
    QHash<QString, const Instance *> wanted;
    for (const Instance &i : instances)
        if (!i.name.isEmpty() && !wanted.contains(i.name))
            wanted.insert(i.name, &i);
    removeRowsWhere([&](const Row &r) { return r.host == host && !wanted.contains(r.instance.name); });
    QList<const Instance *> added;
    QSet<QString> seen;
    for (const Instance &i : instances) {
        if (i.name.isEmpty() || seen.contains(i.name))
            continue;
        seen.insert(i.name);
        const int row = rowOf(host, i.name);
        if (row < 0) {
            added << &i;
            continue;
        }
        Row &r = m_rows[std::size_t(row)];
        if (!(r.instance == i)) {
            r.instance = i;
            if (r.state && r.state->statusCode != i.statusCode)
                r.state.reset(); // a state from before a lifecycle change is not shown as current
            rowChanged(row);
        }
    }
    if (added.isEmpty())
        return;
    const int first = insertPosition(host);
    beginInsertRows({}, first, first + int(added.size()) - 1);
    std::vector<Row> rows;
    rows.reserve(std::size_t(added.size()));
    for (const Instance *i : std::as_const(added))
        rows.push_back(Row { host, *i, std::nullopt, {}, {}, false, false });
    m_rows.insert(
        m_rows.begin() + first, std::make_move_iterator(rows.begin()), std::make_move_iterator(rows.end()));
    rebuildIndex(first);
    endInsertRows();
}

void InstancesTableModel::updateInstance(const QString &host, const Instance &instance)
{
    if (!m_hosts.contains(host) || instance.name.isEmpty())
        return;
    const int row = rowOf(host, instance.name);
    if (row < 0) {
        const int first = insertPosition(host);
        beginInsertRows({}, first, first);
        m_rows.insert(m_rows.begin() + first, Row { host, instance, std::nullopt, {}, {}, false, false });
        rebuildIndex(first);
        endInsertRows();
        return;
    }
    Row &r = m_rows[std::size_t(row)];
    if (r.instance == instance)
        return;
    if (r.state && r.state->statusCode != instance.statusCode) {
        r.state.reset();
        r.rates = {};
    }
    r.instance = instance;
    rowChanged(row);
}

void InstancesTableModel::removeInstance(const QString &host, const QString &name)
{
    const int row = rowOf(host, name);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.erase(m_rows.begin() + row);
    m_index.remove(key(host, name));
    rebuildIndex(row);
    endRemoveRows();
}

void InstancesTableModel::setState(
    const QString &host, const QString &name, const InstanceState &state, const Rates &rates)
{
    const int row = rowOf(host, name);
    if (row < 0)
        return;
    Row &r = m_rows[std::size_t(row)];
    if (r.state == state && r.rates == rates)
        return;
    r.state = state;
    r.rates = rates;
    // the state's status is the freshest word on the instance's status
    if (!state.status.isEmpty()
        && (state.status != r.instance.status || state.statusCode != r.instance.statusCode)) {
        r.instance.status = state.status;
        r.instance.statusCode = state.statusCode;
        rowChanged(row, StatusColumn, TxColumn);
        return;
    }
    rowChanged(row, Ipv4Column, TxColumn);
}

void InstancesTableModel::setActionRunning(const QString &host, const QString &name, const QString &text)
{
    const int row = rowOf(host, name);
    if (row < 0)
        return;
    Row &r = m_rows[std::size_t(row)];
    r.action = text;
    r.actionRunning = true;
    r.actionFailed = false;
    rowChanged(row, ResultColumn, ResultColumn);
}

void InstancesTableModel::setActionResult(
    const QString &host, const QString &name, const QString &text, bool failed)
{
    const int row = rowOf(host, name);
    if (row < 0)
        return;
    Row &r = m_rows[std::size_t(row)];
    r.action = text;
    r.actionRunning = false;
    r.actionFailed = failed;
    rowChanged(row, ResultColumn, ResultColumn);
}

// --- lookups ------------------------------------------------------------------------------

QModelIndex InstancesTableModel::indexOf(const QString &host, const QString &name, int column) const
{
    const int row = rowOf(host, name);
    return row < 0 ? QModelIndex() : index(row, column);
}

std::optional<Instance> InstancesTableModel::instance(const QString &host, const QString &name) const
{
    const int row = rowOf(host, name);
    if (row < 0)
        return std::nullopt;
    return m_rows[std::size_t(row)].instance;
}

QStringList InstancesTableModel::names(const QString &host) const
{
    QStringList out;
    for (const Row &r : m_rows)
        if (r.host == host)
            out << r.instance.name;
    return out;
}

// --- QAbstractItemModel -------------------------------------------------------------------

int InstancesTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int InstancesTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant InstancesTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case TypeColumn:
        return tr("Type");
    case StatusColumn:
        return tr("Status");
    case Ipv4Column:
        return tr("IPv4");
    case Ipv6Column:
        return tr("IPv6");
    case CpuColumn:
        return tr("CPU %");
    case MemoryColumn:
        return tr("Memory");
    case RxColumn:
        return tr("Net rx");
    case TxColumn:
        return tr("Net tx");
    case ProfilesColumn:
        return tr("Profiles");
    case CreatedColumn:
        return tr("Created");
    case LocationColumn:
        return tr("Location");
    case HostColumn:
        return tr("Host");
    case ResultColumn:
        return tr("Last action");
    default:
        return {};
    }
}

Qt::ItemFlags InstancesTableModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return QAbstractTableModel::flags(index) | Qt::ItemIsDragEnabled;
}

QStringList InstancesTableModel::mimeTypes() const
{
    return { instancesMimeType() };
}

QMimeData *InstancesTableModel::mimeData(const QModelIndexList &indexes) const
{
    QList<InstanceRef> refs;
    for (const QModelIndex &idx : indexes) {
        if (!idx.isValid() || idx.model() != this || idx.row() >= int(m_rows.size()))
            continue;
        const Row &r = m_rows[std::size_t(idx.row())];
        const InstanceRef ref { r.host, r.instance.name };
        if (!refs.contains(ref))
            refs << ref;
    }
    return refs.isEmpty() ? nullptr : encodeInstances(refs);
}

Qt::DropActions InstancesTableModel::supportedDragActions() const
{
    return Qt::MoveAction;
}

QHash<int, QByteArray> InstancesTableModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(SortRole, "sortValue");
    names.insert(NameRole, "name");
    names.insert(HostRole, "host");
    names.insert(StatusCodeRole, "statusCode");
    names.insert(HasStateRole, "hasState");
    names.insert(ActionFailedRole, "actionFailed");
    return names;
}

QVariant InstancesTableModel::displayData(const Row &r, int column) const
{
    const Instance &in = r.instance;
    const bool running = in.statusCode == 103 || in.status == u"Running";
    switch (column) {
    case NameColumn:
        return visibleText(in.name, DisplayLimit);
    case TypeColumn:
        if (in.type == u"container")
            return tr("container");
        if (in.type == u"virtual-machine")
            return tr("VM");
        return visibleText(in.type, DisplayLimit);
    case StatusColumn:
        return visibleText(in.status, DisplayLimit);
    case Ipv4Column:
        return r.state ? visibleText(addressesOf(*r.state, u"inet"_s).join(u", "_s), DisplayLimit)
                       : QString();
    case Ipv6Column:
        return r.state ? visibleText(addressesOf(*r.state, u"inet6"_s).join(u", "_s), DisplayLimit)
                       : QString();
    case CpuColumn:
        return r.rates.cpuPercent && running ? QLocale().toString(*r.rates.cpuPercent, 'f', 1) : QString();
    case MemoryColumn:
        return r.state && running ? formatBytes(double(r.state->memoryUsage)) : QString();
    case RxColumn:
        return r.rates.rxBytesPerSec && running ? formatRate(*r.rates.rxBytesPerSec) : QString();
    case TxColumn:
        return r.rates.txBytesPerSec && running ? formatRate(*r.rates.txBytesPerSec) : QString();
    case ProfilesColumn:
        return visibleText(in.profiles.join(u", "_s), DisplayLimit);
    case CreatedColumn:
        return in.created.isValid() ? QLocale().toString(in.created.toLocalTime(), QLocale::ShortFormat)
                                    : QString();
    case LocationColumn:
        return in.location == u"none" ? QString() : visibleText(in.location, DisplayLimit);
    case HostColumn:
        return visibleText(r.host, DisplayLimit);
    case ResultColumn:
        return visibleText(r.action, DisplayLimit);
    default:
        return {};
    }
}

QVariant InstancesTableModel::sortData(const Row &r, int column) const
{
    const Instance &in = r.instance;
    switch (column) {
    case NameColumn:
        return in.name.toCaseFolded();
    case StatusColumn:
        return in.statusCode;
    case CpuColumn:
        return r.rates.cpuPercent.value_or(-1.0);
    case MemoryColumn:
        return r.state ? double(r.state->memoryUsage) : -1.0;
    case RxColumn:
        return r.rates.rxBytesPerSec.value_or(-1.0);
    case TxColumn:
        return r.rates.txBytesPerSec.value_or(-1.0);
    case CreatedColumn:
        return in.created.isValid() ? in.created.toMSecsSinceEpoch() : qint64(0);
    default:
        return displayData(r, column).toString().toCaseFolded();
    }
}

QVariant InstancesTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.model() != this || index.row() >= int(m_rows.size()))
        return {};
    const Row &r = m_rows[std::size_t(index.row())];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayData(r, column);
    case Qt::ToolTipRole: {
        QString tip = visibleText(r.instance.name, DisplayLimit) + u'\n'
            + tr("Host: %1").arg(visibleText(r.host, DisplayLimit));
        if (!r.instance.imageDescription.isEmpty())
            tip += u'\n' + tr("Image: %1").arg(visibleText(r.instance.imageDescription, DisplayLimit));
        if (!r.instance.description.isEmpty())
            tip += u'\n' + tr("Description: %1").arg(visibleText(r.instance.description, DisplayLimit));
        if (!r.action.isEmpty())
            tip += u'\n' + tr("Last action: %1").arg(visibleText(r.action, DisplayLimit));
        return tip;
    }
    case Qt::TextAlignmentRole:
        if (column == CpuColumn || column == MemoryColumn || column == RxColumn || column == TxColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case SortRole:
        return sortData(r, column);
    case NameRole:
        return r.instance.name;
    case HostRole:
        return r.host;
    case StatusCodeRole:
        return r.instance.statusCode;
    case HasStateRole:
        return r.state.has_value();
    case ActionFailedRole:
        return r.actionFailed;
    default:
        return {};
    }
}

} // namespace canyon

#include "moc_InstancesTableModel.cpp"
