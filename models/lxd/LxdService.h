// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "LxdClient.h"
#include "LxdEventStream.h"
#include "LxdJson.h"
#include "domain/Host.h"
#include "domain/Instance.h"
#include "metrics/MetricSeries.h"

#include <QHash>
#include <QObject>
#include <memory>
#include <optional>

namespace canyon {

class Config;
class FleetService;
struct SshOptions;

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
    MetricSeries diskBytes; // root device usage; EMPTY where the storage backend reports none (dir)
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
    // Hosts reached over SSH (ssh:// addresses) use FleetService's trust files; these two are
    // the same knobs as FleetService's (tests: "none" and a file of their own).
    void setSshConfigFile(const QString &file) { m_sshConfigFile = file; }
    void setUserKnownHostsFile(const QString &file) { m_userKnownHostsFile = file; }
    // SSH hosts have no events websocket (see watchEvents): the poll's interval bounds.
    void setPollLimits(int firstMs, int maxMs);

    // The right client for a host's address: https:// (client certificate, pinned server
    // certificate) or ssh:// (the host's LXD unix socket through an SSH login, Canyon's
    // known_hosts; acceptNewHostKey records an unknown key, as `hosts add` does).
    static LxdClient *makeClient(const HostConfig &host, const Config &config, const SshOptions &sshBase,
        bool acceptNewHostKey, QString *error, QObject *parent = nullptr);
    // What `hosts list` shows as an LXD host's trust, from the configuration alone: "pinned SHA256
    // <hex>" / "certificate not pinned" (HTTPS), "trusted <type> SHA256:..." / "host key not
    // trusted" (SSH: Canyon's known_hosts, then userKnownHosts or ~/.ssh/known_hosts).
    static QString trustState(
        const HostConfig &host, const Config &config, const QString &userKnownHosts = {});

    // GET instances?recursion=1 of each named host (all when empty): instancesRefreshed per host.
    void refreshInstances(const QStringList &hosts = {});
    QList<Instance> instances(const QString &host) const; // last known list

    // Cluster members: GET /1.0/cluster, and where enabled GET /1.0/cluster/members?recursion=1;
    // clusterMembersRefreshed per host (an empty list for a standalone server). A successful
    // refreshInstances() also refreshes them, except for hosts known to be standalone.
    void refreshCluster(const QStringList &hosts = {});
    QList<LxdClusterMember> clusterMembers(const QString &host) const; // last known
    bool isClustered(const QString &host) const; // as last seen (false until known)
    // State of the named instances only (what is visible or charted): instanceStateReady or
    // instanceStateFailed per instance; each sample feeds the instance's metrics.
    void loadState(const QString &host, const QStringList &instances);
    const InstanceMetrics *metrics(const QString &host, const QString &instance) const;
    // The root disk's usage in a state sample (all reported devices when none is named root);
    // nullopt when LXD reported no disk usage (the dir backend): "not reported", not 0.
    static std::optional<qint64> rootDiskUsage(const InstanceState &state);
    void setMetricsCapacity(qsizetype samples) { m_metricsCapacity = samples; }

    // A lifecycle action on one or many instances of one host, run concurrently; actionFinished
    // per instance, then bulkActionFinished with all of them. Returns the bulk id.
    quint64 runAction(
        const QString &host, const QStringList &instances, InstanceAction action, bool force = false);
    void cancelAction(quint64 bulkId); // cancels what LXD may cancel, stops waiting for the rest

    // The host's events websocket: lifecycle events update the named instance precisely
    // (instanceUpdated / instanceRemoved); operation events come as operationUpdated.
    // Hosts over SSH: the websocket would need a raw channel that SshSession does not offer, so
    // their instance list is polled instead (state Polling): every 5 s after a change or an
    // action, doubling to 60 s while nothing changes; one GET of the list per round, never more
    // than one in flight. Actions on SSH hosts re-read their instances when they end.
    void watchEvents(const QString &host, bool on);
    LxdEventStream::State eventStreamState(const QString &host) const;

Q_SIGNALS:
    void instancesRefreshed(
        const QString &host, const QList<canyon::Instance> &instances, const canyon::LxdResult &result);
    void instanceUpdated(const QString &host, const canyon::Instance &instance);
    void clusterMembersRefreshed(
        const QString &host, const QList<canyon::LxdClusterMember> &members, const canyon::LxdResult &result);
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
    void pollHost(const QString &host);
    void refreshOne(const QString &host, const QString &instance);

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
    QString m_sshConfigFile;
    QString m_userKnownHostsFile;
    int m_pollFirstMs = 5000;
    int m_pollMaxMs = 60000;
};

} // namespace canyon

Q_DECLARE_METATYPE(canyon::LxdResult)
Q_DECLARE_METATYPE(canyon::LxdActionResult)
