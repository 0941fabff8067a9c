// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 6 in the main window, offscreen, against the shipped simulator (canyon-fleetsim serve):
// select a device, open "Config & logs", fetch snap changes and a change's tasks, snap info and
// 500 lines of service logs; a hostile device's output stays plain text. Secrets: with no
// keychain "Remember in the keychain" is disabled with its reason and nothing reaches the disk;
// with a real gnome-keyring (run-with-keyring.sh) a remembered password is read back before the
// next start's first refresh, and no file holds it in plain text (QUALITY.md R8).
#include "AddDeviceDialog.h"
#include "ConfigLogsWidget.h"
#include "DemoFleet.h"
#include "KeychainSecrets.h"
#include "MainWindow.h"
#include "PasswordDialog.h"
#include "SimServer.h"
#include "SimulatorProcess.h"
#include "TextViewer.h"
#include "fleet/Config.h"
#include "fleet/FleetService.h"
#include "item/FleetTreeModel.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QUuid>
#include <memory>

using namespace Qt::StringLiterals;
using namespace canyon;

namespace {

void selectDevice(MainWindow &w, const QString &name)
{
    auto *tree = w.findChild<QTreeView *>(u"fleetTree"_s);
    QVERIFY(tree);
    auto *proxy = tree->model();
    for (int g = 0; g < proxy->rowCount(); ++g) {
        const QModelIndex group = proxy->index(g, 0);
        for (int r = 0; r < proxy->rowCount(group); ++r) {
            const QModelIndex idx = proxy->index(r, 0, group);
            if (idx.data(FleetTreeModel::NameRole).toString() == name) {
                tree->selectionModel()->setCurrentIndex(
                    idx, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
                return;
            }
        }
    }
    QFAIL(qPrintable(u"device not shown: "_s + name));
}

// Every file under dir that holds secret in a plain encoding.
QStringList filesHolding(const QString &dir, const QString &secret)
{
    const QList<QByteArray> needles { secret.toUtf8(), secret.toUtf8().toBase64(), secret.toUtf8().toHex(),
        QByteArray(reinterpret_cast<const char *>(secret.utf16()), secret.size() * 2) };
    QStringList hits;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray data = f.readAll();
        for (const QByteArray &n : needles)
            if (data.contains(n))
                hits << f.fileName();
    }
    return hits;
}

} // namespace

class TestViewerGui : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void changesTasksInfoLogs();
    void hostileOutputStaysPlain();
    void snappyDeviceShowsWhatExists();
    void noKeychainAsksEachTime();
    void rememberedSecretReadBeforeRefresh(); // run-with-keyring.sh
    void screenshots(); // README: CANYON_SCREENSHOT_DIR=DIR xvfb-run -s '-screen 0 1400x900x24' tst_viewergui
                        // screenshots
    void cleanup();

private:
    bool startSim(const QStringList &extra);
    std::unique_ptr<FleetService> fleetFor(const QString &configDir, const QList<int> &devices);
    QTemporaryDir m_keys;
    QTemporaryDir m_settings;
    QProcess m_sim;
    int m_port = 0;
};

void TestViewerGui::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_settings.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settings.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());
    QVERIFY(m_keys.isValid());
    QVERIFY(testsupport::makeSimulatorKeys(m_keys.path()));
}

void TestViewerGui::cleanup()
{
    testsupport::stopSimulator(m_sim);
}

bool TestViewerGui::startSim(const QStringList &extra)
{
    m_port = testsupport::startSimulator(m_sim, m_keys.path(), extra);
    return m_port > 0;
}

