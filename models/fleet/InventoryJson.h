// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "domain/Device.h"

#include <QJsonObject>

namespace canyon {

// The CLI.md inventory object of one device (also the cache format).
QJsonObject inventoryToJson(const DeviceInventory &inv);
// Reads what inventoryToJson wrote (the cache). Unknown fields are ignored.
DeviceInventory inventoryFromJson(const QJsonObject &o);

} // namespace canyon
