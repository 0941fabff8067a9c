// SPDX-License-Identifier: GPL-3.0-or-later
// Item models of the LXD GUI: instances table (diffs, states, results), operations (generic
// rows, pruning), the LXD hosts and instances of the fleet tree; all under
// QAbstractItemModelTester, and never a reset on refresh.
#include "LxdHostFixture.h"
#include "domain/PlainText.h"
#include "item/FleetTreeModel.h"
#include "item/InstancesTableModel.h"
#include "item/OperationsModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace canyon;
using canyon::testfixture::lxdHost;

namespace {

Instance inst(const QString &name, const QString &status = u"Running"_s)
{
    Instance i;
    i.name = name;
    i.type = u"container"_s;
    i.status = status;
    i.statusCode = status == u"Running" ? 103 : status == u"Frozen" ? 110 : 102;
    i.location = u"none"_s;
    i.profiles = { u"default"_s };
    i.created = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5), QTimeZone::utc());
    return i;
}

InstanceState state(qint64 memory, const QString &v4, const QString &v6 = {})
{
    InstanceState s;
    s.status = u"Running"_s;
    s.statusCode = 103;
    s.memoryUsage = memory;
    InstanceNetwork lo;
    lo.name = u"lo"_s;
    lo.type = u"loopback"_s;
    lo.addresses = { { u"inet"_s, u"127.0.0.1"_s, u"8"_s, u"local"_s } };
    InstanceNetwork eth;
    eth.name = u"eth0"_s;
    eth.type = u"broadcast"_s;
    eth.addresses = { { u"inet"_s, v4, u"24"_s, u"global"_s } };
    if (!v6.isEmpty())
        eth.addresses << InstanceAddress { u"inet6"_s, v6, u"64"_s, u"global"_s };
    s.networks = { eth, lo };
    return s;
}

HostConfig device(const QString &name, const QString &group)
{
    HostConfig h;
    h.name = name;
    h.group = group;
    h.ssh.host = u"10.0.0.1"_s;
    return h;
}

QStringList column(const QAbstractItemModel &m, int col, const QModelIndex &parent = {})
{
    QStringList out;
    for (int r = 0; r < m.rowCount(parent); ++r)
        out << m.index(r, col, parent).data().toString();
    return out;
}

} // namespace

class TestLxdModels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void instancesDiffWithoutReset();
    void instancesStateAndRates();
    void instancesSeveralHosts();
    void instancesActionResultsAndHostile();
    void instancesUnderProxy();
    void operationsGenericRows();
    void operationsPruneFinished();
    void treeLxdHostsAndInstances();
    void treeLxdStatusAndSort();
    void treeClusterMembers();
};

void TestLxdModels::instancesDiffWithoutReset()
{
    InstancesTableModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&m, &QAbstractItemModel::modelReset);
    QSignalSpy inserts(&m, &QAbstractItemModel::rowsInserted);
    QSignalSpy removes(&m, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changes(&m, &QAbstractItemModel::dataChanged);
    m.setHosts({ u"h1"_s });
    m.setInstances(u"h1"_s, { inst(u"a"_s), inst(u"b"_s, u"Stopped"_s), inst(u"c"_s) });
    QCOMPARE(column(m, InstancesTableModel::NameColumn), (QStringList { u"a"_s, u"b"_s, u"c"_s }));
    QCOMPARE(inserts.size(), 1);
    // the same list again: nothing at all
    changes.clear();
    m.setInstances(u"h1"_s, { inst(u"a"_s), inst(u"b"_s, u"Stopped"_s), inst(u"c"_s) });
    QCOMPARE(changes.size(), 0);
    // b started, c gone, d new: one change, one removal, one insert
    m.setInstances(u"h1"_s, { inst(u"a"_s), inst(u"b"_s), inst(u"d"_s) });
    QCOMPARE(column(m, InstancesTableModel::NameColumn), (QStringList { u"a"_s, u"b"_s, u"d"_s }));
    QCOMPARE(changes.size(), 1);
    QCOMPARE(removes.size(), 1);
    QCOMPARE(inserts.size(), 2);
    QCOMPARE(m.index(1, InstancesTableModel::StatusColumn).data().toString(), u"Running"_s);
    // events: update one, remove one, add one
    m.updateInstance(u"h1"_s, inst(u"a"_s, u"Frozen"_s));
    QCOMPARE(m.index(0, InstancesTableModel::StatusColumn).data().toString(), u"Frozen"_s);
    QCOMPARE(m.index(0, 0).data(InstancesTableModel::StatusCodeRole).toInt(), 110);
    m.removeInstance(u"h1"_s, u"b"_s);
    m.updateInstance(u"h1"_s, inst(u"e"_s));
    QCOMPARE(column(m, InstancesTableModel::NameColumn), (QStringList { u"a"_s, u"d"_s, u"e"_s }));
    QCOMPARE(m.indexOf(u"h1"_s, u"e"_s).row(), 2);
    QVERIFY(!m.indexOf(u"h1"_s, u"b"_s).isValid());
    // unknown host: ignored
    m.setInstances(u"nope"_s, { inst(u"x"_s) });
    QCOMPARE(m.rowCount(), 3);
    QCOMPARE(resets.size(), 0);
}

