// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDockWidget>
#include <QList>
#include <QPair>
#include <functional>

class QPushButton;
class QTableView;

namespace canyon {

class OperationsModel;

// The bottom dock: every running and recent operation (LXD operations, fleet jobs) with
// progress, status and a Cancel for the rows whose source can cancel them.
class OperationsDock : public QDockWidget
{
    Q_OBJECT
public:
    explicit OperationsDock(OperationsModel *model, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    OperationsModel *model() const { return m_model; }
    // The dock asks; the owner of the row's source cancels (and finishes the row).
    void setCanceller(std::function<bool(const QString &id)> canceller)
    {
        m_canceller = std::move(canceller);
    }
    // Rows whose id starts with idPrefix ("job:") go to this canceller instead.
    void addCanceller(const QString &idPrefix, std::function<bool(const QString &id)> canceller)
    {
        m_prefixCancellers.append({ idPrefix, std::move(canceller) });
    }
    // Copy (Ctrl+C, context menu) puts the selected rows on the clipboard; rows whose id starts
    // with idPrefix add the text of this function (e.g. a migration's full result).
    void addDetails(const QString &idPrefix, std::function<QString(const QString &id)> details)
    {
        m_details.append({ idPrefix, std::move(details) });
    }
    QString selectedText() const; // what Copy puts on the clipboard

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
    QList<QPair<QString, std::function<bool(const QString &)>>> m_prefixCancellers;
    QList<QPair<QString, std::function<QString(const QString &)>>> m_details;
};

} // namespace canyon
