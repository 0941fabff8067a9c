// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SimDevice.h"

#include <QByteArray>
#include <QMap>
#include <QString>

namespace canyon::sim {

// A tiny POSIX-sh look-alike for the scripts the console sends over SSH exec:
// statements joined by `;`, newlines, `&&`, `||` and `|`; quotes, `$?`/`$VAR`
// expansion, VAR=value prefixes, `export`, redirections (2>&1, >&2,
// >/dev/null, 2>/dev/null); builtins echo, printf, true, false, exit,
// command -v, sudo, env, uname, hostname, cat /etc/os-release, reboot; and
// the device's snap or snappy command. It never starts a process: anything
// else is "sh: N: X: not found" with status 127, as dash says it.
class SimShell
{
public:
    // `environment` is what the SSH session set (LANG etc.).
    SimShell(SimDevice &device, QMap<QString, QString> environment);

    RunResult run(const QByteArray &script, const RunContext &context);

    // Larger scripts are refused outright; a console never sends them.
    static constexpr qsizetype MaxScriptBytes = 256 * 1024;

private:
    struct Output
    {
        QByteArray out;
        QByteArray err;
        int status = 0;
        bool exit = false;
        bool reboot = false;
    };

    Output runPipeline(const QString &text, int line, const RunContext &context);
    Output runCommand(QStringList words, const QMap<QString, QString> &assignments, const QByteArray &input,
        int line, const RunContext &context);
    bool unicodeFor(const QMap<QString, QString> &assignments) const;
    QString variable(const QString &name) const;

    SimDevice &m_device;
    QMap<QString, QString> m_env;
    QMap<QString, QString> m_vars;
    int m_status = 0;
};

} // namespace canyon::sim