void TestLxdModels::instancesStateAndRates()
{
    InstancesTableModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setHosts({ u"h"_s });
    m.setInstances(u"h"_s, { inst(u"a"_s) });
    QVERIFY(!m.index(0, 0).data(InstancesTableModel::HasStateRole).toBool());
    QVERIFY(m.index(0, InstancesTableModel::MemoryColumn).data().toString().isEmpty());
    QSignalSpy changes(&m, &QAbstractItemModel::dataChanged);
    InstancesTableModel::Rates rates;
    rates.cpuPercent = 12.5;
    rates.rxBytesPerSec = 2048;
    rates.txBytesPerSec = 0;
    m.setState(u"h"_s, u"a"_s, state(64 * 1024 * 1024, u"10.1.2.3"_s, u"fd42::1"_s), rates);
    QCOMPARE(changes.size(), 1);
    QVERIFY(m.index(0, 0).data(InstancesTableModel::HasStateRole).toBool());
    QCOMPARE(m.index(0, InstancesTableModel::Ipv4Column).data().toString(), u"10.1.2.3"_s); // not 127.0.0.1
    QCOMPARE(m.index(0, InstancesTableModel::Ipv6Column).data().toString(), u"fd42::1"_s);
    QCOMPARE(m.index(0, InstancesTableModel::MemoryColumn).data().toString(),
        InstancesTableModel::formatBytes(64 * 1024 * 1024));
    QVERIFY(m.index(0, InstancesTableModel::CpuColumn).data().toString().startsWith(u"12"_s));
    QCOMPARE(
        m.index(0, InstancesTableModel::RxColumn).data().toString(), InstancesTableModel::formatRate(2048));
    QCOMPARE(m.index(0, InstancesTableModel::CpuColumn).data(InstancesTableModel::SortRole).toDouble(), 12.5);
    QCOMPARE(m.index(0, InstancesTableModel::MemoryColumn).data(InstancesTableModel::SortRole).toDouble(),
        64.0 * 1024 * 1024);
    // the same state again: no change
    m.setState(u"h"_s, u"a"_s, state(64 * 1024 * 1024, u"10.1.2.3"_s, u"fd42::1"_s), rates);
    QCOMPARE(changes.size(), 1);
    // stopped by an event: the old state is no longer shown as current
    m.updateInstance(u"h"_s, inst(u"a"_s, u"Stopped"_s));
    QVERIFY(!m.index(0, 0).data(InstancesTableModel::HasStateRole).toBool());
    QVERIFY(m.index(0, InstancesTableModel::CpuColumn).data().toString().isEmpty());
    // a state for an unknown instance is ignored
    m.setState(u"h"_s, u"zz"_s, state(1, u"10.0.0.9"_s));
    QCOMPARE(m.rowCount(), 1);
}

