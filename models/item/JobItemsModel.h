// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/FleetJob.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace canyon {

// The rows of a fleet job, one per device × snap: the plan before it starts (setPlan), then
// the live items of a FleetJob (setJob), updated with dataChanged on exactly the cells that
// changed. Also the job's report as text, CSV and JSON (canyonctl's field names).
class JobItemsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        DeviceColumn,
        SnapColumn,
        BatchColumn,
        StatusColumn,
        RevisionColumn, // from → to; for "every snap" rows the snaps that move
        ChangeColumn,
        ProgressColumn,
        ErrorColumn,
        ColumnCount
    };

    enum Role {
        SortRole = Qt::UserRole + 1, // raw values: batch and progress as numbers
        StatusRole, // JobItemStatus as int
        ProgressRole, // 0..100, -1 when unknown
        DeviceRole, // raw device name
        SnapRole, // raw snap name ("" = every snap)
    };

    explicit JobItemsModel(QObject *parent = nullptr);

    // A plan (FleetJob::buildPlan): resets the model and detaches it from any job. For rows of
    // every snap (snap ""), changedSnaps holds the expected "name from→to" moves.
    void setPlan(const QList<JobItem> &items);
    // Follows a (started or planned) job: its items replace the rows; itemChanged updates them.
    void setJob(FleetJob *job);
    FleetJob *job() const { return m_job; }
    const QList<JobItem> &items() const { return m_items; }
    void clear();

    // Per-status counts, e.g. "5 done, 1 failed, 3 not started" (translated).
    QString summaryText() const;
    QString toText() const; // a plain-text report, one line per row (for the clipboard)
    QByteArray toCsv() const; // RFC 4180, header row; cells that a spreadsheet would run are quoted off
    QByteArray toJson() const; // {"action", "results": [canyonctl refresh --json rows]}

    static QString statusText(JobItemStatus s); // translated label
    static QString revisionText(const JobItem &it, const QStringList &expected, bool finished);
    static int progressPercent(const JobItem &it); // -1 when unknown

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    void itemChanged(int index);
    QStringList expectedOf(int row) const;

    QPointer<FleetJob> m_job;
    QList<JobItem> m_items; // our copy: what the view was last told
    QHash<QString, QStringList> m_expected; // device -> expected moves of its "every snap" row
    QString m_action;
};

} // namespace canyon
