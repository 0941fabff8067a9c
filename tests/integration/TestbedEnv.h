// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The real servers of tests/testbed/up.sh are described by environment variables. Where they
// are absent a test skips, unless CANYON_REQUIRE_TESTBED=1 (CI): then a missing server fails.

#include "fleet/FleetService.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTest>

namespace canyon::testbed {

inline QString env(const char *name)
{
    return qEnvironmentVariable(name);
}

inline bool required()
{
    return qEnvironmentVariable("CANYON_REQUIRE_TESTBED") == QLatin1StringView("1");
}

#define CANYON_NEED_ENV(var)                                                                                 \
    do {                                                                                                     \
        if (canyon::testbed::env(var).isEmpty()) {                                                           \
            if (canyon::testbed::required())                                                                 \
                QFAIL(var " is not set but CANYON_REQUIRE_TESTBED=1: the testbed did not come up");          \
            QSKIP(var " not set: start the testbed (tests/testbed/up.sh) to run this test");                 \
        }                                                                                                    \
    } while (0)

// Runs a refresh to its end and returns every device's result by name.
inline QHash<QString, DeviceInventory> refreshAll(
    FleetService &fleet, const QStringList &names = {}, int timeoutMs = 60000)
{
    QHash<QString, DeviceInventory> results;
    auto c = QObject::connect(&fleet, &FleetService::deviceInventoryReady,
        [&](const DeviceInventory &inv) { results.insert(inv.host, inv); });
    QSignalSpy done(&fleet, &FleetService::refreshFinished);
    if (fleet.refresh(names))
        done.wait(timeoutMs);
    QObject::disconnect(c);
    return results;
}

inline ConnectProbe probe(FleetService &fleet, const HostConfig &h, bool accept, const AuthSecrets &s = {})
{
    QSignalSpy spy(&fleet, &FleetService::connectProbed);
    fleet.probe(h, s, accept);
    if (!spy.wait(30000))
        return {};
    return spy.takeFirst().at(1).value<ConnectProbe>();
}

inline QString sshKeygenFingerprint(const QString &pubFile)
{
    QProcess p;
    p.start(QStringLiteral("ssh-keygen"),
        { QStringLiteral("-l"), QStringLiteral("-E"), QStringLiteral("sha256"), QStringLiteral("-f"),
            pubFile });
    p.waitForFinished();
    const QList<QByteArray> parts = p.readAllStandardOutput().split(' ');
    return parts.size() > 1 ? QString::fromLatin1(parts.at(1)) : QString();
}

} // namespace canyon::testbed
