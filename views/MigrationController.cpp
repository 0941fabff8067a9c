// SPDX-License-Identifier: GPL-3.0-or-later
#include "MigrationController.h"

#include "InstancesView.h"
#include "MigrationDialog.h"
#include "OperationsDock.h"
#include "domain/PlainText.h"
#include "item/FleetTreeModel.h"
#include "item/MigrationOperations.h"
#include "lxd/LxdMigration.h"
#include "lxd/LxdService.h"

#include <QAbstractProxyModel>
#include <QAction>
#include <QApplication>
#include <QDragMoveEvent>
#include <QDropEvent>
#include <QItemSelectionModel>
#include <QMainWindow>
#include <QMimeData>
#include <QPointer>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QToolTip>
#include <QTreeView>

using namespace Qt::StringLiterals;

namespace canyon {

MigrationController::MigrationController(QMainWindow *window, QTreeView *tree, FleetTreeModel *fleet,
    LxdService *lxd, InstancesView *instances, OperationsDock *dock, const QString &stateDir)
    : QObject(window)
    , m_window(window)
    , m_tree(tree)
    , m_fleet(fleet)
    , m_lxd(lxd)
    , m_instances(instances)
{
    QPointer<LxdService> service(lxd);
    m_migrator = new LxdMigrator(
        [service](const QString &host, QString *error) -> LxdClient * {
            if (!service) {
                if (error)
                    *error = tr("the console is closing");
                return nullptr;
            }
            return service->client(host, error);
        },
        stateDir, this);
    m_migrator->setObjectName(u"lxdMigrator"_s);
    m_operations = new MigrationOperations(dock->model(), m_migrator, this);
    m_operations->setObjectName(u"migrationOperations"_s);
    dock->addCanceller(u"migration:"_s, [ops = m_operations](const QString &id) { return ops->cancel(id); });
    dock->addDetails(u"migration:"_s, [ops = m_operations](const QString &id) { return ops->report(id); });
    connect(
        m_migrator, &LxdMigrator::migrationFinished, this, [this](LxdMigration *, const MigrationResult &r) {
            // both sides changed (or may have): read them again rather than guess
            if (m_lxd)
                m_lxd->refreshInstances({ r.request.sourceHost, r.request.targetHost });
            m_window->statusBar()->showMessage(
                tr("Move of %1: %2")
                    .arg(visibleText(r.request.instance, 128), MigrationOperations::summary(r)),
                15000);
        });

    // Drag from the tree (instances) and the Instances tab; drop onto LXD hosts of the tree.
    // Overwrite mode: a drop always lands ON the row under the pointer (never between rows).
    m_tree->setDragEnabled(true);
    m_tree->setAcceptDrops(true);
    m_tree->setDragDropMode(QAbstractItemView::DragDrop);
    m_tree->setDragDropOverwriteMode(true);
    m_tree->setDefaultDropAction(Qt::MoveAction);
    m_tree->setDropIndicatorShown(true);
    m_tree->viewport()->installEventFilter(this);
    QTableView *table = m_instances->table();
    table->setDragEnabled(true);
    table->setDragDropMode(QAbstractItemView::DragOnly);
    table->setDefaultDropAction(Qt::MoveAction);
    connect(m_fleet, &FleetTreeModel::instancesDropped, this,
        [this](const QList<InstanceRef> &refs, const QString &target) {
            // after the drop returns: the drag's own event loop must end first
            QTimer::singleShot(0, this, [this, refs, target] { openDialog(refs, target); });
        });
    connect(m_fleet, &FleetTreeModel::instancesDroppedOnMember, this,
        [this](const QList<InstanceRef> &refs, const QString &target, const QString &member) {
            QTimer::singleShot(0, this, [this, refs, target, member] { openDialog(refs, target, member); });
        });

    m_migrate = new QAction(tr("&Migrate…"), this);
    m_migrate->setObjectName(u"actionMigrate"_s);
    m_migrate->setToolTip(tr("Move the selected instances to another LXD host (or drag them onto it)"));
    m_migrate->setStatusTip(m_migrate->toolTip());
    m_migrate->setEnabled(false);
    connect(m_migrate, &QAction::triggered, this, [this] {
        const QList<InstanceRef> refs = selectedInstances();
        if (!refs.isEmpty())
            openDialog(refs);
    });
    const auto update = [this] { m_migrate->setEnabled(!selectedInstances().isEmpty()); };
    connect(qApp, &QApplication::focusChanged, this, [this, table, update](QWidget *, QWidget *now) {
        if (now == table || now == m_tree) {
            m_tableLastFocused = now == table;
            update();
        }
    });
    connect(m_tree->selectionModel(), &QItemSelectionModel::selectionChanged, this, update);
    connect(m_instances, &InstancesView::selectionChanged, this, update);
    m_tree->addAction(m_migrate);
    table->addAction(m_migrate);
    if (auto *bar = m_window->findChild<QToolBar *>())
        bar->addAction(m_migrate);
}

QList<InstanceRef> MigrationController::selectedInstances() const
{
    QList<InstanceRef> table, tree;
    if (!m_tree || !m_instances)
        return {};
    for (const auto &k : m_instances->selectedInstances())
        table << InstanceRef { k.first, k.second };
    const QModelIndexList rows = m_tree->selectionModel()->selectedRows(FleetTreeModel::NameColumn);
    for (const QModelIndex &idx : rows)
        if (FleetTreeModel::NodeKind(idx.data(FleetTreeModel::KindRole).toInt())
            == FleetTreeModel::NodeKind::Instance)
            tree << InstanceRef { idx.data(FleetTreeModel::GroupRole).toString(),
                idx.data(FleetTreeModel::NameRole).toString() };
    // the view the user was last in decides; the other one when that has no instance selected
    if (m_tableLastFocused)
        return table.isEmpty() ? tree : table;
    return tree.isEmpty() ? table : tree;
}

MigrationDialog *MigrationController::openDialog(
    const QList<InstanceRef> &instances, const QString &target, const QString &member)
{
    if (auto *open = m_window->findChild<MigrationDialog *>(); open && open->isVisible()) {
        // one confirmation at a time: a second drop replaces an untouched one
        open->close();
    }
    auto *dialog = new MigrationDialog(m_migrator, instances, m_fleet->lxdHostNames(), target, m_window);
    if (!member.isEmpty())
        dialog->setTargetMember(member);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // Not open(): window-modal would block the console while hosts are checked.
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
    return dialog;
}

bool MigrationController::eventFilter(QObject *watched, QEvent *event)
{
    if (m_tree && watched == m_tree->viewport()) {
        switch (event->type()) {
        case QEvent::DragEnter:
        case QEvent::DragMove:
        case QEvent::Drop:
            dragFeedback(event);
            break;
        case QEvent::DragLeave:
            // the last reason stays a few seconds: a refused drop ends with a leave, not a drop
            QToolTip::hideText();
            break;
        default:
            break;
        }
    }
    return QObject::eventFilter(watched, event);
}

// The view only accepts or refuses; the status bar (and a tooltip) says why.
void MigrationController::dragFeedback(QEvent *event)
{
    auto *drop = static_cast<QDropEvent *>(event);
    const QMimeData *data = drop->mimeData();
    if (!data || !data->hasFormat(instancesMimeType()))
        return;
    QModelIndex idx = m_tree->indexAt(drop->position().toPoint());
    if (auto *proxy = qobject_cast<QAbstractProxyModel *>(m_tree->model()))
        idx = proxy->mapToSource(idx);
    const QString why = m_fleet->dropRejection(data, idx);
    QString text;
    if (!why.isEmpty()) {
        text = why;
    } else {
        const QList<InstanceRef> refs = decodeInstances(data);
        const QString member = m_fleet->dropTargetMember(idx);
        const QString target = member.isEmpty()
            ? visibleText(m_fleet->dropTargetHost(idx), 128)
            : tr("member %1 of %2")
                  .arg(visibleText(member, 128), visibleText(m_fleet->dropTargetHost(idx), 128));
        text = refs.size() == 1
            ? tr("Drop to move %1 to %2 (a dialog confirms first)")
                  .arg(visibleText(refs.first().name, 128), target)
            : tr("Drop to move %1 instances to %2 (a dialog confirms first)").arg(refs.size()).arg(target);
    }
    m_window->statusBar()->showMessage(text, 6000);
    if (event->type() != QEvent::Drop && !why.isEmpty())
        QToolTip::showText(
            m_tree->viewport()->mapToGlobal(drop->position().toPoint()), why, m_tree->viewport());
    else
        QToolTip::hideText();
}

} // namespace canyon
