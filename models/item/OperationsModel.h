// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <optional>
#include <vector>

namespace canyon {

// Running and recent operations of every kind (LXD operations and lifecycle actions now, fleet
// jobs later): one generic row each, keyed by an id its source chooses ("lxd:HOST:UUID", ...).
// Rows change with precise dataChanged; finished rows beyond a limit are dropped, oldest first.
class OperationsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { SourceColumn, TitleColumn, ProgressColumn, StatusColumn, StartedColumn, ColumnCount };
    enum class State { Running, Succeeded, Failed, Cancelled };
    enum Role {
        IdRole = Qt::UserRole + 1,
        StateRole, // State as int
        ProgressRole, // 0..100, -1 unknown
        CancellableRole, // bool: running and its source can cancel it
        SortRole,
    };

    struct Row
    {
        QString id;
        QString source; // host or device name, "fleet", ... (remote text: shown escaped)
        QString title; // what it does ("Stop 3 instances") (may contain remote text)
        int progress = -1; // 0..100, -1 unknown
        QString status; // one line: stage, result, or error (may contain remote text)
        State state = State::Running;
        bool cancellable = false;
        QDateTime started;
        QDateTime updated;
        bool operator==(const Row &) const = default;
    };

    explicit OperationsModel(QObject *parent = nullptr);

    // Inserts a new row (at the top: newest first) or updates the row with the same id.
    void upsert(const Row &row);
    void finish(const QString &id, State state, const QString &status);
    std::optional<Row> row(const QString &id) const;
    int runningCount() const;
    void setFinishedLimit(int limit); // default 200
    void clearFinished();

    static QString stateText(State state);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void runningCountChanged(int running);

private:
    int rowOf(const QString &id) const;
    void reindex();
    void prune();

    std::vector<Row> m_rows; // newest first
    QHash<QString, int> m_index;
    int m_finishedLimit = 200;
    int m_running = 0;
};

} // namespace canyon
