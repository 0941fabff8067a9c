// SPDX-License-Identifier: GPL-3.0-or-later
// Hundreds of devices and injected faults, through the shipped simulator (canyon-fleetsim serve):
// every device gets its own classified result by its deadline; a slow, silent, dropping or
// hostile device never holds up or spoils another's row.
#include "SimServer.h"
#include "SimulatorProcess.h"
#include "TestbedEnv.h"
#include "domain/PlainText.h"
#include "fleet/InventoryJson.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace canyon;

class TestFleetsimScale : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void twoHundredDevices();
    void faultsStayLocal();
    void failedReadKeepsLastKnown();
    void cleanup();

private:
    bool startSim(const QStringList &extra);
    std::unique_ptr<FleetService> fleetFor(QTemporaryDir &cfg, int devices, int timeoutMs);
    QTemporaryDir m_keys;
    QProcess m_sim;
    int m_port = 0;
};

void TestFleetsimScale::initTestCase()
{
    QVERIFY(m_keys.isValid());
    QVERIFY(testsupport::makeSimulatorKeys(m_keys.path()));
}

bool TestFleetsimScale::startSim(const QStringList &extra)
{
    m_port = testsupport::startSimulator(m_sim, m_keys.path(), extra);
    return m_port > 0;
}

std::unique_ptr<FleetService> TestFleetsimScale::fleetFor(QTemporaryDir &cfg, int devices, int timeoutMs)
{
    // our own simulator: pre-trust its host key in Canyon's known_hosts
    if (!testsupport::trustSimulator(m_keys.path(), m_port, cfg.path() + u"/known_hosts"_s))
        return {};
    auto fleet = std::make_unique<FleetService>(Config::fromDirectory(cfg.path()));
    fleet->setSshConfigFile(u"none"_s);
    fleet->setUserKnownHostsFile(cfg.path() + u"/none"_s);
    fleet->setTimeoutMs(timeoutMs);
    fleet->setMaxConcurrency(64);
    QString error;
    for (int i = 0; i < devices; ++i) {
        HostConfig h;
        h.name = sim::userForDevice(i);
        h.ssh = { h.name, u"127.0.0.1"_s, m_port };
        h.identityFile = m_keys.path() + u"/client"_s;
        h.group = i % 2 ? u"odd"_s : u"even"_s;
        if (!fleet->addHost(h, &error))
            return {};
    }
    return fleet;
}

void TestFleetsimScale::twoHundredDevices()
{
    const int n = 200, unsupported = 2;
    QVERIFY(
        startSim({ u"--devices"_s, QString::number(n), u"--unsupported"_s, QString::number(unsupported) }));
    QTemporaryDir cfg;
    auto fleet = fleetFor(cfg, n, 30000);
    QVERIFY(fleet);
    QElapsedTimer clock;
    clock.start();
    auto results = testbed::refreshAll(*fleet, {}, 120000);
    const qint64 cold = clock.elapsed();
    QCOMPARE(results.size(), n);
    int snappy = 0, snap = 0, none = 0;
    for (int i = 0; i < n; ++i) {
        const DeviceInventory inv = results.value(sim::userForDevice(i));
        if (i >= n - unsupported) {
            QCOMPARE(inv.status, DeviceStatus::Unsupported);
            ++none;
            continue;
        }
        QVERIFY2(inv.status == DeviceStatus::Ok, qPrintable(inv.host + u": "_s + inv.error));
        QVERIFY(!inv.snaps.isEmpty());
        const Dialect expected
            = sim::hasTrait(i, 20, sim::Trait::Snappy) ? Dialect::Snappy : Dialect::SnapCli;
        QCOMPARE(inv.dialect, expected);
        (expected == Dialect::Snappy ? snappy : snap)++;
    }
    QVERIFY(snappy > 0 && snap > 0 && none == unsupported);
    // warm: the kept sessions answer again, identically
    clock.restart();
    auto warm = testbed::refreshAll(*fleet, {}, 120000);
    const qint64 warmMs = clock.elapsed();
    QCOMPARE(warm.size(), n);
    for (int i = 0; i < n - unsupported; ++i) {
        QCOMPARE(warm.value(sim::userForDevice(i)).snaps, results.value(sim::userForDevice(i)).snaps);
        // system facts carried over from the cold read (snapd/core/kernel revisions unchanged)
        QCOMPARE(warm.value(sim::userForDevice(i)).system, results.value(sim::userForDevice(i)).system);
    }
    qInfo("200 simulated devices: cold %lld ms, warm %lld ms", cold, warmMs);
    QVERIFY2(warmMs < cold, "a warm refresh over kept sessions should beat a cold one");
}

