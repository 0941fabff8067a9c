// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 5 in the window, offscreen, against the testbed's TWO real LXD 5.0.2 daemons
// (tests/testbed/up.sh: CANYON_LXD_* and CANYON_LXD2_*): instances are dragged onto the other
// host's node of the fleet tree (the drag's MIME data made by the views' own models, delivered
// as drag-enter/move/drop events to the tree: the path a user's drop takes), the migration
// dialog is confirmed, and LXD itself is asked where the instances are afterwards.
//   - a stopped container, dragged from the tree
//   - a running container, dragged from the Instances tab: stop → move → start, live greyed out
//   - a name clash on the target keeps Move disabled until the new name is free
//   - drops onto the same host / a non-LXD place are refused with the reason in the status bar
//   - a running container of the testbed's real two-member CLUSTER (CANYON_LXDC_*) dragged onto
//     the other member's node: a member move (?target=), one copy, running again on that member
// CANYON_MIGGUI_SHOTS=DIR (with a real X display, e.g. xvfb-run) saves screenshots of the dialog
// and of the dock during a migration (ImageMagick `import -window root`).
#include "InstancesView.h"
#include "LxdConsole.h"
#include "MainWindow.h"
#include "MigrationController.h"
#include "MigrationDialog.h"
#include "OperationsDock.h"
#include "TestbedEnv.h"
#include "fleet/Config.h"
#include "item/FleetTreeModel.h"
#include "item/MigrationOperations.h"
#include "item/OperationsModel.h"
#include "lxd/LxdClient.h"
#include "lxd/LxdClientCertificate.h"
#include "lxd/LxdMigration.h"

#include <QAbstractItemModelTester>
#include <QAbstractProxyModel>
#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QDropEvent>
#include <QGroupBox>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QProcess>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeView>
#include <tuple>

using namespace canyon;
using namespace Qt::StringLiterals;

namespace {

const QString Src = u"mig-src"_s;
const QString Dst = u"mig-dst"_s;
const QString Cluster = u"mig-cluster"_s;

// The lxc CLI on one of the two daemons: fixtures and the final word on where instances are.
QString lxc(const QString &lxdDir, const QStringList &args, int *exitCode = nullptr)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"LXD_DIR"_s, lxdDir);
    p.setProcessEnvironment(env);
    p.start(u"lxc"_s, args);
    p.closeWriteChannel();
    const bool finished = p.waitForFinished(120000);
    if (exitCode)
        *exitCode = finished && p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

QString dir1()
{
    return testbed::env("CANYON_LXD_DIR");
}
QString dir2()
{
    return testbed::env("CANYON_LXD2_DIR");
}
QString dirC()
{
    return testbed::env("CANYON_LXDC_DIR");
}

// "RUNNING" / "STOPPED" / "" (absent) as LXD itself says.
QString status(const QString &lxdDir, const QString &name)
{
    return lxc(lxdDir, { u"list"_s, u"^"_s + name + u"$"_s, u"-c"_s, u"s"_s, u"--format"_s, u"csv"_s });
}

void screenshot(const QString &name)
{
    const QString dir = qEnvironmentVariable("CANYON_MIGGUI_SHOTS");
    if (dir.isEmpty() || QGuiApplication::platformName() != u"xcb")
        return;
    QTest::qWait(300); // let the window paint
    QProcess::execute(u"import"_s, { u"-window"_s, u"root"_s, dir + u"/miggui-"_s + name + u".png"_s });
}

} // namespace

class TestMigrationGui : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void dragStoppedContainerFromTree();
    void dragRunningContainerFromInstancesTab();
    void nameClashBlocksMoveUntilRenamed();
    void refusedDropsSayWhy();
    void dragOntoClusterMember();
    void cleanupTestCase();

private:
    void openWindow();
    QString newContainer(const QString &suffix, bool running);
    // The drag's MIME data as the source view makes it (its model's mimeData of its selection),
    // delivered to the tree's viewport over `target` as a user's drop is: enter, move, drop.
    bool dropOnTree(const QMimeData *data, const QModelIndex &sourceTarget);
    bool dropOnTreeAt(const QMimeData *data, const QPoint &pos);
    MigrationDialog *waitForDialog();
    MigrationResult runDialog(MigrationDialog *dialog, const QString &shot = {});

    QTemporaryDir m_settingsDir;
    QTemporaryDir m_configDir;
    std::unique_ptr<FleetService> m_fleet;
    std::unique_ptr<MainWindow> m_window;
    QString m_clientSha;
    QStringList m_created; // on either daemon: deleted from both in cleanup(), even on failure
    QTreeView *m_tree = nullptr;
    QString m_dragMessage; // the status bar while the drag hovered
    LxdMigrator *m_migrator = nullptr;
};

