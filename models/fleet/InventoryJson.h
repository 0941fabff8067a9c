// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "domain/Device.h"
#include "domain/JsonWriter.h"

#include <QJsonObject>

namespace canyon {

// Writes the CLI.md inventory object of one device (also the cache format).
// Last-known snaps kept after a failed read are written only for the cache (withKept): a
// script reading `inventory --json` sees what this run read, nothing older.
void writeInventoryJson(JsonWriter &w, const DeviceInventory &inv, bool withKept = false);
// The same object, parsed back (for callers that inspect it, such as tests).
QJsonObject inventoryToJson(const DeviceInventory &inv, bool withKept = false);
// Reads a JSON array of what writeInventoryJson wrote (the cache), straight from its text.
// Unknown fields are ignored, a field of another type reads as QJsonValue would convert it
// (empty text, false; "active" true). Anything in the array that is not an object gives an
// empty inventory. Empty, with ok false, when it is not a JSON
// array.
QList<DeviceInventory> inventoriesFromJson(QByteArrayView text, bool *ok);

} // namespace canyon
