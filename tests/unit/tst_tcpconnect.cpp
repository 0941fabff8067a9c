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

void TestTcpConnect::firstAnsweringAddressWins()
{
    QString error;
    bool timedOut = true;
    const int fd = connectToAny({ loopback(m_openPort) }, QDeadlineTimer(5000), nullptr, &error, &timedOut);
    QVERIFY2(fd >= 0, qPrintable(error));
    QCOMPARE(portOf(fd, true), m_openPort);
    QVERIFY(!timedOut);
    QVERIFY(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    QVERIFY(fcntl(fd, F_GETFL) & O_NONBLOCK);
    ::close(fd);
}

void TestTcpConnect::refusingAddressGivesWayAtOnce()
{
    QString error;
    bool timedOut = true;
    QElapsedTimer t;
    t.start();
    const int fd = connectToAny(
        { loopback(m_closedPort), loopback(m_openPort) }, QDeadlineTimer(10000), nullptr, &error, &timedOut);
    QVERIFY2(fd >= 0, qPrintable(error));
    QCOMPARE(portOf(fd, true), m_openPort);
    QVERIFY2(t.elapsed() < 1000, qPrintable(u"took %1 ms"_s.arg(t.elapsed())));
    ::close(fd);

    // Only refusals: the reason says so, and it is no timeout.
    const int none
        = connectToAny({ loopback(m_closedPort) }, QDeadlineTimer(10000), nullptr, &error, &timedOut);
    QCOMPARE(none, -1);
    QVERIFY(!timedOut);
    QVERIFY2(error.contains(u"refused"_s, Qt::CaseInsensitive), qPrintable(error));
}

// The first address stays silent: it keeps half the time (two addresses), and the second,
// which answers, connects. Without shares the first kept the whole deadline and the connection
// failed "timed out".
void TestTcpConnect::silentAddressLeavesTimeForTheNext()
{
    QString error;
    bool timedOut = true;
    QElapsedTimer t;
    t.start();
    const int fd = connectToAny(
        { loopback(m_silentPort), loopback(m_openPort) }, QDeadlineTimer(4000), nullptr, &error, &timedOut);
    const qint64 took = t.elapsed();
    QVERIFY2(fd >= 0, qPrintable(error));
    QCOMPARE(portOf(fd, true), m_openPort);
    QVERIFY(!timedOut);
    // About 2 s: the silent one's share.
    QVERIFY2(took >= 1500 && took < 3500, qPrintable(u"took %1 ms"_s.arg(took)));
    ::close(fd);
}

void TestTcpConnect::allSilentEndsByTheDeadline()
{
    QString error;
    bool timedOut = false;
    QElapsedTimer t;
    t.start();
    const int fd = connectToAny(
        { loopback(m_silentPort), loopback(m_silentPort) }, QDeadlineTimer(1200), nullptr, &error, &timedOut);
    const qint64 took = t.elapsed();
    QCOMPARE(fd, -1);
    QVERIFY(timedOut);
    QCOMPARE(error, u"timed out"_s);
    QVERIFY2(took >= 1100 && took < 2500, qPrintable(u"took %1 ms"_s.arg(took)));
}

// A cancel already set ends the attempt before any wait; one set meanwhile (from another thread,
// as Stop does) is seen by the next of the plain thread's 1 s waits.
void TestTcpConnect::cancelEndsTheWait()
{
    std::atomic_bool cancel = true;
    QString error;
    bool timedOut = true;
    QElapsedTimer t;
    t.start();
    int fd = connectToAny({ loopback(m_silentPort) }, QDeadlineTimer(10000), &cancel, &error, &timedOut);
    QCOMPARE(fd, -1);
    QVERIFY(!timedOut);
    QCOMPARE(error, u"cancelled"_s);
    QVERIFY2(t.elapsed() < 500, qPrintable(u"took %1 ms"_s.arg(t.elapsed())));

    cancel = false;
    std::thread stop([&cancel] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        cancel = true;
    });
    t.restart();
    fd = connectToAny({ loopback(m_silentPort) }, QDeadlineTimer(10000), &cancel, &error, &timedOut);
    const qint64 took = t.elapsed();
    stop.join();
    QCOMPARE(fd, -1);
    QVERIFY(!timedOut);
    QCOMPARE(error, u"cancelled"_s);
    QVERIFY2(took >= 250 && took < 2000, qPrintable(u"took %1 ms"_s.arg(took)));
}

QTEST_GUILESS_MAIN(TestTcpConnect)
#include "tst_tcpconnect.moc"
