// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "domain/Device.h"

#include <QAbstractTableModel>

namespace canyon {

// The installed snaps (one row per installed revision) of one device.
// setInventory() for the same device applies a diff keyed by (name, revision): rows that
// appeared are inserted, rows that vanished are removed, changed rows get dataChanged, and the
// model is never reset. Only switching to another device resets it.
class SnapsTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        VersionColumn,
        RevisionColumn,
        ChannelColumn,
        PublisherColumn,
        NotesColumn,
        UpdateColumn,
        ColumnCount
    };

    enum Role {
        SortRole = Qt::UserRole + 1, // raw values: revisions numerically where numeric
        NameRole, // raw snap name
        RevisionRole, // raw revision string ("" where the dialect has none)
        ActiveRole, // bool
        UpdateKnowledgeRole, // UpdateKnowledge as int
    };

    explicit SnapsTableModel(QObject *parent = nullptr);

    void setInventory(const DeviceInventory &inventory);
    void clear();
    QString device() const { return m_device; }
    const SnapList &snaps() const { return m_snaps; }

    static QString updateText(const Snap &snap); // "→ 1.2 (r31)", "—" (none), "?" (unknown)
    static QString notesText(const Snap &snap); // "active, held", "disabled", ...

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    static QString rowKey(const Snap &snap);

    QString m_device; // empty: no device shown
    bool m_hasDevice = false;
    SnapList m_snaps;
    QString m_refreshError; // why updates are unknown, for tooltips
};

} // namespace canyon
