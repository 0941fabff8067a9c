// SPDX-License-Identifier: GPL-3.0-or-later
// The LXD part of the console, offscreen, against the testbed's real LXD 5.0.2 daemon:
// Add LXD Host (certificate shown, pinned, trust password), the instance in the tree and the
// Instances tab, start and stop from the tab with the status following the events, charts
// getting samples, and the operations dock listing the actions.
#include "AddLxdHostDialog.h"
#include "InstancesView.h"
#include "LxdConsole.h"
#include "MainWindow.h"
#include "OperationsDock.h"
#include "TestbedEnv.h"
#include "charts/InstanceChartsView.h"
#include "fleet/Config.h"
#include "item/FleetTreeModel.h"
#include "item/InstancesTableModel.h"
#include "item/OperationsModel.h"
#include "lxd/LxdClientCertificate.h"
#include "lxd/LxdService.h"

#include <QAction>
#include <QCheckBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace canyon;
using namespace Qt::StringLiterals;

namespace {

QString lxc(const QStringList &args, int *exitCode = nullptr)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"LXD_DIR"_s, testbed::env("CANYON_LXD_DIR"));
    p.setProcessEnvironment(env);
    p.start(u"lxc"_s, args);
    p.closeWriteChannel();
    const bool finished = p.waitForFinished(60000);
    if (exitCode)
        *exitCode = finished && p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

} // namespace

class TestLxdGui : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void addHostStartStopAndCharts();
    void changedCertificateIsRefusedLoudly();
    void lxdOnlyFleetOverSshRefreshes();
    void cleanupTestCase();
    void hostSumOfSeries();

private:
    QTemporaryDir m_settingsDir;
    QTemporaryDir m_configDir;
    QString m_sha;
    QString m_container;
    QString m_clientSha;
};

void TestLxdGui::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_settingsDir.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    CANYON_NEED_ENV("CANYON_LXD_HTTPS");
    CANYON_NEED_ENV("CANYON_LXD_DIR");
    CANYON_NEED_ENV("CANYON_LXD_IMAGE");
    CANYON_NEED_ENV("CANYON_LXD_TRUST_PASSWORD");
    const auto certs = QSslCertificate::fromPath(testbed::env("CANYON_LXD_DIR") + u"/server.crt"_s);
    QCOMPARE(certs.size(), 1);
    m_sha = certificateSha256(certs.first());
    m_container = u"canyon-gui-%1"_s.arg(QCoreApplication::applicationPid());
    int rc = -1;
    lxc({ u"init"_s, testbed::env("CANYON_LXD_IMAGE"), m_container }, &rc);
    QCOMPARE(rc, 0);
}

