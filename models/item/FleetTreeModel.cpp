// SPDX-License-Identifier: GPL-3.0-or-later
#include "FleetTreeModel.h"

#include "domain/PlainText.h"

#include <QLocale>
#include <QMimeData>
#include <QSet>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

constexpr qsizetype DisplayLimit = 512;

struct SnapCounts
{
    int installed = 0; // active revisions
    int updates = 0;
    bool unknown = false; // at least one active snap whose update state is unknown
};

SnapCounts countSnaps(const SnapList &snaps)
{
    SnapCounts c;
    for (const Snap &s : snaps) {
        if (!s.active)
            continue;
        ++c.installed;
        if (s.updateKnowledge == UpdateKnowledge::Available)
            ++c.updates;
        else if (s.updateKnowledge == UpdateKnowledge::Unknown)
            c.unknown = true;
    }
    return c;
}

// Worst last: sorting by status puts healthy devices together and problems together.
int statusSeverity(DeviceStatus s)
{
    switch (s) {
    case DeviceStatus::Ok:
        return 0;
    case DeviceStatus::Refreshing:
        return 1;
    case DeviceStatus::NotYetContacted:
        return 2;
    case DeviceStatus::Unsupported:
        return 3;
    case DeviceStatus::Unreachable:
        return 4;
    case DeviceStatus::Error:
        return 5;
    case DeviceStatus::AuthFailed:
        return 6;
    case DeviceStatus::HostKeyUnknown:
        return 7;
    case DeviceStatus::HostKeyChanged:
        return 8;
    }
    return 9;
}

bool sameInventory(const DeviceInventory &a, const DeviceInventory &b)
{
    return a.host == b.host && a.address == b.address && a.dialect == b.dialect && a.reachable == b.reachable
        && a.status == b.status && a.error == b.error && a.system == b.system && a.snaps == b.snaps
        && a.hostKey == b.hostKey && a.fetchedAt == b.fetchedAt;
}

} // namespace

struct FleetTreeModel::Node
{
    NodeKind kind = NodeKind::Group;
    QString name; // device name, or group key ("" = ungrouped)
    Node *parent = nullptr;
    int row = 0;
    std::vector<std::unique_ptr<Node>> children;
    HostConfig host; // devices
    DeviceInventory inventory; // devices: last known
    bool refreshing = false;
    Instance instance; // instances
    LxdClusterMember member; // cluster members
    DeviceStatus lxdStatus = DeviceStatus::NotYetContacted; // LXD hosts
    QString lxdError;

    DeviceStatus status() const { return refreshing ? DeviceStatus::Refreshing : inventory.status; }
    void renumber(std::size_t from = 0)
    {
        for (std::size_t i = from; i < children.size(); ++i)
            children[i]->row = int(i);
    }
};

FleetTreeModel::FleetTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<Node>())
{
}

FleetTreeModel::~FleetTreeModel() = default;

QString FleetTreeModel::ungroupedName()
{
    return tr("Ungrouped");
}

QString FleetTreeModel::statusText(DeviceStatus status)
{
    switch (status) {
    case DeviceStatus::NotYetContacted:
        return tr("Not contacted");
    case DeviceStatus::Refreshing:
        return tr("Refreshing…");
    case DeviceStatus::Ok:
        return tr("Online");
    case DeviceStatus::Unreachable:
        return tr("Unreachable");
    case DeviceStatus::AuthFailed:
        return tr("Authentication failed");
    case DeviceStatus::HostKeyUnknown:
        return tr("Host key not trusted");
    case DeviceStatus::HostKeyChanged:
        return tr("Host key changed: refused");
    case DeviceStatus::Unsupported:
        return tr("Unsupported");
    case DeviceStatus::Error:
        return tr("Error");
    }
    return tr("Error");
}

// --- feeding ------------------------------------------------------------------------------

