// SPDX-License-Identifier: GPL-3.0-or-later
// A REAL snapd (in an LXD container of the testbed) read in every dialect it speaks: the REST
// API through an SSH channel to /run/snapd.socket, and the `snap` CLI; both must agree.
#include "TestbedEnv.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace canyon;
using namespace canyon::testbed;

class TestSnapdDevice : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void restAndCliAgree();
    void autoDetectPrefersRest();

private:
    DeviceInventory read(const QString &dialect);
    HostConfig m_host;
    QString m_knownHosts;
};

void TestSnapdDevice::initTestCase()
{
    CANYON_NEED_ENV("CANYON_SNAPD_PORT");
    m_host.name = u"snapd-real"_s;
    m_host.ssh = { env("CANYON_SNAPD_USER"), env("CANYON_SNAPD_HOST"), env("CANYON_SNAPD_PORT").toInt() };
    m_host.identityFile = env("CANYON_SNAPD_KEY");
    m_knownHosts = env("CANYON_SNAPD_KNOWN_HOSTS");
}

DeviceInventory TestSnapdDevice::read(const QString &dialect)
{
    QTemporaryDir cfg;
    FleetService fleet(Config::fromDirectory(cfg.path()));
    fleet.setSshConfigFile(u"none"_s);
    fleet.setUserKnownHostsFile(m_knownHosts);
    HostConfig h = m_host;
    h.dialect = dialect;
    QString error;
    if (!fleet.addHost(h, &error))
        return {};
    return refreshAll(fleet).value(h.name);
}

void TestSnapdDevice::restAndCliAgree()
{
    const DeviceInventory rest = read(u"snapd"_s);
    QVERIFY2(rest.status == DeviceStatus::Ok, qPrintable(rest.error));
    QCOMPARE(rest.dialect, Dialect::SnapdRest);
    const DeviceInventory cli = read(u"snap"_s);
    QVERIFY2(cli.status == DeviceStatus::Ok, qPrintable(cli.error));
    QCOMPARE(cli.dialect, Dialect::SnapCli);

    // the locally packed snaps of the testbed, with the disabled first build of the base
    auto key = [](const Snap &s) -> QString { return s.name + u'@' + s.revision.value_or(QString()); };
    QStringList restKeys, cliKeys;
    for (const Snap &s : rest.snaps)
        restKeys << key(s);
    for (const Snap &s : cli.snaps)
        cliKeys << key(s);
    restKeys.sort();
    cliKeys.sort();
    QCOMPARE(restKeys, cliKeys);
    QVERIFY(restKeys.contains(u"tb-app@x1"_s));
    QVERIFY(restKeys.contains(u"tb-base@x1"_s));
    QVERIFY(restKeys.contains(u"tb-base@x2"_s));
    for (const Snap &r : rest.snaps) {
        const auto it = std::find_if(
            cli.snaps.cbegin(), cli.snaps.cend(), [&](const Snap &c) { return key(c) == key(r); });
        QVERIFY(it != cli.snaps.cend());
        QCOMPARE(it->version, r.version);
        QCOMPARE(it->active, r.active);
        QCOMPARE(QSet<QString>(it->notes.cbegin(), it->notes.cend()),
            QSet<QString>(r.notes.cbegin(), r.notes.cend()));
        if (r.name == u"tb-base" && r.revision == u"x1"_s) {
            QVERIFY(!r.active);
            QVERIFY(r.notes.contains(u"disabled"_s));
        }
    }
    // snapd's own view of the system
    QVERIFY(!rest.system.snapdVersion.isEmpty());
    QCOMPARE(rest.system.os, u"debian"_s);
    QCOMPARE(rest.system.release, cli.system.release);
    QVERIFY(!rest.system.architecture.isEmpty());
    // The testbed's snaps are locally installed (no store id): snapd does not ask the store
    // for them and answers "up to date" in both dialects. Both must say the same.
    QCOMPARE(rest.system.refreshError, cli.system.refreshError);
    for (const Snap &s : rest.snaps)
        QCOMPARE(s.updateKnowledge, UpdateKnowledge::None);
    for (const Snap &s : cli.snaps)
        QCOMPARE(s.updateKnowledge, UpdateKnowledge::None);
}

void TestSnapdDevice::autoDetectPrefersRest()
{
    const DeviceInventory inv = read(QString());
    QVERIFY2(inv.status == DeviceStatus::Ok, qPrintable(inv.error));
    QCOMPARE(inv.dialect, Dialect::SnapdRest);
    // the snappy dialect is not there on a modern device
    const DeviceInventory snappy = read(u"snappy"_s);
    QCOMPARE(snappy.status, DeviceStatus::Unsupported);
}

QTEST_GUILESS_MAIN(TestSnapdDevice)
#include "tst_snapddevice.moc"
