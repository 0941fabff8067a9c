// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 5 in the item models, without servers: instances drag out of the fleet tree and the
// instances table as application/x-canyon-instances, LXD hosts accept them (and say why not
// elsewhere), through the window's sort/filter proxy too; migrations as operations-dock rows.
// Every model under QAbstractItemModelTester.
#include "LxdHostFixture.h"
#include "item/FleetTreeModel.h"
#include "item/InstanceDrag.h"
#include "item/InstancesTableModel.h"
#include "item/MigrationOperations.h"
#include "item/OperationsModel.h"
#include "lxd/LxdMigration.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeData>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace canyon;
using canyon::testfixture::lxdHost;

namespace {

Instance inst(const QString &name)
{
    Instance i;
    i.name = name;
    i.type = u"container"_s;
    i.status = u"Stopped"_s;
    i.statusCode = 102;
    i.location = u"none"_s;
    return i;
}

HostConfig device(const QString &name)
{
    HostConfig h;
    h.name = name;
    h.group = u"lab"_s;
    h.ssh.user = u"user"_s;
    h.ssh.host = u"127.0.0.1"_s;
    h.ssh.port = 2222;
    return h;
}

} // namespace

class TestMigrationDnd : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void mimeRoundTrip();
    void treeDragAndDrop();
    void treeDropThroughProxy();
    void tableDragsInstances();
    void migrationRowForARefusedPlan();
};

void TestMigrationDnd::mimeRoundTrip()
{
    const QList<InstanceRef> refs { { u"lxd1"_s, u"web"_s }, { u"lxd1"_s, u"db"_s } };
    std::unique_ptr<QMimeData> data(encodeInstances(refs));
    QVERIFY(data->hasFormat(instancesMimeType()));
    QCOMPARE(data->text(), u"lxd1/web\nlxd1/db"_s);
    QCOMPARE(decodeInstances(data.get()), refs);

    // another process's drag: its host names are another configuration's
    QJsonObject o = QJsonDocument::fromJson(data->data(instancesMimeType())).object();
    o.insert(u"pid"_s, QCoreApplication::applicationPid() + 1);
    QMimeData foreign;
    foreign.setData(instancesMimeType(), QJsonDocument(o).toJson());
    QString error;
    QVERIFY(decodeInstances(&foreign, &error).isEmpty());
    QVERIFY2(error.contains(u"another Canyon window"_s), qPrintable(error));

    QMimeData text;
    text.setText(u"lxd1/web"_s);
    QVERIFY(decodeInstances(&text, &error).isEmpty());
    QVERIFY(error.contains(u"only instances"_s));
}