QStringList FleetTreeModel::setHosts(const QList<HostConfig> &hosts)
{
    QHash<QString, const HostConfig *> wanted;
    for (const HostConfig &h : hosts) {
        if (h.kind == HostKind::Device && !h.name.isEmpty() && !wanted.contains(h.name))
            wanted.insert(h.name, &h);
    }
    bool changed = false;

    // 1. Devices that are gone, or that moved to another group (removed here, re-added below).
    std::vector<Node *> groups;
    for (const auto &g : m_root->children)
        if (g->kind == NodeKind::Group)
            groups.push_back(g.get());
    for (Node *group : groups) {
        std::vector<int> rows;
        for (const auto &d : group->children) {
            const auto it = wanted.constFind(d->name);
            if (it == wanted.constEnd() || (*it)->group != group->name)
                rows.push_back(d->row);
        }
        if (!rows.empty()) {
            removeDevices(group, std::move(rows));
            changed = true;
        }
    }

    // 2. Devices that stay: settings may have changed (address, identity, forced dialect).
    for (Node *d : std::as_const(m_devices)) {
        const HostConfig &h = *wanted.value(d->name);
        if (!(d->host == h)) {
            d->host = h;
            Q_EMIT dataChanged(indexFor(d, 0), indexFor(d, ColumnCount - 1));
        }
    }

    // 3. New devices, appended per group in the order given; a new group arrives with its rows.
    QStringList added;
    QStringList groupOrder;
    QHash<QString, QList<const HostConfig *>> newByGroup;
    QSet<QString> seen;
    for (const HostConfig &h : hosts) {
        if (h.kind != HostKind::Device || h.name.isEmpty() || m_devices.contains(h.name)
            || seen.contains(h.name))
            continue;
        seen.insert(h.name);
        added << h.name;
        if (!newByGroup.contains(h.group))
            groupOrder << h.group;
        newByGroup[h.group] << &h;
    }
    for (const QString &g : std::as_const(groupOrder)) {
        const QList<const HostConfig *> &list = newByGroup[g];
        auto makeDevice = [&](Node *group, const HostConfig *h) {
            auto node = std::make_unique<Node>();
            node->kind = NodeKind::Device;
            node->name = h->name;
            node->parent = group;
            node->host = *h;
            node->inventory.host = h->name;
            node->inventory.address = h->ssh.toString();
            m_devices.insert(h->name, node.get());
            group->children.push_back(std::move(node));
        };
        Node *group = groupFor(g);
        if (!group) {
            auto node = std::make_unique<Node>();
            node->kind = NodeKind::Group;
            node->name = g;
            node->parent = m_root.get();
            for (const HostConfig *h : list)
                makeDevice(node.get(), h);
            node->renumber();
            const int row = int(m_root->children.size());
            node->row = row;
            beginInsertRows({}, row, row);
            m_root->children.push_back(std::move(node));
            endInsertRows();
        } else {
            const int first = int(group->children.size());
            beginInsertRows(indexFor(group, 0), first, first + int(list.size()) - 1);
            for (const HostConfig *h : list)
                makeDevice(group, h);
            group->renumber(std::size_t(first));
            endInsertRows();
            Q_EMIT dataChanged(indexFor(group, 0), indexFor(group, ColumnCount - 1));
        }
        changed = true;
    }
    setLxdHosts(hosts, &changed);
    if (changed)
        Q_EMIT countsChanged();
    return added;
}

void FleetTreeModel::setLxdHosts(const QList<HostConfig> &hosts, bool *changed)
{
    QHash<QString, const HostConfig *> wanted;
    for (const HostConfig &h : hosts)
        if (h.kind == HostKind::Lxd && !h.name.isEmpty() && !wanted.contains(h.name))
            wanted.insert(h.name, &h);
    for (int row = int(m_root->children.size()) - 1; row >= 0; --row) {
        Node *n = m_root->children[std::size_t(row)].get();
        if (n->kind != NodeKind::LxdHost || wanted.contains(n->name))
            continue;
        beginRemoveRows({}, row, row);
        m_lxdHosts.remove(n->name);
        m_root->children.erase(m_root->children.begin() + row);
        m_root->renumber(std::size_t(row));
        endRemoveRows();
        *changed = true;
    }
    for (const HostConfig &h : hosts) {
        if (h.kind != HostKind::Lxd || h.name.isEmpty() || wanted.value(h.name) != &h)
            continue;
        if (Node *n = m_lxdHosts.value(h.name)) {
            if (!(n->host == h)) {
                n->host = h;
                Q_EMIT dataChanged(indexFor(n, 0), indexFor(n, ColumnCount - 1));
            }
            continue;
        }
        auto node = std::make_unique<Node>();
        node->kind = NodeKind::LxdHost;
        node->name = h.name;
        node->parent = m_root.get();
        node->host = h;
        const int row = int(m_root->children.size());
        node->row = row;
        beginInsertRows({}, row, row);
        m_lxdHosts.insert(h.name, node.get());
        m_root->children.push_back(std::move(node));
        endInsertRows();
        *changed = true;
    }
}

void FleetTreeModel::setLxdHostStatus(const QString &host, DeviceStatus status, const QString &error)
{
    Node *n = m_lxdHosts.value(host);
    if (!n || (n->lxdStatus == status && n->lxdError == error))
        return;
    n->lxdStatus = status;
    n->lxdError = error;
    Q_EMIT dataChanged(indexFor(n, 0), indexFor(n, ColumnCount - 1));
}

