// SPDX-License-Identifier: GPL-3.0-or-later
// The fleet tree and snaps table models: structure, precise updates (no reset on refresh),
// sorting values and hostile text, all under QAbstractItemModelTester.
#include "domain/PlainText.h"
#include "item/FleetTreeModel.h"
#include "item/SnapsTableModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace canyon;

namespace {

HostConfig device(const QString &name, const QString &group, int port = 22)
{
    HostConfig h;
    h.name = name;
    h.group = group;
    h.ssh.user = u"admin"_s;
    h.ssh.host = u"10.0.0.1"_s;
    h.ssh.port = port;
    return h;
}

Snap snap(const QString &name, const QString &version, const std::optional<QString> &revision,
    UpdateKnowledge knowledge = UpdateKnowledge::None)
{
    Snap s;
    s.name = name;
    s.version = version;
    s.revision = revision;
    s.channel = u"latest/stable"_s;
    s.publisher = u"canonical"_s;
    s.updateKnowledge = knowledge;
    return s;
}

DeviceInventory inventory(const QString &host, DeviceStatus status, const SnapList &snaps = {})
{
    DeviceInventory inv;
    inv.host = host;
    inv.status = status;
    inv.reachable = status == DeviceStatus::Ok || status == DeviceStatus::Unsupported;
    inv.dialect = status == DeviceStatus::Ok ? Dialect::SnapdRest : Dialect::Unknown;
    if (status != DeviceStatus::Ok)
        inv.error = u"connection refused"_s;
    inv.snaps = snaps;
    return inv;
}

QString display(const QAbstractItemModel &m, const QModelIndex &idx)
{
    return m.data(idx, Qt::DisplayRole).toString();
}

QStringList childNames(const QAbstractItemModel &m, const QModelIndex &parent)
{
    QStringList names;
    for (int r = 0; r < m.rowCount(parent); ++r)
        names << m.data(m.index(r, 0, parent), FleetTreeModel::NameRole).toString();
    return names;
}

QModelIndex groupIndex(const QAbstractItemModel &m, const QString &group)
{
    for (int r = 0; r < m.rowCount(); ++r) {
        const QModelIndex idx = m.index(r, 0);
        if (m.data(idx, FleetTreeModel::NameRole).toString() == group)
            return idx;
    }
    return {};
}

} // namespace

class TestItemModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void treeGroupsAndUngrouped();
    void treeDiffsHostsWithoutReset();
    void treeInventoryAndRefreshingAreDataChanges();
    void treeCountsAndColumns();
    void treeSortAndSearchRoles();
    void treeHostileNames();
    void treeUnderProxy();

    void snapsSameDeviceRefreshIsADiff();
    void snapsSwitchDeviceResets();
    void snapsColumns();
    void snapsRevisionSort();
    void snapsSnappyRowsWithoutRevision();
    void snapsHostileAndDuplicateRows();
};

void TestItemModels::treeGroupsAndUngrouped()
{
    FleetTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QStringList added
        = model.setHosts({ device(u"a"_s, u"lab"_s), device(u"b"_s, {}), device(u"c"_s, u"lab"_s) });
    QCOMPARE(added, (QStringList { u"a"_s, u"b"_s, u"c"_s }));
    QCOMPARE(model.rowCount(), 2);
    const QModelIndex lab = groupIndex(model, u"lab"_s);
    const QModelIndex ungrouped = groupIndex(model, QString());
    QVERIFY(lab.isValid());
    QVERIFY(ungrouped.isValid());
    QCOMPARE(display(model, ungrouped), FleetTreeModel::ungroupedName());
    QCOMPARE(display(model, ungrouped), u"Ungrouped"_s);
    QCOMPARE(childNames(model, lab), (QStringList { u"a"_s, u"c"_s }));
    QCOMPARE(childNames(model, ungrouped), QStringList { u"b"_s });
    QCOMPARE(model.data(lab, FleetTreeModel::KindRole).toInt(), int(FleetTreeModel::NodeKind::Group));
    QCOMPARE(model.data(model.index(0, 0, lab), FleetTreeModel::KindRole).toInt(),
        int(FleetTreeModel::NodeKind::Device));
    QCOMPARE(model.indexForDevice(u"c"_s).parent(), lab);
    QCOMPARE(model.indexForDevice(u"c"_s).row(), 1);
    QCOMPARE(model.deviceNames(), (QStringList { u"a"_s, u"c"_s, u"b"_s }));
    QCOMPARE(model.deviceCount(), 3);
    // a not-yet-contacted device says so
    QCOMPARE(model.data(model.indexForDevice(u"a"_s), FleetTreeModel::StatusRole).toInt(),
        int(DeviceStatus::NotYetContacted));
}

