// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDeadlineTimer>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace canyon {

// Runs many tasks that wait on sockets (SSH sessions) as fibers on ONE thread: a task that
// would block hands its thread to another one (FiberPool::waitIo), and the thread sleeps in a
// single epoll set over every waiting socket. Fifty devices cost one thread and the wakeups of
// one, instead of fifty threads each woken on every packet (QUALITY.md P1's client CPU, P3b).
// A task runs start to finish on the pool's thread; it must not hold a lock across waitIo.
class FiberPool
{
public:
    FiberPool();
    ~FiberPool(); // waits for every task, then ends the thread
    FiberPool(const FiberPool &) = delete;
    FiberPool &operator=(const FiberPool &) = delete;

    // At most n tasks run at once; the others wait their turn in the order they came.
    void setMaxActive(int n);
    // Thread-safe. The thread starts with the first task.
    void start(std::function<void()> task);
    // True when no task is queued or running (at once, or within the deadline).
    bool waitForDone(QDeadlineTimer deadline = QDeadlineTimer(QDeadlineTimer::Forever));
    // Thread-safe. Ends every wait in waitIo now, as if its time had run out (0 comes back):
    // each waiter looks again at what it waits for, and waits again. Whoever sets a flag that
    // the pool's tasks check between waits (a cancel) calls this, so that it is seen at once.
    void interruptWaits();

    // Waits until fd is ready for events (poll(2) flags) or timeoutMs passes: inside a fiber
    // the other fibers run meanwhile, elsewhere the calling thread blocks in poll(). Returns
    // the ready flags, 0 on timeout.
    static short waitIo(int fd, short events, int timeoutMs);
    // Runs fn on a thread of its own and waits until it ends or the deadline passes, without
    // stalling the other fibers: for calls that block and cannot be split, e.g. a DNS lookup.
    // False when the deadline came first, or cancel was set (seen when interruptWaits() is
    // called, or within a second): fn still runs to its end, so it must own everything it uses
    // (captures by value, shared state). Outside a fiber and with no deadline, fn runs inline.
    static bool offload(std::function<void()> fn,
        QDeadlineTimer deadline = QDeadlineTimer(QDeadlineTimer::Forever),
        const std::atomic_bool *cancel = nullptr);
    static bool inFiber();

    struct Fiber;
    struct Loop;

private:
    void run();

    std::mutex m_mutex;
    std::condition_variable m_idle;
    std::deque<std::function<void()>> m_queue;
    int m_maxActive = 50;
    int m_active = 0;
    bool m_stopping = false;
    std::atomic_bool m_interrupt { false };
    int m_wakeFd = -1;
    std::thread m_thread;
};

} // namespace canyon
