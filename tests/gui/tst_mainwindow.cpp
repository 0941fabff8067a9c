// SPDX-License-Identifier: GPL-3.0-or-later
// The main window offscreen: opens over a temporary config dir, filters, remembers its layout,
// shows per-device errors; end to end against the real simulator: add a device, see its snaps.
#include "AddDeviceDialog.h"
#include "DemoFleet.h"
#include "DeviceSummaryWidget.h"
#include "HostKeyDialog.h"
#include "MainWindow.h"
#include "PlainTextDelegate.h"
#include "fleet/Config.h"
#include "fleet/FleetService.h"
#include "item/FleetTreeModel.h"
#include "item/SnapsTableModel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <memory>

using namespace Qt::StringLiterals;
using namespace canyon;

namespace {

// A port on loopback where nothing listens: refreshes fail fast with "unreachable".
constexpr int ClosedPort = 1;

HostConfig device(const QString &name, const QString &group)
{
    HostConfig h;
    h.name = name;
    h.group = group;
    h.ssh.user = u"admin"_s;
    h.ssh.host = u"127.0.0.1"_s;
    h.ssh.port = ClosedPort;
    return h;
}

// A FleetService over a temporary --config dir, isolated from the user's ~/.ssh.
struct Fleet
{
    QTemporaryDir dir;
    std::unique_ptr<FleetService> service;

    explicit Fleet(const QList<HostConfig> &hosts = {})
    {
        Config config = Config::fromDirectory(dir.path());
        QString error;
        if (!hosts.isEmpty() && !config.saveHosts(hosts, &error))
            qFatal("saveHosts: %s", qPrintable(error));
        service = std::make_unique<FleetService>(config);
        service->setSshConfigFile(u"none"_s);
        service->setUserKnownHostsFile(dir.filePath(u"user_known_hosts"_s));
        service->setTimeoutMs(5000);
        if (!service->load(&error))
            qFatal("load: %s", qPrintable(error));
    }
};

QStringList visibleDevices(const QAbstractItemModel *m)
{
    QStringList names;
    for (int g = 0; g < m->rowCount(); ++g) {
        const QModelIndex group = m->index(g, 0);
        for (int r = 0; r < m->rowCount(group); ++r)
            names << m->index(r, 0, group).data(FleetTreeModel::NameRole).toString();
    }
    return names;
}

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

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void opensOverTempConfig();
    void filterNarrowsTreeAndTable();
    void layoutIsSavedAndRestored();
    void unreachableDeviceShowsItsError();
    void hostKeyDialogs();
    void toolTipsAreEscaped();
    void addDeviceValidatesTarget();
    void addDeviceAndSeeItsSnaps(); // end to end: the real simulator

private:
    QTemporaryDir m_settingsDir;
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_settingsDir.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
}

void TestMainWindow::opensOverTempConfig()
{
    Fleet fleet({ device(u"alpha"_s, u"lab"_s), device(u"beta"_s, u"lab"_s), device(u"gamma"_s, {}) });
    MainWindow w(fleet.service.get(), MainWindow::Options { false });
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));

    auto *tree = w.findChild<QTreeView *>(u"fleetTree"_s);
    QVERIFY(tree);
    QAbstractItemModelTester tester(tree->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(tree->model()->rowCount(), 2);
    QCOMPARE(visibleDevices(tree->model()),
        (QStringList { u"alpha"_s, u"beta"_s, u"gamma"_s })); // lab < Ungrouped
    QVERIFY(tree->isExpanded(tree->model()->index(0, 0)));
    QCOMPARE(tree->selectionMode(), QAbstractItemView::ExtendedSelection);

    auto *counts = w.findChild<QLabel *>(u"statusCounts"_s);
    QVERIFY(counts);
    QCOMPARE(counts->text(), u"0/3 devices reachable"_s);

    auto *update = w.findChild<QAction *>(u"actionUpdate"_s);
    auto *rollback = w.findChild<QAction *>(u"actionRollBack"_s);
    QVERIFY(update && rollback);
    // Update plans on the selected devices (JobDialog); Roll Back needs a snap with a kept revision.
    QTRY_VERIFY(update->isEnabled());
    QVERIFY(!rollback->isEnabled());
    QVERIFY(rollback->toolTip().contains(u"Select the snap"_s));
    QCOMPARE(w.findChild<QAction *>(u"actionRefresh"_s)->shortcut(), QKeySequence(Qt::Key_F5));
    QCOMPARE(w.findChild<QAction *>(u"actionAddDevice"_s)->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_N));
    QCOMPARE(w.findChild<QAction *>(u"actionQuit"_s)->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Q));

    selectDevice(w, u"beta"_s);
    QCOMPARE(w.currentDevice(), u"beta"_s);
    auto *title = w.findChild<QLabel *>(u"summaryTitle"_s);
    QVERIFY(title);
    QCOMPARE(title->text(), u"beta"_s);
    QCOMPARE(title->textFormat(), Qt::PlainText);

    // Ctrl+F focuses the filter
    auto *filter = w.findChild<QLineEdit *>(u"filterEdit"_s);
    QVERIFY(filter);
    tree->setFocus();
    QTest::keyClick(&w, Qt::Key_F, Qt::ControlModifier);
    QTRY_VERIFY(filter->hasFocus());
}

