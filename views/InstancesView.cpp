// SPDX-License-Identifier: GPL-3.0-or-later
#include "InstancesView.h"

#include "LxdConsole.h"
#include "PlainTextDelegate.h"
#include "domain/PlainText.h"
#include "item/InstancesTableModel.h"
#include "item/OperationsModel.h"

#include <QAction>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace canyon {

InstancesView::InstancesView(LxdConsole *console, QWidget *parent)
    : QWidget(parent)
    , m_console(console)
{
    setObjectName(u"instancesView"_s);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(console->instancesModel());
    m_proxy->setSortRole(InstancesTableModel::SortRole);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    auto *toolbar = new QToolBar(this);
    toolbar->setObjectName(u"instancesToolBar"_s);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto add = [this, toolbar](const QString &text, const QString &name, InstanceAction a, bool force,
                   const QString &tip) {
        auto *act = new QAction(text, this);
        act->setObjectName(name);
        act->setToolTip(tip);
        connect(act, &QAction::triggered, this, [this, a, force] { trigger(a, force); });
        toolbar->addAction(act);
        addAction(act);
        return act;
    };
    m_start = add(tr("Start"), u"actionInstanceStart"_s, InstanceAction::Start, false,
        tr("Start the selected instances"));
    m_stop = add(tr("Stop"), u"actionInstanceStop"_s, InstanceAction::Stop, false,
        tr("Stop the selected instances cleanly"));
    m_forceStop = add(tr("Force Stop"), u"actionInstanceForceStop"_s, InstanceAction::Stop, true,
        tr("Kill the selected instances without a clean shutdown"));
    m_restart = add(tr("Restart"), u"actionInstanceRestart"_s, InstanceAction::Restart, false,
        tr("Restart the selected instances"));
    m_freeze = add(tr("Freeze"), u"actionInstanceFreeze"_s, InstanceAction::Freeze, false,
        tr("Freeze (pause) the selected instances"));
    m_unfreeze = add(tr("Unfreeze"), u"actionInstanceUnfreeze"_s, InstanceAction::Unfreeze, false,
        tr("Resume the selected frozen instances"));
    toolbar->addSeparator();
    m_delete = add(tr("Delete…"), u"actionInstanceDelete"_s, InstanceAction::Delete, false,
        tr("Delete the selected stopped instances (asks first)"));
    toolbar->addSeparator();
    m_cancelAction = new QAction(tr("Cancel"), this);
    m_cancelAction->setObjectName(u"actionInstanceCancel"_s);
    m_cancelAction->setToolTip(
        tr("Cancel the running actions of the selected instances (where LXD allows it)"));
    connect(m_cancelAction, &QAction::triggered, this, [this] {
        for (const QString &row : m_console->runningActionRows(selectedInstances()))
            m_console->cancel(row);
    });
    toolbar->addAction(m_cancelAction);
    m_refresh = new QAction(tr("Reload"), this);
    m_refresh->setObjectName(u"actionInstancesReload"_s);
    m_refresh->setToolTip(tr("List the instances of the shown hosts again"));
    connect(m_refresh, &QAction::triggered, this,
        [this] { m_console->refresh(m_console->instancesModel()->hosts()); });
    toolbar->addAction(m_refresh);

    m_table = new QTableView(this);
    m_table->setObjectName(u"instancesTable"_s);
    m_table->setModel(m_proxy);
    m_table->setItemDelegate(new PlainTextDelegate(m_table));
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(InstancesTableModel::NameColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    for (QAction *a :
        { m_start, m_stop, m_forceStop, m_restart, m_freeze, m_unfreeze, m_delete, m_cancelAction })
        m_table->addAction(a);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    QHeaderView *h = m_table->horizontalHeader();
    h->setStretchLastSection(true);
    h->resizeSection(InstancesTableModel::NameColumn, 150);
    h->resizeSection(InstancesTableModel::TypeColumn, 75);
    h->resizeSection(InstancesTableModel::StatusColumn, 75);
    h->resizeSection(InstancesTableModel::Ipv4Column, 105);
    h->resizeSection(InstancesTableModel::Ipv6Column, 150);
    h->resizeSection(InstancesTableModel::CpuColumn, 55);
    h->resizeSection(InstancesTableModel::MemoryColumn, 80);
    h->resizeSection(InstancesTableModel::RxColumn, 85);
    h->resizeSection(InstancesTableModel::TxColumn, 85);
    h->resizeSection(InstancesTableModel::ProfilesColumn, 80);
    h->resizeSection(InstancesTableModel::CreatedColumn, 120);
    h->resizeSection(InstancesTableModel::LocationColumn, 70);
    h->resizeSection(InstancesTableModel::HostColumn, 90);

    m_summary = new QLabel(this);
    m_summary->setObjectName(u"instancesSummary"_s);
    m_summary->setTextFormat(Qt::PlainText);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(toolbar);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_summary);

    m_visibleTimer = new QTimer(this);
    m_visibleTimer->setSingleShot(true);
    m_visibleTimer->setInterval(200); // scrolling publishes once it settles
    connect(m_visibleTimer, &QTimer::timeout, this, &InstancesView::publishVisible);
    auto later = [this] {
        if (isVisible())
            m_visibleTimer->start();
        updateActions();
    };
    connect(m_table->verticalScrollBar(), &QScrollBar::valueChanged, this, later);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, later);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, later);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, later);
    connect(m_proxy, &QAbstractItemModel::dataChanged, this, &InstancesView::updateActions);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateActions();
        Q_EMIT selectionChanged();
    });
    updateActions();
}

void InstancesView::setFilterText(const QString &text)
{
    m_proxy->setFilterFixedString(text);
}