void TestMigrationGui::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_settingsDir.isValid() && m_configDir.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    CANYON_NEED_ENV("CANYON_LXD_HTTPS");
    CANYON_NEED_ENV("CANYON_LXD_DIR");
    CANYON_NEED_ENV("CANYON_LXD_IMAGE");
    CANYON_NEED_ENV("CANYON_LXD_TRUST_PASSWORD");
    CANYON_NEED_ENV("CANYON_LXD2_HTTPS");
    CANYON_NEED_ENV("CANYON_LXD2_DIR");
    CANYON_NEED_ENV("CANYON_LXDC_URL");
    CANYON_NEED_ENV("CANYON_LXDC_DIR");

    // Both hosts as a user adds them: the server certificate pinned (read from the daemon's own
    // file), this console's client certificate trusted with the trust password.
    Config config = Config::fromDirectory(m_configDir.path());
    LxdClientCertificate identity;
    QString error;
    QVERIFY2(LxdClientCertificate::ensure(config.configDir(), &identity, &error), qPrintable(error));
    m_clientSha = certificateSha256(identity.certificate);
    m_fleet = std::make_unique<FleetService>(config);
    QVERIFY2(m_fleet->load(&error), qPrintable(error));
    // (a cluster presents its cluster certificate on every member)
    const QList<std::tuple<QString, QString, QString>> daemons {
        { Src, u"https://"_s + testbed::env("CANYON_LXD_HTTPS"), dir1() + u"/server.crt"_s },
        { Dst, u"https://"_s + testbed::env("CANYON_LXD2_HTTPS"), dir2() + u"/server.crt"_s },
        { Cluster, testbed::env("CANYON_LXDC_URL"), dirC() + u"/cluster.crt"_s }
    };
    for (const auto &[name, address, certFile] : daemons) {
        const QUrl url(address);
        const auto certs = QSslCertificate::fromPath(certFile);
        QCOMPARE(certs.size(), 1);
        const QString sha = certificateSha256(certs.first());
        LxdClient client(url, sha, identity);
        bool done = false;
        LxdResult trusted;
        client.trust(testbed::env("CANYON_LXD_TRUST_PASSWORD"), [&](const LxdResult &r) {
            trusted = r;
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 30000);
        QVERIFY2(trusted.ok(), qPrintable(name + u": "_s + trusted.error));
        HostConfig h;
        h.name = name;
        h.kind = HostKind::Lxd;
        h.lxdUrl = url.toString();
        h.lxdCertificateSha256 = sha;
        QVERIFY2(m_fleet->addHost(h, &error), qPrintable(error));
    }
}

void TestMigrationGui::init()
{
    openWindow();
}