void TestItemModels::treeDiffsHostsWithoutReset()
{
    FleetTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelAboutToBeReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    QList<HostConfig> hosts { device(u"a"_s, u"lab"_s), device(u"b"_s, u"lab"_s), device(u"c"_s, u"lab"_s),
        device(u"d"_s, u"field"_s) };
    model.setHosts(hosts);
    QCOMPARE(inserted.size(), 2); // two new groups, each with its rows

    // the same list again: nothing happens
    inserted.clear();
    changed.clear();
    QVERIFY(model.setHosts(hosts).isEmpty());
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(removed.size(), 0);
    QCOMPARE(changed.size(), 0);

    // remove b and c (one contiguous run), add e to an existing group
    hosts = { device(u"a"_s, u"lab"_s), device(u"d"_s, u"field"_s), device(u"e"_s, u"lab"_s) };
    QCOMPARE(model.setHosts(hosts), QStringList { u"e"_s });
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 1);
    QCOMPARE(removed.at(0).at(2).toInt(), 2);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(childNames(model, groupIndex(model, u"lab"_s)), (QStringList { u"a"_s, u"e"_s }));

    // move d to lab: the empty field group disappears
    removed.clear();
    hosts[1].group = u"lab"_s;
    model.setHosts(hosts);
    QVERIFY(!groupIndex(model, u"field"_s).isValid());
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(childNames(model, groupIndex(model, u"lab"_s)), (QStringList { u"a"_s, u"e"_s, u"d"_s }));

    // a changed address is a dataChanged of that row, not a remove/insert
    removed.clear();
    inserted.clear();
    changed.clear();
    hosts[0].ssh.port = 2222;
    model.setHosts(hosts);
    QCOMPARE(removed.size(), 0);
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>(), model.indexForDevice(u"a"_s));
    QCOMPARE(display(model, model.indexForDevice(u"a"_s, FleetTreeModel::AddressColumn)),
        u"admin@10.0.0.1:2222"_s);

    // non-contiguous removals in one call, duplicates and LXD hosts ignored for now
    hosts = { device(u"e"_s, u"lab"_s), device(u"e"_s, u"other"_s) };
    HostConfig lxd = device(u"lxd1"_s, u"lab"_s);
    lxd.kind = HostKind::Lxd;
    hosts << lxd;
    model.setHosts(hosts);
    QCOMPARE(model.deviceNames(), QStringList { u"e"_s });

    // everything gone
    model.setHosts({});
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.deviceCount(), 0);
    model.setHosts({ device(u"x"_s, {}) });
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(reset.size(), 0);
}