// Under an LXD host, the cluster members are rows [0, m), its instances rows [m, end). Makes the
// rows of one kind hold items: removes the gone ones (one contiguous run at a time), updates
// changed ones in place and inserts new ones at the end of that kind's rows, in items' order
// (the first of a repeated name counts). name(item) names a row; field is the row's copy.
template<typename T, typename Name>
void FleetTreeModel::syncChildren(Node *h, NodeKind kind, const QList<T> &items, Name name, T Node::*field)
{
    QHash<QString, const T *> wanted;
    for (const T &i : items)
        if (!name(i).isEmpty() && !wanted.contains(name(i)))
            wanted.insert(name(i), &i);
    int members = 0;
    while (members < int(h->children.size())
        && h->children[std::size_t(members)]->kind == NodeKind::ClusterMember)
        ++members;
    const int begin = kind == NodeKind::ClusterMember ? 0 : members;
    int end = kind == NodeKind::ClusterMember ? members : int(h->children.size());
    const auto keep = [&](int row) { return wanted.contains(h->children[std::size_t(row)]->name); };
    for (int row = end - 1; row >= begin; --row) {
        if (keep(row))
            continue;
        int first = row;
        while (first - 1 >= begin && !keep(first - 1))
            --first;
        beginRemoveRows(indexFor(h, 0), first, row);
        h->children.erase(h->children.begin() + first, h->children.begin() + row + 1);
        h->renumber(std::size_t(first));
        endRemoveRows();
        end -= row - first + 1;
        row = first;
    }
    QHash<QString, Node *> existing;
    for (int row = begin; row < end; ++row)
        existing.insert(h->children[std::size_t(row)]->name, h->children[std::size_t(row)].get());
    QList<const T *> added;
    for (const T &i : items) {
        if (name(i).isEmpty() || wanted.value(name(i)) != &i)
            continue;
        if (Node *c = existing.value(name(i))) {
            if (!(c->*field == i)) {
                c->*field = i;
                Q_EMIT dataChanged(indexFor(c, 0), indexFor(c, ColumnCount - 1));
            }
        } else {
            added << &i;
        }
    }
    if (added.isEmpty())
        return;
    beginInsertRows(indexFor(h, 0), end, end + int(added.size()) - 1);
    std::vector<std::unique_ptr<Node>> nodes;
    for (const T *i : std::as_const(added)) {
        auto node = std::make_unique<Node>();
        node->kind = kind;
        node->name = name(*i);
        node->parent = h;
        node.get()->*field = *i;
        nodes.push_back(std::move(node));
    }
    h->children.insert(h->children.begin() + end, std::make_move_iterator(nodes.begin()),
        std::make_move_iterator(nodes.end()));
    h->renumber(std::size_t(end));
    endInsertRows();
}

void FleetTreeModel::setInstances(const QString &host, const QList<Instance> &instances)
{
    Node *h = m_lxdHosts.value(host);
    if (!h)
        return;
    syncChildren(
        h, NodeKind::Instance, instances, [](const Instance &i) { return i.name; }, &Node::instance);
    Q_EMIT dataChanged(indexFor(h, 0), indexFor(h, ColumnCount - 1));
    membersChanged(h);
}

void FleetTreeModel::updateInstance(const QString &host, const Instance &instance)
{
    Node *h = m_lxdHosts.value(host);
    if (!h || instance.name.isEmpty())
        return;
    for (const auto &c : h->children) {
        if (c->kind != NodeKind::Instance || c->name != instance.name)
            continue;
        if (!(c->instance == instance)) {
            c->instance = instance;
            Q_EMIT dataChanged(indexFor(c.get(), 0), indexFor(c.get(), ColumnCount - 1));
            membersChanged(h);
        }
        return;
    }
    const int row = int(h->children.size());
    beginInsertRows(indexFor(h, 0), row, row);
    auto node = std::make_unique<Node>();
    node->kind = NodeKind::Instance;
    node->name = instance.name;
    node->parent = h;
    node->instance = instance;
    node->row = row;
    h->children.push_back(std::move(node));
    endInsertRows();
    Q_EMIT dataChanged(indexFor(h, 0), indexFor(h, ColumnCount - 1));
    membersChanged(h);
}

void FleetTreeModel::removeInstance(const QString &host, const QString &name)
{
    Node *h = m_lxdHosts.value(host);
    if (!h)
        return;
    for (std::size_t row = 0; row < h->children.size(); ++row) {
        if (h->children[row]->kind != NodeKind::Instance || h->children[row]->name != name)
            continue;
        beginRemoveRows(indexFor(h, 0), int(row), int(row));
        h->children.erase(h->children.begin() + std::ptrdiff_t(row));
        h->renumber(row);
        endRemoveRows();
        Q_EMIT dataChanged(indexFor(h, 0), indexFor(h, ColumnCount - 1));
        membersChanged(h);
        return;
    }
}

QModelIndex FleetTreeModel::indexForLxdHost(const QString &host, int column) const
{
    return indexFor(m_lxdHosts.value(host), column);
}

QModelIndex FleetTreeModel::indexForInstance(const QString &host, const QString &name, int column) const
{
    const Node *h = m_lxdHosts.value(host);
    if (!h)
        return {};
    for (const auto &c : h->children)
        if (c->kind == NodeKind::Instance && c->name == name)
            return indexFor(c.get(), column);
    return {};
}

void FleetTreeModel::setClusterMembers(const QString &host, const QList<LxdClusterMember> &members)
{
    Node *h = m_lxdHosts.value(host);
    if (!h)
        return;
    syncChildren(
        h, NodeKind::ClusterMember, members, [](const LxdClusterMember &m) { return m.serverName; },
        &Node::member);
    Q_EMIT dataChanged(indexFor(h, 0), indexFor(h, ColumnCount - 1));
}