void TestMigrationGui::openWindow()
{
    m_window = std::make_unique<MainWindow>(m_fleet.get(), MainWindow::Options { false });
    m_window->resize(1300, 860);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_tree = m_window->findChild<QTreeView *>(u"fleetTree"_s);
    m_migrator = m_window->findChild<LxdMigrator *>(u"lxdMigrator"_s);
    QVERIFY(m_tree && m_migrator);
    m_window->findChild<LxdConsole *>()->start();
    FleetTreeModel *tree = m_window->fleetModel();
    QTRY_COMPARE_WITH_TIMEOUT(tree->lxdHostStatus(Src), DeviceStatus::Ok, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(tree->lxdHostStatus(Dst), DeviceStatus::Ok, 20000);
}

void TestMigrationGui::cleanup()
{
    if (m_window) {
        // a migration still running at a failure is cancelled and followed to its end first
        for (LxdMigration *m : m_migrator->migrations())
            m->cancel();
        QTRY_VERIFY_WITH_TIMEOUT(m_migrator->migrations().isEmpty(), 60000);
        m_window->close();
        m_window.reset();
    }
    for (const QString &name : std::as_const(m_created)) {
        lxc(dir1(), { u"delete"_s, u"--force"_s, name });
        lxc(dir2(), { u"delete"_s, u"--force"_s, name });
        lxc(dirC(), { u"delete"_s, u"--force"_s, name });
    }
    m_created.clear();
}

QString TestMigrationGui::newContainer(const QString &suffix, bool running)
{
    const QString name = u"cmig-%1-%2"_s.arg(QCoreApplication::applicationPid()).arg(suffix);
    m_created << name;
    int rc = -1;
    const QString out
        = lxc(dir1(), { running ? u"launch"_s : u"init"_s, testbed::env("CANYON_LXD_IMAGE"), name }, &rc);
    if (rc != 0)
        qWarning("lxc init %s failed: %s", qPrintable(name), qPrintable(out));
    return rc == 0 ? name : QString();
}

bool TestMigrationGui::dropOnTree(const QMimeData *data, const QModelIndex &sourceTarget)
{
    auto *proxy = qobject_cast<QAbstractProxyModel *>(m_tree->model());
    const QModelIndex target = proxy->mapFromSource(sourceTarget);
    m_tree->scrollTo(target);
    return dropOnTreeAt(data, m_tree->visualRect(target).center());
}

bool TestMigrationGui::dropOnTreeAt(const QMimeData *data, const QPoint &pos)
{
    QWidget *vp = m_tree->viewport();
    m_window->statusBar()->clearMessage();
    m_dragMessage.clear();
    QDragEnterEvent enter(pos, Qt::MoveAction, data, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(vp, &enter);
    if (!enter.isAccepted())
        return false;
    QDragMoveEvent move(pos, Qt::MoveAction, data, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(vp, &move);
    m_dragMessage = m_window->statusBar()->currentMessage(); // what the user reads while hovering
    if (!move.isAccepted()) {
        // a refused place: releasing the button there ends the drag with a leave, not a drop
        QDragLeaveEvent leave;
        QCoreApplication::sendEvent(vp, &leave);
        return false;
    }
    QDropEvent drop(pos, Qt::MoveAction, data, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(vp, &drop);
    return drop.isAccepted() && drop.dropAction() == Qt::MoveAction;
}

MigrationDialog *TestMigrationGui::waitForDialog()
{
    MigrationDialog *dialog = nullptr;
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(
            (dialog = m_window->findChild<MigrationDialog *>()) && dialog->isVisible(), 5000);
    }();
    return dialog;
}

MigrationResult TestMigrationGui::runDialog(MigrationDialog *dialog, const QString &shot)
{
    MigrationResult result;
    auto *move = dialog->findChild<QPushButton *>(u"moveButton"_s);
    [&] { QTRY_VERIFY_WITH_TIMEOUT(move->isEnabled(), 30000); }();
    if (!move->isEnabled())
        return result;
    if (!shot.isEmpty())
        screenshot(shot + u"-dialog"_s);
    QSignalSpy finished(m_migrator, &LxdMigrator::migrationFinished);
    QSignalSpy started(m_migrator, &LxdMigrator::migrationStarted);
    QMetaObject::Connection shots;
    if (!shot.isEmpty()) {
        // the dock while the data moves
        shots = connect(m_migrator, &LxdMigrator::migrationStarted, this, [this, shot](LxdMigration *m) {
            connect(m, &LxdMigration::stageChanged, m, [this, shot, m](MigrationStage s) {
                if (s != MigrationStage::Copying)
                    return;
                QTimer::singleShot(1200, m, [this, shot, m] {
                    // the migration's row selected: its Cancel is what the user sees enabled
                    auto *dock = m_window->findChild<OperationsDock *>();
                    for (int i = 0; i < dock->model()->rowCount(); ++i)
                        if (dock->model()->index(i, 0).data(OperationsModel::IdRole)
                            == MigrationOperations::idOf(m))
                            dock->view()->selectRow(i);
                    screenshot(shot + u"-dock"_s);
                });
            });
        });
    }
    move->click();
    [&] { QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 180000); }();
    disconnect(shots);
    if (!finished.isEmpty())
        result = finished.first().at(1).value<MigrationResult>();
    return result;
}

void TestMigrationGui::dragStoppedContainerFromTree()
{
    const QString name = newContainer(u"cold"_s, false);
    QVERIFY(!name.isEmpty());
    FleetTreeModel *tree = m_window->fleetModel();
    m_window->findChild<LxdConsole *>()->refresh({ Src });
    QTRY_VERIFY_WITH_TIMEOUT(tree->indexForInstance(Src, name).isValid(), 20000);
    if (!qEnvironmentVariable("CANYON_MIGGUI_SHOTS").isEmpty()) {
        // ~150 MB in the container, so the copy lasts long enough to see it in the dock
        int rc = -1;
        lxc(dir1(), { u"start"_s, name }, &rc);
        lxc(dir1(),
            { u"exec"_s, name, u"--"_s, u"dd"_s, u"if=/dev/urandom"_s, u"of=/data.bin"_s, u"bs=1M"_s,
                u"count=150"_s },
            &rc);
        lxc(dir1(), { u"stop"_s, u"--force"_s, name }, &rc);
    }

    // the user selects the instance in the tree and drags it: the tree's model makes the data
    auto *proxy = qobject_cast<QAbstractProxyModel *>(m_tree->model());
    const QModelIndex row = proxy->mapFromSource(tree->indexForInstance(Src, name));
    m_tree->selectionModel()->setCurrentIndex(
        row, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    auto *migrate = m_window->findChild<QAction *>(u"actionMigrate"_s);
    QVERIFY(migrate);
    QTRY_VERIFY(migrate->isEnabled()); // the keyboard way exists too
    std::unique_ptr<QMimeData> data(proxy->mimeData(m_tree->selectionModel()->selectedIndexes()));
    QVERIFY(data);
    QVERIFY(dropOnTree(data.get(), tree->indexForLxdHost(Dst)));
    QVERIFY2(m_dragMessage.contains(u"Drop to move "_s + name + u" to "_s + Dst), qPrintable(m_dragMessage));

    MigrationDialog *dialog = waitForDialog();
    QVERIFY(dialog);
    QCOMPARE(dialog->targetHost(), Dst);
    QCOMPARE(dialog->rowCount(), 1);
    QSignalSpy ready(dialog, &MigrationDialog::plansReady);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isPlanning(), 30000);
    const std::optional<MigrationPlan> plan = dialog->plan(0);
    QVERIFY(plan);
    QVERIFY2(plan->ok(), qPrintable(plan->problems.value(0).message));
    QVERIFY(!plan->sourceRunning);
    QVERIFY(!dialog->findChild<QGroupBox *>(u"runningBox"_s)->isEnabled()); // nothing runs
    QVERIFY(dialog->findChild<QLabel *>(u"nameStatusLabel"_s)->text().contains(u"is free on"_s));
    QVERIFY(dialog->findChild<QLabel *>(u"targetInfoLabel"_s)->text().contains(u"Storage pools"_s));
    QVERIFY(!dialog->findChild<QLabel *>(u"modeReasonLabel"_s)->text().isEmpty());

    const MigrationResult r = runDialog(dialog, u"cold"_s);
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(r.authoritative, MigrationAuthority::Target);
    // LXD itself: on the target, gone from the source
    QCOMPARE(status(dir2(), name), u"STOPPED"_s);
    QCOMPARE(status(dir1(), name), QString());
    // the dock: the row with its result; both hosts read again: the tree follows
    auto *ops = m_window->findChild<MigrationOperations *>();
    OperationsModel *model = m_window->findChild<OperationsDock *>()->model();
    QVERIFY(ops && model);
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    bool rowFound = false;
    for (int i = 0; i < model->rowCount(); ++i) {
        const QModelIndex idx = model->index(i, OperationsModel::StatusColumn);
        if (!MigrationOperations::isMigrationId(idx.data(OperationsModel::IdRole).toString()))
            continue;
        rowFound = true;
        QCOMPARE(OperationsModel::State(idx.data(OperationsModel::StateRole).toInt()),
            OperationsModel::State::Succeeded);
        QVERIFY2(idx.data().toString().contains(u"is authoritative"_s), qPrintable(idx.data().toString()));
        QVERIFY(ops->report(idx.data(OperationsModel::IdRole).toString())
                    .contains(u"Authoritative copy: target"_s));
    }
    QVERIFY(rowFound);
    // ... and copyable: Copy in the dock gives the row and the full result
    auto *dock = m_window->findChild<OperationsDock *>();
    for (int i = 0; i < model->rowCount(); ++i)
        if (MigrationOperations::isMigrationId(model->index(i, 0).data(OperationsModel::IdRole).toString()))
            dock->view()->selectRow(i);
    const QString copied = dock->selectedText();
    QVERIFY2(copied.contains(u"Authoritative copy: target"_s) && copied.contains(name), qPrintable(copied));
    QTRY_VERIFY_WITH_TIMEOUT(tree->indexForInstance(Dst, name).isValid(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(!tree->indexForInstance(Src, name).isValid(), 20000);
}

void TestMigrationGui::dragRunningContainerFromInstancesTab()
{
    const QString name = newContainer(u"warm"_s, true);
    QVERIFY(!name.isEmpty());
    QCOMPARE(status(dir1(), name), u"RUNNING"_s);
    FleetTreeModel *tree = m_window->fleetModel();
    m_window->findChild<LxdConsole *>()->refresh({ Src });
    QTRY_VERIFY_WITH_TIMEOUT(tree->indexForInstance(Src, name).isValid(), 20000);

    // the Instances tab of the source host; the row selected there is dragged
    auto *proxy = qobject_cast<QAbstractProxyModel *>(m_tree->model());
    m_tree->selectionModel()->setCurrentIndex(proxy->mapFromSource(tree->indexForLxdHost(Src)),
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    auto *view = m_window->findChild<InstancesView *>();
    QVERIFY(view);
    const QList<InstancesView::Key> picked { { Src, name } };
    const auto select = [&] {
        view->selectInstance(Src, name);
        return view->selectedInstances() == picked;
    };
    QTRY_VERIFY_WITH_TIMEOUT(select(), 20000);
    QTableView *table = view->table();
    QVERIFY(table->dragEnabled());
    std::unique_ptr<QMimeData> data(table->model()->mimeData(table->selectionModel()->selectedIndexes()));
    QVERIFY(data);
    QVERIFY(dropOnTree(data.get(), tree->indexForLxdHost(Dst)));

    MigrationDialog *dialog = waitForDialog();
    QVERIFY(dialog);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isPlanning(), 30000);
    QVERIFY(dialog->plan(0) && dialog->plan(0)->sourceRunning);
    // the honest choice: stop → move → start by default, live greyed out with LXD's reason
    QVERIFY(dialog->findChild<QGroupBox *>(u"runningBox"_s)->isEnabled());
    QVERIFY(dialog->findChild<QRadioButton *>(u"statelessRadio"_s)->isChecked());
    QVERIFY(!dialog->findChild<QRadioButton *>(u"liveRadio"_s)->isEnabled());
    const QString why = dialog->findChild<QLabel *>(u"liveReasonLabel"_s)->text();
    QVERIFY2(why.contains(dialog->plan(0)->liveReason), qPrintable(why));
    QVERIFY(!dialog->requests().first().live);

    const MigrationResult r = runDialog(dialog);
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(status(dir2(), name), u"RUNNING"_s); // started again on the target
    QCOMPARE(status(dir1(), name), QString());
    QTRY_VERIFY_WITH_TIMEOUT(tree->indexForInstance(Dst, name).isValid(), 20000);
}

void TestMigrationGui::nameClashBlocksMoveUntilRenamed()
{
    const QString name = newContainer(u"clash"_s, false);
    QVERIFY(!name.isEmpty());
    int rc = -1;
    lxc(dir2(), { u"init"_s, testbed::env("CANYON_LXD_IMAGE"), name }, &rc); // the same name on the target
    QCOMPARE(rc, 0);
    const QString renamed = name + u"-b"_s;
    m_created << renamed;
    FleetTreeModel *tree = m_window->fleetModel();
    m_window->findChild<LxdConsole *>()->refresh({ Src, Dst });
    QTRY_VERIFY_WITH_TIMEOUT(tree->indexForInstance(Src, name).isValid(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(tree->indexForInstance(Dst, name).isValid(), 20000);

    // dropped onto the target's instance of the same name: means its host
    std::unique_ptr<QMimeData> data(tree->mimeData({ tree->indexForInstance(Src, name) }));
    QVERIFY(dropOnTree(data.get(), tree->indexForInstance(Dst, name)));
    MigrationDialog *dialog = waitForDialog();
    QVERIFY(dialog);
    dialog->setDebounceMs(300);
    auto *move = dialog->findChild<QPushButton *>(u"moveButton"_s);
    auto *nameEdit = dialog->findChild<QLineEdit *>(u"nameEdit"_s);
    auto *nameStatus = dialog->findChild<QLabel *>(u"nameStatusLabel"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isPlanning(), 30000);
    QVERIFY(!move->isEnabled());
    QVERIFY2(nameStatus->text().contains(u"choose another name"_s), qPrintable(nameStatus->text()));
    QVERIFY(dialog->plan(0)->problems.first().kind == MigrationProblem::Kind::NameClash);
    screenshot(u"clash-dialog"_s);

    // typing: an invalid name at once, then a free one after the debounce and a new plan
    dialog->activateWindow();
    nameEdit->setFocus();
    nameEdit->selectAll();
    QTest::keyClicks(nameEdit, u"-bad"_s);
    QVERIFY(!move->isEnabled());
    QVERIFY2(nameStatus->text().contains(u"Not a valid"_s), qPrintable(nameStatus->text()));
    nameEdit->selectAll();
    QTest::keyClicks(nameEdit, renamed);
    QVERIFY(!move->isEnabled()); // not before the new name was checked on the target
    QTRY_VERIFY_WITH_TIMEOUT(move->isEnabled(), 30000);
    QVERIFY2(nameStatus->text().contains(u"is free on"_s), qPrintable(nameStatus->text()));
    QCOMPARE(dialog->requests().first().targetName, renamed);
    // back to the clashing name: blocked again
    nameEdit->selectAll();
    QTest::keyClicks(nameEdit, name);
    QTRY_VERIFY_WITH_TIMEOUT(
        !dialog->isPlanning() && nameStatus->text().contains(u"choose another"_s), 30000);
    QVERIFY(!move->isEnabled());
    nameEdit->selectAll();
    QTest::keyClicks(nameEdit, renamed);

    const MigrationResult r = runDialog(dialog);
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(status(dir2(), renamed), u"STOPPED"_s);
    QCOMPARE(status(dir2(), name), u"STOPPED"_s); // the other one is untouched
    QCOMPARE(status(dir1(), name), QString());
}

void TestMigrationGui::refusedDropsSayWhy()
{
    const QString name = newContainer(u"stay"_s, false);
    QVERIFY(!name.isEmpty());
    FleetTreeModel *tree = m_window->fleetModel();
    m_window->findChild<LxdConsole *>()->refresh({ Src });
    QTRY_VERIFY_WITH_TIMEOUT(tree->indexForInstance(Src, name).isValid(), 20000);
    std::unique_ptr<QMimeData> data(tree->mimeData({ tree->indexForInstance(Src, name) }));
    // onto its own host: refused, and the status bar says why (and still does after the leave)
    QVERIFY(!dropOnTree(data.get(), tree->indexForLxdHost(Src)));
    QVERIFY2(m_dragMessage.contains(u"is already on "_s + Src), qPrintable(m_dragMessage));
    QCOMPARE(m_window->statusBar()->currentMessage(), m_dragMessage);
    // onto one of its neighbours: the same host
    const QString other = newContainer(u"nbr"_s, false);
    m_window->findChild<LxdConsole *>()->refresh({ Src });
    QTRY_VERIFY_WITH_TIMEOUT(tree->indexForInstance(Src, other).isValid(), 20000);
    QVERIFY(!dropOnTree(data.get(), tree->indexForInstance(Src, other)));
    QVERIFY2(m_dragMessage.contains(u"already on"_s), qPrintable(m_dragMessage));
    // onto no host at all (the empty space below the rows)
    const QPoint empty(10, m_tree->viewport()->height() - 5);
    QVERIFY(!m_tree->indexAt(empty).isValid());
    QVERIFY(!dropOnTreeAt(data.get(), empty));
    QVERIFY2(m_dragMessage.contains(u"onto an LXD host"_s), qPrintable(m_dragMessage));
    // something that is not instances (text from another application) is not even entered
    QMimeData text;
    text.setText(Src + u'/' + name);
    QVERIFY(!dropOnTree(&text, tree->indexForLxdHost(Dst)));
    QTest::qWait(200);
    QVERIFY(!m_window->findChild<MigrationDialog *>());
    QCOMPARE(status(dir1(), name), u"STOPPED"_s);
}

void TestMigrationGui::dragOntoClusterMember()
{
    // a running container on member m1 of the real cluster
    const QString name = u"cmig-%1-member"_s.arg(QCoreApplication::applicationPid());
    m_created << name;
    int rc = -1;
    const QString out
        = lxc(dirC(), { u"launch"_s, testbed::env("CANYON_LXD_IMAGE"), name, u"--target"_s, u"m1"_s }, &rc);
    QVERIFY2(rc == 0, qPrintable(out));
    const auto where = [&] {
        return lxc(dirC(), { u"list"_s, u"^"_s + name + u"$"_s, u"-c"_s, u"sL"_s, u"--format"_s, u"csv"_s });
    };
    QCOMPARE(where(), u"RUNNING,m1"_s);
    FleetTreeModel *tree = m_window->fleetModel();
    QTRY_COMPARE_WITH_TIMEOUT(tree->lxdHostStatus(Cluster), DeviceStatus::Ok, 20000);
    m_window->findChild<LxdConsole *>()->refresh({ Cluster });
    QTRY_VERIFY_WITH_TIMEOUT(tree->indexForInstance(Cluster, name).isValid(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(tree->indexForClusterMember(Cluster, u"m2"_s).isValid(), 20000);

    // dragged from the tree onto the node of member m2, under its own host
    std::unique_ptr<QMimeData> data(tree->mimeData({ tree->indexForInstance(Cluster, name) }));
    QVERIFY(dropOnTree(data.get(), tree->indexForClusterMember(Cluster, u"m2"_s)));
    MigrationDialog *dialog = waitForDialog();
    QVERIFY(dialog);
    QCOMPARE(dialog->targetHost(), Cluster);
    QCOMPARE(dialog->targetMember(), u"m2"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isPlanning(), 30000);
    const std::optional<MigrationPlan> plan = dialog->plan(0);
    QVERIFY(plan);
    QVERIFY2(plan->ok(), qPrintable(plan->problems.value(0).message));
    QCOMPARE(plan->mode, MigrationMode::Member);
    QCOMPARE(plan->sourceMember, u"m1"_s);
    QVERIFY(plan->sourceRunning);
    QVERIFY(dialog->requests().first().isMemberMove());
    // nothing to choose that a member move does not have: name, snapshots, transfer
    QVERIFY(!dialog->findChild<QLineEdit *>(u"nameEdit"_s)->isEnabled());
    QVERIFY(!dialog->findChild<QRadioButton *>(u"instanceOnlyRadio"_s)->isEnabled());
    QVERIFY(!dialog->findChild<QComboBox *>(u"modeCombo"_s)->isEnabled());
    const QString ready = dialog->findChild<QLabel *>(u"statusLabel"_s)->text();
    QVERIFY2(ready.contains(u"to member m2 itself"_s), qPrintable(ready));
    QVERIFY2(dialog->findChild<QLabel *>(u"targetInfoLabel"_s)->text().contains(u"On member m1 now"_s),
        qPrintable(dialog->findChild<QLabel *>(u"targetInfoLabel"_s)->text()));

    const MigrationResult r = runDialog(dialog, u"member"_s);
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(where(), u"RUNNING,m2"_s); // LXD itself: one copy, on m2, running again
    QCOMPARE(
        lxc(dirC(), { u"list"_s, u"^"_s + name + u"$"_s, u"-c"_s, u"n"_s, u"--format"_s, u"csv"_s }), name);
}

void TestMigrationGui::cleanupTestCase()
{
    if (dir1().isEmpty() || dir2().isEmpty())
        return;
    if (!m_clientSha.isEmpty()) {
        lxc(dir1(), { u"config"_s, u"trust"_s, u"remove"_s, m_clientSha.left(12) });
        lxc(dir2(), { u"config"_s, u"trust"_s, u"remove"_s, m_clientSha.left(12) });
        lxc(dirC(), { u"config"_s, u"trust"_s, u"remove"_s, m_clientSha.left(12) });
    }
}

QTEST_MAIN(TestMigrationGui)
#include "tst_migrationgui.moc"
