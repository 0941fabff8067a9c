// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "LxdClient.h"
#include "LxdEventStream.h"
#include "domain/Instance.h"
#include "metrics/MetricSeries.h"

#include <QHash>
#include <QObject>
#include <memory>

namespace canyon {

class FleetService;

// One instance's live metrics, fed by every state sample (loadState). Views draw the series.
struct InstanceMetrics
{
    explicit InstanceMetrics(qsizetype capacity = 3600)
        : cpuPercent(capacity)
        , memoryBytes(capacity)
        , rxBytesPerSec(capacity)
        , txBytesPerSec(capacity)
        , diskBytes(capacity)
    {
    }
    MetricSeries cpuPercent; // % of one CPU
    MetricSeries memoryBytes;
    MetricSeries rxBytesPerSec; // all non-loopback interfaces
    MetricSeries txBytesPerSec;
    MetricSeries diskBytes; // sum over disk devices
    CounterRate cpuRate { CounterRate::cpuPercentScale };
    CounterRate rxRate;
    CounterRate txRate;
};

// The end of one instance's lifecycle action (bulk actions give one per instance).
struct LxdActionResult
{
    quint64 bulkId = 0;
    QString host;
    QString instance;
    InstanceAction action = InstanceAction::Start;
    LxdResult result;
    Operation operation; // the final operation as LXD reported it (id empty if none started)
};

// LXD hosts of the fleet (FleetService's hosts of kind Lxd, persisted there). GUI thread.
// Results come back as signals with plain values; nothing here blocks.
class LxdService : public QObject
{
    Q_OBJECT
public:
    explicit LxdService(FleetService *fleet, QObject *parent = nullptr);
    ~LxdService() override;

    QStringList hostNames() const; // the LXD hosts, in configuration order
    // The host's client (created on first use with the pinned certificate); nullptr with *error
    // when the host is unknown, not LXD, or the client certificate cannot be loaded/generated.
    LxdClient *client(const QString &host, QString *error = nullptr);
    void setTimeoutMs(int ms);

    // GET instances?recursion=1 of each named host (all when empty): instancesRefreshed per host.
    void refreshInstances(const QStringList &hosts = {});
    QList<Instance> instances(const QString &host) const; // last known list
    // State of the named instances only (what is visible or charted): instanceStateReady or
    // instanceStateFailed per instance; each sample feeds the instance's metrics.
    void loadState(const QString &host, const QStringList &instances);
    const InstanceMetrics *metrics(const QString &host, const QString &instance) const;
    void setMetricsCapacity(qsizetype samples) { m_metricsCapacity = samples; }

    // A lifecycle action on one or many instances of one host, run concurrently; actionFinished
    // per instance, then bulkActionFinished with all of them. Returns the bulk id.
    quint64 runAction(
        const QString &host, const QStringList &instances, InstanceAction action, bool force = false);
    void cancelAction(quint64 bulkId); // cancels what LXD may cancel, stops waiting for the rest

    // The host's events websocket: lifecycle events update the named instance precisely
    // (instanceUpdated / instanceRemoved); operation events come as operationUpdated.
    void watchEvents(const QString &host, bool on);
    LxdEventStream::State eventStreamState(const QString &host) const;

Q_SIGNALS:
    void instancesRefreshed(
        const QString &host, const QList<canyon::Instance> &instances, const canyon::LxdResult &result);
    void instanceUpdated(const QString &host, const canyon::Instance &instance);
    void instanceRemoved(const QString &host, const QString &instance);
    void instanceStateReady(const QString &host, const QString &instance, const canyon::InstanceState &state);
    void instanceStateFailed(const QString &host, const QString &instance, const canyon::LxdResult &result);
    void operationUpdated(const QString &host, const canyon::Operation &operation);
    void actionFinished(const canyon::LxdActionResult &result);
    void bulkActionFinished(quint64 bulkId, const QList<canyon::LxdActionResult> &results);
    void eventReceived(const QString &host, const canyon::LxdEvent &event);
    void eventStreamChanged(const QString &host, canyon::LxdEventStream::State state, const QString &reason);

private:
    struct HostState;
    HostState *hostState(const QString &host, QString *error);
    void onEvent(const QString &host, const LxdEvent &event);
    void recordState(HostState &h, const QString &instance, const InstanceState &state);

    FleetService *m_fleet;
    QHash<QString, std::shared_ptr<HostState>> m_hosts;
    struct Bulk
    {
        QString host;
        QList<std::pair<QString, quint64>> requests; // instance, client action id
        QList<LxdActionResult> results;
        int expected = 0;
    };
    QHash<quint64, Bulk> m_bulks;
    quint64 m_nextBulk = 1;
    int m_timeoutMs = 15000;
    qsizetype m_metricsCapacity = 3600;
};

} // namespace canyon

Q_DECLARE_METATYPE(canyon::LxdResult)
Q_DECLARE_METATYPE(canyon::LxdActionResult)
