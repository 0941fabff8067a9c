// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The unix-socket exchange between canyon-simsnap and `canyon-fleetsim clid` (SimCli.h has the
// wire format). libc only: canyon-simsnap links nothing else.
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <sys/socket.h>
#include <unistd.h>

namespace canyon::sim::wire {

inline constexpr uint32_t kMagic = 0x31495343; // "CSI1" in little endian

// Runs `step(pointer, remaining)` until `size` bytes moved; false on end of file or an error.
template<typename Step> bool moveFully(char *p, size_t size, Step step)
{
    while (size > 0) {
        const ssize_t n = step(p, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        size -= size_t(n);
    }
    return true;
}

inline bool readFully(int fd, void *data, size_t size)
{
    return moveFully(static_cast<char *>(data), size, [fd](char *p, size_t n) { return ::read(fd, p, n); });
}

// To a file or pipe (stdout, the calls log).
inline bool writeFully(int fd, const void *data, size_t size)
{
    return moveFully(const_cast<char *>(static_cast<const char *>(data)), size,
        [fd](char *p, size_t n) { return ::write(fd, p, n); });
}

// To the socket: a peer gone is an error, not a SIGPIPE.
inline bool sendFully(int fd, const void *data, size_t size)
{
    return moveFully(const_cast<char *>(static_cast<const char *>(data)), size,
        [fd](char *p, size_t n) { return ::send(fd, p, n, MSG_NOSIGNAL); });
}

// One length-prefixed block (u32 length, bytes).
inline bool sendBlock(int fd, const void *data, uint32_t length)
{
    return sendFully(fd, &length, sizeof length) && sendFully(fd, data, length);
}

} // namespace canyon::sim::wire
