// SPDX-License-Identifier: GPL-3.0-or-later
// connectToAny over loopback listeners: one that answers, one that refuses (a closed port) and
// one that stays silent (its accept queue full, so the kernel drops new SYNs unanswered, as a
// black-holed route does).
#include "ssh/TcpConnect.h"

#include <QElapsedTimer>
#include <QTest>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace canyon;

namespace {

SocketAddress loopback(quint16 port)
{
    SocketAddress a;
    auto *in = reinterpret_cast<sockaddr_in *>(&a.addr);
    in->sin_family = AF_INET;
    in->sin_port = htons(port);
    in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.len = sizeof(sockaddr_in);
    return a;
}

quint16 portOf(int fd, bool peer)
{
    sockaddr_in in {};
    socklen_t len = sizeof in;
    const int rc = peer ? getpeername(fd, reinterpret_cast<sockaddr *>(&in), &len)
                        : getsockname(fd, reinterpret_cast<sockaddr *>(&in), &len);
    return rc == 0 ? ntohs(in.sin_port) : 0;
}

// A listening socket on 127.0.0.1 (any port); -1 on failure.
int listener(int backlog)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const SocketAddress any = loopback(0);
    if (fd < 0 || ::bind(fd, reinterpret_cast<const sockaddr *>(&any.addr), any.len) != 0
        || ::listen(fd, backlog) != 0) {
        if (fd >= 0)
            ::close(fd);
        return -1;
    }
    return fd;
}

} // namespace

class TestTcpConnect : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void firstAnsweringAddressWins();
    void refusingAddressGivesWayAtOnce();
    void silentAddressLeavesTimeForTheNext();
    void allSilentEndsByTheDeadline();
    void cancelEndsTheWait();

private:
    int m_open = -1; // answers (its backlog accepts; nobody calls accept)
    int m_silent = -1; // accept queue full: SYNs dropped
    quint16 m_openPort = 0, m_silentPort = 0, m_closedPort = 0;
    std::vector<int> m_fillers; // the connections that fill m_silent's queue
};

void TestTcpConnect::initTestCase()
{
    m_open = listener(64);
    QVERIFY(m_open >= 0);
    m_openPort = portOf(m_open, false);
    m_silent = listener(0);
    QVERIFY(m_silent >= 0);
    m_silentPort = portOf(m_silent, false);
    // A port nothing listens on: bound once, then closed.
    const int closed = listener(1);
    QVERIFY(closed >= 0);
    m_closedPort = portOf(closed, false);
    ::close(closed);

    // Fill the silent listener's accept queue until a connection gets no answer at all.
    bool silent = false;
    for (int i = 0; i < 8 && !silent; ++i) {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        QVERIFY(fd >= 0);
        const SocketAddress a = loopback(m_silentPort);
        const int rc = ::connect(fd, reinterpret_cast<const sockaddr *>(&a.addr), a.len);
        QVERIFY(rc == 0 || errno == EINPROGRESS);
        pollfd p { fd, POLLOUT, 0 };
        silent = rc != 0 && ::poll(&p, 1, 300) == 0;
        if (silent)
            ::close(fd);
        else
            m_fillers.push_back(fd);
    }
    QVERIFY2(silent, "the kernel answered every connection to a full accept queue: no silent address");
}

void TestTcpConnect::cleanupTestCase()
{
    for (int fd : m_fillers)
        ::close(fd);
    for (int fd : { m_open, m_silent })
        if (fd >= 0)
            ::close(fd);
}

namespace {

// One connectToAny, timed; the socket it gave (if any) closed after its traits were noted.
struct Attempt
{
    bool connected = false;
    quint16 peerPort = 0;
    bool closeOnExec = false;
    bool nonBlocking = false;
    QString error;
    bool timedOut = false;
    qint64 ms = 0;
};

Attempt attempt(
    const std::vector<SocketAddress> &addresses, int deadlineMs, const std::atomic_bool *cancel = nullptr)
{
    Attempt a;
    QElapsedTimer t;
    t.start();
    const int fd = connectToAny(addresses, QDeadlineTimer(deadlineMs), cancel, &a.error, &a.timedOut);
    a.ms = t.elapsed();
    if (fd >= 0) {
        a.connected = true;
        a.peerPort = portOf(fd, true);
        a.closeOnExec = fcntl(fd, F_GETFD) & FD_CLOEXEC;
        a.nonBlocking = fcntl(fd, F_GETFL) & O_NONBLOCK;
        ::close(fd);
    }
    return a;
}

} // namespace

