// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SimDevice.h"

#include <QString>
#include <optional>

namespace canyon::sim {

// Reads a device state file (JSON written by saveDeviceState).
std::optional<SimDevice> loadDeviceState(const QString &path, QString *error = nullptr);

// Writes the state atomically (temporary file + rename), so a crash or a
// concurrent reader never sees half a file.
bool saveDeviceState(const SimDevice &device, const QString &path, QString *error = nullptr);

// An exclusive flock(2) on PATH (created if missing), held for the object's
// lifetime: serialises `cli` invocations that share one state file.
class FileLock
{
public:
    explicit FileLock(const QString &path);
    ~FileLock();
    FileLock(const FileLock &) = delete;
    FileLock &operator=(const FileLock &) = delete;

    bool isLocked() const { return m_fd >= 0; }
    QString errorString() const { return m_error; }

private:
    int m_fd = -1;
    QString m_error;
};

} // namespace canyon::sim