void TestMainWindow::filterNarrowsTreeAndTable()
{
    Fleet fleet(
        { device(u"alpha"_s, u"lab"_s), device(u"beta"_s, u"lab"_s), device(u"kiosk"_s, u"field"_s) });
    MainWindow w(fleet.service.get(), MainWindow::Options { false });
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));

    // give alpha some snaps, as a refresh would
    DeviceInventory inv;
    inv.host = u"alpha"_s;
    inv.status = DeviceStatus::Ok;
    inv.reachable = true;
    for (const QString &n : { u"core22"_s, u"docker"_s, u"hello"_s }) {
        Snap s;
        s.name = n;
        s.version = u"1"_s;
        s.revision = u"1"_s;
        inv.snaps << s;
    }
    w.fleetModel()->setInventory(inv);

    auto *tree = w.findChild<QTreeView *>(u"fleetTree"_s);
    auto *table = w.findChild<QTableView *>(u"snapsTable"_s);
    auto *filter = w.findChild<QLineEdit *>(u"filterEdit"_s);
    QVERIFY(tree && table && filter);
    QAbstractItemModelTester tester(tree->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);

    selectDevice(w, u"alpha"_s);
    QCOMPARE(table->model()->rowCount(), 3);

    QTest::keyClicks(filter, u"kio"_s);
    QCOMPARE(visibleDevices(tree->model()), QStringList { u"kiosk"_s });
    filter->clear();
    QCOMPARE(visibleDevices(tree->model()).size(), 3);

    filter->setText(u"LAB"_s); // a group keeps all its devices
    QCOMPARE(visibleDevices(tree->model()), (QStringList { u"alpha"_s, u"beta"_s }));

    filter->setText(u"dock"_s); // a snap: the devices that have it, and only that snap
    QCOMPARE(visibleDevices(tree->model()), QStringList { u"alpha"_s });
    QCOMPARE(table->model()->rowCount(), 1);
    QCOMPARE(table->model()->index(0, SnapsTableModel::NameColumn).data().toString(), u"docker"_s);

    filter->setText(u"alpha"_s); // the device itself: all of its snaps
    QCOMPARE(table->model()->rowCount(), 3);

    filter->setText(u"no such thing"_s);
    QCOMPARE(tree->model()->rowCount(), 0);
    filter->clear();
    QCOMPARE(tree->model()->rowCount(), 2);
}