void TestTcpConnect::firstAnsweringAddressWins()
{
    const Attempt a = attempt({ loopback(m_openPort) }, 5000);
    QVERIFY2(a.connected, qPrintable(a.error));
    QCOMPARE(a.peerPort, m_openPort);
    QVERIFY(!a.timedOut);
    QVERIFY(a.closeOnExec);
    QVERIFY(a.nonBlocking);
}

void TestTcpConnect::refusingAddressGivesWayAtOnce()
{
    const Attempt a = attempt({ loopback(m_closedPort), loopback(m_openPort) }, 10000);
    QVERIFY2(a.connected, qPrintable(a.error));
    QCOMPARE(a.peerPort, m_openPort);
    QVERIFY2(a.ms < 1000, qPrintable(u"took %1 ms"_s.arg(a.ms)));

    // Only refusals: the reason says so, and it is no timeout.
    const Attempt none = attempt({ loopback(m_closedPort) }, 10000);
    QVERIFY(!none.connected);
    QVERIFY(!none.timedOut);
    QVERIFY2(none.error.contains(u"refused"_s, Qt::CaseInsensitive), qPrintable(none.error));
}

// The first address stays silent: it keeps half the time (two addresses), and the second,
// which answers, connects. Without shares the first kept the whole deadline and the connection
// failed "timed out".
void TestTcpConnect::silentAddressLeavesTimeForTheNext()
{
    const Attempt a = attempt({ loopback(m_silentPort), loopback(m_openPort) }, 4000);
    QVERIFY2(a.connected, qPrintable(a.error));
    QCOMPARE(a.peerPort, m_openPort);
    QVERIFY(!a.timedOut);
    // About 2 s: the silent one's share.
    QVERIFY2(a.ms >= 1500 && a.ms < 3500, qPrintable(u"took %1 ms"_s.arg(a.ms)));
}

void TestTcpConnect::allSilentEndsByTheDeadline()
{
    const Attempt a = attempt({ loopback(m_silentPort), loopback(m_silentPort) }, 1200);
    QVERIFY(!a.connected);
    QVERIFY(a.timedOut);
    QCOMPARE(a.error, u"timed out"_s);
    QVERIFY2(a.ms >= 1100 && a.ms < 2500, qPrintable(u"took %1 ms"_s.arg(a.ms)));
}

// A cancel already set ends the attempt before any wait; one set meanwhile (from another thread,
// as Stop does) is seen by the next of the plain thread's 1 s waits.
void TestTcpConnect::cancelEndsTheWait()
{
    std::atomic_bool cancel = true;
    const Attempt preset = attempt({ loopback(m_silentPort) }, 10000, &cancel);
    QVERIFY(!preset.connected);
    QVERIFY(!preset.timedOut);
    QCOMPARE(preset.error, u"cancelled"_s);
    QVERIFY2(preset.ms < 500, qPrintable(u"took %1 ms"_s.arg(preset.ms)));

    cancel = false;
    std::thread stop([&cancel] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        cancel = true;
    });
    const Attempt meanwhile = attempt({ loopback(m_silentPort) }, 10000, &cancel);
    stop.join();
    QVERIFY(!meanwhile.connected);
    QVERIFY(!meanwhile.timedOut);
    QCOMPARE(meanwhile.error, u"cancelled"_s);
    QVERIFY2(meanwhile.ms >= 250 && meanwhile.ms < 2000, qPrintable(u"took %1 ms"_s.arg(meanwhile.ms)));
}

QTEST_GUILESS_MAIN(TestTcpConnect)
#include "tst_tcpconnect.moc"