QModelIndex FleetTreeModel::indexForClusterMember(const QString &host, const QString &name, int column) const
{
    const Node *h = m_lxdHosts.value(host);
    if (!h)
        return {};
    for (const auto &c : h->children)
        if (c->kind == NodeKind::ClusterMember && c->name == name)
            return indexFor(c.get(), column);
    return {};
}

QStringList FleetTreeModel::clusterMemberNames(const QString &host) const
{
    QStringList names;
    if (const Node *h = m_lxdHosts.value(host))
        for (const auto &c : h->children)
            if (c->kind == NodeKind::ClusterMember)
                names << c->name;
    return names;
}

DeviceStatus FleetTreeModel::memberStatus(const LxdClusterMember &m)
{
    if (m.status == u"Online")
        return DeviceStatus::Ok;
    if (m.status == u"Evacuated" || m.status == u"Blocked")
        return DeviceStatus::Unsupported;
    if (m.status == u"Offline")
        return DeviceStatus::Unreachable;
    return DeviceStatus::Error;
}

void FleetTreeModel::membersChanged(Node *h)
{
    int count = 0;
    while (
        count < int(h->children.size()) && h->children[std::size_t(count)]->kind == NodeKind::ClusterMember)
        ++count;
    if (count > 0)
        Q_EMIT dataChanged(indexFor(h->children.front().get(), 0),
            indexFor(h->children[std::size_t(count - 1)].get(), ColumnCount - 1));
}

QStringList FleetTreeModel::lxdHostNames() const
{
    QStringList names;
    for (const auto &n : m_root->children)
        if (n->kind == NodeKind::LxdHost)
            names << n->name;
    return names;
}

DeviceStatus FleetTreeModel::lxdHostStatus(const QString &host) const
{
    const Node *h = m_lxdHosts.value(host);
    return h ? h->lxdStatus : DeviceStatus::NotYetContacted;
}

DeviceStatus FleetTreeModel::instanceStatus(const Instance &instance)
{
    switch (instance.statusCode) {
    case 103: // running
        return DeviceStatus::Ok;
    case 102: // stopped
        return DeviceStatus::NotYetContacted;
    case 110: // frozen
        return DeviceStatus::Unsupported;
    case 108: // error
    case 112:
        return DeviceStatus::Error;
    default: // starting, stopping, freezing, ...
        return DeviceStatus::Refreshing;
    }
}

QString FleetTreeModel::lxdStatusText(DeviceStatus status)
{
    switch (status) {
    case DeviceStatus::AuthFailed:
        return tr("Client not trusted");
    case DeviceStatus::HostKeyUnknown:
        return tr("Certificate not pinned");
    case DeviceStatus::HostKeyChanged:
        return tr("Certificate changed: refused");
    default:
        return statusText(status);
    }
}

void FleetTreeModel::setInventory(const DeviceInventory &inventory)
{
    Node *d = m_devices.value(inventory.host);
    if (!d)
        return;
    if (!d->refreshing && sameInventory(d->inventory, inventory))
        return;
    d->refreshing = false;
    d->inventory = inventory;
    deviceChanged(d);
}

void FleetTreeModel::setRefreshing(const QString &name, bool refreshing)
{
    Node *d = m_devices.value(name);
    if (!d || d->refreshing == refreshing)
        return;
    d->refreshing = refreshing;
    deviceChanged(d);
}

void FleetTreeModel::clearRefreshing()
{
    for (Node *d : std::as_const(m_devices)) {
        if (d->refreshing) {
            d->refreshing = false;
            deviceChanged(d);
        }
    }
}

void FleetTreeModel::deviceChanged(Node *device)
{
    Q_EMIT dataChanged(indexFor(device, 0), indexFor(device, ColumnCount - 1));
    Node *group = device->parent;
    Q_EMIT dataChanged(indexFor(group, StatusColumn), indexFor(group, StatusColumn));
    Q_EMIT countsChanged();
}

void FleetTreeModel::removeDevices(Node *group, std::vector<int> rows)
{
    std::sort(rows.begin(), rows.end(), std::greater<>());
    const QModelIndex parentIndex = indexFor(group, 0);
    std::size_t i = 0;
    while (i < rows.size()) {
        // a contiguous run [first, last], walking downwards
        const int last = rows[i];
        int first = last;
        while (i + 1 < rows.size() && rows[i + 1] == first - 1) {
            ++i;
            --first;
        }
        ++i;
        beginRemoveRows(parentIndex, first, last);
        for (int r = first; r <= last; ++r)
            m_devices.remove(group->children[std::size_t(r)]->name);
        group->children.erase(group->children.begin() + first, group->children.begin() + last + 1);
        group->renumber(std::size_t(first));
        endRemoveRows();
    }
    if (group->children.empty()) {
        const int row = group->row;
        beginRemoveRows({}, row, row);
        m_root->children.erase(m_root->children.begin() + row);
        m_root->renumber(std::size_t(row));
        endRemoveRows();
    } else {
        Q_EMIT dataChanged(indexFor(group, 0), indexFor(group, ColumnCount - 1));
    }
}