void TestMainWindow::layoutIsSavedAndRestored()
{
    Fleet fleet({ device(u"alpha"_s, u"lab"_s) });
    QList<int> sizes;
    int nameWidth = 0;
    {
        MainWindow w(fleet.service.get(), MainWindow::Options { false });
        w.resize(1000, 700);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto *splitter = w.findChild<QSplitter *>(u"mainSplitter"_s);
        QVERIFY(splitter);
        splitter->setSizes({ 300, 650 });
        sizes = splitter->sizes();
        auto *tree = w.findChild<QTreeView *>(u"fleetTree"_s);
        tree->header()->resizeSection(FleetTreeModel::NameColumn, 211);
        nameWidth = tree->header()->sectionSize(FleetTreeModel::NameColumn);
        auto *table = w.findChild<QTableView *>(u"snapsTable"_s);
        table->sortByColumn(SnapsTableModel::RevisionColumn, Qt::DescendingOrder);
        w.close();
    }
    QVERIFY(QFileInfo::exists(QSettings(u"Canyon"_s, u"canyon"_s).fileName()));
    {
        MainWindow w(fleet.service.get(), MainWindow::Options { false });
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QCOMPARE(w.findChild<QSplitter *>(u"mainSplitter"_s)->sizes(), sizes);
        QCOMPARE(w.findChild<QTreeView *>(u"fleetTree"_s)->header()->sectionSize(FleetTreeModel::NameColumn),
            nameWidth);
        QHeaderView *tableHeader = w.findChild<QTableView *>(u"snapsTable"_s)->horizontalHeader();
        QCOMPARE(tableHeader->sortIndicatorSection(), int(SnapsTableModel::RevisionColumn));
        QCOMPARE(tableHeader->sortIndicatorOrder(), Qt::DescendingOrder);
        QCOMPARE(w.size(), QSize(1000, 700));
    }
}

void TestMainWindow::unreachableDeviceShowsItsError()
{
    Fleet fleet({ device(u"down"_s, u"lab"_s) });
    MainWindow w(fleet.service.get()); // refreshes on start
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QTRY_COMPARE_WITH_TIMEOUT(w.fleetModel()->status(u"down"_s), DeviceStatus::Unreachable, 15000);
    const QModelIndex idx = w.fleetModel()->indexForDevice(u"down"_s);
    QVERIFY(!idx.data(FleetTreeModel::ErrorRole).toString().isEmpty());
    QVERIFY(idx.data(Qt::ToolTipRole).toString().contains(idx.data(FleetTreeModel::ErrorRole).toString()));
    selectDevice(w, u"down"_s);
    auto *error = w.findChild<QLabel *>(u"summaryError"_s);
    QVERIFY(error);
    QVERIFY(error->isVisible());
    QCOMPARE(error->text(), idx.data(FleetTreeModel::ErrorRole).toString());
    QCOMPARE(error->textFormat(), Qt::PlainText);
    QTRY_VERIFY(!fleet.service->isRefreshing());
    QCOMPARE(w.findChild<QLabel *>(u"statusCounts"_s)->text(), u"0/1 devices reachable"_s);
}

void TestMainWindow::hostKeyDialogs()
{
    HostKeyInfo key;
    key.keyType = u"ssh-ed25519"_s;
    key.sha256 = u"SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"_s;
    key.knownKeyType = u"ssh-ed25519"_s;
    key.knownSha256 = u"SHA256:OLDOLDOLDOLDOLDOLDOLDOLDOLDOLDOLDOLDOLDOLDO"_s;
    {
        HostKeyDialog d(HostKeyDialog::Mode::Unknown, u"<b>dev</b>@host\x1b[1m"_s, key);
        auto *fp = d.findChild<QLabel *>(u"hostKeyFingerprint"_s);
        QVERIFY(fp);
        QCOMPARE(fp->textFormat(), Qt::PlainText);
        QVERIFY(fp->text().contains(key.sha256));
        QVERIFY(fp->textInteractionFlags() & Qt::TextSelectableByMouse);
        QCOMPARE(fp->font().family(), QFontDatabase::systemFont(QFontDatabase::FixedFont).family());
        auto *host = d.findChild<QLabel *>(u"hostKeyHost"_s);
        QCOMPARE(host->text(), u"<b>dev</b>@host\\x1b[1m"_s);
        QCOMPARE(host->textFormat(), Qt::PlainText);
        QVERIFY(d.trustButton());
        auto *cancel = d.findChild<QPushButton *>(u"cancelButton"_s);
        QVERIFY(cancel && cancel->isDefault());
        QVERIFY(!d.trustButton()->isDefault());
        d.open();
        QTest::keyClick(&d, Qt::Key_Return); // Enter does not trust
        QCOMPARE(d.result(), int(QDialog::Rejected));
    }
    {
        HostKeyDialog d(HostKeyDialog::Mode::Changed, u"dev@host"_s, key, nullptr, u"/tmp/known_hosts"_s);
        QVERIFY(!d.trustButton());
        QVERIFY(!d.findChild<QPushButton *>(u"trustButton"_s));
        QVERIFY(d.findChild<QLabel *>(u"hostKeyFingerprint"_s)->text().contains(key.sha256));
        QVERIFY(d.findChild<QLabel *>(u"hostKeyKnownFingerprint"_s)->text().contains(key.knownSha256));
        QVERIFY(
            d.findChild<QLabel *>(u"hostKeyAdvice"_s)->text().contains(u"Nothing was run on this host."_s));
        const QList<QPushButton *> buttons = d.findChildren<QPushButton *>();
        QCOMPARE(buttons.size(), 1); // Close, and nothing that accepts
    }
    {
        // a revoked key: refused, and no advice to remove an old entry (that would not help)
        HostKeyInfo revoked = key;
        revoked.knownSha256.clear();
        revoked.knownKeyType.clear();
        revoked.revoked = true;
        HostKeyDialog d(HostKeyDialog::Mode::Changed, u"dev@host"_s, revoked);
        QVERIFY(!d.trustButton());
        QVERIFY(d.findChild<QLabel *>(u"hostKeyHeading"_s)->text().contains(u"@revoked"_s));
        QVERIFY(!d.findChild<QLabel *>(u"hostKeyKnownFingerprint"_s));
        QVERIFY(!d.findChild<QLabel *>(u"hostKeyAdvice"_s)->text().contains(u"remove the old key"_s));
        QCOMPARE(d.findChildren<QPushButton *>().size(), 1);
    }
}