std::unique_ptr<FleetService> TestViewerGui::fleetFor(const QString &configDir, const QList<int> &devices)
{
    // our own simulator: its host key is trusted in Canyon's known_hosts
    if (!testsupport::trustSimulator(m_keys.path(), m_port, configDir + u"/known_hosts"_s))
        return {};
    Config config = Config::fromDirectory(configDir);
    QList<HostConfig> hosts;
    for (int i : devices) {
        HostConfig h;
        h.name = sim::userForDevice(i);
        h.ssh = { h.name, u"127.0.0.1"_s, m_port };
        h.identityFile = m_keys.filePath(u"client"_s);
        h.group = u"lab"_s;
        hosts << h;
    }
    QString error;
    if (!config.saveHosts(hosts, &error))
        return {};
    auto fleet = std::make_unique<FleetService>(config);
    fleet->setSshConfigFile(u"none"_s);
    fleet->setUserKnownHostsFile(configDir + u"/none"_s);
    fleet->setTimeoutMs(15000);
    if (!fleet->load(&error))
        return {};
    return fleet;
}

// The window over a refreshed fleet, the device selected and "Config & logs" open.
#define OPEN_TAB(w, dev)                                                                                     \
    w.show();                                                                                                \
    QVERIFY(QTest::qWaitForWindowExposed(&w));                                                               \
    w.refreshAll();                                                                                          \
    QTRY_VERIFY_WITH_TIMEOUT(!fleet->isRefreshing(), 30000);                                                 \
    selectDevice(w, dev);                                                                                    \
    auto *tabs = w.findChild<QTabWidget *>(u"detailTabs"_s);                                                 \
    auto *logs = w.findChild<ConfigLogsWidget *>();                                                          \
    QVERIFY(tabs &&logs);                                                                                    \
    tabs->setCurrentWidget(logs->parentWidget()); /* the tab's stack: devices or instances */                \
    QVERIFY(logs->isVisible());                                                                              \
    QCOMPARE(logs->device(), dev);                                                                           \
    QSignalSpy fetched(logs, &ConfigLogsWidget::fetched);                                                    \
    auto *status = logs->findChild<QLabel *>(u"configLogsStatus"_s);                                         \
    Q_UNUSED(status)

