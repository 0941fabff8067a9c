// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDockWidget>
#include <functional>

class QPushButton;
class QTableView;

namespace canyon {

class OperationsModel;

// The bottom dock: every running and recent operation (LXD now, fleet jobs later) with
// progress, status and a Cancel for the rows whose source can cancel them.
class OperationsDock : public QDockWidget
{
    Q_OBJECT
public:
    explicit OperationsDock(OperationsModel *model, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    // The dock asks; the owner of the row's source cancels (and finishes the row).
    void setCanceller(std::function<bool(const QString &id)> canceller)
    {
        m_canceller = std::move(canceller);
    }

Q_SIGNALS:
    void cancelRequested(const QString &id);

private:
    void updateButtons();
    void cancelSelected();

    OperationsModel *m_model;
    QTableView *m_view = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_clear = nullptr;
    std::function<bool(const QString &)> m_canceller;
};

} // namespace canyon