void TestItemModels::treeInventoryAndRefreshingAreDataChanges()
{
    FleetTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setHosts({ device(u"a"_s, u"lab"_s), device(u"b"_s, u"lab"_s) });
    QSignalSpy reset(&model, &QAbstractItemModel::modelAboutToBeReset);
    QSignalSpy layout(&model, &QAbstractItemModel::layoutAboutToBeChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy counts(&model, &FleetTreeModel::countsChanged);

    const QModelIndex b = model.indexForDevice(u"b"_s);
    model.setRefreshing(u"b"_s);
    QCOMPARE(model.data(b, FleetTreeModel::StatusRole).toInt(), int(DeviceStatus::Refreshing));
    QCOMPARE(model.refreshingCount(), 1);
    QVERIFY(changed.size() >= 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>(), b);
    QCOMPARE(changed.at(0).at(1).value<QModelIndex>(), b.siblingAtColumn(FleetTreeModel::ColumnCount - 1));
    QVERIFY(counts.size() >= 1);

    changed.clear();
    model.setInventory(inventory(u"b"_s, DeviceStatus::Ok, { snap(u"core22"_s, u"2024"_s, u"1122"_s) }));
    QCOMPARE(model.data(b, FleetTreeModel::StatusRole).toInt(), int(DeviceStatus::Ok));
    QCOMPARE(model.refreshingCount(), 0);
    QCOMPARE(model.reachableCount(), 1);
    // only b's row and its group's status cell changed
    for (const QList<QVariant> &args : std::as_const(changed)) {
        const QModelIndex tl = args.at(0).value<QModelIndex>();
        QVERIFY(tl == b || tl == b.parent().siblingAtColumn(FleetTreeModel::StatusColumn));
    }
    // the same inventory again changes nothing
    changed.clear();
    model.setInventory(inventory(u"b"_s, DeviceStatus::Ok, { snap(u"core22"_s, u"2024"_s, u"1122"_s) }));
    QCOMPARE(changed.size(), 0);

    // an unknown device is ignored
    model.setInventory(inventory(u"zzz"_s, DeviceStatus::Ok));
    QCOMPARE(model.deviceCount(), 2);

    model.setRefreshing(u"a"_s);
    model.setRefreshing(u"b"_s);
    QCOMPARE(model.refreshingCount(), 2);
    model.clearRefreshing();
    QCOMPARE(model.refreshingCount(), 0);
    QCOMPARE(model.status(u"b"_s), DeviceStatus::Ok); // back to the last known state
    QCOMPARE(model.status(u"a"_s), DeviceStatus::NotYetContacted);

    QCOMPARE(reset.size(), 0);
    QCOMPARE(layout.size(), 0);
    QCOMPARE(inserted.size(), 0);
}

void TestItemModels::treeCountsAndColumns()
{
    FleetTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setHosts(
        { device(u"ok"_s, u"lab"_s), device(u"down"_s, u"lab"_s), device(u"unknown"_s, u"lab"_s) });
    model.setInventory(inventory(u"ok"_s, DeviceStatus::Ok,
        { snap(u"core22"_s, u"1"_s, u"10"_s, UpdateKnowledge::Available),
            snap(u"core22"_s, u"0"_s, u"9"_s), // disabled old revision
            snap(u"hello"_s, u"2.10"_s, u"42"_s, UpdateKnowledge::None) }));
    {
        // mark the old revision inactive
        DeviceInventory inv = model.inventory(u"ok"_s);
        inv.snaps[1].active = false;
        inv.snaps[1].notes = QStringList { u"disabled"_s };
        model.setInventory(inv);
    }
    model.setInventory(inventory(u"down"_s, DeviceStatus::Unreachable));
    model.setInventory(inventory(
        u"unknown"_s, DeviceStatus::Ok, { snap(u"x"_s, u"1"_s, u"1"_s, UpdateKnowledge::Unknown) }));

    auto cell
        = [&](const QString &name, int column) { return display(model, model.indexForDevice(name, column)); };
    QCOMPARE(cell(u"ok"_s, FleetTreeModel::NameColumn), u"ok"_s);
    QCOMPARE(cell(u"ok"_s, FleetTreeModel::StatusColumn), FleetTreeModel::statusText(DeviceStatus::Ok));
    QCOMPARE(cell(u"ok"_s, FleetTreeModel::DialectColumn), u"snapd"_s);
    QCOMPARE(cell(u"ok"_s, FleetTreeModel::SnapsColumn), u"2"_s);
    QCOMPARE(cell(u"ok"_s, FleetTreeModel::UpdatesColumn), u"1"_s);
    QCOMPARE(cell(u"ok"_s, FleetTreeModel::AddressColumn), u"admin@10.0.0.1:22"_s);
    QCOMPARE(cell(u"down"_s, FleetTreeModel::SnapsColumn), QString());
    QCOMPARE(
        cell(u"down"_s, FleetTreeModel::StatusColumn), FleetTreeModel::statusText(DeviceStatus::Unreachable));
    QCOMPARE(cell(u"unknown"_s, FleetTreeModel::UpdatesColumn), u"?"_s);

    const QModelIndex down = model.indexForDevice(u"down"_s);
    QCOMPARE(model.data(down, FleetTreeModel::ErrorRole).toString(), u"connection refused"_s);
    QVERIFY(model.data(down, Qt::ToolTipRole).toString().contains(u"connection refused"_s));
    QCOMPARE(model.data(down, FleetTreeModel::ReachableRole).toBool(), false);

    QCOMPARE(model.deviceCount(), 3);
    QCOMPARE(model.reachableCount(), 2);
    const QModelIndex lab = groupIndex(model, u"lab"_s);
    QCOMPARE(display(model, lab.siblingAtColumn(FleetTreeModel::StatusColumn)), u"2/3 reachable"_s);
    QCOMPARE(model.headerData(FleetTreeModel::UpdatesColumn, Qt::Horizontal).toString(), u"Updates"_s);
}

void TestItemModels::treeSortAndSearchRoles()
{
    FleetTreeModel model;
    model.setHosts({ device(u"b"_s, u"lab"_s), device(u"a"_s, u"lab"_s) });
    model.setInventory(inventory(u"a"_s, DeviceStatus::Ok, { snap(u"core22"_s, u"1"_s, u"1"_s) }));
    const QModelIndex a = model.indexForDevice(u"a"_s, FleetTreeModel::SnapsColumn);
    const QModelIndex b = model.indexForDevice(u"b"_s, FleetTreeModel::SnapsColumn);
    QCOMPARE(model.data(a, FleetTreeModel::SortRole).typeId(), QMetaType::Int);
    QCOMPARE(model.data(a, FleetTreeModel::SortRole).toInt(), 1);
    QCOMPARE(model.data(b, FleetTreeModel::SortRole).toInt(), -1);
    QVERIFY(model.data(a.siblingAtColumn(0), FleetTreeModel::SearchRole).toString().contains(u"core22"_s));
    QVERIFY(
        !model.data(a.siblingAtColumn(0), FleetTreeModel::DeviceSearchRole).toString().contains(u"core22"_s));
    QVERIFY(model.data(a.siblingAtColumn(0), FleetTreeModel::DeviceSearchRole).toString().contains(u"lab"_s));
}

void TestItemModels::treeHostileNames()
{
    FleetTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QString hostile = u"\x1b[31mred\u202e<b>bold</b>\n"_s + QChar(0);
    model.setHosts({ device(hostile, hostile) });
    DeviceInventory inv = inventory(hostile, DeviceStatus::Error);
    inv.error = u"bad\x1b]0;title\x07 thing"_s;
    inv.snaps = { snap(u"evil\x1b[2J"_s, u"1"_s, u"1"_s) };
    model.setInventory(inv);

    const QModelIndex idx = model.indexForDevice(hostile);
    const QString name = display(model, idx);
    QVERIFY(!name.contains(QChar(0x1b)));
    QVERIFY(!name.contains(QChar(0x202e)));
    QVERIFY(!name.contains(u'\n'));
    QVERIFY(name.contains(u"\\x1b"_s));
    QVERIFY(name.contains(u"\\u202e"_s));
    QVERIFY(name.contains(u"\\x00"_s));
    QCOMPARE(name, visibleText(hostile, 512));
    QCOMPARE(model.data(idx, FleetTreeModel::NameRole).toString(), hostile); // raw, for lookups
    QVERIFY(display(model, idx.parent()).contains(u"\\x1b"_s));
    const QString tip = model.data(idx, Qt::ToolTipRole).toString();
    QVERIFY(!tip.contains(QChar(0x1b)));
    QVERIFY(!tip.contains(QChar(0x07)));
    QVERIFY(tip.contains(u"\\x07"_s));
    const QString search = model.data(idx, FleetTreeModel::SearchRole).toString();
    QVERIFY(!search.contains(QChar(0x1b)));

    // a 10k-character name is bounded
    const QString huge(10000, u'n');
    model.setHosts({ device(huge, {}) });
    QVERIFY(display(model, model.indexForDevice(huge)).size() <= 520);
}

void TestItemModels::treeUnderProxy()
{
    FleetTreeModel model;
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setRecursiveFilteringEnabled(true);
    proxy.setAutoAcceptChildRows(true);
    proxy.setFilterRole(FleetTreeModel::SearchRole);
    proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
    proxy.setSortRole(FleetTreeModel::SortRole);
    proxy.sort(0);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);

    model.setHosts({ device(u"b"_s, u"lab"_s), device(u"a"_s, u"lab"_s), device(u"c"_s, u"field"_s) });
    model.setInventory(inventory(u"c"_s, DeviceStatus::Ok, { snap(u"docker"_s, u"1"_s, u"1"_s) }));
    QCOMPARE(proxy.rowCount(), 2);
    QCOMPARE(proxy.data(proxy.index(0, 0), FleetTreeModel::NameRole).toString(), u"field"_s);

    proxy.setFilterFixedString(u"docker"_s);
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(childNames(proxy, proxy.index(0, 0)), QStringList { u"c"_s });

    proxy.setFilterFixedString(u"LAB"_s); // a group name keeps all its devices
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(childNames(proxy, proxy.index(0, 0)), (QStringList { u"a"_s, u"b"_s }));

    proxy.setFilterFixedString(QString());
    model.setRefreshing(u"a"_s);
    model.setInventory(inventory(u"a"_s, DeviceStatus::Unreachable));
    model.setHosts({ device(u"a"_s, u"lab"_s) });
    QCOMPARE(proxy.rowCount(), 1);
}

