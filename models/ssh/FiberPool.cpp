// SPDX-License-Identifier: GPL-3.0-or-later
#include "FiberPool.h"

#include <QThreadPool>
#include <QtGlobal>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#define CANYON_ASAN_FIBERS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CANYON_ASAN_FIBERS 1
#endif
#endif
#ifdef CANYON_ASAN_FIBERS
#include <sanitizer/common_interface_defs.h>
#endif

namespace canyon {

namespace {

using Clock = std::chrono::steady_clock;

// Plenty for libssh's 32 KiB read buffers and Qt's parsers, sanitizers included; the pages
// are reserved, not committed, until a fiber touches them.
constexpr size_t kStackSize = 1024 * 1024;
constexpr size_t kGuard = 64 * 1024; // below the stack: an overflow faults instead of corrupting

// Where offloaded calls run. Kept between calls: a fleet named by host names (ssh config
// aliases) offloads a lookup per connection, and a new thread each time would cost what the
// fibers save. Never deleted: calls may still end while the process exits.
QThreadPool &offloadThreads()
{
    static QThreadPool *const pool = [] {
        auto *p = new QThreadPool;
        // Enough that lookups rarely queue behind hung ones (one still queued at its deadline is
        // dropped unstarted, and its device reported as timed out).
        p->setMaxThreadCount(256);
        p->setExpiryTimeout(30000);
        return p;
    }();
    return *pool;
}

// An eventfd as a doorbell: ring adds one, take empties it (false when nobody rang).
void ring(int fd)
{
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t w = ::write(fd, &one, sizeof one);
}

bool take(int fd)
{
    uint64_t count = 0;
    return ::read(fd, &count, sizeof count) == ssize_t(sizeof count);
}

} // namespace

struct FiberPool::Fiber
{
    ucontext_t context {};
    char *mapping = nullptr; // guard + stack
    std::function<void()> task;
    bool done = false;
    int fd = -1;
    short events = 0;
    short revents = 0;
    bool armed = false; // its wait is registered with the loop's epoll set
    Clock::time_point wakeAt;
    void *fakeStack = nullptr; // ASan's record of this fiber's stack while it is switched out