// --- lookups ------------------------------------------------------------------------------

FleetTreeModel::Node *FleetTreeModel::nodeFor(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex FleetTreeModel::indexFor(const Node *node, int column) const
{
    if (!node || node == m_root.get())
        return {};
    return createIndex(node->row, column, const_cast<Node *>(node));
}

FleetTreeModel::Node *FleetTreeModel::groupFor(const QString &group) const
{
    for (const auto &g : m_root->children) {
        if (g->kind == NodeKind::Group && g->name == group)
            return g.get();
    }
    return nullptr;
}

QModelIndex FleetTreeModel::indexForDevice(const QString &name, int column) const
{
    return indexFor(m_devices.value(name), column);
}

std::optional<HostConfig> FleetTreeModel::host(const QString &name) const
{
    if (const Node *d = m_devices.value(name))
        return d->host;
    return std::nullopt;
}

DeviceInventory FleetTreeModel::inventory(const QString &name) const
{
    if (const Node *d = m_devices.value(name))
        return d->inventory;
    return {};
}

DeviceStatus FleetTreeModel::status(const QString &name) const
{
    if (const Node *d = m_devices.value(name))
        return d->status();
    return DeviceStatus::NotYetContacted;
}

QStringList FleetTreeModel::deviceNames() const
{
    QStringList names;
    for (const auto &g : m_root->children) {
        for (const auto &d : g->children)
            names << d->name;
    }
    return names;
}

int FleetTreeModel::reachableCount() const
{
    return int(std::count_if(
        m_devices.cbegin(), m_devices.cend(), [](const Node *d) { return d->inventory.reachable; }));
}

int FleetTreeModel::refreshingCount() const
{
    return int(
        std::count_if(m_devices.cbegin(), m_devices.cend(), [](const Node *d) { return d->refreshing; }));
}

// --- QAbstractItemModel -------------------------------------------------------------------

QModelIndex FleetTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount || (parent.isValid() && parent.column() != 0))
        return {};
    const Node *p = nodeFor(parent);
    if (std::size_t(row) >= p->children.size())
        return {};
    return createIndex(row, column, p->children[std::size_t(row)].get());
}

QModelIndex FleetTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const Node *n = nodeFor(child);
    return indexFor(n->parent, 0);
}

int FleetTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeFor(parent)->children.size());
}

int FleetTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool FleetTreeModel::hasChildren(const QModelIndex &parent) const
{
    return rowCount(parent) > 0;
}

Qt::ItemFlags FleetTreeModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    const Qt::ItemFlags base = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    switch (nodeFor(index)->kind) {
    case NodeKind::Instance:
        return base | Qt::ItemIsDragEnabled | Qt::ItemIsDropEnabled;
    case NodeKind::LxdHost:
    case NodeKind::ClusterMember:
        return base | Qt::ItemIsDropEnabled;
    default:
        return base;
    }
}

// --- drag and drop (issue 5) -------------------------------------------------------------

QStringList FleetTreeModel::mimeTypes() const
{
    return { instancesMimeType() };
}

QMimeData *FleetTreeModel::mimeData(const QModelIndexList &indexes) const
{
    QList<InstanceRef> refs;
    for (const QModelIndex &idx : indexes) {
        if (!idx.isValid() || idx.model() != this)
            continue;
        const Node *n = nodeFor(idx);
        if (n->kind != NodeKind::Instance)
            continue;
        const InstanceRef ref { n->parent->name, n->instance.name };
        if (!refs.contains(ref))
            refs << ref;
    }
    if (refs.isEmpty())
        return nullptr;
    return encodeInstances(refs);
}

Qt::DropActions FleetTreeModel::supportedDragActions() const
{
    return Qt::MoveAction;
}

Qt::DropActions FleetTreeModel::supportedDropActions() const
{
    return Qt::MoveAction;
}

QString FleetTreeModel::dropTargetHost(const QModelIndex &parent) const
{
    if (!parent.isValid() || parent.model() != this)
        return {};
    const Node *n = nodeFor(parent);
    if (n->kind == NodeKind::LxdHost)
        return n->name;
    if (n->kind == NodeKind::Instance || n->kind == NodeKind::ClusterMember)
        return n->parent->name;
    return {};
}

QString FleetTreeModel::dropTargetMember(const QModelIndex &parent) const
{
    if (!parent.isValid() || parent.model() != this)
        return {};
    const Node *n = nodeFor(parent);
    return n->kind == NodeKind::ClusterMember ? n->name : QString();
}

