// SPDX-License-Identifier: GPL-3.0-or-later
#include "OperationsDock.h"

#include "PlainTextDelegate.h"
#include "item/OperationsModel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QPainter>
#include <QPushButton>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

// The progress column as a bar (busy-looking empty bar when the percentage is unknown).
class ProgressDelegate : public PlainTextDelegate
{
public:
    using PlainTextDelegate::PlainTextDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        if (index.column() != OperationsModel::ProgressColumn)
            return PlainTextDelegate::paint(painter, option, index);
        QStyleOptionViewItem base = option;
        initStyleOption(&base, index);
        base.text.clear();
        QApplication::style()->drawControl(QStyle::CE_ItemViewItem, &base, painter, option.widget);
        const int progress = index.data(OperationsModel::ProgressRole).toInt();
        const auto state = OperationsModel::State(index.data(OperationsModel::StateRole).toInt());
        QStyleOptionProgressBar bar;
        bar.rect = option.rect.adjusted(2, 3, -2, -3);
        bar.minimum = 0;
        bar.maximum = 100;
        bar.progress = progress < 0 ? 0 : progress;
        bar.textVisible = true;
        bar.text = progress >= 0                       ? tr("%1%").arg(progress)
            : state == OperationsModel::State::Running ? tr("working…")
                                                       : QString();
        bar.state = option.state | QStyle::State_Horizontal;
        bar.palette = option.palette;
        QApplication::style()->drawControl(QStyle::CE_ProgressBar, &bar, painter, option.widget);
    }
};

} // namespace

OperationsDock::OperationsDock(OperationsModel *model, QWidget *parent)
    : QDockWidget(tr("Operations"), parent)
    , m_model(model)
{
    setObjectName(u"operationsDock"_s);
    setFeatures(
        QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetFloatable);
    auto *body = new QWidget(this);
    m_view = new QTableView(body);
    m_view->setObjectName(u"operationsView"_s);
    m_view->setModel(model);
    m_view->setItemDelegate(new ProgressDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->setAlternatingRowColors(true);
    QHeaderView *h = m_view->horizontalHeader();
    h->setStretchLastSection(false);
    h->resizeSection(OperationsModel::SourceColumn, 120);
    h->resizeSection(OperationsModel::TitleColumn, 280);
    h->resizeSection(OperationsModel::ProgressColumn, 120);
    h->setSectionResizeMode(OperationsModel::StatusColumn, QHeaderView::Stretch);
    h->resizeSection(OperationsModel::StartedColumn, 80);

    m_cancel = new QPushButton(tr("&Cancel Operation"), body);
    m_cancel->setObjectName(u"cancelOperationButton"_s);
    m_cancel->setToolTip(tr("Cancel the selected running operations (where LXD allows it; fleet jobs "
                            "start no further device and follow running changes to their end)"));
    m_clear = new QPushButton(tr("C&lear Finished"), body);
    m_clear->setObjectName(u"clearOperationsButton"_s);
    auto *buttons = new QVBoxLayout;
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_clear);
    buttons->addStretch(1);
    auto *layout = new QHBoxLayout(body);
    layout->setContentsMargins(4, 2, 4, 4);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);
    setWidget(body);

    connect(m_cancel, &QPushButton::clicked, this, &OperationsDock::cancelSelected);
    connect(m_clear, &QPushButton::clicked, m_model, &OperationsModel::clearFinished);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &OperationsDock::updateButtons);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &OperationsDock::updateButtons);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &OperationsDock::updateButtons);
    updateButtons();

    // Results (errors, which copy is authoritative) stay copyable after the fact.
    auto *copy = new QAction(tr("&Copy"), m_view);
    copy->setObjectName(u"copyOperationsAction"_s);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    m_view->addAction(copy);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(copy, &QAction::triggered, this, [this] {
        if (const QString text = selectedText(); !text.isEmpty())
            QApplication::clipboard()->setText(text);
    });
}

QString OperationsDock::selectedText() const
{
    QStringList out;
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end());
    for (const QModelIndex &r : std::as_const(rows)) {
        QStringList cells;
        for (int c = 0; c < OperationsModel::ColumnCount; ++c)
            cells << r.sibling(r.row(), c).data().toString();
        QString text = cells.join(u'\t');
        const QString id = r.data(OperationsModel::IdRole).toString();
        for (const auto &d : m_details)
            if (id.startsWith(d.first))
                if (const QString more = d.second(id); !more.isEmpty())
                    text += u'\n' + more;
        out << text;
    }
    return out.join(u'\n');
}

void OperationsDock::updateButtons()
{
    bool cancellable = false;
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &r : rows)
        cancellable = cancellable || r.data(OperationsModel::CancellableRole).toBool();
    m_cancel->setEnabled(cancellable);
}

void OperationsDock::cancelSelected()
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    QStringList ids;
    for (const QModelIndex &r : rows)
        if (r.data(OperationsModel::CancellableRole).toBool())
            ids << r.data(OperationsModel::IdRole).toString();
    for (const QString &id : std::as_const(ids)) {
        Q_EMIT cancelRequested(id);
        auto own = std::find_if(m_prefixCancellers.cbegin(), m_prefixCancellers.cend(),
            [&id](const auto &p) { return id.startsWith(p.first); });
        if (own != m_prefixCancellers.cend())
            own->second(id);
        else if (m_canceller)
            m_canceller(id);
    }
}

} // namespace canyon
