// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <array>

namespace canyon::sim {

// What one `cli` command printed and returned.
struct CliResult
{
    QByteArray out;
    QByteArray err;
    int exitCode = 0;
};

// The caller's LC_MESSAGES, LC_ALL and LANG (empty when unset), in that order:
// snapd's canUnicode() takes the first non-empty one.
using LocaleEnvironment = std::array<QByteArray, 3>;
LocaleEnvironment localeFromProcessEnvironment();

// Runs `--state FILE [--init D] [--index I] -- COMMAND [ARGS...]` against the
// state file, under flock(FILE.lock), as `canyon-fleetsim cli` does. Usage
// errors come back as exit code 2 with the reason on err.
CliResult runCliCommand(const QStringList &args, const LocaleEnvironment &locale);

// The `snap` command of a real sshd target is a thin client (canyon-simsnap)
// that hands its arguments to this server over a unix socket, the way the real
// `snap` talks to snapd: a process start costs the shared loopback cores a few
// milliseconds of CPU per command, which a real device would spend on its own
// CPU. Same state files and locks as `cli`, so both can run side by side.
//
// Wire format (native byte order, one request per connection):
//   request:  u32 magic 'CSI1', u32 count, count x (u32 length, bytes);
//             the first 3 strings are the LocaleEnvironment, the rest the cli args
//   response: i32 exit code, u32 length + stdout bytes, u32 length + stderr bytes
// (SimWire.h: the magic and the byte moving, shared with the libc-only client)

// Listens on PATH (owner only; a stale socket file is replaced, a live one is
// an error) until SIGTERM/SIGINT, one thread per request. Returns the exit
// status for main().
int serveCliRequests(const QString &socketPath);

} // namespace canyon::sim