QString FleetTreeModel::dropRejection(const QMimeData *data, const QModelIndex &parent) const
{
    QString error;
    const QList<InstanceRef> refs = decodeInstances(data, &error);
    if (refs.isEmpty())
        return error;
    const QString target = dropTargetHost(parent);
    if (target.isEmpty())
        return tr("Drop instances onto an LXD host to move them there");
    const bool member = !dropTargetMember(parent).isEmpty(); // the same host is fine: a member move
    for (const InstanceRef &r : refs) {
        if (!m_lxdHosts.contains(r.host))
            return tr("%1 is not an LXD host of this console").arg(visibleText(r.host, DisplayLimit));
        if (r.host == target && !member)
            return tr("%1 is already on %2: drop it onto another LXD host")
                .arg(visibleText(r.name, DisplayLimit), visibleText(target, DisplayLimit));
    }
    if (lxdHostStatus(target) == DeviceStatus::HostKeyChanged)
        return tr("%1 presented a changed certificate: nothing is sent to it")
            .arg(visibleText(target, DisplayLimit));
    return {};
}

bool FleetTreeModel::canDropMimeData(
    const QMimeData *data, Qt::DropAction action, int, int, const QModelIndex &parent) const
{
    return action == Qt::MoveAction && dropRejection(data, parent).isEmpty();
}

bool FleetTreeModel::dropMimeData(
    const QMimeData *data, Qt::DropAction action, int row, int column, const QModelIndex &parent)
{
    if (!canDropMimeData(data, action, row, column, parent))
        return false;
    if (const QString member = dropTargetMember(parent); !member.isEmpty())
        Q_EMIT instancesDroppedOnMember(decodeInstances(data), dropTargetHost(parent), member);
    else
        Q_EMIT instancesDropped(decodeInstances(data), dropTargetHost(parent));
    // Nothing has moved yet. After a MoveAction the drag's source view asks its model to remove
    // the dragged rows: no model here implements removeRows, so the rows stay until the
    // migration really moved the instance (the host's list is read again then).
    return true;
}

QVariant FleetTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case StatusColumn:
        return tr("Status");
    case DialectColumn:
        return tr("Dialect");
    case SnapsColumn:
        return tr("Snaps");
    case UpdatesColumn:
        return tr("Updates");
    case AddressColumn:
        return tr("Address");
    default:
        return {};
    }
}

QHash<int, QByteArray> FleetTreeModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractItemModel::roleNames();
    names.insert(NameRole, "name");
    names.insert(KindRole, "kind");
    names.insert(StatusRole, "status");
    names.insert(ErrorRole, "error");
    names.insert(GroupRole, "group");
    names.insert(ReachableRole, "reachable");
    names.insert(SortRole, "sortValue");
    names.insert(SearchRole, "searchText");
    names.insert(DeviceSearchRole, "deviceSearchText");
    return names;
}

QVariant FleetTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.model() != this)
        return {};
    const Node *n = nodeFor(index);
    if (role == KindRole)
        return int(n->kind);
    if (role == NameRole)
        return n->name;
    if (n->kind == NodeKind::Device)
        return deviceData(n, index.column(), role);
    if (n->kind == NodeKind::LxdHost)
        return lxdHostData(n, index.column(), role);
    if (n->kind == NodeKind::Instance)
        return instanceData(n, index.column(), role);
    if (n->kind == NodeKind::ClusterMember)
        return memberData(n, index.column(), role);
    return groupData(n, index.column(), role);
}

QVariant FleetTreeModel::groupData(const Node *n, int column, int role) const
{
    const QString display = n->name.isEmpty() ? ungroupedName() : visibleText(n->name, DisplayLimit);
    const int total = int(n->children.size());
    const int reachable = int(std::count_if(
        n->children.cbegin(), n->children.cend(), [](const auto &d) { return d->inventory.reachable; }));
    switch (role) {
    case Qt::DisplayRole:
        if (column == NameColumn)
            return display;
        if (column == StatusColumn)
            return tr("%1/%2 reachable").arg(reachable).arg(total);
        return {};
    case Qt::ToolTipRole:
        return tr("Group %1: %2 devices, %3 reachable").arg(display).arg(total).arg(reachable);
    case GroupRole:
        return n->name;
    case SortRole:
        if (column == StatusColumn)
            return total > 0 ? double(reachable) / total : 0.0;
        // "Ungrouped" after the named groups
        return n->name.isEmpty() ? QString(QChar(0xFFFF)) : n->name.toCaseFolded();
    case SearchRole:
    case DeviceSearchRole:
        return display;
    default:
        return {};
    }
}