void TestLxdGui::addHostStartStopAndCharts()
{
    Config config = Config::fromDirectory(m_configDir.path());
    FleetService fleet(config);
    QString error;
    QVERIFY2(fleet.load(&error), qPrintable(error));
    MainWindow w(&fleet, MainWindow::Options { false });
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto *lxd = w.findChild<LxdService *>();
    auto *console = w.findChild<LxdConsole *>();
    QVERIFY(lxd && console);
    console->setStateInterval(300);

    // --- Add LXD Host: the certificate is shown, accepted (pinned), the client trusted
    auto *add = w.findChild<QAction *>(u"actionAddLxdHost"_s);
    QVERIFY(add && add->isEnabled());
    add->trigger();
    AddLxdHostDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = w.findChild<AddLxdHostDialog *>()) != nullptr);
    QPointer<AddLxdHostDialog> guard(dialog);
    dialog->findChild<QLineEdit *>(u"nameEdit"_s)->setText(u"testbed-lxd"_s);
    dialog->findChild<QLineEdit *>(u"urlEdit"_s)->setText(u"https://"_s + testbed::env("CANYON_LXD_HTTPS"));
    auto *addButton = dialog->findChild<QPushButton *>(u"addButton"_s);
    QVERIFY(!addButton->isEnabled()); // nothing to pin yet
    dialog->findChild<QPushButton *>(u"connectButton"_s)->click();
    QTRY_COMPARE_WITH_TIMEOUT(dialog->shownSha256(), m_sha, 20000);
    const QString shown
        = dialog->findChild<QLabel *>(u"fingerprintLabel"_s)->text().remove(u' ').remove(u'\n');
    QCOMPARE(shown, m_sha);
    QVERIFY(!addButton->isEnabled()); // not before the user confirms the fingerprint
    dialog->findChild<QCheckBox *>(u"acceptCertificateCheck"_s)->setChecked(true);
    dialog->findChild<QLineEdit *>(u"secretEdit"_s)->setText(testbed::env("CANYON_LXD_TRUST_PASSWORD"));
    QVERIFY(addButton->isEnabled());
    addButton->click();
    QTRY_VERIFY_WITH_TIMEOUT(guard.isNull() || !guard->isVisible(), 30000);
    const auto host = fleet.host(u"testbed-lxd"_s);
    QVERIFY(host);
    QCOMPARE(host->kind, HostKind::Lxd);
    QCOMPARE(host->lxdCertificateSha256, m_sha);
    LxdClientCertificate identity;
    QVERIFY(LxdClientCertificate::ensure(config.configDir(), &identity, &error));
    m_clientSha = certificateSha256(identity.certificate);

    // --- the tree: the host with a green dot and its instances; the Instances tab follows
    FleetTreeModel *tree = w.fleetModel();
    QTRY_VERIFY_WITH_TIMEOUT(tree->indexForInstance(u"testbed-lxd"_s, m_container).isValid(), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(tree->lxdHostStatus(u"testbed-lxd"_s), DeviceStatus::Ok, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(
        lxd->eventStreamState(u"testbed-lxd"_s), LxdEventStream::State::Connected, 20000);
    auto *tabs = w.findChild<QTabWidget *>(u"detailTabs"_s);
    auto *instancesView = w.findChild<InstancesView *>();
    QVERIFY(tabs && instancesView);
    QCOMPARE(tabs->currentWidget(), instancesView); // the new host was selected
    InstancesTableModel *model = console->instancesModel();
    QTRY_VERIFY(model->indexOf(u"testbed-lxd"_s, m_container).isValid());
    QCOMPARE(model->instance(u"testbed-lxd"_s, m_container)->status, u"Stopped"_s);

    // --- Start from the Instances tab; the status arrives by the events websocket
    QSignalSpy updates(lxd, &LxdService::instanceUpdated);
    instancesView->selectInstance(u"testbed-lxd"_s, m_container);
    QCOMPARE(instancesView->selectedInstances().size(), 1);
    QAction *start = instancesView->action(InstanceAction::Start);
    QVERIFY(start->isEnabled());
    QVERIFY(!instancesView->action(InstanceAction::Stop)->isEnabled());
    start->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(model->instance(u"testbed-lxd"_s, m_container)->status, u"Running"_s, 60000);
    const auto updatedByEvent = [&](const QString &status) {
        for (const QList<QVariant> &args : std::as_const(updates))
            if (args.at(1).value<Instance>().name == m_container
                && args.at(1).value<Instance>().status == status)
                return true;
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(updatedByEvent(u"Running"_s), 20000);
    QTRY_COMPARE(
        tree->indexForInstance(u"testbed-lxd"_s, m_container, FleetTreeModel::StatusColumn).data().toString(),
        u"Running"_s);
    QTRY_VERIFY_WITH_TIMEOUT(model->indexOf(u"testbed-lxd"_s, m_container, InstancesTableModel::ResultColumn)
                                 .data()
                                 .toString()
                                 .contains(u"done"_s),
        20000);
    auto *operations = w.findChild<OperationsModel *>();
    QVERIFY(operations);
    QTRY_VERIFY(operations->rowCount() > 0);

    // --- Charts: the running instance gets samples (state loaded only because it is charted)
    auto *charts = w.findChild<InstanceChartsView *>();
    QVERIFY(charts);
    tabs->setCurrentWidget(charts);
    QTRY_VERIFY(charts->targets().contains(InstanceChartsView::Key { u"testbed-lxd"_s, m_container }));
    const int idx = int(charts->targets().indexOf(InstanceChartsView::Key { u"testbed-lxd"_s, m_container }));
    QTRY_VERIFY_WITH_TIMEOUT(charts->memoryChart()->pointCount(idx) >= 2, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(charts->cpuChart()->pointCount(idx) >= 1, 20000); // a rate needs two samples
    QVERIFY(lxd->metrics(u"testbed-lxd"_s, m_container));
    // Disk: the testbed's pool is "dir", whose state has "disk": {} - not reported, never a 0
    QVERIFY(lxd->metrics(u"testbed-lxd"_s, m_container)->diskBytes.isEmpty());
    QCOMPARE(charts->diskChart()->pointCount(idx), 0);
    QTRY_VERIFY(charts->diskNote()->isVisibleTo(charts));
    // Per host: one series per host, the sum of its charted instances
    charts->setSumPerHost(true);
    QCOMPARE(charts->memoryChart()->seriesCount(), 1);
    QTRY_VERIFY(charts->memoryChart()->pointCount(0) >= 1); // 2 s buckets
    QCOMPARE(charts->diskChart()->pointCount(0), 0);
    charts->setSumPerHost(false);
    QCOMPARE(charts->memoryChart()->seriesCount(), int(charts->targets().size()));
    // to look at what was built: CANYON_LXDGUI_SHOT=/tmp/charts.png (waits for a few more samples)
    if (const QString shot = qEnvironmentVariable("CANYON_LXDGUI_SHOT"); !shot.isEmpty()) {
        w.resize(1400, 900);
        QTest::qWait(8000);
        QVERIFY(w.grab().save(shot));
    }

    // --- Force stop from the Instances tab (busybox ignores a clean shutdown request)
    tabs->setCurrentWidget(instancesView);
    instancesView->selectInstance(u"testbed-lxd"_s, m_container);
    QAction *forceStop = instancesView->action(InstanceAction::Stop, true);
    QTRY_VERIFY(forceStop->isEnabled());
    updates.clear();
    forceStop->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(model->instance(u"testbed-lxd"_s, m_container)->status, u"Stopped"_s, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(updatedByEvent(u"Stopped"_s), 20000);
    QCOMPARE(lxc({ u"list"_s, m_container, u"-c"_s, u"s"_s, u"--format"_s, u"csv"_s }), u"STOPPED"_s);
    QTRY_COMPARE_WITH_TIMEOUT(operations->runningCount(), 0, 20000);
    w.close();
}

void TestLxdGui::changedCertificateIsRefusedLoudly()
{
    // a host pinned to another certificate (as if the server had been replaced since)
    QTemporaryDir dir;
    Config config = Config::fromDirectory(dir.path());
    HostConfig h;
    h.name = u"swapped-lxd"_s;
    h.kind = HostKind::Lxd;
    h.lxdUrl = u"https://"_s + testbed::env("CANYON_LXD_HTTPS");
    h.lxdCertificateSha256 = QString(64, u'a');
    QString error;
    QVERIFY(config.saveHosts({ h }, &error));
    FleetService fleet(config);
    QVERIFY2(fleet.load(&error), qPrintable(error));
    MainWindow w(&fleet); // contacts its hosts on start
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QTRY_COMPARE_WITH_TIMEOUT(
        w.fleetModel()->lxdHostStatus(u"swapped-lxd"_s), DeviceStatus::HostKeyChanged, 20000);
    QMessageBox *box = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((box = w.findChild<QMessageBox *>()) != nullptr && box->isVisible(), 10000);
    QVERIFY2(box->text().contains(QString(64, u'a')), qPrintable(box->text())); // the pinned one
    QVERIFY2(box->text().contains(m_sha), qPrintable(box->text())); // the one presented
    QCOMPARE(box->textFormat(), Qt::PlainText);
    QTest::qWait(1500); // the events stream is refused too: the status stays the precise one
    QCOMPARE(w.fleetModel()->lxdHostStatus(u"swapped-lxd"_s), DeviceStatus::HostKeyChanged);
    QCOMPARE(fleet.host(u"swapped-lxd"_s)->lxdCertificateSha256, QString(64, u'a')); // the pin is unchanged
    QCOMPARE(
        w.fleetModel()->rowCount(w.fleetModel()->indexForLxdHost(u"swapped-lxd"_s)), 0); // nothing listed
    w.close();
}

// An LXD-only fleet whose host is reached over SSH (its unix socket through the testbed's sshd):
// Refresh is enabled without any device, and it lists the host's instances.
void TestLxdGui::lxdOnlyFleetOverSshRefreshes()
{
    CANYON_NEED_ENV("CANYON_SSHD_DIR");
    CANYON_NEED_ENV("CANYON_LXD_SOCKET");
    QTemporaryDir dir;
    Config config = Config::fromDirectory(dir.path());
    QFile targets(testbed::env("CANYON_SSHD_DIR") + u"/targets.txt"_s);
    QVERIFY(targets.open(QIODevice::ReadOnly));
    const QString target = QString::fromLatin1(targets.readLine().simplified().split(' ').value(0));
    // Canyon's own known_hosts trusts the testbed's keys (as an earlier `hosts add` would have)
    QVERIFY(QFile::copy(testbed::env("CANYON_SSHD_KNOWN_HOSTS"), config.knownHostsFile()));
    HostConfig h;
    h.name = u"socket-lxd"_s;
    h.kind = HostKind::Lxd;
    h.identityFile = testbed::env("CANYON_SSHD_KEY");
    h.lxdUrl = u"ssh://"_s + target + testbed::env("CANYON_LXD_SOCKET");
    QString error;
    QVERIFY(config.saveHosts({ h }, &error));
    FleetService fleet(config);
    QVERIFY2(fleet.load(&error), qPrintable(error));
    MainWindow w(&fleet, MainWindow::Options { false }); // nothing contacted on start
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto *refresh = w.findChild<QAction *>(u"actionRefresh"_s);
    QVERIFY(refresh);
    QVERIFY(refresh->isEnabled());
    QSignalSpy listed(w.findChild<LxdService *>(), &LxdService::instancesRefreshed);
    refresh->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!listed.isEmpty(), 30000);
    const LxdResult r = listed.first().at(2).value<LxdResult>();
    QVERIFY2(r.ok(), qPrintable(r.error));
    QTRY_VERIFY_WITH_TIMEOUT(w.fleetModel()->indexForInstance(u"socket-lxd"_s, m_container).isValid(), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(w.fleetModel()->lxdHostStatus(u"socket-lxd"_s), DeviceStatus::Ok, 10000);
    w.close();
}

void TestLxdGui::cleanupTestCase()
{
    if (testbed::env("CANYON_LXD_DIR").isEmpty())
        return;
    // what this test created goes: the container, and the trust of its client certificate
    if (!m_container.isEmpty())
        lxc({ u"delete"_s, u"--force"_s, m_container });
    if (!m_clientSha.isEmpty())
        lxc({ u"config"_s, u"trust"_s, u"remove"_s, m_clientSha.left(12) });
}

// The per-host sum: buckets of 2 s, a late sample carried one bucket forward, not further.
void TestLxdGui::hostSumOfSeries()
{
    const QList<QPointF> a { { 0, 1 }, { 2000, 2 }, { 4000, 3 }, { 6000, 4 } };
    const QList<QPointF> b { { 100, 10 }, { 2100, 20 }, /* 4000 missing */ { 6100, 40 } };
    const QList<QPointF> sum = InstanceChartsView::sumSeries({ a, b }, 2000);
    QCOMPARE(sum, (QList<QPointF> { { 0, 11 }, { 2000, 22 }, { 4000, 23 }, { 6000, 44 } }));
    // b gone for longer than a bucket: not summed from its stale value
    const QList<QPointF> c { { 0, 1 }, { 2000, 1 }, { 4000, 1 }, { 6000, 1 } };
    const QList<QPointF> d { { 0, 100 } };
    QCOMPARE(InstanceChartsView::sumSeries({ c, d }, 2000),
        (QList<QPointF> { { 0, 101 }, { 2000, 101 }, { 4000, 1 }, { 6000, 1 } }));
    QVERIFY(InstanceChartsView::sumSeries({}, 2000).isEmpty());
}

QTEST_MAIN(TestLxdGui)
#include "tst_lxdgui.moc"