void TestItemModels::snapsSameDeviceRefreshIsADiff()
{
    SnapsTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelAboutToBeReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    const SnapList first { snap(u"core22"_s, u"20240111"_s, u"1122"_s),
        snap(u"core22"_s, u"20231123"_s, u"1033"_s), snap(u"hello"_s, u"2.10"_s, u"42"_s),
        snap(u"snapd"_s, u"2.61"_s, u"21184"_s) };
    model.setInventory(inventory(u"dev"_s, DeviceStatus::Ok, first));
    QCOMPARE(reset.size(), 1); // showing a device for the first time
    QCOMPARE(model.rowCount(), 4);
    reset.clear();

    // identical refresh: no signals at all
    model.setInventory(inventory(u"dev"_s, DeviceStatus::Ok, first));
    QCOMPARE(changed.size(), 0);
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(removed.size(), 0);

    // core22 r1033 dropped, hello got an update, new snap appeared, order shuffled
    Snap hello = snap(u"hello"_s, u"2.10"_s, u"42"_s, UpdateKnowledge::Available);
    hello.update = { u"2.11"_s, u"43"_s };
    const SnapList second { snap(u"new"_s, u"1"_s, u"1"_s), snap(u"snapd"_s, u"2.61"_s, u"21184"_s), hello,
        snap(u"core22"_s, u"20240111"_s, u"1122"_s) };
    model.setInventory(inventory(u"dev"_s, DeviceStatus::Ok, second));
    QCOMPARE(reset.size(), 0);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 1);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 3);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 1); // hello, now at row 1
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.data(model.index(1, SnapsTableModel::UpdateColumn)).toString(), u"→ 2.11 (r43)"_s);
    QCOMPARE(model.data(model.index(3, SnapsTableModel::NameColumn)).toString(), u"new"_s);

    // the device became unreachable and reports no snaps: rows go, still no reset
    removed.clear();
    model.setInventory(inventory(u"dev"_s, DeviceStatus::Unreachable));
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(removed.size(), 1);
    model.setInventory(inventory(u"dev"_s, DeviceStatus::Ok, first));
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(reset.size(), 0);
}

