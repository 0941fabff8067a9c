// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Starting the shipped simulator (`canyon-fleetsim serve`) from a test: keys, the READY line,
// pre-trusting its host key, and stopping it. One place for what every simulator test needs.

#include <QByteArray>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QStringList>
#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

namespace canyon::testsupport {

// ed25519 client and host keys without passphrase: DIR/client(.pub), DIR/host(.pub).
inline bool makeSimulatorKeys(const QString &dir)
{
    for (const char *name : { "client", "host" }) {
        QProcess gen;
        gen.start(QStringLiteral("ssh-keygen"),
            { QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"), QStringLiteral("-N"),
                QString(), QStringLiteral("-f"), dir + u'/' + QLatin1StringView(name) });
        if (!gen.waitForFinished() || gen.exitCode() != 0)
            return false;
    }
    return true;
}

// Starts `canyon-fleetsim serve` on an ephemeral loopback port with the keys of keysDir and
// extra options; returns the port once the simulator printed "READY <port>", else 0.
inline int startSimulator(QProcess &sim, const QString &keysDir, const QStringList &extra)
{
    sim.setProcessChannelMode(QProcess::SeparateChannels);
    // The simulator ends with the test, even one that crashes before stopSimulator: a test that
    // died left it running, holding its port and files.
    const pid_t test = ::getpid();
    sim.setChildProcessModifier([test] {
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != test) // the test was gone already
            ::_exit(1);
    });
    sim.start(QStringLiteral(CANYON_BINARY_DIR "/app/fleetsim/canyon-fleetsim"),
        QStringList { QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0"),
            QStringLiteral("--listen"), QStringLiteral("127.0.0.1"), QStringLiteral("--host-key"),
            keysDir + QStringLiteral("/host"), QStringLiteral("--authorized-key"),
            keysDir + QStringLiteral("/client.pub") }
            + extra);
    if (!sim.waitForStarted(5000))
        return 0;
    QElapsedTimer t;
    t.start();
    QByteArray out;
    while (t.elapsed() < 10000 && !out.contains('\n') && sim.state() == QProcess::Running) {
        sim.waitForReadyRead(200);
        out += sim.readAllStandardOutput();
    }
    const QList<QByteArray> parts = out.trimmed().split(' ');
    return parts.size() == 2 && parts.at(0) == "READY" ? parts.at(1).toInt() : 0;
}

inline void stopSimulator(QProcess &sim)
{
    if (sim.state() == QProcess::NotRunning)
        return;
    sim.terminate();
    if (!sim.waitForFinished(5000))
        sim.kill();
    sim.waitForFinished(2000);
}

// Our own simulator: its host key is trusted by writing it into a known_hosts file.
inline bool trustSimulator(const QString &keysDir, int port, const QString &knownHostsFile)
{
    QFile pub(keysDir + QStringLiteral("/host.pub"));
    QFile known(knownHostsFile);
    if (!pub.open(QIODevice::ReadOnly) || !known.open(QIODevice::WriteOnly))
        return false;
    const QList<QByteArray> parts = pub.readAll().trimmed().split(' ');
    known.write(
        "[127.0.0.1]:" + QByteArray::number(port) + ' ' + parts.value(0) + ' ' + parts.value(1) + '\n');
    return known.flush();
}

} // namespace canyon::testsupport