void TestLxdModels::instancesSeveralHosts()
{
    InstancesTableModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&m, &QAbstractItemModel::modelReset);
    m.setHosts({ u"h1"_s, u"h2"_s });
    m.setInstances(u"h2"_s, { inst(u"x"_s) });
    m.setInstances(u"h1"_s, { inst(u"a"_s), inst(u"b"_s) });
    // rows of h1 before h2, whatever arrived first; the same name on two hosts is two rows
    m.updateInstance(u"h2"_s, inst(u"a"_s));
    QCOMPARE(column(m, InstancesTableModel::NameColumn), (QStringList { u"a"_s, u"b"_s, u"x"_s, u"a"_s }));
    QCOMPARE(
        column(m, InstancesTableModel::HostColumn), (QStringList { u"h1"_s, u"h1"_s, u"h2"_s, u"h2"_s }));
    QCOMPARE(m.names(u"h2"_s), (QStringList { u"x"_s, u"a"_s }));
    m.setHosts({ u"h2"_s });
    QCOMPARE(column(m, InstancesTableModel::NameColumn), (QStringList { u"x"_s, u"a"_s }));
    QCOMPARE(m.indexOf(u"h2"_s, u"a"_s).row(), 1);
    m.setHosts({});
    QCOMPARE(m.rowCount(), 0);
    QCOMPARE(resets.size(), 0);
}

void TestLxdModels::instancesActionResultsAndHostile()
{
    InstancesTableModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setHosts({ u"h"_s });
    const QString hostile = u"<b>x</b>\x1b[31m\u202e"_s;
    Instance i = inst(hostile);
    i.profiles = { u"default"_s, hostile };
    m.setInstances(u"h"_s, { i });
    const QString shown = m.index(0, InstancesTableModel::NameColumn).data().toString();
    QCOMPARE(shown, visibleText(hostile, 512));
    QVERIFY(!shown.contains(QChar(0x1b)));
    QVERIFY(!shown.contains(QChar(0x202e)));
    QCOMPARE(m.index(0, 0).data(InstancesTableModel::NameRole).toString(), hostile); // raw for actions
    QVERIFY(!m.index(0, InstancesTableModel::ProfilesColumn).data().toString().contains(QChar(0x1b)));
    QSignalSpy changes(&m, &QAbstractItemModel::dataChanged);
    m.setActionRunning(u"h"_s, hostile, u"stop…"_s);
    QCOMPARE(m.index(0, InstancesTableModel::ResultColumn).data().toString(), u"stop…"_s);
    m.setActionResult(u"h"_s, hostile, u"stop: failed: \x1b boom"_s, true);
    QVERIFY(m.index(0, 0).data(InstancesTableModel::ActionFailedRole).toBool());
    QVERIFY(!m.index(0, InstancesTableModel::ResultColumn).data().toString().contains(QChar(0x1b)));
    QCOMPARE(changes.size(), 2);
    QCOMPARE(changes.first().at(0).toModelIndex().column(), int(InstancesTableModel::ResultColumn));
}

void TestLxdModels::instancesUnderProxy()
{
    InstancesTableModel m;
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&m);
    proxy.setSortRole(InstancesTableModel::SortRole);
    proxy.setFilterKeyColumn(-1);
    proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
    proxy.setDynamicSortFilter(true);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.sort(InstancesTableModel::CpuColumn, Qt::DescendingOrder);
    m.setHosts({ u"h"_s });
    m.setInstances(u"h"_s, { inst(u"low"_s), inst(u"high"_s), inst(u"web"_s, u"Stopped"_s) });
    InstancesTableModel::Rates r1, r2;
    r1.cpuPercent = 1;
    r2.cpuPercent = 90;
    m.setState(u"h"_s, u"low"_s, state(1, u"10.0.0.2"_s), r1);
    m.setState(u"h"_s, u"high"_s, state(1, u"10.0.0.3"_s), r2);
    QCOMPARE(column(proxy, InstancesTableModel::NameColumn), (QStringList { u"high"_s, u"low"_s, u"web"_s }));
    proxy.setFilterFixedString(u"stopped"_s);
    QCOMPARE(column(proxy, InstancesTableModel::NameColumn), (QStringList { u"web"_s }));
    proxy.setFilterFixedString(u"10.0.0.3"_s);
    QCOMPARE(column(proxy, InstancesTableModel::NameColumn), (QStringList { u"high"_s }));
}

