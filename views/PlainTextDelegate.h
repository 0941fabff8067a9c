// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStyledItemDelegate>

namespace canyon {

// Item tooltips carry remote text. QToolTip guesses rich text from the first line, so a name
// like "<img src=...>" would render as HTML: this delegate shows every tooltip as escaped text.
class PlainTextDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    // Plain text (with newlines) as a tooltip string that renders literally.
    static QString toolTipFor(const QString &plain);

    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
        const QModelIndex &index) override;
};

} // namespace canyon
