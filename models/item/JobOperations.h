// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "item/OperationsModel.h"

#include <QHash>
#include <QObject>
#include <QPointer>

namespace canyon {

class FleetJob;

// Fleet jobs as rows of the operations dock (OperationsModel), next to LXD operations: one row
// per started job ("job:N"), with the job's overall progress, its batch / pause / cancel state
// and per-status counts while it runs, and its result when it finishes. cancel(id) cancels the
// job of a row (devices not started stay untouched; running changes are followed to their end).
class JobOperations : public QObject
{
    Q_OBJECT
public:
    explicit JobOperations(OperationsModel *model, QObject *parent = nullptr);

    // Starts following a started (running) job; returns the row id. title: what it does.
    QString track(FleetJob *job, const QString &title);
    bool cancel(const QString &id); // false: not a running job of ours
    FleetJob *jobOf(const QString &id) const;
    static bool isJobId(const QString &id) { return id.startsWith(QLatin1String("job:")); }
    static QString describe(const FleetJob &job); // "Refresh mosquitto on 20 devices"

private:
    void update(const QString &id);
    void finished(const QString &id);

    QPointer<OperationsModel> m_model;
    QHash<QString, QPointer<FleetJob>> m_jobs;
    int m_next = 1;
};

} // namespace canyon
