// SPDX-License-Identifier: GPL-3.0-or-later
// Shared by the integration tests: canyonctl's commands run in process, and the lxc CLI on a
// testbed daemon (for fixtures and checks independent of Canyon).
#pragma once

#include "fleet/CtlCommands.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTextStream>

namespace canyon::testbed {

struct CtlRun
{
    int code = -1; // -1: it did not finish in time
    QString out;
    QString err;
    QJsonObject json() const { return QJsonDocument::fromJson(out.toUtf8()).object(); }
};

inline CtlRun runCtl(const QStringList &args, int timeoutMs = 60000)
{
    CtlRun r;
    QTextStream out(&r.out), err(&r.err);
    CtlCommands ctl(args, out, err);
    QSignalSpy done(&ctl, &CtlCommands::finished);
    ctl.start();
    if (done.isEmpty() && !done.wait(timeoutMs))
        return r;
    r.code = done.first().first().toInt();
    out.flush();
    err.flush();
    return r;
}

// `lxc ARGS` against the daemon whose LXD_DIR is lxdDir; stdout, trimmed. stdin is closed
// (`lxc init` reads a config from a stdin that is not a terminal).
inline QString lxcIn(
    const QString &lxdDir, const QStringList &args, int *exitCode = nullptr, int timeoutMs = 60000)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LXD_DIR"), lxdDir);
    p.setProcessEnvironment(env);
    p.start(QStringLiteral("lxc"), args);
    p.closeWriteChannel();
    const bool finished = p.waitForFinished(timeoutMs);
    if (exitCode)
        *exitCode = finished && p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

} // namespace canyon::testbed
