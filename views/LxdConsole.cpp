// SPDX-License-Identifier: GPL-3.0-or-later
#include "LxdConsole.h"

#include "domain/PlainText.h"
#include "fleet/FleetService.h"
#include "item/FleetTreeModel.h"
#include "item/InstancesTableModel.h"
#include "item/OperationsModel.h"
#include "lxd/LxdService.h"

#include <QTimer>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

QString bulkRowId(quint64 id)
{
    return u"lxd-bulk:"_s + QString::number(id);
}

std::optional<double> lastOf(const MetricSeries &s)
{
    if (s.isEmpty())
        return std::nullopt;
    return s.last().value;
}

} // namespace

LxdConsole::LxdConsole(FleetService *fleet, LxdService *service, FleetTreeModel *tree,
    InstancesTableModel *instances, OperationsModel *operations, QObject *parent)
    : QObject(parent)
    , m_fleet(fleet)
    , m_service(service)
    , m_tree(tree)
    , m_instances(instances)
    , m_operations(operations)
    , m_stateTimer(new QTimer(this))
{
    m_stateTimer->setInterval(2000);
    connect(m_stateTimer, &QTimer::timeout, this, &LxdConsole::loadStates);
    m_stateTimer->start(); // loads nothing while nothing is visible or charted
    connect(m_fleet, &FleetService::hostsChanged, this, &LxdConsole::hostsChanged);
    connect(m_service, &LxdService::instancesRefreshed, this, &LxdConsole::onInstancesRefreshed);
    connect(m_service, &LxdService::instanceUpdated, this, [this](const QString &host, const Instance &i) {
        m_tree->updateInstance(host, i);
        m_instances->updateInstance(host, i);
    });
    connect(m_service, &LxdService::instanceRemoved, this, [this](const QString &host, const QString &name) {
        m_tree->removeInstance(host, name);
        m_instances->removeInstance(host, name);
    });
    connect(m_service, &LxdService::clusterMembersRefreshed, this,
        [this](const QString &host, const QList<LxdClusterMember> &members, const LxdResult &r) {
            if (r.ok()) // a failed round keeps the members last seen
                m_tree->setClusterMembers(host, members);
        });
    connect(m_service, &LxdService::instanceStateReady, this, &LxdConsole::onStateReady);
    connect(m_service, &LxdService::instanceStateFailed, this,
        [this](const QString &host, const QString &name, const LxdResult &r) {
            m_loading.remove({ host, name });
            if (r.kind == LxdResultKind::RefusedTrust || r.kind == LxdResultKind::Unreachable)
                reportResult(host, r);
        });
    connect(m_service, &LxdService::actionFinished, this, &LxdConsole::onActionFinished);
    connect(m_service, &LxdService::bulkActionFinished, this, &LxdConsole::onBulkFinished);
    connect(m_service, &LxdService::operationUpdated, this, &LxdConsole::onOperation);
    connect(m_service, &LxdService::eventStreamChanged, this, &LxdConsole::onEventStream);
}

void LxdConsole::start()
{
    hostsChanged(); // watches and lists every host not seen yet
}

void LxdConsole::setStateInterval(int ms)
{
    m_stateTimer->setInterval(ms);
}

void LxdConsole::hostsChanged()
{
    const QStringList hosts = m_service->hostNames();
    for (const QString &h : hosts) {
        if (!m_watching.contains(h)) {
            m_watching.insert(h);
            m_service->watchEvents(h, true);
            m_service->refreshInstances({ h });
        }
    }
    const QSet<QString> watching = m_watching;
    for (const QString &h : watching) {
        if (!hosts.contains(h)) {
            m_watching.remove(h);
            m_mismatchReported.remove(h);
        }
    }
}

