// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "domain/Device.h"
#include "lxd/LxdClient.h"
#include "lxd/LxdEventStream.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>

class QTimer;

namespace canyon {

class FleetService;
class FleetTreeModel;
class InstancesTableModel;
class LxdService;
class OperationsModel;
struct LxdActionResult;

// Wires the LXD service to the console's item models: host lists and events into the fleet
// tree and the instances table, operations and lifecycle actions into the operations model,
// and periodic state loads for only what is visible or charted. No widgets.
class LxdConsole : public QObject
{
    Q_OBJECT
public:
    using Key = std::pair<QString, QString>; // host, instance

    LxdConsole(FleetService *fleet, LxdService *service, FleetTreeModel *tree, InstancesTableModel *instances,
        OperationsModel *operations, QObject *parent = nullptr);

    LxdService *service() const { return m_service; }
    InstancesTableModel *instancesModel() const { return m_instances; }

    void start(); // refresh every LXD host and watch its events
    void refresh(const QStringList &hosts = {});
    void setShownHosts(const QStringList &hosts); // the instances table shows these hosts
    // State is loaded every few seconds for these only (running instances).
    void setVisibleInstances(const QList<Key> &keys);
    void setChartedInstances(const QList<Key> &keys);
    void setStateInterval(int ms);

    // Runs the action per host on the given instances; returns the operations rows started.
    QStringList runAction(const QList<Key> &instances, InstanceAction action, bool force);
    bool cancel(const QString &operationRowId); // false when it cannot be cancelled
    QStringList runningActionRows(const QList<Key> &instances) const;

    static QString actionText(InstanceAction action, bool force); // "Force stop"
    static DeviceStatus hostStatusFor(const LxdResult &result);

Q_SIGNALS:
    void problem(const QString &title, const QString &text); // to show loudly (plain text)
    void bulkFinished(const QString &operationRowId, int ok, int failed);

private:
    void hostsChanged();
    void onInstancesRefreshed(const QString &host, const QList<Instance> &list, const LxdResult &result);
    void onStateReady(const QString &host, const QString &name, const InstanceState &state);
    void onActionFinished(const LxdActionResult &result);
    void onBulkFinished(quint64 bulkId, const QList<LxdActionResult> &results);
    void onOperation(const QString &host, const Operation &op);
    void onEventStream(const QString &host, LxdEventStream::State state, const QString &reason);
    void reportResult(const QString &host, const LxdResult &result);
    void loadStates();

    FleetService *m_fleet;
    LxdService *m_service;
    FleetTreeModel *m_tree;
    InstancesTableModel *m_instances;
    OperationsModel *m_operations;
    QTimer *m_stateTimer;
    QList<Key> m_visible;
    QList<Key> m_charted;
    QSet<Key> m_loading; // state requests in flight
    QSet<QString> m_watching;
    QSet<QString> m_mismatchReported;
    struct Bulk
    {
        QString host;
        QString title;
        InstanceAction action = InstanceAction::Start;
        bool force = false;
        QStringList names;
        int done = 0;
        int failed = 0;
    };
    QHash<quint64, Bulk> m_bulks;
};

} // namespace canyon