void TestItemModels::snapsSwitchDeviceResets()
{
    SnapsTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelAboutToBeReset);
    model.setInventory(inventory(u"a"_s, DeviceStatus::Ok, { snap(u"x"_s, u"1"_s, u"1"_s) }));
    model.setInventory(
        inventory(u"b"_s, DeviceStatus::Ok, { snap(u"y"_s, u"1"_s, u"1"_s), snap(u"z"_s, u"1"_s, u"2"_s) }));
    QCOMPARE(reset.size(), 2);
    QCOMPARE(model.device(), u"b"_s);
    QCOMPARE(model.rowCount(), 2);
    model.clear();
    QCOMPARE(reset.size(), 3);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.device(), QString());
    model.clear(); // already empty: no second reset
    QCOMPARE(reset.size(), 3);
}

void TestItemModels::snapsColumns()
{
    SnapsTableModel model;
    Snap held = snap(u"firefox"_s, u"120.0"_s, u"3500"_s, UpdateKnowledge::Available);
    held.update = { u"121.0"_s, std::nullopt };
    held.notes = { u"held"_s };
    Snap disabled = snap(u"firefox"_s, u"119.0"_s, u"3400"_s);
    disabled.active = false;
    disabled.notes = { u"disabled"_s };
    Snap unknown = snap(u"core"_s, u"16"_s, u"100"_s, UpdateKnowledge::Unknown);
    DeviceInventory inv = inventory(u"d"_s, DeviceStatus::Ok, { held, disabled, unknown });
    inv.system.refreshError = u"store unreachable"_s;
    model.setInventory(inv);

    auto cell = [&](int row, int column) { return model.data(model.index(row, column)).toString(); };
    QCOMPARE(cell(0, SnapsTableModel::NameColumn), u"firefox"_s);
    QCOMPARE(cell(0, SnapsTableModel::VersionColumn), u"120.0"_s);
    QCOMPARE(cell(0, SnapsTableModel::RevisionColumn), u"3500"_s);
    QCOMPARE(cell(0, SnapsTableModel::ChannelColumn), u"latest/stable"_s);
    QCOMPARE(cell(0, SnapsTableModel::PublisherColumn), u"canonical"_s);
    QCOMPARE(cell(0, SnapsTableModel::NotesColumn), u"active, held"_s);
    QCOMPARE(cell(0, SnapsTableModel::UpdateColumn), u"→ 121.0"_s);
    QCOMPARE(cell(1, SnapsTableModel::NotesColumn), u"disabled"_s);
    QCOMPARE(cell(1, SnapsTableModel::UpdateColumn), u"—"_s);
    QCOMPARE(cell(2, SnapsTableModel::UpdateColumn), u"?"_s);
    QVERIFY(model.data(model.index(2, SnapsTableModel::UpdateColumn), Qt::ToolTipRole)
                .toString()
                .contains(u"store unreachable"_s));
    QCOMPARE(model.data(model.index(1, 0), SnapsTableModel::ActiveRole).toBool(), false);
    QCOMPARE(model.headerData(SnapsTableModel::UpdateColumn, Qt::Horizontal).toString(), u"Update"_s);
}

