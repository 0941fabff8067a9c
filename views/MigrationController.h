// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "item/InstanceDrag.h"
#include "lxd/LxdService.h"

#include <QObject>
#include <QPointer>
#include <QTreeView>

class QAction;
class QMainWindow;

namespace canyon {

class FleetTreeModel;
class InstancesView;
class LxdMigrator;
class MigrationDialog;
class MigrationOperations;
class OperationsDock;

// Issue 5 in the window: instances drag from the fleet tree and the Instances tab onto another
// LXD host of the tree (the status bar says why a place refuses them), "Migrate…" does the same
// from the keyboard; both open a MigrationDialog. Owns the LxdMigrator (fed by the LxdService's
// clients); migrations are rows of the operations dock with Cancel, and a finished one reads
// both hosts' instances again.
class MigrationController : public QObject
{
    Q_OBJECT
public:
    MigrationController(QMainWindow *window, QTreeView *tree, FleetTreeModel *fleet, LxdService *lxd,
        InstancesView *instances, OperationsDock *dock, const QString &stateDir);

    LxdMigrator *migrator() const { return m_migrator; }
    MigrationOperations *operations() const { return m_operations; }
    QAction *migrateAction() const { return m_migrate; }
    // Opens (or raises) the dialog for these instances; target "" = the first other host.
    // member: a cluster member of target (a member move when the instances are on target).
    MigrationDialog *openDialog(
        const QList<InstanceRef> &instances, const QString &target = {}, const QString &member = {});

protected:
    bool eventFilter(QObject *watched, QEvent *event) override; // drag feedback over the tree

private:
    QList<InstanceRef> selectedInstances() const;
    void dragFeedback(QEvent *event);

    QMainWindow *m_window;
    // the window deletes its widgets before this object: guarded for signals during that
    QPointer<QTreeView> m_tree;
    FleetTreeModel *m_fleet;
    QPointer<LxdService> m_lxd;
    QPointer<InstancesView> m_instances;
    LxdMigrator *m_migrator = nullptr;
    MigrationOperations *m_operations = nullptr;
    QAction *m_migrate = nullptr;
    bool m_tableLastFocused = false;
};

} // namespace canyon
