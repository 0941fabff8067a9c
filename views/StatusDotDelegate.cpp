// SPDX-License-Identifier: GPL-3.0-or-later
#include "StatusDotDelegate.h"

#include "item/FleetTreeModel.h"

#include <QPainter>
#include <QPixmap>

namespace canyon {

QColor StatusDotDelegate::statusColor(DeviceStatus status)
{
    switch (status) {
    case DeviceStatus::Ok:
        return QColor(0x2e, 0x9e, 0x44);
    case DeviceStatus::Refreshing:
        return QColor(0x2f, 0x7e, 0xd8);
    case DeviceStatus::NotYetContacted:
        return QColor(0x9a, 0x9a, 0x9a);
    case DeviceStatus::Unreachable:
        return QColor(0xe0, 0x7b, 0x1f);
    case DeviceStatus::HostKeyUnknown:
        return QColor(0xd8, 0xa8, 0x00);
    case DeviceStatus::Unsupported:
        return QColor(0x8e, 0x6b, 0xbf);
    case DeviceStatus::AuthFailed:
    case DeviceStatus::Error:
        return QColor(0xc9, 0x30, 0x2c);
    case DeviceStatus::HostKeyChanged:
        return QColor(0x8b, 0x00, 0x14);
    }
    return QColor(0xc9, 0x30, 0x2c);
}

QIcon StatusDotDelegate::makeStatusIcon(DeviceStatus status)
{
    QIcon icon;
    for (const int size : { 16, 32, 48 }) {
        QPixmap pm(size, size);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        p.setRenderHint(QPainter::Antialiasing);
        const QColor c = statusColor(status);
        p.setPen(QPen(c.darker(140), size / 16.0));
        p.setBrush(c);
        const qreal margin = size * 0.22;
        p.drawEllipse(QRectF(margin, margin, size - 2 * margin, size - 2 * margin));
        p.end();
        icon.addPixmap(pm);
    }
    return icon;
}

void StatusDotDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    PlainTextDelegate::initStyleOption(option, index);
    if (index.column() != FleetTreeModel::NameColumn)
        return;
    const auto kind = FleetTreeModel::NodeKind(index.data(FleetTreeModel::KindRole).toInt());
    if (kind == FleetTreeModel::NodeKind::Group)
        return; // devices, LXD hosts and instances have a dot
    option->features |= QStyleOptionViewItem::HasDecoration;
    const int status = index.data(FleetTreeModel::StatusRole).toInt();
    auto it = m_icons.find(status);
    if (it == m_icons.end())
        it = m_icons.insert(status, makeStatusIcon(DeviceStatus(status)));
    option->icon = *it;
}

} // namespace canyon