void LxdConsole::refresh(const QStringList &hosts)
{
    const QStringList names = hosts.isEmpty() ? m_service->hostNames() : hosts;
    if (names.isEmpty())
        return;
    for (const QString &h : names)
        if (m_tree->lxdHostStatus(h) == DeviceStatus::NotYetContacted)
            m_tree->setLxdHostStatus(h, DeviceStatus::Refreshing);
    m_service->refreshInstances(names);
}

void LxdConsole::setShownHosts(const QStringList &hosts)
{
    const QStringList before = m_instances->hosts();
    m_instances->setHosts(hosts);
    for (const QString &h : hosts)
        if (!before.contains(h))
            m_instances->setInstances(h, m_service->instances(h));
}

void LxdConsole::setVisibleInstances(const QList<Key> &keys)
{
    const bool grew = !keys.isEmpty() && keys != m_visible;
    m_visible = keys;
    if (grew)
        QTimer::singleShot(0, this, &LxdConsole::loadStates); // what just scrolled in, now
}

void LxdConsole::setChartedInstances(const QList<Key> &keys)
{
    const bool grew = !keys.isEmpty() && keys != m_charted;
    m_charted = keys;
    if (grew)
        QTimer::singleShot(0, this, &LxdConsole::loadStates);
}

void LxdConsole::loadStates()
{
    QHash<QString, QStringList> byHost;
    QSet<Key> seen;
    for (const QList<Key> *list : { &m_visible, &m_charted }) {
        for (const Key &k : *list) {
            if (seen.contains(k) || m_loading.contains(k))
                continue;
            seen.insert(k);
            // stopped instances have no metrics; their addresses are gone too
            const auto known = m_instances->instance(k.first, k.second);
            int code = known ? known->statusCode : 0;
            if (!known) { // charted but not in the table: the service's last list
                for (const Instance &i : m_service->instances(k.first))
                    if (i.name == k.second)
                        code = i.statusCode;
            }
            if (code != 103)
                continue;
            byHost[k.first] << k.second;
        }
    }
    for (auto it = byHost.cbegin(); it != byHost.cend(); ++it) {
        for (const QString &n : it.value())
            m_loading.insert({ it.key(), n });
        m_service->loadState(it.key(), it.value());
    }
}

void LxdConsole::onStateReady(const QString &host, const QString &name, const InstanceState &state)
{
    m_loading.remove({ host, name });
    InstancesTableModel::Rates rates;
    if (const InstanceMetrics *m = m_service->metrics(host, name)) {
        rates.cpuPercent = lastOf(m->cpuPercent);
        rates.rxBytesPerSec = lastOf(m->rxBytesPerSec);
        rates.txBytesPerSec = lastOf(m->txBytesPerSec);
    }
    m_instances->setState(host, name, state, rates);
}

DeviceStatus LxdConsole::hostStatusFor(const LxdResult &r)
{
    switch (r.kind) {
    case LxdResultKind::Ok:
        return DeviceStatus::Ok;
    case LxdResultKind::Unreachable:
        return DeviceStatus::Unreachable;
    case LxdResultKind::RefusedTrust:
        if (r.certificateMismatch)
            return DeviceStatus::HostKeyChanged;
        if (r.certificateNotPinned)
            return DeviceStatus::HostKeyUnknown;
        return DeviceStatus::AuthFailed;
    case LxdResultKind::Failed:
    case LxdResultKind::Cancelled:
        return DeviceStatus::Error;
    }
    return DeviceStatus::Error;
}

void LxdConsole::reportResult(const QString &host, const LxdResult &r)
{
    m_tree->setLxdHostStatus(host, hostStatusFor(r), r.ok() ? QString() : r.error);
    if (!r.certificateMismatch) {
        if (r.ok())
            m_mismatchReported.remove(host);
        return;
    }
    if (m_mismatchReported.contains(host))
        return;
    m_mismatchReported.insert(host);
    const auto cfg = m_fleet->host(host);
    const QString pinned = cfg ? cfg->lxdCertificateSha256 : QString();
    Q_EMIT problem(tr("Certificate of %1 changed: refused").arg(visibleText(host, 128)),
        tr("The LXD host %1 presented a different server certificate than the one pinned when it was "
           "added. Nothing was sent to it.\n\nPinned SHA256:    %2\nPresented SHA256: %3\n\n"
           "If the server was reinstalled on purpose, remove the host and add it again.")
            .arg(visibleText(host, 128), pinned, visibleText(r.serverSha256, 100)));
}

