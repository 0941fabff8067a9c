// SPDX-License-Identifier: GPL-3.0-or-later
// Member moves (issue 5: "within a cluster, a member move"), without servers: a cluster member
// node of the fleet tree accepts instances of its own host (the host node still refuses them),
// the drop announces host and member, and the migration dialog turns it into a member-move
// request ("move to member X of H"); choosing another target host drops the member.
#include "LxdHostFixture.h"
#include "MigrationDialog.h"
#include "item/FleetTreeModel.h"
#include "item/InstanceDrag.h"
#include "lxd/LxdMigration.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLabel>
#include <QMimeData>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace canyon;
using canyon::testfixture::lxdHost;

namespace {

LxdClusterMember member(const QString &name)
{
    LxdClusterMember m;
    m.serverName = name;
    m.status = u"Online"_s;
    m.url = u"https://127.0.0.1:8445"_s;
    return m;
}

Instance inst(const QString &name, const QString &location)
{
    Instance i;
    i.name = name;
    i.type = u"container"_s;
    i.status = u"Stopped"_s;
    i.statusCode = 102;
    i.location = location;
    return i;
}

} // namespace

class TestMemberDrop : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void dropOnMemberNode()
    {
        FleetTreeModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setHosts({ lxdHost(u"c"_s), lxdHost(u"b"_s) });
        m.setClusterMembers(u"c"_s, { member(u"m1"_s), member(u"m2"_s) });
        m.setInstances(u"c"_s, { inst(u"web"_s, u"m1"_s) });
        const QModelIndex host = m.indexForLxdHost(u"c"_s);
        const QModelIndex m2 = m.indexForClusterMember(u"c"_s, u"m2"_s);
        const QModelIndex web = m.indexForInstance(u"c"_s, u"web"_s);
        QVERIFY(host.isValid() && m2.isValid() && web.isValid());
        QVERIFY(m.flags(m2).testFlag(Qt::ItemIsDropEnabled));
        std::unique_ptr<QMimeData> data(m.mimeData({ web }));
        QVERIFY(data);
        QCOMPARE(m.dropTargetHost(m2), u"c"_s);
        QCOMPARE(m.dropTargetMember(m2), u"m2"_s);
        QCOMPARE(m.dropTargetMember(host), QString());
        // the host as a whole still refuses its own instances; its member accepts them
        QVERIFY(m.dropRejection(data.get(), host).contains(u"already on c"_s));
        QCOMPARE(m.dropRejection(data.get(), m2), QString());
        QVERIFY(m.canDropMimeData(data.get(), Qt::MoveAction, -1, -1, m2));

        QSignalSpy plain(&m, &FleetTreeModel::instancesDropped);
        QSignalSpy onMember(&m, &FleetTreeModel::instancesDroppedOnMember);
        QVERIFY(m.dropMimeData(data.get(), Qt::MoveAction, -1, -1, m2));
        QCOMPARE(plain.size(), 0);
        QCOMPARE(onMember.size(), 1);
        QCOMPARE(onMember.first().at(0).value<QList<InstanceRef>>(),
            (QList<InstanceRef> { { u"c"_s, u"web"_s } }));
        QCOMPARE(onMember.first().at(1).toString(), u"c"_s);
        QCOMPARE(onMember.first().at(2).toString(), u"m2"_s);
        QVERIFY(!m.dropMimeData(data.get(), Qt::MoveAction, -1, -1, host));
        QCOMPARE(onMember.size(), 1);
        QCOMPARE(plain.size(), 0);
    }

    void dialogRequestsAMemberMove()
    {
        QTemporaryDir dir;
        // no servers: plans come back with problems, the request is what is checked here
        LxdMigrator migrator(
            [](const QString &, QString *err) -> LxdClient * {
                if (err)
                    *err = u"no server in this test"_s;
                return nullptr;
            },
            dir.path());
        MigrationDialog dialog(&migrator, { { u"c"_s, u"web"_s } }, { u"b"_s, u"c"_s }, u"c"_s);
        dialog.setTargetMember(u"m2"_s);
        QCOMPARE(dialog.targetHost(), u"c"_s);
        QCOMPARE(dialog.targetMember(), u"m2"_s);
        auto *header = dialog.findChild<QLabel *>(u"headerLabel"_s);
        QVERIFY(header);
        QVERIFY2(header->text().contains(u"to member m2 of c"_s), qPrintable(header->text()));
        const QList<MigrationRequest> reqs = dialog.requests();
        QCOMPARE(reqs.size(), 1);
        QCOMPARE(reqs.first().targetMember, u"m2"_s);
        QVERIFY(reqs.first().isMemberMove());
        QCOMPARE(reqs.first().mode, MigrationMode::Auto);

        // another target host: no member any more
        auto *combo = dialog.findChild<QComboBox *>(u"targetCombo"_s);
        QVERIFY(combo);
        combo->setCurrentIndex(combo->findData(u"b"_s));
        QCOMPARE(dialog.targetMember(), QString());
        QVERIFY(dialog.requests().first().targetMember.isEmpty());
        QVERIFY(!header->text().contains(u"member"_s));
    }
};

QTEST_MAIN(TestMemberDrop)
#include "tst_memberdrop.moc"
