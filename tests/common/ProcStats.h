// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// This process's memory as Linux reports it, for tests that bound it (QUALITY.md R5, R7).

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QString>

namespace testbed {

// kB from /proc/self/status ("VmRSS", "VmHWM"); -1 when it cannot be read.
inline qint64 procStatusKb(const QByteArray &key)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(QByteArray(key + ':')))
            return line.mid(key.size() + 1).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

// The peak RSS (VmHWM) starts again from the current RSS: Linux "echo 5 > /proc/PID/clear_refs".
inline bool resetPeakRss()
{
    QFile f(QStringLiteral("/proc/self/clear_refs"));
    return f.open(QIODevice::WriteOnly) && f.write("5") == 1;
}

// The most the kernel may hold of one TCP stream on this machine: the receiver's buffer
// (tcp_rmem's maximum, reached by autotuning) plus the sender's (tcp_wmem's maximum). A server
// can write that much more than its client has read; -1 when unknown.
inline qint64 kernelTcpBuffersMaxBytes()
{
    qint64 total = 0;
    for (const char *path : { "/proc/sys/net/ipv4/tcp_rmem", "/proc/sys/net/ipv4/tcp_wmem" }) {
        QFile f(QString::fromLatin1(path));
        if (!f.open(QIODevice::ReadOnly))
            return -1;
        const QList<QByteArray> v = f.readAll().simplified().split(' ');
        if (v.size() != 3)
            return -1;
        total += v.at(2).toLongLong();
    }
    return total;
}

} // namespace testbed