void TestViewerGui::changesTasksInfoLogs()
{
    QVERIFY(startSim({ u"--devices"_s, u"4"_s, u"--snappy-share"_s, u"0"_s }));
    QTemporaryDir cfg;
    auto fleet = fleetFor(cfg.path(), { 1, 2 });
    QVERIFY(fleet);
    MainWindow w(fleet.get(), MainWindow::Options { false });
    OPEN_TAB(w, u"dev0001"_s)
    QCOMPARE(fleet->inventory(u"dev0001"_s).status, DeviceStatus::Ok);

    // snap changes
    auto *tasksButton = logs->findChild<QPushButton *>(u"configLogsTasks"_s);
    QVERIFY(!tasksButton->isEnabled()); // no change known yet
    QTest::mouseClick(logs->findChild<QPushButton *>(u"configLogsChanges"_s), Qt::LeftButton);
    QVERIFY(logs->isFetching());
    QTRY_COMPARE_WITH_TIMEOUT(fetched.size(), 1, 20000);
    QCOMPARE(fetched.at(0).at(1).toBool(), true);
    QTRY_COMPARE(logs->viewer()->pendingLines(), 0);
    const QString changes = logs->viewer()->text();
    QVERIFY2(changes.startsWith(u"ID"_s) && changes.contains(u"Summary"_s) && changes.contains(u"Done"_s),
        qPrintable(changes));
    QVERIFY2(status->text().contains(u"snap changes"_s), qPrintable(status->text()));
    auto *changeCombo = logs->findChild<QComboBox *>(u"configLogsChange"_s);
    QVERIFY(changeCombo->count() > 0);
    QVERIFY(tasksButton->isEnabled());

    // snap tasks of the selected (newest) change
    QTest::mouseClick(tasksButton, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(fetched.size(), 2, 20000);
    QTRY_COMPARE(logs->viewer()->pendingLines(), 0);
    const QString tasks = logs->viewer()->text();
    QVERIFY2(tasks.startsWith(u"Status"_s) && tasks.contains(u"Spawn"_s), qPrintable(tasks));

    // snap info of a snap with services, then its logs
    auto *snapCombo = logs->findChild<QComboBox *>(u"configLogsSnap"_s);
    const int mosquitto = snapCombo->findData(u"mosquitto"_s);
    QVERIFY(mosquitto >= 0);
    snapCombo->setCurrentIndex(mosquitto);
    QTest::mouseClick(logs->findChild<QPushButton *>(u"configLogsInfo"_s), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(fetched.size(), 3, 20000);
    QTRY_COMPARE(logs->viewer()->pendingLines(), 0);
    QVERIFY2(
        logs->viewer()->text().startsWith(u"name:      mosquitto\n"_s), qPrintable(logs->viewer()->text()));
    QCOMPARE(logs->viewer()->syntax(), TextViewer::Syntax::Yaml);

    QTest::mouseClick(logs->findChild<QPushButton *>(u"configLogsLogs"_s), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(fetched.size(), 4, 20000);
    QTRY_COMPARE(logs->viewer()->pendingLines(), 0);
    QCOMPARE(logs->viewer()->editor()->document()->blockCount(), ConfigLogsWidget::LogLines);
    QVERIFY(logs->viewer()->text().contains(u"mosquitto.mosquitto["_s));

    // a snap with no services: the device's own error, shown plainly, marked failed
    const int core = snapCombo->findData(u"core22"_s);
    QVERIFY(core >= 0);
    snapCombo->setCurrentIndex(core);
    QTest::mouseClick(logs->findChild<QPushButton *>(u"configLogsLogs"_s), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(fetched.size(), 5, 20000);
    QCOMPARE(fetched.at(4).at(1).toBool(), false);
    QVERIFY2(status->text().contains(u"has no services"_s), qPrintable(status->text()));

    // another device: the view starts empty, and follows the selection
    selectDevice(w, u"dev0002"_s);
    QCOMPARE(logs->device(), u"dev0002"_s);
    QVERIFY(logs->viewer()->text().isEmpty());
    QCOMPARE(changeCombo->count(), 0);
}

void TestViewerGui::hostileOutputStaysPlain()
{
    QVERIFY(
        startSim({ u"--devices"_s, u"10"_s, u"--snappy-share"_s, u"0"_s, u"--hostile-share"_s, u"100"_s }));
    QTemporaryDir cfg;
    auto fleet = fleetFor(cfg.path(), { 1 });
    QVERIFY(fleet);
    MainWindow w(fleet.get(), MainWindow::Options { false });
    OPEN_TAB(w, u"dev0001"_s)

    QTest::mouseClick(logs->findChild<QPushButton *>(u"configLogsChanges"_s), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(fetched.size(), 1, 20000);
    QTRY_COMPARE(logs->viewer()->pendingLines(), 0);
    QString text = logs->viewer()->text();
    QVERIFY2(text.contains(u"\\x1b[5m"_s) && text.contains(u"\\u202e"_s), qPrintable(text));
    QVERIFY(!text.contains(QChar(0x1b)) && !text.contains(QChar(0x202e)));
    // a QPlainTextEdit has no rich-text path: the document holds exactly the visible text
    QCOMPARE(logs->viewer()->editor()->toPlainText(), text);
    // the change list offers the hostile row as visible text, its id as digits only
    auto *changeCombo = logs->findChild<QComboBox *>(u"configLogsChange"_s);
    QVERIFY(changeCombo->count() > 0);
    for (int i = 0; i < changeCombo->count(); ++i) {
        QVERIFY(changeCombo->itemData(i).toString().contains(QRegularExpression(u"^[0-9]+$"_s)));
        QVERIFY(!changeCombo->itemText(i).contains(QChar(0x1b))
            && !changeCombo->itemText(i).contains(QChar(0x202e)));
    }
    // its `snap list` is hostile too: the inventory fails to parse, so no snap name is offered
    // to be passed back to the device
    QCOMPARE(logs->findChild<QComboBox *>(u"configLogsSnap"_s)->count(), 0);
    QVERIFY(!logs->findChild<QPushButton *>(u"configLogsLogs"_s)->isEnabled());
}

void TestViewerGui::snappyDeviceShowsWhatExists()
{
    QVERIFY(startSim({ u"--devices"_s, u"4"_s, u"--snappy-share"_s, u"100"_s }));
    QTemporaryDir cfg;
    auto fleet = fleetFor(cfg.path(), { 0 });
    QVERIFY(fleet);
    MainWindow w(fleet.get(), MainWindow::Options { false });
    OPEN_TAB(w, u"dev0000"_s)
    QCOMPARE(fleet->inventory(u"dev0000"_s).dialect, Dialect::Snappy);
    QVERIFY(!logs->findChild<QPushButton *>(u"configLogsLogs"_s)->isEnabled());
    QVERIFY(!logs->findChild<QPushButton *>(u"configLogsChanges"_s)->isEnabled());
    QTest::mouseClick(logs->findChild<QPushButton *>(u"configLogsInfo"_s), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(fetched.size(), 1, 20000);
    QTRY_COMPARE(logs->viewer()->pendingLines(), 0);
    QVERIFY2(logs->viewer()->text().startsWith(u"release: "_s), qPrintable(logs->viewer()->text()));
    auto *versions = logs->findChild<QPushButton *>(u"configLogsVersions"_s);
    QVERIFY(versions->isVisible() && versions->isEnabled());
    QTest::mouseClick(versions, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(fetched.size(), 2, 20000);
    QTRY_COMPARE(logs->viewer()->pendingLines(), 0);
    QVERIFY(logs->viewer()->text().startsWith(u"Part "_s));
    // commands are built from validated parts only
    QString error;
    QVERIFY(ConfigLogsWidget::commandFor(
        ConfigLogsWidget::View::Logs, Dialect::SnapCli, u"a;reboot"_s, {}, &error)
                .isEmpty());
    QVERIFY(!error.isEmpty());
    error.clear();
    QVERIFY(
        ConfigLogsWidget::commandFor(ConfigLogsWidget::View::Tasks, Dialect::SnapCli, {}, u"1 && x"_s, &error)
            .isEmpty());
    QCOMPARE(ConfigLogsWidget::commandFor(
                 ConfigLogsWidget::View::Logs, Dialect::SnapCli, u"mosquitto"_s, {}, &error),
        QByteArray("snap logs mosquitto -n 500"));
}

void TestViewerGui::noKeychainAsksEachTime()
{
    if (qEnvironmentVariableIsSet("CANYON_EXPECT_KEYCHAIN"))
        QSKIP("run without a keychain (the plain tst_viewergui does)");
    QTemporaryDir cfg;
    Config config = Config::fromDirectory(cfg.path());
    HostConfig h;
    h.name = u"pw-device"_s;
    h.ssh = { u"admin"_s, u"127.0.0.1"_s, 1 }; // nothing listens: the refresh fails fast
    QString error;
    QVERIFY(config.saveHosts({ h }, &error));
    FleetService service(config);
    service.setSshConfigFile(u"none"_s);
    service.setUserKnownHostsFile(cfg.filePath(u"none"_s));
    QVERIFY(service.load(&error));
    MainWindow w(&service, MainWindow::Options { false });
    w.show();
    auto *keychain = w.findChild<KeychainSecrets *>();
    QVERIFY(keychain);
    QTRY_VERIFY_WITH_TIMEOUT(!keychain->isChecking(), 10000);
    QVERIFY(!keychain->isAvailable());
    QVERIFY(!keychain->unavailableReason().isEmpty());

    // Add device: the checkbox is there for a password, disabled, with the reason
    w.findChild<QAction *>(u"actionAddDevice"_s)->trigger();
    AddDeviceDialog *add = nullptr;
    QTRY_VERIFY((add = w.findChild<AddDeviceDialog *>()) != nullptr);
    auto *auth = add->findChild<QComboBox *>(u"authCombo"_s);
    auth->setCurrentIndex(auth->findData(AddDeviceDialog::PasswordAuth));
    auto *remember = add->findChild<QCheckBox *>(u"rememberCheck"_s);
    QVERIFY(remember->isVisible());
    QVERIFY(!remember->isEnabled());
    QCOMPARE(remember->toolTip(), keychain->unavailableReason());
    add->reject();

    // "Enter Password…" asks; the secret is used for this run and written nowhere
    selectDevice(w, u"pw-device"_s);
    auto *enter = w.findChild<QAction *>(u"actionEnterPassword"_s);
    QVERIFY(enter && enter->isEnabled());
    enter->trigger();
    PasswordDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = w.findChild<PasswordDialog *>()) != nullptr);
    QCOMPARE(dialog->kind(), PasswordDialog::Kind::Password);
    QVERIFY(!dialog->findChild<QCheckBox *>(u"rememberCheck"_s)->isEnabled());
    QCOMPARE(dialog->findChild<QLabel *>(u"rememberReason"_s)->text(), keychain->unavailableReason());
    const QString secret = u"pw-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    dialog->findChild<QLineEdit *>(u"secretEdit"_s)->setText(secret);
    QSignalSpy started(&service, &FleetService::deviceRefreshStarted);
    dialog->accept();
    QTRY_COMPARE(started.size(), 1); // tried again with it at once
    QTRY_VERIFY_WITH_TIMEOUT(!service.isRefreshing(), 20000);
    w.close(); // writes the inventory cache and the layout
    QVERIFY(!QFile::exists(keychain->indexFile()));
    QCOMPARE(filesHolding(cfg.path(), secret), QStringList());
    QCOMPARE(filesHolding(m_settings.path(), secret), QStringList());
}

void TestViewerGui::rememberedSecretReadBeforeRefresh()
{
    const QString home = qEnvironmentVariable("CANYON_TEST_HOME");
    if (home.isEmpty() || !qEnvironmentVariableIsSet("CANYON_EXPECT_KEYCHAIN"))
        QSKIP("needs a real keychain: run through tests/unit/run-with-keyring.sh (ctest "
              "tst_viewergui_keychain)");
    QTemporaryDir cfg(home + u"/canyon-config-XXXXXX"_s);
    Config config = Config::fromDirectory(cfg.path());
    HostConfig h;
    h.name = u"pw-device"_s;
    h.ssh = { u"admin"_s, u"127.0.0.1"_s, 1 };
    QString error;
    QVERIFY(config.saveHosts({ h }, &error));
    const QString secret = u"kc-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString service = u"io.github.canyon.Canyon.test-"_s + QUuid::createUuid().toString(QUuid::Id128);
    {
        FleetService fleet(config);
        QVERIFY(fleet.load(&error));
        KeychainSecrets keychain(&fleet, service);
        QTRY_VERIFY_WITH_TIMEOUT(!keychain.isChecking(), 10000);
        QVERIFY(keychain.isAvailable());
        QVERIFY(keychain.unavailableReason().isEmpty());

        // the dialogs offer it
        AddDeviceDialog add(&fleet);
        add.setKeychain(&keychain);
        QVERIFY(add.findChild<QCheckBox *>(u"rememberCheck"_s)->isEnabled());
        PasswordDialog prompt(h.name, PasswordDialog::Kind::Password, &keychain);
        QVERIFY(prompt.findChild<QCheckBox *>(u"rememberCheck"_s)->isEnabled());
        QVERIFY(!prompt.findChild<QLabel *>(u"rememberReason"_s)->isVisibleTo(&prompt));

        QSignalSpy stored(&keychain, &KeychainSecrets::stored);
        keychain.remember(h.name, AuthSecrets { secret, {} });
        QTRY_COMPARE_WITH_TIMEOUT(stored.size(), 1, 30000);
        QVERIFY2(stored.at(0).at(1).toBool(), qPrintable(stored.at(0).at(2).toString()));
        QCOMPARE(keychain.rememberedDevices(), QStringList { h.name });
    }
    // the next start: read from the keychain, then the first refresh
    {
        FleetService fleet(config);
        QVERIFY(fleet.load(&error));
        KeychainSecrets keychain(&fleet, service);
        QStringList order;
        connect(&keychain, &KeychainSecrets::loaded, this,
            [&order](const QStringList &devices) { order << u"loaded:"_s + devices.join(u','); });
        connect(&fleet, &FleetService::deviceRefreshStarted, this,
            [&order](const QString &name) { order << u"refresh:"_s + name; });
        keychain.loadRemembered(this, [&fleet] { fleet.refresh(); });
        QTRY_VERIFY_WITH_TIMEOUT(order.size() >= 2, 30000);
        QCOMPARE(order.mid(0, 2), (QStringList { u"loaded:pw-device"_s, u"refresh:pw-device"_s }));
        QTRY_VERIFY_WITH_TIMEOUT(!fleet.isRefreshing(), 20000);
        fleet.saveInventoryCache();

        // the device goes: so does its secret
        QVERIFY(fleet.removeHost(h.name, &error));
        QTRY_VERIFY(keychain.rememberedDevices().isEmpty());
    }
    QCOMPARE(filesHolding(cfg.path(), secret), QStringList());
    QCOMPARE(filesHolding(home, secret), QStringList()); // the keyring's own file too: encrypted
}

void TestViewerGui::screenshots()
{
    const QString dir = qEnvironmentVariable("CANYON_SCREENSHOT_DIR");
    if (dir.isEmpty() || qEnvironmentVariable("QT_QPA_PLATFORM") == u"offscreen")
        QSKIP("takes the README's screenshots: set CANYON_SCREENSHOT_DIR and run under xvfb-run");
    // What `canyon --demo` shows, taken with ImageMagick's import from the X server.
    DemoFleet demo;
    QString error;
    QVERIFY2(demo.prepare(&error), qPrintable(error));
    Config config = Config::fromDirectory(demo.configDir());
    FleetService service(config);
    service.setSshConfigFile(u"none"_s);
    service.setUserKnownHostsFile(demo.configDir() + u"/user_known_hosts"_s);
    QVERIFY(service.load(&error));
    MainWindow w(&service, MainWindow::Options { false });
    w.setGeometry(40, 40, 1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QSignalSpy ready(&demo, &DemoFleet::ready);
    DemoFleet::Options options;
    options.simulatorPath = QStringLiteral(CANYON_BINARY_DIR "/app/fleetsim/canyon-fleetsim");
    demo.start(&service, options);
    QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty(), 30000);
    w.refreshAll();
    QTRY_VERIFY_WITH_TIMEOUT(!service.isRefreshing(), 60000);
    selectDevice(w, DemoFleet::deviceUser(1));
    QTest::qWait(500);
    const auto shoot = [&](const QString &name) {
        const QRect frame = w.frameGeometry();
        QProcess import;
        import.start(u"import"_s,
            { u"-window"_s, u"root"_s, u"-crop"_s,
                u"%1x%2+%3+%4"_s.arg(frame.width()).arg(frame.height()).arg(frame.x()).arg(frame.y()),
                u"+repage"_s, dir + u'/' + name });
        QVERIFY(import.waitForFinished(20000));
        QCOMPARE(import.exitCode(), 0);
    };
    shoot(u"main-window.png"_s);
    auto *tabs = w.findChild<QTabWidget *>(u"detailTabs"_s);
    auto *logs = w.findChild<ConfigLogsWidget *>();
    tabs->setCurrentWidget(logs->parentWidget()); // the tab's stack: devices or instances
    QSignalSpy fetched(logs, &ConfigLogsWidget::fetched);
    logs->findChild<QPushButton *>(u"configLogsChanges"_s)->click();
    QTRY_COMPARE_WITH_TIMEOUT(fetched.size(), 1, 20000);
    QTRY_COMPARE(logs->viewer()->pendingLines(), 0);
    QTest::qWait(500);
    shoot(u"config-logs.png"_s);
}

QTEST_MAIN(TestViewerGui)
#include "tst_viewergui.moc"