void TestMainWindow::toolTipsAreEscaped()
{
    // QToolTip would guess "<img ...>" to be rich text: item tooltips are escaped first
    QCOMPARE(PlainTextDelegate::toolTipFor(u"<img src=x>\nline & more"_s),
        u"<qt>&lt;img src=x&gt;<br/>line &amp; more</qt>"_s);
    QCOMPARE(PlainTextDelegate::toolTipFor(QString()), QString());
}

void TestMainWindow::addDeviceValidatesTarget()
{
    Fleet fleet({ device(u"alpha"_s, u"lab"_s) });
    AddDeviceDialog d(fleet.service.get());
    d.show();
    QVERIFY(QTest::qWaitForWindowExposed(&d));
    auto *name = d.findChild<QLineEdit *>(u"nameEdit"_s);
    auto *target = d.findChild<QLineEdit *>(u"targetEdit"_s);
    auto *connectButton = d.findChild<QPushButton *>(u"connectButton"_s);
    auto *add = d.findChild<QPushButton *>(u"addButton"_s);
    auto *message = d.findChild<QLabel *>(u"messageLabel"_s);
    QVERIFY(name && target && connectButton && add && message);
    QVERIFY(!add->isEnabled());
    QCOMPARE(d.findChild<QLineEdit *>(u"passwordEdit"_s)->echoMode(), QLineEdit::Password);
    QCOMPARE(d.findChild<QLineEdit *>(u"passphraseEdit"_s)->echoMode(), QLineEdit::Password);

    name->setText(u"new"_s);
    target->setText(u"user@host:99999"_s);
    connectButton->click();
    QVERIFY(!d.isProbing());
    QVERIFY(message->text().contains(u"port"_s));
    name->setText(u"alpha"_s);
    target->setText(u"user@host"_s);
    connectButton->click();
    QVERIFY(!d.isProbing());
    QVERIFY(message->text().contains(u"exists"_s));

    // a real probe of a closed port: progress shown, then the error, nothing added
    name->setText(u"closed"_s);
    target->setText(u"admin@127.0.0.1:1"_s);
    connectButton->click();
    QVERIFY(d.isProbing());
    QVERIFY(d.findChild<QWidget *>(u"probeProgress"_s)->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(!d.isProbing(), 15000);
    QVERIFY(!add->isEnabled());
    QVERIFY(message->text().contains(u"Could not connect"_s));
    QCOMPARE(fleet.service->hosts().size(), 1);
}

void TestMainWindow::addDeviceAndSeeItsSnaps()
{
    const QString simulator = QStringLiteral(CANYON_BINARY_DIR) + u"/app/fleetsim/canyon-fleetsim"_s;
    // a build dependency of this test: missing means a broken build, not a skip
    QVERIFY2(QFileInfo(simulator).isExecutable(), "canyon-fleetsim is not built");

    DemoFleet demo;
    QString error;
    QVERIFY2(demo.prepare(&error), qPrintable(error));
    Config config = Config::fromDirectory(demo.configDir());
    FleetService service(config);
    service.setSshConfigFile(u"none"_s);
    service.setUserKnownHostsFile(demo.configDir() + u"/user_known_hosts"_s);
    QVERIFY2(service.load(&error), qPrintable(error));
    MainWindow w(&service, MainWindow::Options { false });
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));

    QSignalSpy ready(&demo, &DemoFleet::ready);
    QSignalSpy failed(&demo, &DemoFleet::failed);
    DemoFleet::Options options;
    options.simulatorPath = simulator;
    options.simulatedDevices = 4;
    options.devicesToAdd = 0; // this test adds one through the dialog
    options.trustHostKey = false; // and is asked about the host key
    demo.start(&service, options);
    QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() || !failed.isEmpty(), 30000);
    QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
    QVERIFY(demo.port() > 0);

    w.findChild<QAction *>(u"actionAddDevice"_s)->trigger();
    AddDeviceDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = w.findChild<AddDeviceDialog *>()) != nullptr);
    dialog->findChild<QLineEdit *>(u"nameEdit"_s)->setText(u"e2e"_s);
    dialog->findChild<QLineEdit *>(u"targetEdit"_s)
        ->setText(u"dev0001@127.0.0.1:"_s + QString::number(demo.port()));
    auto *auth = dialog->findChild<QComboBox *>(u"authCombo"_s);
    auth->setCurrentIndex(auth->findData(AddDeviceDialog::KeyFileAuth));
    dialog->findChild<QLineEdit *>(u"keyFileEdit"_s)->setText(demo.clientKeyFile());
    dialog->findChild<QPushButton *>(u"connectButton"_s)->click();
    QVERIFY(dialog->isProbing());

    // unknown host key: asked once, with the SHA256 fingerprint
    HostKeyDialog *keyDialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((keyDialog = dialog->findChild<HostKeyDialog *>()) != nullptr, 20000);
    QCOMPARE(keyDialog->mode(), HostKeyDialog::Mode::Unknown);
    QVERIFY(keyDialog->findChild<QLabel *>(u"hostKeyFingerprint"_s)->text().startsWith(u"SHA256:"_s));
    keyDialog->trustButton()->click();

    auto *add = dialog->findChild<QPushButton *>(u"addButton"_s);
    QTRY_VERIFY_WITH_TIMEOUT(add->isEnabled(),
        20000); // message: dialog->findChild<QLabel *>(u"messageLabel"_s)->text()
    add->click();
    QTRY_VERIFY(
        w.findChild<AddDeviceDialog *>() == nullptr || !w.findChild<AddDeviceDialog *>()->isVisible());
    QCOMPARE(service.hosts().size(), 1);
    QVERIFY(QFile(config.knownHostsFile()).size() > 0); // the accepted key was recorded

    QTRY_COMPARE_WITH_TIMEOUT(w.currentDevice(), u"e2e"_s, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(w.findChild<QTableView *>(u"snapsTable"_s)->model()->rowCount() > 0, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(w.fleetModel()->status(u"e2e"_s), DeviceStatus::Ok, 20000);
    QCOMPARE(w.findChild<QLabel *>(u"summaryTitle"_s)->text(), u"e2e"_s);

    // and a live refresh of it keeps working over the trusted key
    w.refreshAll();
    QTRY_VERIFY_WITH_TIMEOUT(!service.isRefreshing(), 20000);
    QCOMPARE(w.fleetModel()->status(u"e2e"_s), DeviceStatus::Ok);
    QVERIFY(w.findChild<QTableView *>(u"snapsTable"_s)->model()->rowCount() > 0);
    QCOMPARE(w.findChild<QLabel *>(u"statusCounts"_s)->text(), u"1/1 devices reachable"_s);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
