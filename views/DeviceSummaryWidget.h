// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "domain/Device.h"
#include "domain/Host.h"

#include <QWidget>

class QFormLayout;
class QLabel;

namespace canyon {

// What is known about the selected device: system, versions, last inventory, status and error.
// Every remote string is shown as plain, selectable text with control characters made visible.
class DeviceSummaryWidget : public QWidget
{
    Q_OBJECT
public:
    explicit DeviceSummaryWidget(QWidget *parent = nullptr);

    // status is the displayed one (it may be Refreshing while inventory is the last known);
    // selectedDevices > 1 notes that only the current device of a multi-selection is shown.
    void showDevice(const HostConfig &host, const DeviceInventory &inventory, DeviceStatus status,
        int selectedDevices = 1);
    void showGroup(const QString &displayName, int devices, int reachable);
    void showNothing();

private:
    QLabel *addField(QFormLayout *form, const QString &label, const QString &objectName);
    void setField(QLabel *label, const QString &text);

    QLabel *m_dot = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_note = nullptr;
    QWidget *m_fields = nullptr;
    QLabel *m_address = nullptr;
    QLabel *m_dialect = nullptr;
    QLabel *m_system = nullptr;
    QLabel *m_versionLabel = nullptr;
    QLabel *m_version = nullptr;
    QLabel *m_kernel = nullptr;
    QLabel *m_architecture = nullptr;
    QLabel *m_hostname = nullptr;
    QLabel *m_fetched = nullptr;
    QLabel *m_snapsRefreshed = nullptr;
};

} // namespace canyon