    char *stackBottom() const { return mapping + kGuard; }
};

namespace {

thread_local FiberPool::Fiber *t_current = nullptr; // the fiber running on this thread, if any
thread_local ucontext_t t_loopContext; // where a fiber returns to when it waits or ends
thread_local const void *t_loopStack = nullptr; // for ASan: the loop thread's own stack
thread_local size_t t_loopStackSize = 0;

void asanEnter(void **save, const void *bottom, size_t size)
{
#ifdef CANYON_ASAN_FIBERS
    __sanitizer_start_switch_fiber(save, bottom, size);
#else
    Q_UNUSED(save);
    Q_UNUSED(bottom);
    Q_UNUSED(size);
#endif
}

void asanArrived(void *save, const void **oldBottom, size_t *oldSize)
{
#ifdef CANYON_ASAN_FIBERS
    __sanitizer_finish_switch_fiber(save, oldBottom, oldSize);
#else
    Q_UNUSED(save);
    Q_UNUSED(oldBottom);
    Q_UNUSED(oldSize);
#endif
}

// From the fiber back to its loop.
void switchToLoop(FiberPool::Fiber *f, bool ending)
{
    asanEnter(ending ? nullptr : &f->fakeStack, t_loopStack, t_loopStackSize);
    swapcontext(&f->context, &t_loopContext);
    asanArrived(f->fakeStack, &t_loopStack, &t_loopStackSize);
}

void fiberEntry(unsigned int low, unsigned int high)
{
    auto *f = reinterpret_cast<FiberPool::Fiber *>((uintptr_t(high) << 32) | uintptr_t(low));
    asanArrived(nullptr, &t_loopStack, &t_loopStackSize);
    try {
        f->task();
    } catch (...) {
        qCritical("canyon: a fiber task threw; the exception was dropped");
    }
    f->task = nullptr; // what it captured goes now, on this thread
    f->done = true;
    switchToLoop(f, true); // never comes back
}

// From the loop into the fiber, until it waits or ends.
void resume(FiberPool::Fiber *f)
{
    void *loopFake = nullptr;
    t_current = f;
    asanEnter(&loopFake, f->stackBottom(), kStackSize);
    swapcontext(&t_loopContext, &f->context);
    asanArrived(loopFake, nullptr, nullptr);
    t_current = nullptr;
}

bool prepare(FiberPool::Fiber *f)
{
    if (!f->mapping) {
        void *m = mmap(nullptr, kGuard + kStackSize, PROT_READ | PROT_WRITE,
            MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
        if (m == MAP_FAILED)
            return false;
        f->mapping = static_cast<char *>(m);
        mprotect(f->mapping, kGuard, PROT_NONE);
    }
    if (getcontext(&f->context) != 0)
        return false;
    f->context.uc_stack.ss_sp = f->stackBottom();
    f->context.uc_stack.ss_size = kStackSize;
    f->context.uc_link = nullptr;
    const auto p = reinterpret_cast<uintptr_t>(f);
    makecontext(&f->context, reinterpret_cast<void (*)()>(fiberEntry), 2, unsigned(p & 0xffffffffu),
        unsigned(p >> 32));
    return true;
}

void release(FiberPool::Fiber *f)
{
    if (f->mapping)
        munmap(f->mapping, kGuard + kStackSize);
    delete f;
}

} // namespace

FiberPool::FiberPool()
{
    m_wakeFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

FiberPool::~FiberPool()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    if (m_thread.joinable()) {
        ring(m_wakeFd);
        m_thread.join();
    }
    if (m_wakeFd >= 0)
        ::close(m_wakeFd);
}

void FiberPool::setMaxActive(int n)
{
    std::lock_guard lock(m_mutex);
    m_maxActive = qMax(1, n);
}

void FiberPool::start(std::function<void()> task)
{
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(std::move(task));
        if (!m_thread.joinable()) {
            m_thread = std::thread([this] { run(); });
            return;
        }
    }
    ring(m_wakeFd);
}

bool FiberPool::waitForDone(QDeadlineTimer deadline)
{
    std::unique_lock lock(m_mutex);
    const auto idle = [this] { return m_active == 0 && m_queue.empty(); };
    if (deadline.isForever()) {
        m_idle.wait(lock, idle);
        return true;
    }
    return m_idle.wait_for(lock, std::chrono::milliseconds(qMax<qint64>(0, deadline.remainingTime())), idle);
}

void FiberPool::interruptWaits()
{
    m_interrupt.store(true);
    ring(m_wakeFd); // harmless before the thread started: it takes the ring with its first wait
}

bool FiberPool::inFiber()
{
    return t_current != nullptr;
}

short FiberPool::waitIo(int fd, short events, int timeoutMs)
{
    Fiber *f = t_current;
    if (!f) {
        pollfd p { fd, events, 0 };
        const int n = ::poll(&p, 1, qMax(0, timeoutMs));
        return n > 0 ? p.revents : 0;
    }
    f->fd = fd;
    f->events = events;
    f->revents = 0;
    f->wakeAt = Clock::now() + std::chrono::milliseconds(qMax(0, timeoutMs));
    switchToLoop(f, false);
    return f->revents;
}

bool FiberPool::offload(std::function<void()> fn, QDeadlineTimer deadline, const std::atomic_bool *cancel)
{
    if (!inFiber() && deadline.isForever() && !cancel) {
        fn();
        return true;
    }
    // Shared with the thread that runs fn: whoever lets go last closes the doorbell.
    struct Job
    {
        std::function<void()> fn;
        std::atomic_bool done { false };
        std::atomic_int state { 0 }; // 0 queued, 1 running, 2 given up before it ran
        int bell = -1;
        ~Job()
        {
            if (bell >= 0)
                ::close(bell);
        }
    };
    auto job = std::make_shared<Job>();
    job->bell = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (job->bell < 0) {
        fn();
        return true;
    }
    job->fn = std::move(fn);
    offloadThreads().start([job] {
        int queued = 0;
        if (!job->state.compare_exchange_strong(queued, 1))
            return; // the caller gave up before a thread was free: nobody wants the result
        job->fn();
        job->fn = nullptr; // what it captured goes now, on this thread
        job->done.store(true, std::memory_order_release);
        ring(job->bell);
    });
    while (!job->done.load(std::memory_order_acquire)) {
        if (deadline.hasExpired() || (cancel && cancel->load())) {
            int queued = 0;
            job->state.compare_exchange_strong(queued, 2); // not started yet: it never will be
            return false;
        }
        const int slice
            = deadline.isForever() ? 1000 : int(qBound(qint64(1), deadline.remainingTime(), qint64(1000)));
        if (waitIo(job->bell, POLLIN, slice) & POLLIN)
            take(job->bell);
    }
    return true;
}

namespace {

// The loop's wait: one epoll set for the whole pool. A fiber's wait arms its socket once
// (EPOLLONESHOT, re-armed by MOD at its next wait), so each wait costs O(1) instead of a poll()
// over every waiting session: at 200 devices that was 200 sockets scanned per wakeup.
class Waiter
{
public:
    // wakeFd: the pool's eventfd, written when tasks arrive or the pool stops.
    explicit Waiter(int wakeFd)
        : m_epoll(epoll_create1(EPOLL_CLOEXEC))
        , m_wakeFd(wakeFd)
    {
        epoll_event ev {};
        ev.events = EPOLLIN;
        ev.data.fd = wakeFd;
        if (m_epoll >= 0 && epoll_ctl(m_epoll, EPOLL_CTL_ADD, wakeFd, &ev) != 0) {
            ::close(m_epoll);
            m_epoll = -1;
        }
        if (m_epoll < 0)
            qWarning(
                "canyon: no epoll set for the fiber loop (errno %d): waits fall back to short naps", errno);
    }
    ~Waiter()
    {
        if (m_epoll >= 0)
            ::close(m_epoll);
    }
    Waiter(const Waiter &) = delete;
    Waiter &operator=(const Waiter &) = delete;