void TestFleetsimScale::faultsStayLocal()
{
    const int n = 100, slowMs = 6000, timeoutMs = 4000;
    QVERIFY(startSim({ u"--devices"_s, QString::number(n), u"--slow-ms"_s, QString::number(slowMs),
        u"--slow-share"_s, u"10"_s, u"--drop-share"_s, u"10"_s, u"--hostile-share"_s, u"10"_s,
        u"--silent-share"_s, u"5"_s }));
    QTemporaryDir cfg;
    auto fleet = fleetFor(cfg, n, timeoutMs);
    QVERIFY(fleet);
    QHash<QString, qint64> arrival;
    QElapsedTimer clock;
    clock.start();
    connect(fleet.get(), &FleetService::deviceInventoryReady, this,
        [&](const DeviceInventory &inv) { arrival.insert(inv.host, clock.elapsed()); });
    const auto results = testbed::refreshAll(*fleet, {}, 60000);
    const qint64 total = clock.elapsed();
    QCOMPARE(results.size(), n);
    // every device ends by its deadline (plus scheduling slack), none waits for another
    QVERIFY2(total < timeoutMs + 4000, qPrintable(u"refresh took %1 ms"_s.arg(total)));
    int healthy = 0;
    for (int i = 0; i < n; ++i) {
        const QString name = sim::userForDevice(i);
        const DeviceInventory inv = results.value(name);
        const bool slow = sim::hasTrait(i, 10, sim::Trait::Slow);
        const bool drop = sim::hasTrait(i, 10, sim::Trait::Drop);
        const bool silent = sim::hasTrait(i, 5, sim::Trait::Silent);
        const bool hostile = sim::hasTrait(i, 10, sim::Trait::Hostile);
        QVERIFY2(inv.status != DeviceStatus::NotYetContacted && inv.status != DeviceStatus::Refreshing,
            qPrintable(name));
        if (inv.status != DeviceStatus::Ok)
            QVERIFY2(!inv.error.isEmpty(), qPrintable(name));
        if (silent || slow) {
            QCOMPARE(inv.status, DeviceStatus::Unreachable); // deadline, classified
            QVERIFY(inv.error.contains(u"in time"_s));
        } else if (drop) {
            QVERIFY2(inv.status != DeviceStatus::Ok || !inv.snaps.isEmpty(), qPrintable(name));
        } else if (hostile) {
            // hostile names are data: kept, never executed or rendered; display makes them visible
            QVERIFY2(
                inv.status == DeviceStatus::Ok || inv.status == DeviceStatus::Error, qPrintable(inv.error));
            for (const Snap &s : inv.snaps) {
                const QString shown = visibleText(s.name, 512);
                QVERIFY(!shown.contains(QChar(0x1b)));
                QVERIFY(shown.size() <= 513);
            }
        } else {
            QVERIFY2(inv.status == DeviceStatus::Ok, qPrintable(name + u": "_s + inv.error));
            QVERIFY(!inv.snaps.isEmpty());
            // healthy rows do not wait for the slow and silent ones
            QVERIFY2(arrival.value(name) < timeoutMs,
                qPrintable(u"%1 arrived at %2 ms"_s.arg(name).arg(arrival.value(name))));
            ++healthy;
        }
    }
    QHash<QString, int> byStatus;
    for (const DeviceInventory &inv : results)
        byStatus[deviceStatusName(inv.status)]++;
    QStringList summary;
    for (auto it = byStatus.cbegin(); it != byStatus.cend(); ++it)
        summary << u"%1=%2"_s.arg(it.key()).arg(it.value());
    summary.sort();
    qInfo("faults: %s in %lld ms, %d healthy", qPrintable(summary.join(u' ')), total, healthy);
    QVERIFY(healthy >= n / 2);
}

void TestFleetsimScale::failedReadKeepsLastKnown()
{
    QVERIFY(startSim({ u"--devices"_s, u"3"_s }));
    QTemporaryDir cfg;
    auto fleet = fleetFor(cfg, 3, 5000);
    QVERIFY(fleet);
    auto first = testbed::refreshAll(*fleet);
    const DeviceInventory good = first.value(sim::userForDevice(0));
    QCOMPARE(good.status, DeviceStatus::Ok);
    QVERIFY(good.lastOkAt.isValid());
    QVERIFY(!good.snaps.isEmpty());
    QString error;
    QVERIFY(fleet->saveInventoryCache(&error));

    cleanup(); // the devices go away
    auto second = testbed::refreshAll(*fleet);
    const DeviceInventory gone = second.value(sim::userForDevice(0));
    QCOMPARE(gone.status, DeviceStatus::Unreachable);
    QVERIFY(!gone.error.isEmpty());
    // the console keeps showing what it last knew, saying when it was read
    QCOMPARE(gone.snaps, good.snaps);
    QCOMPARE(gone.lastOkAt, good.lastOkAt);
    QCOMPARE(fleet->inventory(gone.host).snaps, good.snaps);
    // a script never gets old data presented as this run's
    QVERIFY(inventoryToJson(gone).value(u"snaps"_s).toArray().isEmpty());
    QCOMPARE(inventoryToJson(gone).value(u"status"_s).toString(), u"unreachable"_s);
    // and a restarted console starts from the cache, kept data included
    QVERIFY(fleet->saveInventoryCache(&error));
    FleetService reopened(Config::fromDirectory(cfg.path()));
    QVERIFY(reopened.load(&error));
    QCOMPARE(reopened.inventory(gone.host).snaps, good.snaps);
    QCOMPARE(reopened.inventory(gone.host).status, DeviceStatus::Unreachable);
}

void TestFleetsimScale::cleanup()
{
    testsupport::stopSimulator(m_sim);
}

QTEST_GUILESS_MAIN(TestFleetsimScale)
#include "tst_fleetsimscale.moc"
