// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "PlainTextDelegate.h"
#include "domain/Device.h"

#include <QColor>
#include <QHash>
#include <QIcon>

namespace canyon {

// Paints the fleet tree's status dots from FleetTreeModel::StatusRole (the model has no QtGui).
class StatusDotDelegate : public PlainTextDelegate
{
    Q_OBJECT
public:
    using PlainTextDelegate::PlainTextDelegate;

    static QColor statusColor(DeviceStatus status);
    static QIcon makeStatusIcon(DeviceStatus status); // a round dot

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    mutable QHash<int, QIcon> m_icons; // per delegate: no QPixmap outlives the application
};

} // namespace canyon
