// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDeadlineTimer>
#include <QString>
#include <atomic>
#include <sys/socket.h>
#include <vector>

namespace canyon {

// The TCP connection an SSH session runs over, opened by Canyon rather than by libssh: the name
// lookup ends by the deadline, the socket is close-on-exec from its creation (a program the
// console starts meanwhile must not inherit the fleet's connections), and every address of the
// name gets its turn.

struct SocketAddress
{
    sockaddr_storage addr {};
    socklen_t len = 0;
};

// Connects to the first of addresses that answers, trying them in order, by the deadline. Each
// address but the last may use only its share of the time left (the time left divided by the
// addresses left; 10 s each with no deadline): one that stays silent, such as a black-holed IPv6
// route in front of a working IPv4 one, leaves the next ones time. One that refuses or fails
// gives way at once. A cancel is seen at once in a FiberPool whose interruptWaits() its setter
// calls, else within a second. Returns the
// socket (close-on-exec, non-blocking, no Nagle delay), or -1 with the reason in error
// ("cancelled" when cancel was set; timedOut set when the deadline passed).
int connectToAny(const std::vector<SocketAddress> &addresses, QDeadlineTimer deadline,
    const std::atomic_bool *cancel, QString *error, bool *timedOut);

// Looks host up (on another thread unless it is an address: a lookup that hangs keeps that
// thread, not the caller, who returns by the deadline) and connects to port on its addresses as
// connectToAny does.
int openConnection(const QByteArray &host, unsigned int port, QDeadlineTimer deadline,
    const std::atomic_bool *cancel, QString *error, bool *timedOut);

} // namespace canyon
