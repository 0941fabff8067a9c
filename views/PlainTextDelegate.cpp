// SPDX-License-Identifier: GPL-3.0-or-later
#include "PlainTextDelegate.h"

#include <QAbstractItemView>
#include <QHelpEvent>
#include <QToolTip>

using namespace Qt::StringLiterals;

namespace canyon {

QString PlainTextDelegate::toolTipFor(const QString &plain)
{
    if (plain.isEmpty())
        return {};
    QString escaped = plain.toHtmlEscaped();
    escaped.replace(u'\n', u"<br/>"_s);
    return u"<qt>"_s + escaped + u"</qt>"_s;
}

bool PlainTextDelegate::helpEvent(
    QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (!event || !view || event->type() != QEvent::ToolTip)
        return QStyledItemDelegate::helpEvent(event, view, option, index);
    const QString tip = toolTipFor(index.data(Qt::ToolTipRole).toString());
    if (tip.isEmpty()) {
        QToolTip::hideText();
        event->ignore();
        return false;
    }
    QToolTip::showText(event->globalPos(), tip, view->viewport(), option.rect);
    return true;
}

} // namespace canyon