void InstancesView::selectInstance(const QString &host, const QString &name)
{
    const QModelIndex src = m_console->instancesModel()->indexOf(host, name);
    const QModelIndex idx = m_proxy->mapFromSource(src);
    if (!idx.isValid())
        return;
    m_table->selectionModel()->setCurrentIndex(
        idx, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(idx);
}

QList<InstancesView::Key> InstancesView::selectedInstances() const
{
    QList<Key> keys;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    for (const QModelIndex &r : rows)
        keys << Key { r.data(InstancesTableModel::HostRole).toString(),
            r.data(InstancesTableModel::NameRole).toString() };
    return keys;
}

QList<InstancesView::Key> InstancesView::visibleInstances() const
{
    QList<Key> keys;
    if (m_proxy->rowCount() == 0)
        return keys;
    int first = m_table->rowAt(0);
    int last = m_table->rowAt(m_table->viewport()->height() - 1);
    if (first < 0)
        first = 0;
    if (last < 0)
        last = m_proxy->rowCount() - 1;
    for (int r = first; r <= last; ++r) {
        const QModelIndex idx = m_proxy->index(r, 0);
        keys << Key { idx.data(InstancesTableModel::HostRole).toString(),
            idx.data(InstancesTableModel::NameRole).toString() };
    }
    return keys;
}

void InstancesView::publishVisible()
{
    m_console->setVisibleInstances(isVisible() ? visibleInstances() : QList<Key>());
}

void InstancesView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_visibleTimer->start();
}

void InstancesView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_visibleTimer->stop();
    m_console->setVisibleInstances({});
}

QAction *InstancesView::action(InstanceAction a, bool force) const
{
    switch (a) {
    case InstanceAction::Start:
        return m_start;
    case InstanceAction::Stop:
        return force ? m_forceStop : m_stop;
    case InstanceAction::Restart:
        return m_restart;
    case InstanceAction::Freeze:
        return m_freeze;
    case InstanceAction::Unfreeze:
        return m_unfreeze;
    case InstanceAction::Delete:
        return m_delete;
    }
    return nullptr;
}

bool InstancesView::applies(InstanceAction action, int code)
{
    constexpr int running = 103, stopped = 102, frozen = 110;
    switch (action) {
    case InstanceAction::Start:
        return code == stopped || code == 108 || code == 112;
    case InstanceAction::Stop:
        return code == running || code == frozen;
    case InstanceAction::Restart:
    case InstanceAction::Freeze:
        return code == running;
    case InstanceAction::Unfreeze:
        return code == frozen;
    case InstanceAction::Delete:
        return code != running && code != frozen;
    }
    return false;
}

void InstancesView::updateActions()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    auto any = [&rows](InstanceAction a) {
        return std::any_of(rows.cbegin(), rows.cend(), [a](const QModelIndex &r) {
            return applies(a, r.data(InstancesTableModel::StatusCodeRole).toInt());
        });
    };
    m_start->setEnabled(any(InstanceAction::Start));
    m_stop->setEnabled(any(InstanceAction::Stop));
    m_forceStop->setEnabled(any(InstanceAction::Stop));
    m_restart->setEnabled(any(InstanceAction::Restart));
    m_freeze->setEnabled(any(InstanceAction::Freeze));
    m_unfreeze->setEnabled(any(InstanceAction::Unfreeze));
    m_delete->setEnabled(any(InstanceAction::Delete));
    m_cancelAction->setEnabled(!m_console->runningActionRows(selectedInstances()).isEmpty());
    m_refresh->setEnabled(!m_console->instancesModel()->hosts().isEmpty());
    const int total = m_console->instancesModel()->rowCount();
    const int shown = m_proxy->rowCount();
    QString text = shown == total ? tr("%n instance(s)", nullptr, total)
                                  : tr("%1 of %2 instances shown").arg(shown).arg(total);
    if (!rows.isEmpty())
        text += tr(", %n selected", nullptr, int(rows.size()));
    m_summary->setText(text);
}

void InstancesView::trigger(InstanceAction action, bool force)
{
    QList<Key> targets;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    for (const QModelIndex &r : rows)
        if (applies(action, r.data(InstancesTableModel::StatusCodeRole).toInt()))
            targets << Key { r.data(InstancesTableModel::HostRole).toString(),
                r.data(InstancesTableModel::NameRole).toString() };
    if (targets.isEmpty())
        return;
    if (action == InstanceAction::Delete)
        return confirmDelete(targets);
    run(action, force, targets);
}

void InstancesView::run(InstanceAction action, bool force, const QList<Key> &instances)
{
    m_console->runAction(instances, action, force);
    updateActions();
}

void InstancesView::confirmDelete(const QList<Key> &instances)
{
    QStringList shown;
    for (const Key &k : instances)
        shown << visibleText(k.second, 128) + u" ("_s + visibleText(k.first, 64) + u')';
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Delete instances"),
        tr("Delete %n instance(s)? Their data is lost.", nullptr, int(instances.size())), QMessageBox::Cancel,
        this);
    box->setObjectName(u"confirmDeleteInstances"_s);
    box->setTextFormat(Qt::PlainText);
    box->setInformativeText(shown.mid(0, 20).join(u", "_s) + (shown.size() > 20 ? u" …"_s : QString()));
    QPushButton *del = box->addButton(tr("Delete"), QMessageBox::DestructiveRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, del, instances](QAbstractButton *clicked) {
        if (clicked == static_cast<QAbstractButton *>(del))
            run(InstanceAction::Delete, false, instances);
    });
    box->open();
}

} // namespace canyon
