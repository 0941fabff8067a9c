// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Plain value types of LXD hosts (models/lxd parses them, item models and views show them).
// Every string here is remote text: display it through visibleText().

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <optional>

namespace canyon {

// GET /1.0 (what Canyon uses of it).
struct LxdServerInfo
{
    bool trusted = false; // auth == "trusted"
    QString serverVersion; // environment.server_version ("5.0.2")
    QString serverName; // environment.server_name
    QString certificateSha256; // environment.certificate_fingerprint (only when trusted)
    bool clustered = false;
    QStringList apiExtensions;
    QStringList authMethods;
    bool operator==(const LxdServerInfo &) const = default;
};

// One entry of GET /1.0/instances?recursion=1.
struct Instance
{
    QString name;
    QString type; // "container" | "virtual-machine"
    QString status; // "Running", "Stopped", "Frozen", "Error", ...
    int statusCode = 0; // 103 running, 102 stopped, 110 frozen, ...
    QString location; // cluster member ("none" on a standalone server)
    QString project;
    QStringList profiles;
    QDateTime created;
    QDateTime lastUsed;
    QString architecture;
    QString description;
    bool ephemeral = false;
    // image.os / image.release / image.description of the expanded config (the "what is it")
    QString imageOs;
    QString imageRelease;
    QString imageDescription;
    // expanded_devices: device name -> its settings (nic, disk, ...), as strings
    QMap<QString, QMap<QString, QString>> devices;
    bool operator==(const Instance &) const = default;
};

struct InstanceAddress
{
    QString family; // "inet" | "inet6"
    QString address;
    QString netmask;
    QString scope; // "global" | "link" | "local"
    bool operator==(const InstanceAddress &) const = default;
};

struct InstanceNetwork
{
    QString name; // interface name, e.g. "eth0"
    QString hwaddr;
    QString hostName; // host-side veth
    QString state; // "up" | "down"
    QString type; // "broadcast" | "loopback" | ...
    qint64 mtu = 0;
    QList<InstanceAddress> addresses;
    // cumulative counters since the interface came up (rates: metrics/CounterRate)
    qint64 bytesReceived = 0;
    qint64 bytesSent = 0;
    qint64 packetsReceived = 0;
    qint64 packetsSent = 0;
    bool operator==(const InstanceNetwork &) const = default;
};

struct InstanceDisk
{
    QString device; // "root", ...
    qint64 usage = 0; // bytes
    qint64 total = 0; // bytes, 0 = unknown / unlimited
    bool operator==(const InstanceDisk &) const = default;
};

// GET /1.0/instances/NAME/state.
struct InstanceState
{
    QString status;
    int statusCode = 0;
    qint64 pid = 0;
    qint64 processes = 0; // -1 where LXD cannot tell (stopped)
    qint64 cpuUsageNs = 0; // cumulative CPU time, nanoseconds
    qint64 memoryUsage = 0; // bytes
    qint64 memoryPeak = 0;
    qint64 memoryTotal = 0; // bytes, 0 = no limit reported
    qint64 swapUsage = 0;
    QList<InstanceDisk> disks; // sorted by device
    QList<InstanceNetwork> networks; // sorted by name
    // Global addresses of all non-loopback interfaces, IPv4 first (what a table shows).
    QStringList globalAddresses() const;
    bool operator==(const InstanceState &) const = default;
};

// An LXD background operation (GET /1.0/operations/UUID, an async response, an event).
struct Operation
{
    QString id;
    QString operationClass; // "task" | "websocket" | "token"
    QString description; // "Starting instance"
    QString status; // "Pending", "Running", "Success", "Failure", "Cancelled"
    int statusCode = 0; // 105 pending, 103 running, 200 success, 400 failure, 401 cancelled
    bool mayCancel = false;
    QString err; // failure reason
    QString location;
    QDateTime created;
    QDateTime updated;
    QStringList instances; // names from resources.instances (/1.0/instances/NAME)
    // 0..100 from metadata.progress.percent or a metadata "*_progress" "NN%" text; -1 unknown
    int progressPercent = -1;
    QString progressText; // metadata.progress.stage or the "*_progress" text, as given
    bool isFinal() const { return statusCode >= 200; }
    bool operator==(const Operation &) const = default;
};

// One message of the /1.0/events websocket.
struct LxdEvent
{
    QString type; // "operation" | "lifecycle" | "logging"
    QDateTime timestamp;
    QString location;
    QString project;
    QJsonObject metadata; // as sent (bounded by the parser)
    // lifecycle: action ("instance-started", ...) and the instance named by its source
    QString action;
    QString instance; // from "/1.0/instances/NAME" (decoded), empty when not an instance
    // operation: the parsed operation
    std::optional<Operation> operation;
    bool operator==(const LxdEvent &) const = default;
};

} // namespace canyon

Q_DECLARE_METATYPE(canyon::Instance)
Q_DECLARE_METATYPE(canyon::InstanceState)
Q_DECLARE_METATYPE(canyon::Operation)
Q_DECLARE_METATYPE(canyon::LxdEvent)