QVariant FleetTreeModel::lxdHostData(const Node *n, int column, int role) const
{
    const QString name = visibleText(n->name, DisplayLimit);
    const QString url = visibleText(n->host.lxdUrl, DisplayLimit);
    const int total = int(std::count_if(n->children.cbegin(), n->children.cend(),
        [](const auto &c) { return c->kind == NodeKind::Instance; }));
    const int running = int(std::count_if(n->children.cbegin(), n->children.cend(),
        [](const auto &c) { return c->kind == NodeKind::Instance && c->instance.statusCode == 103; }));
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case NameColumn:
            return name;
        case StatusColumn:
            if (n->lxdStatus == DeviceStatus::Ok)
                return tr("Online, %1/%2 running").arg(running).arg(total);
            return lxdStatusText(n->lxdStatus);
        case DialectColumn:
            return tr("LXD");
        case AddressColumn:
            return url;
        default:
            return {};
        }
    case Qt::ToolTipRole: {
        QString tip = tr("LXD host %1").arg(name) + u'\n' + tr("Status: %1").arg(lxdStatusText(n->lxdStatus))
            + u'\n' + tr("Address: %1").arg(url) + u'\n'
            + tr("%1 of %2 instances running").arg(running).arg(total);
        if (!n->lxdError.isEmpty())
            tip += u'\n' + tr("Error: %1").arg(visibleText(n->lxdError, DisplayLimit));
        if (!n->host.lxdCertificateSha256.isEmpty())
            tip += u'\n' + tr("Pinned certificate SHA256: %1").arg(n->host.lxdCertificateSha256);
        return tip;
    }
    case StatusRole:
        return int(n->lxdStatus);
    case ErrorRole:
        return visibleText(n->lxdError, DisplayLimit);
    case GroupRole:
        return n->host.group;
    case ReachableRole:
        return n->lxdStatus == DeviceStatus::Ok;
    case SortRole:
        switch (column) {
        case NameColumn: // after the device groups
            return QString(QString(QChar(0xFFFF)) + n->name.toCaseFolded());
        case StatusColumn:
            return statusSeverity(n->lxdStatus);
        case SnapsColumn:
            return total;
        default:
            return data(indexFor(n, column), Qt::DisplayRole).toString().toCaseFolded();
        }
    case SearchRole:
    case DeviceSearchRole:
        return QStringList { name, url, lxdStatusText(n->lxdStatus) }.join(u'\n');
    default:
        return {};
    }
}

QVariant FleetTreeModel::instanceData(const Node *n, int column, int role) const
{
    const Instance &in = n->instance;
    const DeviceStatus status = instanceStatus(in);
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case NameColumn:
            return visibleText(in.name, DisplayLimit);
        case StatusColumn:
            return visibleText(in.status, DisplayLimit);
        case DialectColumn:
            return in.type == u"virtual-machine" ? tr("VM") : tr("container");
        case AddressColumn:
            return in.location == u"none" ? QString() : visibleText(in.location, DisplayLimit);
        default:
            return {};
        }
    case Qt::ToolTipRole: {
        QString tip = visibleText(in.name, DisplayLimit) + u'\n'
            + tr("Status: %1").arg(visibleText(in.status, DisplayLimit)) + u'\n'
            + tr("Host: %1").arg(visibleText(n->parent->name, DisplayLimit));
        if (!in.imageDescription.isEmpty())
            tip += u'\n' + tr("Image: %1").arg(visibleText(in.imageDescription, DisplayLimit));
        return tip;
    }
    case StatusRole:
        return int(status);
    case GroupRole:
        return n->parent->name; // the host
    case ReachableRole:
        return n->parent->lxdStatus == DeviceStatus::Ok;
    case SortRole:
        switch (column) {
        case NameColumn:
            return in.name.toCaseFolded();
        case StatusColumn:
            return in.statusCode;
        default:
            return data(indexFor(n, column), Qt::DisplayRole).toString().toCaseFolded();
        }
    case SearchRole:
    case DeviceSearchRole:
        return QStringList { visibleText(in.name, DisplayLimit), visibleText(in.status, DisplayLimit),
            visibleText(in.type, DisplayLimit) }
            .join(u'\n');
    default:
        return {};
    }
}

QVariant FleetTreeModel::memberData(const Node *n, int column, int role) const
{
    const LxdClusterMember &m = n->member;
    const QString name = visibleText(m.serverName, DisplayLimit);
    const DeviceStatus status = memberStatus(m);
    int located = 0;
    int running = 0;
    for (const auto &c : n->parent->children) {
        if (c->kind == NodeKind::Instance && c->instance.location == m.serverName) {
            ++located;
            running += c->instance.statusCode == 103 ? 1 : 0;
        }
    }
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case NameColumn:
            return name;
        case StatusColumn:
            return visibleText(m.status, DisplayLimit);
        case DialectColumn:
            return tr("cluster member");
        case SnapsColumn:
            return QString::number(located); // its instances (by their location)
        case UpdatesColumn:
            return visibleText(m.message, DisplayLimit);
        case AddressColumn:
            return visibleText(m.url, DisplayLimit);
        default:
            return {};
        }
    case Qt::ToolTipRole: {
        QString tip = tr("Cluster member %1 of %2").arg(name, visibleText(n->parent->name, DisplayLimit))
            + u'\n' + tr("Status: %1").arg(visibleText(m.status, DisplayLimit)) + u'\n'
            + tr("Message: %1").arg(visibleText(m.message, DisplayLimit)) + u'\n'
            + tr("Address: %1").arg(visibleText(m.url, DisplayLimit)) + u'\n'
            + tr("%1 of %2 instances here running").arg(running).arg(located);
        if (!m.roles.isEmpty())
            tip += u'\n' + tr("Roles: %1").arg(visibleText(m.roles.join(u", "_s), DisplayLimit));
        if (!m.architecture.isEmpty())
            tip += u'\n' + tr("Architecture: %1").arg(visibleText(m.architecture, DisplayLimit));
        if (!m.failureDomain.isEmpty())
            tip += u'\n' + tr("Failure domain: %1").arg(visibleText(m.failureDomain, DisplayLimit));
        return tip;
    }
    case StatusRole:
        return int(status);
    case ErrorRole:
        return m.isOnline() ? QString() : visibleText(m.message, DisplayLimit);
    case GroupRole:
        return n->parent->name; // the host
    case ReachableRole:
        return m.isOnline();
    case SortRole:
        switch (column) {
        case NameColumn: // before the instances
            return QString(u' ' + m.serverName.toCaseFolded());
        case StatusColumn:
            return statusSeverity(status);
        case SnapsColumn:
            return located;
        default:
            return data(indexFor(n, column), Qt::DisplayRole).toString().toCaseFolded();
        }
    case SearchRole:
    case DeviceSearchRole:
        return QStringList { name, visibleText(m.status, DisplayLimit), visibleText(m.message, DisplayLimit),
            visibleText(m.url, DisplayLimit) }
            .join(u'\n');
    default:
        return {};
    }
}