void TestLxdModels::operationsGenericRows()
{
    OperationsModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy running(&m, &OperationsModel::runningCountChanged);
    QSignalSpy resets(&m, &QAbstractItemModel::modelReset);
    OperationsModel::Row a;
    a.id = u"lxd:h:1"_s;
    a.source = u"h"_s;
    a.title = u"Starting instance"_s;
    a.cancellable = true;
    m.upsert(a);
    OperationsModel::Row b;
    b.id = u"fleet:7"_s; // a later fleet job is the same kind of row
    b.source = u"fleet"_s;
    b.title = u"Update 20 devices"_s;
    b.progress = 10;
    m.upsert(b);
    QCOMPARE(m.rowCount(), 2);
    QCOMPARE(m.index(0, 0).data(OperationsModel::IdRole).toString(), u"fleet:7"_s); // newest first
    QCOMPARE(m.runningCount(), 2);
    QCOMPARE(m.index(1, OperationsModel::ProgressColumn).data().toString(), u"…"_s);
    QVERIFY(m.index(1, 0).data(OperationsModel::CancellableRole).toBool());
    // a progress update is a dataChanged of its row, title kept when not given
    QSignalSpy changes(&m, &QAbstractItemModel::dataChanged);
    OperationsModel::Row a2;
    a2.id = a.id;
    a2.source = a.source;
    a2.progress = 40;
    a2.status = u"unpack"_s;
    a2.cancellable = true;
    m.upsert(a2);
    QCOMPARE(changes.size(), 1);
    QCOMPARE(changes.first().at(0).toModelIndex().row(), 1);
    QCOMPARE(m.index(1, OperationsModel::TitleColumn).data().toString(), u"Starting instance"_s);
    QCOMPARE(m.index(1, 0).data(OperationsModel::ProgressRole).toInt(), 40);
    m.finish(a.id, OperationsModel::State::Failed, u"\x1b[1mboom"_s);
    QCOMPARE(m.runningCount(), 1);
    QVERIFY(!m.index(1, 0).data(OperationsModel::CancellableRole).toBool());
    QVERIFY(m.index(1, OperationsModel::StatusColumn).data().toString().contains(u"boom"_s));
    QVERIFY(!m.index(1, OperationsModel::StatusColumn).data().toString().contains(QChar(0x1b)));
    // a late running report does not revive it
    m.upsert(a2);
    QCOMPARE(m.row(a.id)->state, OperationsModel::State::Failed);
    m.finish(b.id, OperationsModel::State::Succeeded, {});
    QCOMPARE(m.index(0, 0).data(OperationsModel::ProgressRole).toInt(), 100);
    QCOMPARE(m.runningCount(), 0);
    QVERIFY(running.size() >= 2);
    QCOMPARE(resets.size(), 0);
}

void TestLxdModels::operationsPruneFinished()
{
    OperationsModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setFinishedLimit(3);
    for (int i = 0; i < 6; ++i) {
        OperationsModel::Row r;
        r.id = QString::number(i);
        r.title = u"op %1"_s.arg(i);
        m.upsert(r);
    }
    for (int i = 0; i < 5; ++i)
        m.finish(QString::number(i), OperationsModel::State::Succeeded, {});
    QCOMPARE(m.rowCount(), 4); // the running one and the 3 newest finished
    QVERIFY(m.row(u"5"_s));
    QVERIFY(!m.row(u"0"_s));
    QVERIFY(!m.row(u"1"_s));
    QVERIFY(m.row(u"4"_s));
    m.clearFinished();
    QCOMPARE(m.rowCount(), 1);
    QCOMPARE(m.runningCount(), 1);
}

