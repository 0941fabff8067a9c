// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SimDevice.h"

#include <QList>
#include <QString>
#include <memory>

namespace canyon::sim {

// How `canyon-fleetsim serve` is set up. Shares are percentages of all devices;
// each trait picks its devices deterministically and spread out (see hasTrait).
struct ServerConfig
{
    QString listenAddress = QStringLiteral("127.0.0.1"); // loopback only
    quint16 port = 0; // 0 = ephemeral
    int devices = 1; // dev0000 .. dev{N-1}
    int snappyShare = 20;
    int unsupported = 0; // the last N devices have neither CLI
    QString hostKeyFile; // ed25519, generated if missing
    QString authorizedKeyFile; // OpenSSH public key(s)
    QString stateDir; // empty = state in memory only
    int slowMs = 0;
    int slowShare = 0;
    int dropShare = 0; // connection cut mid-output
    int hostileShare = 0; // hostile names in tables
    int hostileListRows = 0; // > 0: hostile `snap list` parses and gains this many hostile rows
    int silentShare = 0; // exec accepted, never answered
    int idleTimeoutSec = 600; // per connection, without activity
    int authTimeoutSec = 30; // from accept to successful auth
    int maxConnections = 12000; // beyond that, new TCP connections are closed
    int rebootMs = 5000;
    QList<int> failRefresh; // devices whose refreshes snapd undoes
    QList<int> noSudo; // devices whose sudo wants a password
    // Devices whose link is cut once, right after the first `--no-wait` write ran: the change
    // is in flight on the device but its id never reaches the client.
    QList<int> cutAfterWrite;
    bool verbose = false;
};

enum class Trait { Snappy, Slow, Drop, Hostile, Silent };

// Device `index` has the trait when its share says so. Devices are spread
// evenly (every 5th for 20 %), with a per-trait offset so faults do not all
// land on the same devices.
bool hasTrait(int index, int sharePercent, Trait trait);

// "dev0042" -> 42; -1 unless the name is dev + at least four digits.
int deviceIndexFromUser(const QString &user);
QString userForDevice(int index);

// Creates an ed25519 host key (and PATH.pub) if PATH does not exist; fails if
// it exists but is not an ed25519 private key.
bool ensureHostKey(const QString &path, QString *error);

// A libssh server that plays N devices on one loopback port, chosen by the SSH
// user name. One thread per connection with a small stack; every connection
// has deadlines; device state is shared and locked per device.
class SimServer
{
public:
    explicit SimServer(ServerConfig config);
    ~SimServer();
    SimServer(const SimServer &) = delete;
    SimServer &operator=(const SimServer &) = delete;

    bool start(QString *error);
    quint16 port() const;
    // Stops accepting, ends every session and waits for them (bounded).
    void stop();

    int activeSessions() const;
    Dialect dialectOf(int index) const;

    // A copy of a device's current state (seeded or loaded on first use).
    SimDevice deviceSnapshot(int index);

    struct Impl;

private:
    std::unique_ptr<Impl> d;
};

} // namespace canyon::sim