    // fd is watched for events until it is ready once; owner is the fiber that waits (one per
    // fd). False when fd cannot be watched: its fiber is then woken by the loop's naps.
    bool arm(int fd, short events, FiberPool::Fiber *owner)
    {
        if (m_epoll < 0 || fd < 0)
            return false;
        epoll_event ev {};
        ev.events = EPOLLONESHOT | ((events & POLLIN) ? EPOLLIN : 0u) | ((events & POLLOUT) ? EPOLLOUT : 0u);
        ev.data.fd = fd;
        if (epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &ev) != 0
            && (errno != ENOENT || epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev) != 0))
            return false;
        if (size_t(fd) >= m_owner.size())
            m_owner.resize(size_t(fd) + 1, nullptr);
        m_owner[size_t(fd)] = owner;
        return true;
    }
    // The wait on fd ended another way (its time ran out): a late event finds no owner.
    void disown(int fd)
    {
        if (fd >= 0 && size_t(fd) < m_owner.size())
            m_owner[size_t(fd)] = nullptr;
    }
    // Sleeps up to timeoutMs (-1: until something happens); calls ready(fiber, poll flags) for
    // each fiber whose socket became ready.
    template<typename Ready> void wait(int timeoutMs, Ready ready)
    {
        if (m_epoll < 0) {
            pollfd p { m_wakeFd, POLLIN, 0 };
            if (::poll(&p, 1, timeoutMs) > 0)
                take(m_wakeFd);
            return;
        }
        epoll_event events[64];
        const int n = epoll_wait(m_epoll, events, 64, timeoutMs);
        if (n < 0 && errno != EINTR)
            qWarning("canyon: epoll_wait failed in the fiber loop (errno %d)", errno);
        for (int i = 0; i < n; ++i) {
            const int fd = events[i].data.fd;
            if (fd == m_wakeFd) {
                take(m_wakeFd);
                continue;
            }
            FiberPool::Fiber *f = size_t(fd) < m_owner.size() ? m_owner[size_t(fd)] : nullptr;
            if (!f)
                continue;
            m_owner[size_t(fd)] = nullptr;
            const uint32_t e = events[i].events;
            ready(f,
                short(((e & EPOLLIN) ? POLLIN : 0) | ((e & EPOLLOUT) ? POLLOUT : 0)
                    | ((e & EPOLLERR) ? POLLERR : 0) | ((e & EPOLLHUP) ? POLLHUP : 0)));
        }
    }

private:
    int m_epoll;
    int m_wakeFd;
    std::vector<FiberPool::Fiber *> m_owner; // by fd: the fiber its armed wait wakes
};

} // namespace