void TestItemModels::snapsRevisionSort()
{
    SnapsTableModel model;
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(SnapsTableModel::SortRole);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setInventory(inventory(u"d"_s, DeviceStatus::Ok,
        { snap(u"a"_s, u"1"_s, u"100"_s), snap(u"b"_s, u"1"_s, u"x1"_s), snap(u"c"_s, u"1"_s, u"9"_s),
            snap(u"d"_s, u"1"_s, u"10"_s) }));
    proxy.sort(SnapsTableModel::RevisionColumn, Qt::AscendingOrder);
    QStringList order;
    for (int r = 0; r < proxy.rowCount(); ++r)
        order << proxy.data(proxy.index(r, SnapsTableModel::RevisionColumn)).toString();
    QCOMPARE(order, (QStringList { u"9"_s, u"10"_s, u"100"_s, u"x1"_s }));

    // a refresh adding a row keeps the proxy sorted
    model.setInventory(inventory(u"d"_s, DeviceStatus::Ok,
        { snap(u"a"_s, u"1"_s, u"100"_s), snap(u"b"_s, u"1"_s, u"x1"_s), snap(u"c"_s, u"1"_s, u"9"_s),
            snap(u"d"_s, u"1"_s, u"10"_s), snap(u"e"_s, u"1"_s, u"11"_s) }));
    QCOMPARE(proxy.data(proxy.index(2, SnapsTableModel::RevisionColumn)).toString(), u"11"_s);
}

