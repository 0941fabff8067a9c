// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "domain/Instance.h"

#include <QAbstractTableModel>
#include <QHash>
#include <functional>
#include <optional>
#include <vector>

namespace canyon {

// Instances of one or more LXD hosts, one row per (host, instance). Fed by plain values:
// setInstances() for a host is a diff keyed by name (rows inserted, removed, or dataChanged;
// never a reset), states and rates arrive per instance as they are loaded.
class InstancesTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        TypeColumn,
        StatusColumn,
        Ipv4Column,
        Ipv6Column,
        CpuColumn,
        MemoryColumn,
        RxColumn,
        TxColumn,
        ProfilesColumn,
        CreatedColumn,
        LocationColumn,
        HostColumn,
        ResultColumn, // the last lifecycle action run from Canyon, and how it ended
        ColumnCount
    };

    enum Role {
        SortRole = Qt::UserRole + 1, // raw values (numbers as numbers)
        NameRole, // raw instance name
        HostRole, // raw host name
        StatusCodeRole, // LXD status code (103 running, 102 stopped, 110 frozen)
        HasStateRole, // bool: a state sample is known
        ActionFailedRole, // bool: the last action failed
    };

    // Rates derived from cumulative counters (metrics/CounterRate); unknown ones stay empty.
    struct Rates
    {
        std::optional<double> cpuPercent;
        std::optional<double> rxBytesPerSec;
        std::optional<double> txBytesPerSec;
        bool operator==(const Rates &) const = default;
    };

    explicit InstancesTableModel(QObject *parent = nullptr);

    // The shown hosts: rows of hosts not listed are removed, a listed host without a list yet
    // has no rows. Order of rows: per host in the order given, instances as listed.
    void setHosts(const QStringList &hosts);
    QStringList hosts() const { return m_hosts; }
    void setInstances(const QString &host, const QList<Instance> &instances); // ignored for hosts not shown
    void updateInstance(const QString &host, const Instance &instance); // inserts when new
    void removeInstance(const QString &host, const QString &name);
    void setState(
        const QString &host, const QString &name, const InstanceState &state, const Rates &rates = {});
    void setActionRunning(const QString &host, const QString &name, const QString &text);
    void setActionResult(const QString &host, const QString &name, const QString &text, bool failed);

    QModelIndex indexOf(const QString &host, const QString &name, int column = NameColumn) const;
    std::optional<Instance> instance(const QString &host, const QString &name) const;
    QStringList names(const QString &host) const;

    static QString formatBytes(double bytes); // "12.3 MiB"
    static QString formatRate(double bytesPerSec); // "1.2 KiB/s"

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    // Rows drag out as instancesMimeType() (item/InstanceDrag.h) onto hosts of the fleet tree.
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    Qt::DropActions supportedDragActions() const override;

private:
    struct Row
    {
        QString host;
        Instance instance;
        std::optional<InstanceState> state;
        Rates rates;
        QString action; // last action text ("" = none)
        bool actionRunning = false;
        bool actionFailed = false;
    };
    static QString key(const QString &host, const QString &name) { return host + QChar(0) + name; }
    int rowOf(const QString &host, const QString &name) const;
    void rebuildIndex(int from = 0);
    void rowChanged(int row, int firstColumn = 0, int lastColumn = ColumnCount - 1);
    void removeRowsWhere(const std::function<bool(const Row &)> &pred);
    int insertPosition(const QString &host) const; // after the host's last row, in host order
    QVariant displayData(const Row &r, int column) const;
    QVariant sortData(const Row &r, int column) const;

    QStringList m_hosts;
    std::vector<Row> m_rows;
    QHash<QString, int> m_index; // key -> row
};

} // namespace canyon