void TestLxdModels::treeLxdHostsAndInstances()
{
    FleetTreeModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&m, &QAbstractItemModel::modelReset);
    m.setHosts({ device(u"d1"_s, u"lab"_s), lxdHost(u"lxd1"_s), lxdHost(u"lxd2"_s) });
    QCOMPARE(m.rowCount(), 3);
    QCOMPARE(m.deviceCount(), 1); // LXD hosts are not devices
    QCOMPARE(m.lxdHostNames(), (QStringList { u"lxd1"_s, u"lxd2"_s }));
    const QModelIndex h1 = m.indexForLxdHost(u"lxd1"_s);
    QCOMPARE(FleetTreeModel::NodeKind(h1.data(FleetTreeModel::KindRole).toInt()),
        FleetTreeModel::NodeKind::LxdHost);
    QCOMPARE(m.index(h1.row(), FleetTreeModel::AddressColumn).data().toString(), u"https://127.0.0.1:8443"_s);

    QSignalSpy inserts(&m, &QAbstractItemModel::rowsInserted);
    QSignalSpy removes(&m, &QAbstractItemModel::rowsRemoved);
    m.setInstances(u"lxd1"_s, { inst(u"a"_s), inst(u"b"_s, u"Stopped"_s), inst(u"c"_s) });
    QCOMPARE(column(m, 0, h1), (QStringList { u"a"_s, u"b"_s, u"c"_s }));
    m.setLxdHostStatus(u"lxd1"_s, DeviceStatus::Ok);
    QVERIFY(m.index(h1.row(), FleetTreeModel::StatusColumn).data().toString().contains(u"2/3"_s));
    QVERIFY(m.index(h1.row(), FleetTreeModel::SnapsColumn).data().toString().isEmpty());
    const QModelIndex b = m.indexForInstance(u"lxd1"_s, u"b"_s);
    QCOMPARE(FleetTreeModel::NodeKind(b.data(FleetTreeModel::KindRole).toInt()),
        FleetTreeModel::NodeKind::Instance);
    QCOMPARE(DeviceStatus(b.data(FleetTreeModel::StatusRole).toInt()), DeviceStatus::NotYetContacted);
    QCOMPARE(b.data(FleetTreeModel::GroupRole).toString(), u"lxd1"_s);
    // a refresh is a diff
    m.setInstances(u"lxd1"_s, { inst(u"a"_s), inst(u"b"_s), inst(u"d"_s) });
    QCOMPARE(column(m, 0, h1), (QStringList { u"a"_s, u"b"_s, u"d"_s }));
    QCOMPARE(inserts.size(), 2);
    QCOMPARE(removes.size(), 1);
    QCOMPARE(DeviceStatus(m.indexForInstance(u"lxd1"_s, u"b"_s).data(FleetTreeModel::StatusRole).toInt()),
        DeviceStatus::Ok);
    m.updateInstance(u"lxd1"_s, inst(u"a"_s, u"Frozen"_s));
    QCOMPARE(
        m.indexForInstance(u"lxd1"_s, u"a"_s, FleetTreeModel::StatusColumn).data().toString(), u"Frozen"_s);
    m.removeInstance(u"lxd1"_s, u"d"_s);
    m.updateInstance(u"lxd1"_s, inst(u"e"_s));
    QCOMPARE(column(m, 0, h1), (QStringList { u"a"_s, u"b"_s, u"e"_s }));
    // device changes leave the LXD hosts alone, and the other way round
    m.setHosts({ device(u"d1"_s, u"lab"_s), device(u"d2"_s, u"lab"_s), lxdHost(u"lxd1"_s) });
    QCOMPARE(m.lxdHostNames(), (QStringList { u"lxd1"_s }));
    QCOMPARE(column(m, 0, m.indexForLxdHost(u"lxd1"_s)), (QStringList { u"a"_s, u"b"_s, u"e"_s }));
    QCOMPARE(m.deviceCount(), 2);
    m.setHosts({ lxdHost(u"lxd1"_s) });
    QCOMPARE(m.deviceCount(), 0);
    QCOMPARE(m.rowCount(), 1);
    QCOMPARE(m.rowCount(m.indexForLxdHost(u"lxd1"_s)), 3);
    QCOMPARE(resets.size(), 0);
}