void TestItemModels::snapsSnappyRowsWithoutRevision()
{
    SnapsTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelAboutToBeReset);
    Snap v141 = snap(u"ubuntu-core"_s, u"141"_s, std::nullopt, UpdateKnowledge::Available);
    v141.update = { u"142"_s, std::nullopt };
    v141.channel = u"edge"_s;
    Snap v140 = snap(u"ubuntu-core"_s, u"140"_s, std::nullopt);
    v140.active = false;
    model.setInventory(inventory(u"old"_s, DeviceStatus::Ok, { v141, v140 }));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.data(model.index(0, SnapsTableModel::RevisionColumn)).toString(), QString());
    QCOMPARE(model.data(model.index(0, SnapsTableModel::UpdateColumn)).toString(), u"→ 142"_s);
    // after the update, 142 is active and 141 stays as the inactive one; 140 is gone
    Snap v142 = snap(u"ubuntu-core"_s, u"142"_s, std::nullopt);
    v141.active = false;
    v141.updateKnowledge = UpdateKnowledge::None;
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.setInventory(inventory(u"old"_s, DeviceStatus::Ok, { v142, v141 }));
    QCOMPARE(removed.size(), 1);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(reset.size(), 1);
}

void TestItemModels::snapsHostileAndDuplicateRows()
{
    SnapsTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Snap evil = snap(u"\x1b[31mevil<script>"_s, u"1\u202e2"_s, u"7\n"_s);
    evil.publisher = u"<b>pub</b>\x1b]8;;http://x\x07"_s;
    evil.notes = { u"held\x1b[0m"_s };
    model.setInventory(inventory(u"d"_s, DeviceStatus::Ok, { evil, evil, evil }));
    QCOMPARE(model.rowCount(), 3);
    for (int c = 0; c < SnapsTableModel::ColumnCount; ++c) {
        const QString text = model.data(model.index(0, c)).toString();
        for (QChar ch : text)
            QVERIFY2(
                ch.unicode() >= 0x20 && ch.unicode() != 0x7f && ch.unicode() != 0x202e, qPrintable(text));
    }
    QCOMPARE(model.data(model.index(0, SnapsTableModel::NameColumn)).toString(), u"\\x1b[31mevil<script>"_s);
    QVERIFY(model.data(model.index(0, SnapsTableModel::PublisherColumn)).toString().contains(u"\\x07"_s));
    // duplicates are distinct rows, and dropping one is one remove
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.setInventory(inventory(u"d"_s, DeviceStatus::Ok, { evil, evil }));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(removed.size(), 1);
}

QTEST_GUILESS_MAIN(TestItemModels)
#include "tst_itemmodels.moc"