void LxdConsole::onInstancesRefreshed(
    const QString &host, const QList<Instance> &list, const LxdResult &result)
{
    reportResult(host, result);
    if (!result.ok())
        return; // the last known instances stay, the host's dot says why they are not fresh
    m_tree->setInstances(host, list);
    m_instances->setInstances(host, list);
}

void LxdConsole::onEventStream(const QString &host, LxdEventStream::State state, const QString &reason)
{
    if (state == LxdEventStream::State::RefusedTrust) {
        // a certificate problem already shown (from a request) says more than the stream can
        const DeviceStatus now = m_tree->lxdHostStatus(host);
        if (now != DeviceStatus::HostKeyChanged && now != DeviceStatus::HostKeyUnknown)
            m_tree->setLxdHostStatus(host, DeviceStatus::AuthFailed, reason);
    } else if (state == LxdEventStream::State::Connected) {
        // events may have been missed while the stream was down: one list catches up
        m_service->refreshInstances({ host });
    }
}

void LxdConsole::onOperation(const QString &host, const Operation &op)
{
    if (op.id.isEmpty())
        return;
    OperationsModel::Row row;
    row.id = u"lxd:"_s + host + u':' + op.id;
    row.source = host;
    row.title = op.description;
    if (!op.instances.isEmpty())
        row.title += u" ("_s + op.instances.join(u", "_s) + u')';
    row.progress = op.progressPercent;
    row.status = op.err.isEmpty() ? op.progressText : op.err;
    if (op.statusCode == 200)
        row.state = OperationsModel::State::Succeeded;
    else if (op.statusCode == 401)
        row.state = OperationsModel::State::Cancelled;
    else if (op.statusCode >= 400)
        row.state = OperationsModel::State::Failed;
    if (op.created.isValid())
        row.started = op.created.toUTC();
    row.cancellable = false; // cancelled through the action that started it (its own row)
    if (row.state != OperationsModel::State::Running && !m_operations->row(row.id)) {
        m_operations->upsert(row); // seen only at its end: still worth listing
        return;
    }
    if (row.state != OperationsModel::State::Running)
        m_operations->finish(row.id, row.state, row.status);
    else
        m_operations->upsert(row);
}

QString LxdConsole::actionText(InstanceAction action, bool force)
{
    switch (action) {
    case InstanceAction::Start:
        return tr("Start");
    case InstanceAction::Stop:
        return force ? tr("Force stop") : tr("Stop");
    case InstanceAction::Restart:
        return force ? tr("Force restart") : tr("Restart");
    case InstanceAction::Freeze:
        return tr("Freeze");
    case InstanceAction::Unfreeze:
        return tr("Unfreeze");
    case InstanceAction::Delete:
        return tr("Delete");
    }
    return {};
}

QStringList LxdConsole::runAction(const QList<Key> &instances, InstanceAction action, bool force)
{
    QStringList hostOrder;
    QHash<QString, QStringList> byHost;
    for (const Key &k : instances) {
        if (!byHost.contains(k.first))
            hostOrder << k.first;
        if (!byHost[k.first].contains(k.second))
            byHost[k.first] << k.second;
    }
    QStringList rows;
    for (const QString &host : std::as_const(hostOrder)) {
        const QStringList names = byHost.value(host);
        const quint64 id = m_service->runAction(host, names, action, force);
        Bulk b;
        b.host = host;
        b.action = action;
        b.force = force;
        b.names = names;
        b.title = names.size() == 1
            ? tr("%1 %2").arg(actionText(action, force), names.first())
            : tr("%1 %n instance(s)", nullptr, int(names.size())).arg(actionText(action, force));
        m_bulks.insert(id, b);
        OperationsModel::Row row;
        row.id = bulkRowId(id);
        row.source = host;
        row.title = b.title;
        row.progress = names.size() > 1 ? 0 : -1;
        row.cancellable = true;
        m_operations->upsert(row);
        for (const QString &n : names)
            m_instances->setActionRunning(host, n, tr("%1…").arg(actionText(action, force)));
        rows << row.id;
    }
    return rows;
}

