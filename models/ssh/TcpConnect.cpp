// SPDX-License-Identifier: GPL-3.0-or-later
#include "TcpConnect.h"

#include "FiberPool.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <memory>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

// An address that is not the last, with a deadline of forever, waits this long before the next.
constexpr qint64 kShareWithoutDeadlineMs = 10 * 1000;

// One address's turn: 0 with *fd connected, else the errno that ended it (ETIMEDOUT when its
// share of the time passed, ECANCELED on cancel).
int connectOne(const SocketAddress &a, QDeadlineTimer until, const std::atomic_bool *cancel, int *fd)
{
    *fd = ::socket(a.addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
    if (*fd < 0)
        return errno;
    const int one = 1;
    setsockopt(*fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); // else each round trip may wait 40 ms
    int err = ::connect(*fd, reinterpret_cast<const sockaddr *>(&a.addr), a.len) == 0 ? 0 : errno;
    if (err == EINPROGRESS) {
        for (;;) {
            if (cancel && cancel->load()) {
                err = ECANCELED;
                break;
            }
            if (until.hasExpired()) {
                err = ETIMEDOUT;
                break;
            }
            const int slice
                = until.isForever() ? 1000 : int(qBound(qint64(1), until.remainingTime(), qint64(1000)));
            if (FiberPool::waitIo(*fd, POLLOUT, slice) & (POLLOUT | POLLERR | POLLHUP))
                break;
        }
        if (err == EINPROGRESS) {
            socklen_t len = sizeof err;
            if (getsockopt(*fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
                err = errno;
        }
    }
    if (err != 0) {
        ::close(*fd);
        *fd = -1;
    }
    return err;
}

} // namespace

int connectToAny(const std::vector<SocketAddress> &addresses, QDeadlineTimer deadline,
    const std::atomic_bool *cancel, QString *error, bool *timedOut)
{
    *timedOut = false;
    QString reason = u"the name has no address"_s;
    for (size_t i = 0; i < addresses.size(); ++i) {
        const qint64 left = qint64(addresses.size() - i);
        QDeadlineTimer until = deadline;
        if (left > 1) {
            const qint64 share = deadline.isForever() ? kShareWithoutDeadlineMs
                                                      : qMax(qint64(0), deadline.remainingTime()) / left;
            until = qMin(deadline, QDeadlineTimer(share));
        }
        int fd = -1;
        const int err = connectOne(addresses[i], until, cancel, &fd);
        if (err == 0)
            return fd;
        if (err == ECANCELED) {
            *error = u"cancelled"_s;
            return -1;
        }
        if (err == ETIMEDOUT && deadline.hasExpired()) {
            *timedOut = true;
            *error = u"timed out"_s;
            return -1;
        }
        reason = err == ETIMEDOUT ? u"timed out"_s : QString::fromLocal8Bit(std::strerror(err));
    }
    *error = reason;
    return -1;
}

int openConnection(const QByteArray &host, unsigned int port, QDeadlineTimer deadline,
    const std::atomic_bool *cancel, QString *error, bool *timedOut)
{
    *timedOut = false;
    struct Lookup
    {
        addrinfo *result = nullptr;
        int rc = EAI_AGAIN;
        ~Lookup()
        {
            if (result)
                freeaddrinfo(result);
        }
    };
    auto lookup = std::make_shared<Lookup>();
    unsigned char addr[16];
    const bool numeric
        = inet_pton(AF_INET, host.constData(), addr) == 1 || inet_pton(AF_INET6, host.constData(), addr) == 1;
    auto resolve = [lookup, host, service = QByteArray::number(port), numeric] {
        addrinfo hints {};
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        hints.ai_protocol = IPPROTO_TCP;
        hints.ai_flags = numeric ? AI_NUMERICHOST : 0;
        lookup->rc = getaddrinfo(host.constData(), service.constData(), &hints, &lookup->result);
    };
    if (host.isEmpty() || host.contains('\0')) {
        *error = u"no host name"_s;
        return -1;
    }
    if (numeric) {
        resolve();
    } else if (!FiberPool::offload(resolve, deadline, cancel)) {
        *timedOut = !(cancel && cancel->load());
        *error
            = *timedOut ? u"timed out resolving hostname %1"_s.arg(QString::fromUtf8(host)) : u"cancelled"_s;
        return -1;
    }
    if (lookup->rc != 0) {
        *error = u"Failed to resolve hostname %1 (%2)"_s.arg(
            QString::fromUtf8(host), QString::fromLocal8Bit(gai_strerror(lookup->rc)));
        return -1;
    }
    std::vector<SocketAddress> addresses;
    for (const addrinfo *ai = lookup->result; ai; ai = ai->ai_next) {
        if (ai->ai_addrlen > sizeof(sockaddr_storage))
            continue;
        SocketAddress a;
        std::memcpy(&a.addr, ai->ai_addr, ai->ai_addrlen);
        a.len = ai->ai_addrlen;
        addresses.push_back(a);
    }
    return connectToAny(addresses, deadline, cancel, error, timedOut);
}

} // namespace canyon
