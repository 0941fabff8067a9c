// SPDX-License-Identifier: GPL-3.0-or-later
// FiberPool: tasks that wait on file descriptors share one thread and overlap their waits;
// bounds, timeouts, offloading and deep stacks. The SSH sessions on it are tested against real
// sshd in the integration tests (every FleetService refresh runs on a FiberPool).
#include "ssh/FiberPool.h"

#include <QElapsedTimer>
#include <QTest>
#include <algorithm>
#include <atomic>
#include <fcntl.h>
#include <mutex>
#include <poll.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace canyon;

namespace {

struct Pipe
{
    int fds[2] = { -1, -1 };
    Pipe() { QVERIFY(pipe2(fds, O_CLOEXEC) == 0); }
    ~Pipe()
    {
        ::close(fds[0]);
        ::close(fds[1]);
    }
    void poke() const { QCOMPARE(::write(fds[1], "x", 1), 1); }
};

// Deep enough to need far more than a default thread's guard page but well inside a fiber's
// stack; volatile so that the compiler keeps it.
int useStack(int depth)
{
    volatile char block[16 * 1024];
    block[0] = char(depth);
    block[sizeof block - 1] = char(depth);
    return depth == 0 ? block[0] : useStack(depth - 1) + block[sizeof block - 1] - block[0];
}

} // namespace

class TestFiberPool : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void waitsOverlapOnOneThread();
    void maxActiveBoundsTheTasks();
    void waitIoTimesOut();
    void offloadLetsOthersRun();
    void offloadEndsAtItsDeadline();
    void interruptEndsEveryWait();
    void waitForDoneHonoursItsDeadline();
    void deepStack();
};

void TestFiberPool::waitsOverlapOnOneThread()
{
    constexpr int n = 40;
    std::vector<std::unique_ptr<Pipe>> pipes;
    for (int i = 0; i < n; ++i)
        pipes.push_back(std::make_unique<Pipe>());
    std::atomic_int waitingNow { 0 };
    std::atomic_int mostWaiting { 0 };
    std::atomic_int readyCount { 0 };
    std::atomic_int inFiberCount { 0 };
    std::mutex idsMutex;
    std::vector<std::thread::id> ids;
    {
        FiberPool pool;
        pool.setMaxActive(n);
        for (int i = 0; i < n; ++i) {
            const int fd = pipes[size_t(i)]->fds[0];
            pool.start([&, fd] {
                {
                    std::lock_guard lock(idsMutex);
                    ids.push_back(std::this_thread::get_id());
                }
                if (FiberPool::inFiber())
                    ++inFiberCount;
                const int now = ++waitingNow;
                int seen = mostWaiting.load();
                while (now > seen && !mostWaiting.compare_exchange_weak(seen, now)) { }
                // Each waits for its own pipe, which is written only once all of them wait:
                // with one blocking thread the first wait would never end in time.
                QElapsedTimer t;
                t.start();
                short got = 0;
                while (!got && t.elapsed() < 10000)
                    got = FiberPool::waitIo(fd, POLLIN, 100);
                if (got & POLLIN)
                    ++readyCount;
                --waitingNow;
            });
        }
        QTRY_COMPARE_WITH_TIMEOUT(waitingNow.load(), n, 5000);
        for (const auto &p : pipes)
            p->poke();
        QVERIFY(pool.waitForDone(QDeadlineTimer(10000)));
    }
    QCOMPARE(readyCount.load(), n);
    QCOMPARE(inFiberCount.load(), n);
    QCOMPARE(mostWaiting.load(), n);
    QCOMPARE(int(ids.size()), n);
    QVERIFY(std::all_of(ids.begin(), ids.end(), [&](std::thread::id id) { return id == ids.front(); }));
    QVERIFY(ids.front() != std::this_thread::get_id());
    QVERIFY(!FiberPool::inFiber());
}

void TestFiberPool::maxActiveBoundsTheTasks()
{
    Pipe never;
    std::atomic_int active { 0 };
    std::atomic_int most { 0 };
    std::atomic_int done { 0 };
    FiberPool pool;
    pool.setMaxActive(3);
    for (int i = 0; i < 10; ++i)
        pool.start([&] {
            const int now = ++active;
            int seen = most.load();
            while (now > seen && !most.compare_exchange_weak(seen, now)) { }
            FiberPool::waitIo(never.fds[0], POLLIN, 20);
            --active;
            ++done;
        });
    QVERIFY(pool.waitForDone(QDeadlineTimer(10000)));
    QCOMPARE(done.load(), 10);
    QCOMPARE(most.load(), 3);
}

void TestFiberPool::waitIoTimesOut()
{
    Pipe never;
    QElapsedTimer t;
    t.start();
    QCOMPARE(FiberPool::waitIo(never.fds[0], POLLIN, 60), short(0)); // on a plain thread: poll()
    QVERIFY(t.elapsed() >= 50);

    std::atomic<short> got { -1 };
    std::atomic<qint64> waited { 0 };
    FiberPool pool;
    pool.start([&] {
        QElapsedTimer f;
        f.start();
        got = FiberPool::waitIo(never.fds[0], POLLIN, 60);
        waited = f.elapsed();
    });
    QVERIFY(pool.waitForDone(QDeadlineTimer(5000)));
    QCOMPARE(got.load(), short(0));
    QVERIFY2(waited.load() >= 50, qPrintable(QString::number(waited.load())));
}

