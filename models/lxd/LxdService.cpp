// SPDX-License-Identifier: GPL-3.0-or-later
#include "LxdService.h"

#include "LxdSshTransport.h"
#include "fleet/FleetService.h"
#include "ssh/KnownHosts.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <optional>

using namespace Qt::StringLiterals;

namespace canyon {

struct LxdService::HostState
{
    HostConfig config;
    std::unique_ptr<LxdClient> client;
    std::unique_ptr<LxdEventStream> events;
    QList<Instance> instances;
    QHash<QString, std::shared_ptr<InstanceMetrics>> metrics;
    std::optional<bool> clustered; // unknown until GET /1.0/cluster answered
    QList<LxdClusterMember> members;
    bool clusterInFlight = false;
    // One instance list in flight per host (a huge answer is then held once); a refresh asked
    // for meanwhile runs once more when it ends, so no caller gets a list older than its call.
    bool listInFlight = false;
    bool listAgain = false;
};

LxdService::LxdService(FleetService *fleet, QObject *parent)
    : QObject(parent)
    , m_fleet(fleet)
{
    qRegisterMetaType<Instance>();
    qRegisterMetaType<InstanceState>();
    qRegisterMetaType<Operation>();
    qRegisterMetaType<LxdEvent>();
    qRegisterMetaType<LxdResult>();
    qRegisterMetaType<LxdActionResult>();
    qRegisterMetaType<LxdClusterMember>();
    qRegisterMetaType<QList<LxdClusterMember>>();
    // A host whose settings changed (removed, re-pinned) gets a fresh client on next use.
    connect(fleet, &FleetService::hostsChanged, this, [this] {
        for (auto it = m_hosts.begin(); it != m_hosts.end();) {
            const auto h = m_fleet->host(it.key());
            if (!h || *h != it.value()->config)
                it = m_hosts.erase(it);
            else
                ++it;
        }
    });
}

LxdService::~LxdService() = default;

QStringList LxdService::hostNames() const
{
    QStringList out;
    for (const HostConfig &h : m_fleet->hosts())
        if (h.kind == HostKind::Lxd)
            out << h.name;
    return out;
}

void LxdService::setTimeoutMs(int ms)
{
    m_timeoutMs = ms;
    for (const auto &h : std::as_const(m_hosts))
        if (h->client)
            h->client->setTimeoutMs(ms);
}

void LxdService::setPollLimits(int firstMs, int maxMs)
{
    m_pollFirstMs = firstMs;
    m_pollMaxMs = maxMs;
}

LxdClient *LxdService::makeClient(const HostConfig &host, const Config &config, const SshOptions &sshBase,
    bool acceptNewHostKey, QString *error, QObject *parent)
{
    if (LxdSshEndpoint::isSshUrl(host.lxdUrl)) {
        LxdSshEndpoint e;
        if (!LxdSshEndpoint::parseUrl(host.lxdUrl, &e, error))
            return nullptr;
        SshOptions o = sshBase;
        o.target = e.target;
        o.identityFile = host.identityFile;
        o.knownHostsFile = config.knownHostsFile();
        o.acceptNewHostKey = acceptNewHostKey;
        const QString socket
            = e.socketPath.isEmpty() ? LxdSshEndpoint::defaultSocketPaths().constFirst() : e.socketPath;
        auto *transport = new LxdSshTransport(o, socket);
        return new LxdClient(transport, QUrl(host.lxdUrl), parent);
    }
    LxdClientCertificate identity;
    if (!LxdClientCertificate::ensure(config.configDir(), &identity, error))
        return nullptr;
    return new LxdClient(QUrl(host.lxdUrl), host.lxdCertificateSha256, identity, parent);
}

QString LxdService::trustState(const HostConfig &host, const Config &config, const QString &userKnownHosts)
{
    if (!LxdSshEndpoint::isSshUrl(host.lxdUrl))
        return host.lxdCertificateSha256.isEmpty() ? u"certificate not pinned"_s
                                                   : u"pinned SHA256 "_s + host.lxdCertificateSha256;
    LxdSshEndpoint e;
    QString error;
    if (!LxdSshEndpoint::parseUrl(host.lxdUrl, &e, &error))
        return u"invalid address"_s;
    HostKeyInfo info;
    if (knownKeyFor(knownHostsName(e.target.host.toUtf8(), unsigned(qMax(e.target.port, 0))),
            { config.knownHostsFile(),
                userKnownHosts.isEmpty() ? QDir::homePath() + u"/.ssh/known_hosts"_s : userKnownHosts },
            &info))
        return u"trusted host key %1 %2"_s.arg(info.knownKeyType, info.knownSha256);
    return u"host key not trusted"_s;
}

LxdService::HostState *LxdService::hostState(const QString &host, QString *error)
{
    if (const auto it = m_hosts.constFind(host); it != m_hosts.constEnd())
        return it->get();
    const std::optional<HostConfig> cfg = m_fleet->host(host);
    if (!cfg || cfg->kind != HostKind::Lxd) {
        if (error)
            *error = u"no LXD host named %1"_s.arg(host);
        return nullptr;
    }
    SshOptions base;
    base.sshConfigFile = m_sshConfigFile;
    base.userKnownHostsFile = m_userKnownHostsFile;
    LxdClient *client = makeClient(*cfg, m_fleet->config(), base, false, error);
    if (!client)
        return nullptr;
    auto h = std::make_shared<HostState>();
    h->config = *cfg;
    h->client.reset(client);
    h->client->setTimeoutMs(m_timeoutMs);
    connect(h->client.get(), &LxdClient::operationUpdated, this,
        [this, host](const Operation &op) { Q_EMIT operationUpdated(host, op); });
    m_hosts.insert(host, h);
    return h.get();
}

LxdClient *LxdService::client(const QString &host, QString *error)
{
    HostState *h = hostState(host, error);
    return h ? h->client.get() : nullptr;
}

void LxdService::refreshInstances(const QStringList &hosts)
{
    const QStringList names = hosts.isEmpty() ? hostNames() : hosts;
    for (const QString &name : names) {
        QString error;
        HostState *h = hostState(name, &error);
        if (!h) {
            LxdResult r;
            r.kind = LxdResultKind::Failed;
            r.error = error;
            // queued: a caller connecting after this call still hears about it
            QMetaObject::invokeMethod(
                this, [this, name, r] { Q_EMIT instancesRefreshed(name, {}, r); }, Qt::QueuedConnection);
            continue;
        }
        if (h->listInFlight) {
            h->listAgain = true;
            continue;
        }
        h->listInFlight = true;
        std::weak_ptr<HostState> weak = m_hosts.value(name);
        h->client->fetchInstances([this, name, weak](const LxdResult &r, const QList<Instance> &list,
                                      const QList<InstanceState> &) {
            const auto hs = weak.lock();
            if (hs && r.ok())
                hs->instances = list;
            if (hs)
                hs->listInFlight = false;
            if (hs && std::exchange(hs->listAgain, false))
                QMetaObject::invokeMethod(
                    this, [this, name] { refreshInstances({ name }); }, Qt::QueuedConnection);
            Q_EMIT instancesRefreshed(name, list, r);
            if (hs && r.ok() && hs->clustered.value_or(true))
                refreshCluster({ name }); // members (and their status) along with the list
        });
    }
}

QList<Instance> LxdService::instances(const QString &host) const
{
    const auto h = m_hosts.value(host);
    return h ? h->instances : QList<Instance>();
}

void LxdService::refreshCluster(const QStringList &hosts)
{
    const QStringList names = hosts.isEmpty() ? hostNames() : hosts;
    for (const QString &name : names) {
        QString error;
        HostState *h = hostState(name, &error);
        if (!h) {
            LxdResult r;
            r.kind = LxdResultKind::Failed;
            r.error = error;
            QMetaObject::invokeMethod(
                this, [this, name, r] { Q_EMIT clusterMembersRefreshed(name, {}, r); }, Qt::QueuedConnection);
            continue;
        }
        if (h->clusterInFlight)
            continue; // one round at a time: its answer serves this call too
        h->clusterInFlight = true;
        const std::weak_ptr<HostState> weak = m_hosts.value(name);
        auto finish = [this, name, weak](const LxdResult &r, std::optional<bool> clustered,
                          const QList<LxdClusterMember> &members) {
            const auto hs = weak.lock();
            if (!hs)
                return;
            hs->clusterInFlight = false;
            if (r.ok()) {
                hs->clustered = clustered;
                hs->members = members;
            }
            Q_EMIT clusterMembersRefreshed(name, r.ok() ? members : hs->members, r);
        };
        h->client->request("GET", u"/1.0/cluster"_s, {}, [weak, finish](LxdResult r, const QJsonObject &env) {
            const auto hs = weak.lock();
            if (!hs)
                return;
            if (!r.ok())
                return finish(r, std::nullopt, {});
            const QJsonValue md = env.value(u"metadata"_s);
            if (!md.isObject() || !md.toObject().value(u"enabled"_s).isBool()) {
                r.kind = LxdResultKind::Failed;
                r.error = u"malformed LXD cluster: metadata is not an object with \"enabled\""_s;
                return finish(r, std::nullopt, {});
            }
            if (!clusterFromJson(md.toObject()).enabled)
                return finish(r, false, {});
            hs->client->request("GET", u"/1.0/cluster/members?recursion=1"_s, {},
                [finish](LxdResult r2, const QJsonObject &env2) {
                    QList<LxdClusterMember> members;
                    if (r2.ok() && !clusterMembersFromJson(env2.value(u"metadata"_s), &members, &r2.error))
                        r2.kind = LxdResultKind::Failed;
                    finish(r2, true, members);
                });
        });
    }
}

QList<LxdClusterMember> LxdService::clusterMembers(const QString &host) const
{
    const auto h = m_hosts.value(host);
    return h ? h->members : QList<LxdClusterMember>();
}

bool LxdService::isClustered(const QString &host) const
{
    const auto h = m_hosts.value(host);
    return h && h->clustered.value_or(false);
}

void LxdService::recordState(HostState &h, const QString &instance, const InstanceState &s)
{
    auto &m = h.metrics[instance];
    if (!m)
        m = std::make_shared<InstanceMetrics>(m_metricsCapacity);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    double rate = 0;
    if (m->cpuRate.feed(now, s.cpuUsageNs, &rate))
        m->cpuPercent.append(now, rate);
    m->memoryBytes.append(now, double(s.memoryUsage));
    qint64 rx = 0, tx = 0;
    for (const InstanceNetwork &n : s.networks) {
        if (n.type == u"loopback")
            continue;
        rx += n.bytesReceived;
        tx += n.bytesSent;
    }
    if (m->rxRate.feed(now, rx, &rate))
        m->rxBytesPerSec.append(now, rate);
    if (m->txRate.feed(now, tx, &rate))
        m->txBytesPerSec.append(now, rate);
    // Disk: the root device's usage (a gauge, not a counter). Backends that cannot tell (the dir
    // pool without project quotas) leave "disk" empty: then no sample at all, never a 0.
    if (const std::optional<qint64> used = rootDiskUsage(s))
        m->diskBytes.append(now, double(*used));
}

std::optional<qint64> LxdService::rootDiskUsage(const InstanceState &s)
{
    for (const InstanceDisk &d : s.disks)
        if (d.device == u"root")
            return d.usage;
    if (s.disks.isEmpty())
        return std::nullopt;
    qint64 sum = 0; // no device named root: what the backend reported, together
    for (const InstanceDisk &d : s.disks)
        sum += d.usage;
    return sum;
}

void LxdService::loadState(const QString &host, const QStringList &instances)
{
    QString error;
    HostState *h = hostState(host, &error);
    for (const QString &name : instances) {
        if (!h) {
            LxdResult r;
            r.kind = LxdResultKind::Failed;
            r.error = error;
            QMetaObject::invokeMethod(
                this, [this, host, name, r] { Q_EMIT instanceStateFailed(host, name, r); },
                Qt::QueuedConnection);
            continue;
        }
        std::weak_ptr<HostState> weak = m_hosts.value(host);
        h->client->fetchState(name, [this, host, name, weak](const LxdResult &r, const InstanceState &s) {
            if (!r.ok())
                return Q_EMIT instanceStateFailed(host, name, r);
            if (const auto hs = weak.lock())
                recordState(*hs, name, s);
            Q_EMIT instanceStateReady(host, name, s);
        });
    }
}

const InstanceMetrics *LxdService::metrics(const QString &host, const QString &instance) const
{
    const auto h = m_hosts.value(host);
    return h ? h->metrics.value(instance).get() : nullptr;
}

quint64 LxdService::runAction(
    const QString &host, const QStringList &instances, InstanceAction action, bool force)
{
    const quint64 bulkId = m_nextBulk++;
    Bulk &b = m_bulks[bulkId];
    b.host = host;
    b.expected = int(instances.size());
    QString error;
    HostState *h = hostState(host, &error);
    auto finishOne = [this, bulkId](const LxdActionResult &ar) {
        auto it = m_bulks.find(bulkId);
        if (it == m_bulks.end())
            return;
        it->results << ar;
        Q_EMIT actionFinished(ar);
        if (it->results.size() >= it->expected) {
            const QList<LxdActionResult> all = it->results;
            m_bulks.erase(it);
            Q_EMIT bulkActionFinished(bulkId, all);
        }
    };
    if (instances.isEmpty()) {
        QMetaObject::invokeMethod(
            this,
            [this, bulkId] {
                m_bulks.remove(bulkId);
                Q_EMIT bulkActionFinished(bulkId, {});
            },
            Qt::QueuedConnection);
        return bulkId;
    }
    for (const QString &name : instances) {
        LxdActionResult base;
        base.bulkId = bulkId;
        base.host = host;
        base.instance = name;
        base.action = action;
        if (!h) {
            base.result.kind = LxdResultKind::Failed;
            base.result.error = error;
            QMetaObject::invokeMethod(
                this, [finishOne, base] { finishOne(base); }, Qt::QueuedConnection);
            continue;
        }
        const bool polled = h->client->isSsh();
        const quint64 id = h->client->runAction(
            name, action, force, [this, finishOne, base, polled](const LxdResult &r, const Operation &op) {
                LxdActionResult ar = base;
                ar.result = r;
                ar.operation = op;
                // no events over SSH: what the action changed is read back at once
                if (polled && r.kind != LxdResultKind::RefusedTrust && r.kind != LxdResultKind::Unreachable) {
                    refreshOne(base.host, base.instance);
                    if (const auto hs = m_hosts.value(base.host); hs && hs->events)
                        hs->events->pollSoon();
                }
                finishOne(ar);
            });
        b.requests.append({ name, id });
    }
    return bulkId;
}

void LxdService::cancelAction(quint64 bulkId)
{
    const auto it = m_bulks.constFind(bulkId);
    if (it == m_bulks.constEnd())
        return;
    const auto h = m_hosts.value(it->host);
    if (!h)
        return;
    const auto requests = it->requests;
    for (const auto &[name, id] : requests)
        h->client->cancel(id);
}

void LxdService::watchEvents(const QString &host, bool on)
{
    QString error;
    HostState *h = hostState(host, &error);
    if (!h)
        return;
    if (!on) {
        if (h->events)
            h->events->stop();
        return;
    }
    if (!h->events && h->client->isSsh()) {
        h->events = std::make_unique<LxdEventStream>(m_pollFirstMs, m_pollMaxMs);
        connect(h->events.get(), &LxdEventStream::stateChanged, this,
            [this, host](LxdEventStream::State s, const QString &reason) {
                Q_EMIT eventStreamChanged(host, s, reason);
            });
        connect(h->events.get(), &LxdEventStream::pollDue, this, [this, host] { pollHost(host); });
    }
    if (!h->events) {
        h->events = std::make_unique<LxdEventStream>(
            h->client->url(), h->client->pinnedSha256(), h->client->sslConfiguration());
        connect(h->events.get(), &LxdEventStream::eventReceived, this,
            [this, host](const LxdEvent &e) { onEvent(host, e); });
        connect(h->events.get(), &LxdEventStream::stateChanged, this,
            [this, host](LxdEventStream::State s, const QString &reason) {
                Q_EMIT eventStreamChanged(host, s, reason);
            });
        // events were missed while the socket was down: one list catches up (not a poll loop)
        connect(h->events.get(), &LxdEventStream::reconnected, this,
            [this, host] { refreshInstances({ host }); });
    }
    h->events->start();
}

void LxdService::pollHost(const QString &host)
{
    const std::weak_ptr<HostState> weak = m_hosts.value(host);
    const auto hs = weak.lock();
    if (!hs)
        return;
    hs->client->fetchInstances(
        [this, host, weak](const LxdResult &r, const QList<Instance> &list, const QList<InstanceState> &) {
            const auto h = weak.lock();
            if (!h)
                return;
            const bool changed = r.ok() && list != h->instances;
            if (r.ok())
                h->instances = list;
            if (changed || !r.ok())
                Q_EMIT instancesRefreshed(host, list, r);
            if (h->events)
                h->events->pollFinished(changed);
        });
}

void LxdService::refreshOne(const QString &host, const QString &name)
{
    const std::weak_ptr<HostState> weak = m_hosts.value(host);
    const auto hs = weak.lock();
    if (!hs)
        return;
    hs->client->fetchInstance(name, [this, host, name, weak](const LxdResult &r, const Instance &i) {
        const auto h = weak.lock();
        if (!h)
            return;
        if (r.lxdErrorCode == 404) {
            h->metrics.remove(name);
            h->instances.removeIf([&](const Instance &x) { return x.name == name; });
            return Q_EMIT instanceRemoved(host, name);
        }
        if (!r.ok())
            return;
        bool found = false;
        for (Instance &x : h->instances) {
            if (x.name == i.name) {
                x = i;
                found = true;
            }
        }
        if (!found)
            h->instances << i;
        Q_EMIT instanceUpdated(host, i);
    });
}

LxdEventStream::State LxdService::eventStreamState(const QString &host) const
{
    const auto h = m_hosts.value(host);
    return h && h->events ? h->events->state() : LxdEventStream::State::Stopped;
}

void LxdService::onEvent(const QString &host, const LxdEvent &e)
{
    Q_EMIT eventReceived(host, e);
    if (e.operation) {
        Q_EMIT operationUpdated(host, *e.operation);
        return;
    }
    if (e.type == u"lifecycle" && e.action.startsWith(u"cluster-member-")) {
        refreshCluster({ host }); // added, removed, renamed, updated (evacuations included)
        return;
    }
    if (e.type != u"lifecycle" || e.instance.isEmpty() || !e.action.startsWith(u"instance-"))
        return;
    const std::weak_ptr<HostState> weak = m_hosts.value(host);
    if (e.action == u"instance-deleted") {
        if (const auto hs = weak.lock()) {
            hs->metrics.remove(e.instance);
            hs->instances.removeIf([&](const Instance &i) { return i.name == e.instance; });
        }
        return Q_EMIT instanceRemoved(host, e.instance);
    }
    if (e.action == u"instance-renamed") { // the old name is gone; the new one arrives by list
        refreshInstances({ host });
        return;
    }
    // Precise update: one GET of the instance the event names, not a re-list of the host.
    refreshOne(host, e.instance);
}

} // namespace canyon