bool LxdConsole::cancel(const QString &operationRowId)
{
    if (!operationRowId.startsWith(u"lxd-bulk:"))
        return false;
    bool ok = false;
    const quint64 id = operationRowId.mid(9).toULongLong(&ok);
    if (!ok || !m_bulks.contains(id))
        return false;
    m_service->cancelAction(id);
    return true;
}

QStringList LxdConsole::runningActionRows(const QList<Key> &instances) const
{
    QStringList rows;
    for (auto it = m_bulks.cbegin(); it != m_bulks.cend(); ++it)
        for (const Key &k : instances)
            if (k.first == it->host && it->names.contains(k.second)) {
                rows << bulkRowId(it.key());
                break;
            }
    return rows;
}

void LxdConsole::onActionFinished(const LxdActionResult &r)
{
    auto it = m_bulks.find(r.bulkId);
    if (it == m_bulks.end())
        return;
    ++it->done;
    if (!r.result.ok())
        ++it->failed;
    const QString what = actionText(r.action, it->force);
    QString text;
    switch (r.result.kind) {
    case LxdResultKind::Ok:
        text = tr("%1: done").arg(what);
        break;
    case LxdResultKind::Cancelled:
        text = tr("%1: cancelled").arg(what);
        break;
    default:
        text = tr("%1: %2: %3").arg(what, lxdResultKindName(r.result.kind), r.result.error);
        break;
    }
    m_instances->setActionResult(
        r.host, r.instance, text, !r.result.ok() && r.result.kind != LxdResultKind::Cancelled);
    if (r.result.kind == LxdResultKind::RefusedTrust || r.result.kind == LxdResultKind::Unreachable)
        reportResult(r.host, r.result);
    if (it->names.size() > 1) {
        OperationsModel::Row row = *m_operations->row(bulkRowId(r.bulkId));
        row.progress = int(100 * it->done / it->names.size());
        row.status = tr("%1 of %2 done, %3 failed").arg(it->done).arg(it->names.size()).arg(it->failed);
        m_operations->upsert(row);
    }
}

void LxdConsole::onBulkFinished(quint64 bulkId, const QList<LxdActionResult> &results)
{
    const Bulk b = m_bulks.take(bulkId);
    int ok = 0;
    int failed = 0;
    int cancelled = 0;
    QString firstError;
    for (const LxdActionResult &r : results) {
        if (r.result.ok())
            ++ok;
        else if (r.result.kind == LxdResultKind::Cancelled)
            ++cancelled;
        else {
            ++failed;
            if (firstError.isEmpty())
                firstError = r.instance + u": "_s + r.result.error;
        }
    }
    OperationsModel::State state = OperationsModel::State::Succeeded;
    if (failed > 0)
        state = OperationsModel::State::Failed;
    else if (cancelled > 0)
        state = OperationsModel::State::Cancelled;
    QString status = tr("%1 ok, %2 failed, %3 cancelled").arg(ok).arg(failed).arg(cancelled);
    if (!firstError.isEmpty())
        status += u" — "_s + firstError;
    m_operations->finish(bulkRowId(bulkId), state, status);
    // the events update rows precisely; one list catches up where the stream was not connected
    if (!b.host.isEmpty())
        m_service->refreshInstances({ b.host });
    Q_EMIT bulkFinished(bulkRowId(bulkId), ok, failed);
}

} // namespace canyon