void TestFiberPool::offloadLetsOthersRun()
{
    Pipe never;
    std::atomic_bool offloadedOnOtherThread { false };
    std::atomic<qint64> slowEnded { 0 };
    std::atomic<qint64> quickEnded { 0 };
    QElapsedTimer clock;
    clock.start();
    FiberPool pool;
    pool.start([&] {
        const std::thread::id fiberThread = std::this_thread::get_id();
        FiberPool::offload([&] {
            offloadedOnOtherThread = std::this_thread::get_id() != fiberThread;
            std::this_thread::sleep_for(std::chrono::milliseconds(400)); // a slow DNS lookup
        });
        slowEnded = clock.elapsed();
    });
    pool.start([&] {
        for (int i = 0; i < 5; ++i)
            FiberPool::waitIo(never.fds[0], POLLIN, 10);
        quickEnded = clock.elapsed();
    });
    QVERIFY(pool.waitForDone(QDeadlineTimer(5000)));
    QVERIFY(offloadedOnOtherThread.load());
    QVERIFY2(slowEnded.load() >= 390, qPrintable(QString::number(slowEnded.load())));
    QVERIFY2(quickEnded.load() < slowEnded.load(),
        qPrintable(QStringLiteral("quick %1 slow %2").arg(quickEnded.load()).arg(slowEnded.load())));

    bool inline_ = false; // outside a fiber it simply runs
    const std::thread::id me = std::this_thread::get_id();
    FiberPool::offload([&] { inline_ = std::this_thread::get_id() == me; });
    QVERIFY(inline_);
}

void TestFiberPool::offloadEndsAtItsDeadline()
{
    // A lookup that hangs: the caller is back at its deadline, in a fiber (the others running
    // meanwhile) and on a plain thread, while the call itself runs on to its end.
    auto ended = std::make_shared<std::atomic_int>(0);
    auto release = std::make_shared<std::atomic_bool>(false); // until then the "lookup" hangs
    const auto hang = [ended, release] {
        while (!release->load())
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        ++*ended;
    };
    std::atomic<qint64> fiberBack { -1 };
    std::atomic_bool fiberResult { true };
    std::atomic_int othersTurns { 0 };
    QElapsedTimer clock;
    clock.start();
    {
        Pipe never;
        FiberPool pool;
        pool.start([&] {
            fiberResult = FiberPool::offload(hang, QDeadlineTimer(100));
            fiberBack = clock.elapsed();
        });
        pool.start([&] {
            for (int i = 0; i < 5; ++i) {
                FiberPool::waitIo(never.fds[0], POLLIN, 10);
                ++othersTurns;
            }
        });
        QVERIFY(pool.waitForDone(QDeadlineTimer(5000)));
    }
    QVERIFY(!fiberResult.load());
    QVERIFY2(
        fiberBack.load() >= 90 && fiberBack.load() < 3000, qPrintable(QString::number(fiberBack.load())));
    QCOMPARE(othersTurns.load(), 5);
    QCOMPARE(ended->load(), 0); // still hanging

    clock.restart();
    QVERIFY(!FiberPool::offload(hang, QDeadlineTimer(100)));
    QVERIFY2(clock.elapsed() < 3000, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(ended->load(), 0);
    // Both calls end on their own; one that ends in time reports it.
    release->store(true);
    QTRY_COMPARE_WITH_TIMEOUT(ended->load(), 2, 5000);
    QVERIFY(FiberPool::offload([ended] { ++*ended; }, QDeadlineTimer(5000)));
    QCOMPARE(ended->load(), 3);
}

void TestFiberPool::interruptEndsEveryWait()
{
    // Fibers waiting 10 s on sockets that never get ready: an interrupt ends each wait at once
    // (0 back), and a fiber that checks a flag then sees it. Without one they would sleep on.
    Pipe never;
    std::atomic_bool stop { false };
    std::atomic_int waiting { 0 };
    std::atomic_int back { 0 };
    std::atomic<qint64> lastBack { -1 };
    QElapsedTimer clock;
    clock.start();
    FiberPool pool;
    for (int i = 0; i < 3; ++i)
        pool.start([&] {
            while (!stop.load()) {
                ++waiting;
                if (FiberPool::waitIo(never.fds[0], POLLIN, 10000) != 0)
                    return; // not expected: nothing ever makes the pipe readable
                ++back;
            }
            lastBack = clock.elapsed();
        });
    QTRY_COMPARE_WITH_TIMEOUT(waiting.load(), 3, 5000); // all three on their way to sleep
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    QCOMPARE(back.load(), 0);
    clock.restart();
    stop = true;
    pool.interruptWaits();
    QVERIFY(pool.waitForDone(QDeadlineTimer(5000)));
    QCOMPARE(back.load(), 3);
    QVERIFY2(lastBack.load() < 2000, qPrintable(QString::number(lastBack.load())));
}

void TestFiberPool::waitForDoneHonoursItsDeadline()
{
    Pipe gate;
    FiberPool pool;
    QVERIFY(pool.waitForDone(QDeadlineTimer(0))); // nothing started
    pool.start([&] {
        while (!(FiberPool::waitIo(gate.fds[0], POLLIN, 100) & POLLIN)) { }
    });
    QVERIFY(!pool.waitForDone(QDeadlineTimer(150)));
    gate.poke();
    QVERIFY(pool.waitForDone(QDeadlineTimer(5000)));
}

void TestFiberPool::deepStack()
{
    std::atomic_int result { -1 };
    FiberPool pool;
    pool.start([&] { result = useStack(24); }); // ~400 KiB of frames
    QVERIFY(pool.waitForDone(QDeadlineTimer(5000)));
    QCOMPARE(result.load(), 0);
}

QTEST_GUILESS_MAIN(TestFiberPool)
#include "tst_fiberpool.moc"