void TestMigrationDnd::treeDragAndDrop()
{
    FleetTreeModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setHosts({ device(u"dev1"_s), lxdHost(u"lxd1"_s), lxdHost(u"lxd2"_s) });
    m.setInstances(u"lxd1"_s, { inst(u"web"_s), inst(u"db"_s) });
    m.setInstances(u"lxd2"_s, { inst(u"cache"_s) });

    const QModelIndex web = m.indexForInstance(u"lxd1"_s, u"web"_s);
    const QModelIndex db = m.indexForInstance(u"lxd1"_s, u"db"_s);
    const QModelIndex lxd1 = m.indexForLxdHost(u"lxd1"_s);
    const QModelIndex lxd2 = m.indexForLxdHost(u"lxd2"_s);
    const QModelIndex cache = m.indexForInstance(u"lxd2"_s, u"cache"_s);
    const QModelIndex dev = m.indexForDevice(u"dev1"_s);
    QVERIFY(web.isValid() && db.isValid() && lxd2.isValid() && cache.isValid() && dev.isValid());

    QVERIFY(m.flags(web).testFlag(Qt::ItemIsDragEnabled));
    QVERIFY(!m.flags(lxd1).testFlag(Qt::ItemIsDragEnabled));
    QVERIFY(m.flags(lxd2).testFlag(Qt::ItemIsDropEnabled));
    QVERIFY(!m.flags(dev).testFlag(Qt::ItemIsDropEnabled));
    QVERIFY(!m.flags(dev.parent()).testFlag(Qt::ItemIsDropEnabled));
    QCOMPARE(m.mimeTypes(), QStringList { instancesMimeType() });
    QCOMPARE(m.supportedDropActions(), Qt::MoveAction);

    // a whole selected row (every column) is one instance; hosts and devices are not dragged
    QModelIndexList picked { web, m.indexForInstance(u"lxd1"_s, u"web"_s, FleetTreeModel::StatusColumn), db,
        lxd1, dev };
    std::unique_ptr<QMimeData> data(m.mimeData(picked));
    QVERIFY(data);
    QCOMPARE(decodeInstances(data.get()),
        (QList<InstanceRef> { { u"lxd1"_s, u"web"_s }, { u"lxd1"_s, u"db"_s } }));
    QVERIFY(!m.mimeData({ lxd1, dev }));

    // where it may land, and why not elsewhere
    QVERIFY(m.canDropMimeData(data.get(), Qt::MoveAction, -1, -1, lxd2));
    QVERIFY(m.canDropMimeData(data.get(), Qt::MoveAction, -1, -1, cache)); // an instance: its host
    QCOMPARE(m.dropTargetHost(cache), u"lxd2"_s);
    QVERIFY(!m.canDropMimeData(data.get(), Qt::CopyAction, -1, -1, lxd2));
    QVERIFY(!m.canDropMimeData(data.get(), Qt::MoveAction, -1, -1, lxd1));
    QVERIFY(m.dropRejection(data.get(), lxd1).contains(u"already on lxd1"_s));
    QVERIFY(m.dropRejection(data.get(), web).contains(u"already on lxd1"_s));
    QVERIFY(m.dropRejection(data.get(), dev).contains(u"LXD host"_s));
    QVERIFY(m.dropRejection(data.get(), dev.parent()).contains(u"LXD host"_s));
    QVERIFY(m.dropRejection(data.get(), {}).contains(u"LXD host"_s));
    std::unique_ptr<QMimeData> unknown(encodeInstances({ { u"gone"_s, u"x"_s } }));
    QVERIFY(m.dropRejection(unknown.get(), lxd2).contains(u"not an LXD host"_s));
    m.setLxdHostStatus(u"lxd2"_s, DeviceStatus::HostKeyChanged, u"changed"_s);
    QVERIFY(m.dropRejection(data.get(), lxd2).contains(u"changed certificate"_s));
    m.setLxdHostStatus(u"lxd2"_s, DeviceStatus::Ok);

    // a drop only announces: nothing in the tree moves until the migration did
    QSignalSpy dropped(&m, &FleetTreeModel::instancesDropped);
    QVERIFY(!m.dropMimeData(data.get(), Qt::MoveAction, -1, -1, lxd1));
    QCOMPARE(dropped.size(), 0);
    QVERIFY(m.dropMimeData(data.get(), Qt::MoveAction, -1, -1, cache));
    QCOMPARE(dropped.size(), 1);
    QCOMPARE(dropped.first().at(0).value<QList<InstanceRef>>().size(), 2);
    QCOMPARE(dropped.first().at(1).toString(), u"lxd2"_s);
    QCOMPARE(m.rowCount(lxd1), 2);
    QVERIFY(!m.removeRows(0, 1, lxd1)); // what a source view asks after a MoveAction: refused
}

void TestMigrationDnd::treeDropThroughProxy()
{
    FleetTreeModel m;
    m.setHosts({ lxdHost(u"b-host"_s), lxdHost(u"a-host"_s) });
    m.setInstances(u"b-host"_s, { inst(u"z"_s), inst(u"y"_s) });
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&m);
    proxy.setRecursiveFilteringEnabled(true);
    proxy.setSortRole(FleetTreeModel::SortRole);
    proxy.sort(0);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QModelIndex a = proxy.mapFromSource(m.indexForLxdHost(u"a-host"_s));
    const QModelIndex y = proxy.mapFromSource(m.indexForInstance(u"b-host"_s, u"y"_s));
    QCOMPARE(proxy.mimeTypes(), QStringList { instancesMimeType() });
    std::unique_ptr<QMimeData> data(proxy.mimeData({ y }));
    QVERIFY(data);
    QCOMPARE(decodeInstances(data.get()), (QList<InstanceRef> { { u"b-host"_s, u"y"_s } }));
    QVERIFY(proxy.canDropMimeData(data.get(), Qt::MoveAction, -1, -1, a));
    QVERIFY(!proxy.canDropMimeData(data.get(), Qt::MoveAction, -1, -1, y.parent()));
    QSignalSpy dropped(&m, &FleetTreeModel::instancesDropped);
    QVERIFY(proxy.dropMimeData(data.get(), Qt::MoveAction, -1, -1, a));
    QCOMPARE(dropped.size(), 1);
    QCOMPARE(dropped.first().at(1).toString(), u"a-host"_s);
}