void TestLxdModels::treeLxdStatusAndSort()
{
    FleetTreeModel m;
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&m);
    proxy.setSortRole(FleetTreeModel::SortRole);
    proxy.setFilterRole(FleetTreeModel::SearchRole);
    proxy.setRecursiveFilteringEnabled(true);
    proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.sort(0);
    m.setHosts({ lxdHost(u"aaa-lxd"_s), device(u"d1"_s, u"zz"_s) });
    // LXD hosts after the device groups
    QCOMPARE(column(proxy, 0), (QStringList { u"zz"_s, u"aaa-lxd"_s }));
    QSignalSpy changes(&m, &QAbstractItemModel::dataChanged);
    m.setLxdHostStatus(u"aaa-lxd"_s, DeviceStatus::HostKeyChanged, u"certificate changed"_s);
    QCOMPARE(changes.size(), 1);
    const QModelIndex h = m.indexForLxdHost(u"aaa-lxd"_s);
    QCOMPARE(DeviceStatus(h.data(FleetTreeModel::StatusRole).toInt()), DeviceStatus::HostKeyChanged);
    QCOMPARE(m.index(h.row(), FleetTreeModel::StatusColumn).data().toString(),
        FleetTreeModel::lxdStatusText(DeviceStatus::HostKeyChanged));
    QVERIFY(h.data(Qt::ToolTipRole).toString().contains(u"certificate changed"_s));
    QVERIFY(!h.data(FleetTreeModel::ReachableRole).toBool());
    m.setLxdHostStatus(u"aaa-lxd"_s, DeviceStatus::HostKeyChanged, u"certificate changed"_s);
    QCOMPARE(changes.size(), 1);
    m.setLxdHostStatus(u"aaa-lxd"_s, DeviceStatus::Ok);
    m.setInstances(u"aaa-lxd"_s, { inst(u"web"_s), inst(u"db"_s) });
    proxy.setFilterFixedString(u"web"_s);
    const QModelIndex ph = proxy.index(0, 0);
    QCOMPARE(ph.data(FleetTreeModel::NameRole).toString(), u"aaa-lxd"_s);
    QCOMPARE(column(proxy, 0, ph), (QStringList { u"web"_s }));
    QCOMPARE(m.lxdHostStatus(u"aaa-lxd"_s), DeviceStatus::Ok);
}