void FiberPool::run()
{
    Waiter waiter(m_wakeFd);
    std::vector<Fiber *> ready;
    std::vector<Fiber *> waiting;
    std::vector<Fiber *> spare; // ended fibers whose stacks the next tasks reuse
    for (;;) {
        std::vector<std::function<void()>> admitted;
        {
            std::lock_guard lock(m_mutex);
            while (m_active < m_maxActive && !m_queue.empty()) {
                admitted.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
                ++m_active;
            }
            if (m_active == 0 && m_queue.empty()) {
                m_idle.notify_all();
                if (m_stopping)
                    break;
            }
        }
        for (std::function<void()> &task : admitted) {
            Fiber *f = nullptr;
            if (!spare.empty()) {
                f = spare.back();
                spare.pop_back();
            } else {
                f = new Fiber;
            }
            f->done = false;
            if (!prepare(f)) {
                // No memory for a stack: the task still runs, here, blocking the others meanwhile.
                release(f);
                task();
                std::lock_guard lock(m_mutex);
                --m_active;
                continue;
            }
            f->task = std::move(task);
            ready.push_back(f);
        }
        for (Fiber *f : ready) {
            resume(f);
            if (!f->done) {
                f->armed = waiter.arm(f->fd, f->events, f);
                waiting.push_back(f);
                continue;
            }
            spare.push_back(f);
            std::lock_guard lock(m_mutex);
            --m_active;
        }
        const bool ranAny = !ready.empty();
        ready.clear();
        if (ranAny)
            continue; // admit what the ended ones made room for, before sleeping

        auto now = Clock::now();
        Clock::time_point nearest = Clock::time_point::max();
        bool unarmed = false; // a socket epoll refused (not pollable): fall back to a short nap
        for (Fiber *f : waiting) {
            nearest = std::min(nearest, f->wakeAt);
            unarmed = unarmed || !f->armed;
        }
        int timeout = -1;
        if (nearest != Clock::time_point::max())
            timeout = int(std::clamp<long long>(
                std::chrono::ceil<std::chrono::milliseconds>(nearest - now).count(), 0, 60 * 60 * 1000));
        if (unarmed)
            timeout = timeout < 0 ? 10 : std::min(timeout, 10);
        waiter.wait(timeout, [](Fiber *f, short revents) { f->revents = revents; });
        now = Clock::now();
        const bool interrupted = m_interrupt.exchange(false);
        std::vector<Fiber *> still;
        still.reserve(waiting.size());
        for (Fiber *f : waiting) {
            if (interrupted || f->revents || now >= f->wakeAt || !f->armed) {
                waiter.disown(f->fd);
                ready.push_back(f);
            } else {
                still.push_back(f);
            }
        }
        waiting.swap(still);
    }
    for (Fiber *f : spare)
        release(f);
}

} // namespace canyon