QVariant FleetTreeModel::deviceData(const Node *n, int column, int role) const
{
    const DeviceInventory &inv = n->inventory;
    const DeviceStatus status = n->status();
    const QString address = n->host.ssh.toString().isEmpty() ? inv.address : n->host.ssh.toString();
    const QString dialect = inv.dialect != Dialect::Unknown ? dialectName(inv.dialect) : n->host.dialect;
    const bool haveSnaps = !inv.snaps.isEmpty() || inv.status == DeviceStatus::Ok;

    switch (role) {
    case Qt::DisplayRole: {
        switch (column) {
        case NameColumn:
            return visibleText(n->name, DisplayLimit);
        case StatusColumn:
            return statusText(status);
        case DialectColumn:
            return visibleText(dialect, DisplayLimit);
        case SnapsColumn:
            return haveSnaps ? QString::number(countSnaps(inv.snaps).installed) : QString();
        case UpdatesColumn: {
            if (!haveSnaps)
                return QString();
            const SnapCounts c = countSnaps(inv.snaps);
            if (c.updates == 0 && c.unknown)
                return u"?"_s;
            return c.unknown ? tr("%1+?").arg(c.updates) : QString::number(c.updates);
        }
        case AddressColumn:
            return visibleText(address, DisplayLimit);
        default:
            return {};
        }
    }
    case Qt::TextAlignmentRole:
        if (column == SnapsColumn || column == UpdatesColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole: {
        QString tip = visibleText(n->name, DisplayLimit) + u'\n' + tr("Status: %1").arg(statusText(status));
        if (!inv.error.isEmpty())
            tip += u'\n' + tr("Error: %1").arg(visibleText(inv.error, DisplayLimit));
        if (!address.isEmpty())
            tip += u'\n' + tr("Address: %1").arg(visibleText(address, DisplayLimit));
        if (!dialect.isEmpty())
            tip += u'\n' + tr("Dialect: %1").arg(visibleText(dialect, DisplayLimit));
        if (inv.fetchedAt.isValid())
            tip += u'\n'
                + tr("Last inventory: %1")
                      .arg(QLocale().toString(inv.fetchedAt.toLocalTime(), QLocale::ShortFormat));
        if (!inv.system.refreshError.isEmpty())
            tip += u'\n' + tr("Updates unknown: %1").arg(visibleText(inv.system.refreshError, DisplayLimit));
        return tip;
    }
    case StatusRole:
        return int(status);
    case ErrorRole:
        return visibleText(inv.error, DisplayLimit);
    case GroupRole:
        return n->host.group;
    case ReachableRole:
        return inv.reachable;
    case SortRole:
        switch (column) {
        case NameColumn:
            return n->name.toCaseFolded();
        case StatusColumn:
            return statusSeverity(status);
        case DialectColumn:
            return dialect;
        case SnapsColumn:
            return haveSnaps ? countSnaps(inv.snaps).installed : -1;
        case UpdatesColumn:
            return haveSnaps ? countSnaps(inv.snaps).updates : -1;
        case AddressColumn:
            return address.toCaseFolded();
        default:
            return {};
        }
    case SearchRole:
    case DeviceSearchRole: {
        QStringList parts { visibleText(n->name, DisplayLimit), visibleText(n->host.group, DisplayLimit),
            visibleText(address, DisplayLimit), statusText(status), visibleText(dialect, DisplayLimit) };
        if (role == SearchRole) {
            for (const Snap &s : inv.snaps)
                parts << visibleText(s.name, DisplayLimit);
        }
        return parts.join(u'\n');
    }
    default:
        return {};
    }
}

} // namespace canyon

#include "moc_FleetTreeModel.cpp"