void TestLxdModels::treeClusterMembers()
{
    FleetTreeModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&m, &QAbstractItemModel::modelReset);
    m.setHosts({ lxdHost(u"cl"_s), lxdHost(u"solo"_s) });
    auto located = [](const QString &name, const QString &member, const QString &status = u"Running"_s) {
        Instance i = inst(name, status);
        i.location = member;
        return i;
    };
    m.setInstances(u"cl"_s, { located(u"a"_s, u"node1"_s), located(u"b"_s, u"node2"_s, u"Stopped"_s) });
    const QModelIndex host = m.indexForLxdHost(u"cl"_s);
    QCOMPARE(m.rowCount(host), 2);
    auto member = [](const QString &name, const QString &status, const QString &message) {
        LxdClusterMember x;
        x.serverName = name;
        x.url = u"https://%1:8443"_s.arg(name);
        x.status = status;
        x.message = message;
        x.roles = { u"database"_s };
        return x;
    };
    m.setClusterMembers(u"cl"_s,
        { member(u"node1"_s, u"Online"_s, u"Fully operational"_s),
            member(u"node2"_s, u"Offline"_s, u"No heartbeat for 40s"_s) });
    // members first, then the instances; the host still counts instances only
    QCOMPARE(m.rowCount(host), 4);
    QCOMPARE(column(m, FleetTreeModel::NameColumn, host),
        (QStringList { u"node1"_s, u"node2"_s, u"a"_s, u"b"_s }));
    QCOMPARE(m.clusterMemberNames(u"cl"_s), (QStringList { u"node1"_s, u"node2"_s }));
    const QModelIndex n2 = m.indexForClusterMember(u"cl"_s, u"node2"_s);
    QCOMPARE(FleetTreeModel::NodeKind(n2.data(FleetTreeModel::KindRole).toInt()),
        FleetTreeModel::NodeKind::ClusterMember);
    QCOMPARE(n2.siblingAtColumn(FleetTreeModel::StatusColumn).data().toString(), u"Offline"_s);
    QCOMPARE(n2.siblingAtColumn(FleetTreeModel::UpdatesColumn).data().toString(), u"No heartbeat for 40s"_s);
    QCOMPARE(n2.siblingAtColumn(FleetTreeModel::AddressColumn).data().toString(), u"https://node2:8443"_s);
    QCOMPARE(n2.siblingAtColumn(FleetTreeModel::SnapsColumn).data().toString(), u"1"_s); // b is there
    QCOMPARE(DeviceStatus(n2.data(FleetTreeModel::StatusRole).toInt()), DeviceStatus::Unreachable);
    QCOMPARE(n2.data(FleetTreeModel::ErrorRole).toString(), u"No heartbeat for 40s"_s);
    QVERIFY(n2.data(Qt::ToolTipRole).toString().contains(u"Roles: database"_s));
    QCOMPARE(
        DeviceStatus(m.indexForClusterMember(u"cl"_s, u"node1"_s).data(FleetTreeModel::StatusRole).toInt()),
        DeviceStatus::Ok);
    // the host counts its instances, not its members
    QVERIFY2(host.data(Qt::ToolTipRole).toString().contains(u"1 of 2 instances running"_s),
        qPrintable(host.data(Qt::ToolTipRole).toString()));
    // the instances keep their location column and their place
    QCOMPARE(
        m.indexForInstance(u"cl"_s, u"b"_s, FleetTreeModel::AddressColumn).data().toString(), u"node2"_s);
    QCOMPARE(m.indexForInstance(u"cl"_s, u"a"_s).row(), 2);
    QVERIFY(!m.indexForInstance(u"cl"_s, u"node1"_s).isValid()); // a member is not an instance
    // an instance moving to node1 changes the members' counts (dataChanged, not a reset)
    QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
    m.updateInstance(u"cl"_s, located(u"b"_s, u"node1"_s, u"Stopped"_s));
    QVERIFY(!changed.isEmpty());
    QCOMPARE(
        m.indexForClusterMember(u"cl"_s, u"node1"_s, FleetTreeModel::SnapsColumn).data().toString(), u"2"_s);
    QCOMPARE(
        m.indexForClusterMember(u"cl"_s, u"node2"_s, FleetTreeModel::SnapsColumn).data().toString(), u"0"_s);
    // a new list of instances leaves the members alone, even one named like a member
    m.setInstances(u"cl"_s, { located(u"b"_s, u"node1"_s), located(u"node2"_s, u"node2"_s) });
    QCOMPARE(column(m, FleetTreeModel::NameColumn, host),
        (QStringList { u"node1"_s, u"node2"_s, u"b"_s, u"node2"_s }));
    QCOMPARE(m.indexForInstance(u"cl"_s, u"node2"_s).row(), 3);
    m.removeInstance(u"cl"_s, u"node2"_s);
    QCOMPARE(m.clusterMemberNames(u"cl"_s).size(), 2); // the instance went, the member stayed
    QCOMPARE(m.rowCount(host), 3);
    // members diff: node2 gone, node3 new (evacuated), node1's status changes
    m.setClusterMembers(u"cl"_s,
        { member(u"node1"_s, u"Evacuated"_s, u"Unavailable due to evacuation"_s),
            member(u"node3"_s, u"Online"_s, u"Fully operational"_s) });
    QCOMPARE(column(m, FleetTreeModel::NameColumn, host), (QStringList { u"node1"_s, u"node3"_s, u"b"_s }));
    QCOMPARE(
        DeviceStatus(m.indexForClusterMember(u"cl"_s, u"node1"_s).data(FleetTreeModel::StatusRole).toInt()),
        DeviceStatus::Unsupported);
    // hostile member text is plain
    LxdClusterMember evil = member(u"ev\x1b[2Jil"_s, u"Online"_s, u"<b>hi</b>\x202e"_s);
    m.setClusterMembers(u"cl"_s, { evil });
    QCOMPARE(m.clusterMemberNames(u"cl"_s), QStringList { u"ev\x1b[2Jil"_s });
    const QModelIndex e = m.indexForClusterMember(u"cl"_s, u"ev\x1b[2Jil"_s);
    QCOMPARE(e.data().toString(), visibleText(u"ev\x1b[2Jil"_s));
    QCOMPARE(e.siblingAtColumn(FleetTreeModel::UpdatesColumn).data().toString(), u"<b>hi</b>\\u202e"_s);
    // a standalone answer removes them all; the instances stay
    m.setClusterMembers(u"cl"_s, {});
    QCOMPARE(column(m, FleetTreeModel::NameColumn, host), QStringList { u"b"_s });
    m.setClusterMembers(u"nosuch"_s, { evil }); // unknown hosts are ignored
    QCOMPARE(resets.size(), 0);
}

QTEST_GUILESS_MAIN(TestLxdModels)
#include "tst_lxdmodels.moc"