void TestMigrationDnd::tableDragsInstances()
{
    InstancesTableModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setHosts({ u"lxd1"_s, u"lxd2"_s });
    m.setInstances(u"lxd1"_s, { inst(u"web"_s) });
    m.setInstances(u"lxd2"_s, { inst(u"cache"_s) });
    const QModelIndex web = m.indexOf(u"lxd1"_s, u"web"_s);
    const QModelIndex cache = m.indexOf(u"lxd2"_s, u"cache"_s, InstancesTableModel::StatusColumn);
    QVERIFY(m.flags(web).testFlag(Qt::ItemIsDragEnabled));
    QVERIFY(m.flags(web).testFlag(Qt::ItemIsSelectable));
    QVERIFY(!m.flags(web).testFlag(Qt::ItemIsDropEnabled));
    QCOMPARE(m.supportedDragActions(), Qt::MoveAction);
    std::unique_ptr<QMimeData> data(m.mimeData({ web, m.indexOf(u"lxd1"_s, u"web"_s, 3), cache }));
    QVERIFY(data);
    QCOMPARE(decodeInstances(data.get()),
        (QList<InstanceRef> { { u"lxd1"_s, u"web"_s }, { u"lxd2"_s, u"cache"_s } }));
    // a drop from the table onto a tree host of one of them is refused with the reason
    FleetTreeModel tree;
    tree.setHosts({ lxdHost(u"lxd1"_s), lxdHost(u"lxd2"_s) });
    QVERIFY(
        tree.dropRejection(data.get(), tree.indexForLxdHost(u"lxd2"_s)).contains(u"cache is already on"_s));
}

// A migration whose plan is refused ends at once: its row says so, with the authoritative copy.
void TestMigrationDnd::migrationRowForARefusedPlan()
{
    QTemporaryDir state;
    OperationsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    LxdMigrator migrator(
        [](const QString &host, QString *error) -> LxdClient * {
            *error = u"%1 is not an LXD host"_s.arg(host);
            return nullptr;
        },
        state.path());
    MigrationOperations ops(&model, &migrator);
    QSignalSpy finished(&ops, &MigrationOperations::finished);
    MigrationRequest q;
    q.sourceHost = u"lxd1"_s;
    q.instance = u"web"_s;
    q.targetHost = u"lxd2"_s;
    q.targetName = u"web2"_s;
    LxdMigration *m = migrator.start(q);
    const QString id = MigrationOperations::idOf(m);
    QCOMPARE(ops.migrationOf(id), m);
    QVERIFY(model.row(id));
    QCOMPARE(model.row(id)->title, u"Move web to lxd2 as web2"_s);
    QCOMPARE(model.row(id)->source, u"lxd1 → lxd2"_s);
    QVERIFY(finished.wait(10000));
    const std::optional<OperationsModel::Row> row = model.row(id);
    QVERIFY(row);
    QCOMPARE(row->state, OperationsModel::State::Failed);
    // the row tells the result's own truth: the error, and which copy is authoritative
    const auto result = finished.first().at(1).value<MigrationResult>();
    QVERIFY(!result.ok);
    QCOMPARE(row->status, MigrationOperations::summary(result));
    QVERIFY2(row->status.contains(u"lxd1 is not an LXD host"_s), qPrintable(row->status));
    const QString authority = result.authoritative == MigrationAuthority::Source
        ? u"the source lxd1/web is authoritative"_s
        : u"authoritative copy unknown"_s;
    QVERIFY2(row->status.contains(authority), qPrintable(row->status));
    QVERIFY(!row->cancellable);
    QVERIFY(!ops.cancel(id)); // finished: nothing to cancel
    QVERIFY(!ops.cancel(u"migration:999"_s));
    QVERIFY(
        ops.report(id).contains(u"Authoritative copy: "_s + migrationAuthorityName(result.authoritative)));
    QCOMPARE(model.runningCount(), 0);
}

QTEST_GUILESS_MAIN(TestMigrationDnd)
#include "tst_migrationdnd.moc"
