// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "lxd/LxdClient.h"

#include <QWidget>

class QAction;
class QLabel;
class QSortFilterProxyModel;
class QTableView;
class QTimer;

namespace canyon {

class LxdConsole;

// The Instances tab: the instances of the selected LXD hosts, sortable and filtered by the
// main filter box, multi-select, lifecycle actions with per-instance results in the table.
class InstancesView : public QWidget
{
    Q_OBJECT
public:
    using Key = std::pair<QString, QString>; // host, instance

    explicit InstancesView(LxdConsole *console, QWidget *parent = nullptr);

    void setFilterText(const QString &text);
    void selectInstance(const QString &host, const QString &name);
    QList<Key> selectedInstances() const;
    QList<Key> visibleInstances() const; // rows in the viewport
    QTableView *table() const { return m_table; }
    QAction *action(InstanceAction action, bool force = false) const;
    QAction *cancelAction() const { return m_cancelAction; }

    // Runs without asking (Delete included): what the buttons call after any confirmation.
    void run(InstanceAction action, bool force, const QList<Key> &instances);

Q_SIGNALS:
    void selectionChanged(); // the selected instances changed

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void trigger(InstanceAction action, bool force);
    void confirmDelete(const QList<Key> &instances);
    void updateActions();
    void publishVisible();
    static bool applies(InstanceAction action, int statusCode);

    LxdConsole *m_console;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_summary = nullptr;
    QTimer *m_visibleTimer = nullptr;
    QAction *m_start = nullptr;
    QAction *m_stop = nullptr;
    QAction *m_forceStop = nullptr;
    QAction *m_restart = nullptr;
    QAction *m_freeze = nullptr;
    QAction *m_unfreeze = nullptr;
    QAction *m_delete = nullptr;
    QAction *m_cancelAction = nullptr;
    QAction *m_refresh = nullptr;
};

} // namespace canyon
