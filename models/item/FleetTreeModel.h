// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "domain/Device.h"
#include "domain/Host.h"
#include "domain/Instance.h"
#include "item/InstanceDrag.h"
#include "lxd/LxdJson.h"

#include <QAbstractItemModel>
#include <QHash>
#include <memory>
#include <optional>
#include <vector>

namespace canyon {

// The fleet tree: groups -> devices, and LXD hosts (top level) -> instances.
// Fed by plain values (host list, per-device inventories, refresh starts) so it can be tested
// without a FleetService; every change is a precise row insert/remove or dataChanged, never a
// reset. Uses no QtGui: the view paints status dots from StatusRole.
class FleetTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        StatusColumn,
        DialectColumn,
        SnapsColumn,
        UpdatesColumn,
        AddressColumn,
        ColumnCount
    };

    enum class NodeKind { Group, Device, LxdHost, Instance, ClusterMember };

    enum Role {
        NameRole = Qt::UserRole + 1, // raw device/group name (for lookups, not for display)
        KindRole, // NodeKind as int
        StatusRole, // DeviceStatus as int (devices only)
        ErrorRole, // last error text, visible-escaped
        GroupRole, // raw group name ("" = ungrouped)
        ReachableRole, // bool: the last inventory established a session
        SortRole, // raw values for sorting (numbers as numbers)
        SearchRole, // text the filter matches: name, group, address, status, dialect, snap names
        DeviceSearchRole, // the same without snap names
    };

    explicit FleetTreeModel(QObject *parent = nullptr);
    ~FleetTreeModel() override;

    // Diffs against the current hosts: inserts, removes and moves between groups are row
    // operations, changed settings are dataChanged. Returns the names of devices added.
    QStringList setHosts(const QList<HostConfig> &hosts);
    // A device's inventory arrived (also ends its Refreshing state). Unknown names are ignored.
    void setInventory(const DeviceInventory &inventory);
    void setRefreshing(const QString &name, bool refreshing = true);
    void clearRefreshing(); // e.g. after refreshFinished: nothing is in flight any more

    QModelIndex indexForDevice(const QString &name, int column = NameColumn) const;
    std::optional<HostConfig> host(const QString &name) const;
    DeviceInventory inventory(const QString &name) const; // status is the displayed one
    DeviceStatus status(const QString &name) const;
    QStringList deviceNames() const;

    // LXD hosts come from setHosts() (HostKind::Lxd); their state and instances from these.
    // status: Ok (reachable), Unreachable, AuthFailed (client not trusted), HostKeyUnknown
    // (certificate not pinned), HostKeyChanged (certificate mismatch: refused), Refreshing.
    void setLxdHostStatus(const QString &host, DeviceStatus status, const QString &error = {});
    void setInstances(const QString &host, const QList<Instance> &instances); // a diff by name
    void updateInstance(const QString &host, const Instance &instance); // inserts when new
    void removeInstance(const QString &host, const QString &name);
    QModelIndex indexForLxdHost(const QString &host, int column = NameColumn) const;
    QModelIndex indexForInstance(const QString &host, const QString &name, int column = NameColumn) const;
    QStringList lxdHostNames() const;
    // A clustered LXD host's members, listed first under the host (before its instances): name,
    // status ("Online", "Offline", "Evacuated"), LXD's message, URL, and how many of the host's
    // instances have their location there. A diff by server name; [] removes them all.
    void setClusterMembers(const QString &host, const QList<LxdClusterMember> &members);
    QModelIndex indexForClusterMember(
        const QString &host, const QString &name, int column = NameColumn) const;
    QStringList clusterMemberNames(const QString &host) const;
    static DeviceStatus memberStatus(const LxdClusterMember &member); // the dot of a member
    DeviceStatus lxdHostStatus(const QString &host) const;
    static DeviceStatus instanceStatus(const Instance &instance); // the dot of an instance
    static QString lxdStatusText(DeviceStatus status);

    int deviceCount() const { return int(m_devices.size()); }
    int reachableCount() const;
    int refreshingCount() const;

    static QString statusText(DeviceStatus status); // translated, short
    static QString ungroupedName();

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Drag and drop (issue 5): instances drag out as instancesMimeType(); LXD hosts (and their
    // instances, meaning the host) accept instances of other hosts. The model only decides and
    // says why not; the window runs the migration (instancesDropped).
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    Qt::DropActions supportedDragActions() const override;
    Qt::DropActions supportedDropActions() const override;
    bool canDropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
        const QModelIndex &parent) const override;
    bool dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
        const QModelIndex &parent) override;
    // "" when data may be dropped on parent, else why not (one line, for a status bar).
    QString dropRejection(const QMimeData *data, const QModelIndex &parent) const;
    QString dropTargetHost(const QModelIndex &parent) const; // the LXD host a drop there means
    // The cluster member a drop there means (a ClusterMember node), "" for the host as a whole.
    // Instances of the member's own host dropped there are a member move inside the cluster.
    QString dropTargetMember(const QModelIndex &parent) const;

Q_SIGNALS:
    void countsChanged(); // device, reachable or refreshing counts may have changed
    void instancesDropped(const QList<canyon::InstanceRef> &instances, const QString &targetHost);
    // Dropped on a cluster member node (instead of instancesDropped): a member move when the
    // instances are of targetHost, else a move to targetHost placed on that member.
    void instancesDroppedOnMember(
        const QList<canyon::InstanceRef> &instances, const QString &targetHost, const QString &member);

private:
    struct Node;
    Node *nodeFor(const QModelIndex &index) const;
    QModelIndex indexFor(const Node *node, int column) const;
    Node *groupFor(const QString &group) const;
    Node *ensureGroup(const QString &group);
    void removeDevices(Node *group, std::vector<int> rows);
    void deviceChanged(Node *device);
    QVariant deviceData(const Node *node, int column, int role) const;
    QVariant groupData(const Node *node, int column, int role) const;
    QVariant lxdHostData(const Node *node, int column, int role) const;
    QVariant instanceData(const Node *node, int column, int role) const;
    QVariant memberData(const Node *node, int column, int role) const;
    void membersChanged(Node *host); // their instance counts
    template<typename T, typename Name>
    void syncChildren(Node *host, NodeKind kind, const QList<T> &items, Name name, T Node::*field);
    void setLxdHosts(const QList<HostConfig> &hosts, bool *changed);

    std::unique_ptr<Node> m_root;
    QHash<QString, Node *> m_devices;
    QHash<QString, Node *> m_lxdHosts;
};

} // namespace canyon
