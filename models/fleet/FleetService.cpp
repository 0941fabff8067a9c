// SPDX-License-Identifier: GPL-3.0-or-later
#include "FleetService.h"

#include "InventoryJson.h"
#include "snap/DeviceProbe.h"
#include "ssh/FiberPool.h"
#include "ssh/SshSession.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMutex>
#include <QPointer>
#include <QSaveFile>
#include <QSet>
#include <QThreadPool>
#include <atomic>
#include <unordered_map>

using namespace Qt::StringLiterals;

namespace canyon {

// Open sessions between refreshes, so a warm refresh is one round trip. A session is
// checked out by exactly one worker at a time (libssh: one thread per session at a time).
class SessionPool
{
public:
    struct Entry
    {
        std::unique_ptr<SshSession> session;
        Dialect dialect = Dialect::Unknown;
        KnownSystem system; // lets a warm refresh skip re-reading unchanged system facts
    };
    Entry take(const QString &name)
    {
        QMutexLocker lock(&m_mutex);
        m_dropped.remove(name);
        auto it = m_idle.find(name);
        if (it == m_idle.end())
            return {};
        Entry e = std::move(it->second);
        m_idle.erase(it);
        return e;
    }
    void put(const QString &name, Entry e)
    {
        QMutexLocker lock(&m_mutex);
        if (m_dropped.remove(name))
            return; // the host was removed or re-keyed meanwhile
        m_idle.insert_or_assign(name, std::move(e));
    }
    // What a previous run learned (from the inventory cache): the next connection skips
    // detecting the dialect and, while the deciding snaps are unchanged, re-reading the system.
    void remember(const QString &name, Dialect dialect, const KnownSystem &system)
    {
        QMutexLocker lock(&m_mutex);
        Entry e;
        e.dialect = dialect;
        e.system = system;
        m_idle.try_emplace(name, std::move(e));
    }
    void drop(const QString &name)
    {
        QMutexLocker lock(&m_mutex);
        if (m_idle.erase(name) == 0)
            m_dropped.insert(name);
    }
    void clear()
    {
        QMutexLocker lock(&m_mutex);
        m_idle.clear();
    }

private:
    QMutex m_mutex;
    std::unordered_map<QString, Entry> m_idle;
    QSet<QString> m_dropped;
};

namespace {

struct Job
{
    HostConfig host;
    AuthSecrets secrets;
    SshOptions base;
    int timeoutMs = 20000;
    bool acceptNewHostKey = false;
    bool askStore = true; // false: what is installed only (the device does not ask its store)
};

SshOptions optionsFor(const Job &job)
{
    SshOptions o = job.base;
    o.target = job.host.ssh;
    o.identityFile = job.host.identityFile;
    o.password = job.secrets.password;
    o.keyPassphrase = job.secrets.keyPassphrase;
    o.acceptNewHostKey = job.acceptNewHostKey;
    o.connectTimeoutMs = qMin(job.timeoutMs, o.connectTimeoutMs);
    return o;
}

// Runs on a worker thread: one device, start to finish, bounded by the job's deadline.
DeviceInventory inventoryOf(
    const Job &job, SessionPool &pool, const std::atomic_bool &cancel, bool *needsPassphrase)
{
    QElapsedTimer clock;
    clock.start();
    const QDeadlineTimer deadline(job.timeoutMs);
    DeviceInventory inv;
    inv.host = job.host.name;
    inv.address = job.host.ssh.toString();
    inv.fetchedAt = QDateTime::currentDateTimeUtc();
    const Dialect forced = dialectFromName(job.host.dialect);

    SessionPool::Entry entry = pool.take(job.host.name);
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (cancel.load()) {
            inv.status = DeviceStatus::Error;
            inv.error = u"cancelled"_s;
            break;
        }
        const bool warm = entry.session && entry.session->isConnected();
        if (!warm) {
            entry.session = std::make_unique<SshSession>(optionsFor(job));
            QString error;
            const DeviceStatus s = entry.session->connect(deadline, &error, &cancel);
            inv.hostKey = entry.session->hostKey();
            if (needsPassphrase)
                *needsPassphrase = entry.session->needsPassphrase();
            if (s != DeviceStatus::Ok) {
                inv.status = s;
                inv.error = error;
                inv.reachable = s == DeviceStatus::AuthFailed; // a session was established, auth refused
                entry.session.reset();
                break;
            }
        }
        inv.hostKey = entry.session->hostKey();
        probeInventory(
            *entry.session, forced, entry.dialect, deadline, &cancel, &inv, &entry.system, job.askStore);
        if (inv.status == DeviceStatus::Unreachable && warm && !deadline.hasExpired()) {
            // A kept session may have died while idle (device rebooted, NAT timeout): reconnect once.
            entry.session.reset();
            inv.status = DeviceStatus::Error;
            continue;
        }
        if (inv.status == DeviceStatus::Unreachable)
            inv.reachable = false;
        break;
    }
    if (inv.status == DeviceStatus::Ok)
        entry.dialect = inv.dialect;
    if (entry.session && !entry.session->isConnected())
        entry.session.reset();
    pool.put(job.host.name, std::move(entry)); // without a session it still keeps what was learned
    inv.elapsedMs = clock.elapsed();
    return inv;
}

// One device's inventory as a fiber (all reads share one thread); then done on the service's
// thread, while it lives.
void startRead(FiberPool &fibers, std::shared_ptr<SessionPool> pool, FleetService *service, const Job &job,
    std::shared_ptr<std::atomic_bool> cancel, std::function<void(const DeviceInventory &)> done)
{
    Q_EMIT service->deviceRefreshStarted(job.host.name);
    QPointer<FleetService> self(service);
    fibers.start([job, pool, cancel, self, done = std::move(done)] {
        const DeviceInventory inv = inventoryOf(job, *pool, *cancel, nullptr);
        QMetaObject::invokeMethod(
            self.data(),
            [self, inv, done] {
                if (self)
                    done(inv);
            },
            Qt::QueuedConnection);
    });
}

} // namespace

FleetService::FleetService(const Config &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_pool(std::make_shared<SessionPool>())
    , m_threads(std::make_unique<QThreadPool>())
    , m_fibers(std::make_unique<FiberPool>())
    , m_cancel(std::make_shared<std::atomic_bool>(false))
    , m_closing(std::make_shared<std::atomic_bool>(false))
{
    qRegisterMetaType<DeviceInventory>();
    qRegisterMetaType<ConnectProbe>();
    qRegisterMetaType<ReadCommandResult>();
    m_threads->setMaxThreadCount(m_maxConcurrency);
    m_fibers->setMaxActive(m_maxConcurrency);
    m_threads->setStackSize(512 * 1024); // many workers, little stack each
    m_threads->setExpiryTimeout(60000);
}

FleetService::~FleetService()
{
    m_cancel->store(true);
    m_closing->store(true);
    m_fibers->interruptWaits(); // reads waiting on the network see the flags now
    m_threads->waitForDone();
    m_fibers->waitForDone();
    m_pool->clear();
}

bool FleetService::load(QString *error)
{
    if (!m_config.loadHosts(&m_hosts, error))
        return false;
    loadCache();
    Q_EMIT hostsChanged();
    return true;
}

std::optional<HostConfig> FleetService::host(const QString &name) const
{
    for (const HostConfig &h : m_hosts)
        if (h.name == name)
            return h;
    return std::nullopt;
}

bool FleetService::addHost(const HostConfig &h, QString *error)
{
    if (h.name.isEmpty() || h.name.contains(u'/') || h.name.contains(u',')) {
        *error = u"a host name must be non-empty and contain no '/' or ','"_s;
        return false;
    }
    if (host(h.name)) {
        *error = u"a host named %1 exists already"_s.arg(h.name);
        return false;
    }
    QList<HostConfig> next = m_hosts;
    next.append(h);
    if (!m_config.saveHosts(next, error))
        return false;
    m_hosts = next;
    Q_EMIT hostsChanged();
    return true;
}

bool FleetService::removeHost(const QString &name, QString *error)
{
    QList<HostConfig> next = m_hosts;
    const qsizetype n = next.removeIf([&](const HostConfig &h) { return h.name == name; });
    if (n == 0) {
        *error = u"no host named %1"_s.arg(name);
        return false;
    }
    if (!m_config.saveHosts(next, error))
        return false;
    m_hosts = next;
    m_inventory.remove(name);
    m_secrets.remove(name);
    m_pool->drop(name);
    Q_EMIT hostsChanged();
    return true;
}

void FleetService::overrideForRun(const HostConfig &h)
{
    for (HostConfig &mine : m_hosts)
        if (mine.name == h.name)
            mine = h;
}

DeviceInventory FleetService::inventory(const QString &name) const
{
    return m_inventory.value(name);
}

void FleetService::setMaxConcurrency(int n)
{
    m_maxConcurrency = qMax(1, n);
    m_threads->setMaxThreadCount(m_maxConcurrency);
    m_fibers->setMaxActive(m_maxConcurrency);
}

void FleetService::setTimeoutMs(int ms)
{
    m_timeoutMs = qMax(100, ms);
}

void FleetService::setSshConfigFile(const QString &file)
{
    m_sshConfigFile = file;
}

void FleetService::setKeyExchange(const QString &kex)
{
    m_kex = kex;
}

void FleetService::setUserKnownHostsFile(const QString &file)
{
    m_userKnownHostsFile = file;
}

void FleetService::setSecrets(const QString &name, const AuthSecrets &secrets)
{
    m_secrets.insert(name, secrets);
}

SshOptions FleetService::baseOptions() const
{
    SshOptions o;
    o.knownHostsFile = m_config.knownHostsFile();
    o.userKnownHostsFile = m_userKnownHostsFile;
    o.sshConfigFile = m_sshConfigFile;
    o.kex = m_kex;
    return o;
}

bool FleetService::refresh(const QStringList &names)
{
    if (m_running > 0)
        return false;
    QList<HostConfig> targets;
    for (const HostConfig &h : std::as_const(m_hosts)) {
        if (h.kind != HostKind::Device)
            continue;
        if (names.isEmpty() || names.contains(h.name))
            targets.append(h);
    }
    m_cancel = std::make_shared<std::atomic_bool>(false);
    if (targets.isEmpty()) {
        QMetaObject::invokeMethod(this, &FleetService::refreshFinished, Qt::QueuedConnection);
        return true;
    }
    m_running = int(targets.size());
    for (const HostConfig &h : std::as_const(targets))
        startRead(*m_fibers, m_pool, this,
            Job { h, m_secrets.value(h.name), baseOptions(), m_timeoutMs, false }, m_cancel,
            [this](const DeviceInventory &inv) { deviceDone(inv); });
    return true;
}

bool FleetService::readDevice(
    const QString &name, ReadScope scope, QObject *context, std::function<void(const DeviceInventory &)> done)
{
    const std::optional<HostConfig> h = host(name);
    if (!h || h->kind != HostKind::Device)
        return false;
    const bool askStore = scope == ReadScope::Everything;
    QPointer<QObject> ctx(context);
    startRead(*m_fibers, m_pool, this,
        Job { *h, m_secrets.value(h->name), baseOptions(), m_timeoutMs, false, askStore }, m_closing,
        [this, ctx, askStore, done = std::move(done)](const DeviceInventory &inv) {
            DeviceInventory read = inv;
            if (!askStore && read.status == DeviceStatus::Ok)
                carryUpdates(inventory(read.host), &read);
            const DeviceInventory stored = storeInventory(read);
            if (ctx && done)
                done(stored);
        });
    return true;
}

void FleetService::deviceDone(const DeviceInventory &result)
{
    storeInventory(result);
    if (--m_running == 0)
        Q_EMIT refreshFinished();
}

DeviceInventory FleetService::storeInventory(const DeviceInventory &result)
{
    DeviceInventory inv = result;
    if (inv.status == DeviceStatus::Ok) {
        inv.lastOkAt = inv.fetchedAt;
    } else {
        // A failed read does not erase what was last known: keep it, marked by lastOkAt.
        const DeviceInventory prev = m_inventory.value(inv.host);
        if (prev.lastOkAt.isValid() || prev.status == DeviceStatus::Ok) {
            inv.snaps = prev.snaps;
            inv.system = prev.system;
            if (inv.dialect == Dialect::Unknown)
                inv.dialect = prev.dialect;
            inv.lastOkAt = prev.lastOkAt.isValid() ? prev.lastOkAt : prev.fetchedAt;
        }
    }
    if (host(inv.host)) // a device removed meanwhile is forgotten
        m_inventory.insert(inv.host, inv);
    Q_EMIT deviceInventoryReady(inv);
    return inv;
}

void FleetService::cancel()
{
    m_cancel->store(true);
    m_fibers->interruptWaits(); // reads waiting on the network see it now, not at their next wakeup
}

int FleetService::probe(const HostConfig &h, const AuthSecrets &secrets, bool acceptNewHostKey)
{
    const int id = m_nextProbeId++;
    Job job { h, secrets, baseOptions(), m_timeoutMs, acceptNewHostKey };
    QPointer<FleetService> self(this);
    std::shared_ptr<SessionPool> pool = m_pool;
    std::shared_ptr<std::atomic_bool> cancel = std::make_shared<std::atomic_bool>(false);
    m_threads->start([job, pool, cancel, self, id] {
        bool needsPassphrase = false;
        // A probe's session is kept under the new name, so the first refresh after adding is warm.
        const DeviceInventory inv = inventoryOf(job, *pool, *cancel, &needsPassphrase);
        ConnectProbe p;
        p.host = job.host;
        p.status = inv.status;
        p.error = inv.error;
        p.hostKey = inv.hostKey;
        p.dialect = inv.dialect;
        p.needsPassphrase = needsPassphrase;
        p.inventory = inv;
        QMetaObject::invokeMethod(
            self.data(),
            [self, id, p] {
                if (self)
                    Q_EMIT self->connectProbed(id, p);
            },
            Qt::QueuedConnection);
    });
    return id;
}

void FleetService::rememberInventory(const DeviceInventory &inv)
{
    if (host(inv.host)) {
        m_inventory.insert(inv.host, inv);
        Q_EMIT deviceInventoryReady(inv);
    }
}

void FleetService::loadCache()
{
    QFile f(m_config.inventoryCacheFile());
    if (!f.open(QIODevice::ReadOnly))
        return;
    bool ok = false;
    const QList<DeviceInventory> cached = inventoriesFromJson(f.readAll(), &ok);
    for (const DeviceInventory &inv : cached) {
        if (!host(inv.host))
            continue;
        m_inventory.insert(inv.host, inv);
        rememberFromCache(inv);
    }
}

// A restarted console knows its fleet: how each device answered last time, and its system facts.
// Only recent knowledge is used (a device may have been reinstalled meanwhile); a wrong guess
// costs nothing but the detection it would have done anyway, since the probe falls back.
void FleetService::rememberFromCache(const DeviceInventory &inv)
{
    constexpr qint64 maxAgeS = 24 * 3600;
    if (inv.dialect == Dialect::Unknown || !inv.fetchedAt.isValid()
        || inv.fetchedAt.secsTo(QDateTime::currentDateTimeUtc()) > maxAgeS)
        return;
    KnownSystem known;
    known.valid = (inv.dialect == Dialect::SnapCli || inv.dialect == Dialect::SnapdRest)
        && !inv.snaps.isEmpty() && !inv.system.snapdVersion.isEmpty();
    if (known.valid) {
        known.key = systemKeyOf(inv.snaps);
        known.system = inv.system;
        known.system.refreshError.clear();
    }
    m_pool->remember(inv.host, inv.dialect, known);
}

bool FleetService::saveInventoryCache(QString *errorOut) const
{
    QString ignored;
    QString *error = errorOut ? errorOut : &ignored;
    if (!m_config.ensureDirs(error))
        return false;
    QByteArray text;
    JsonWriter w(&text);
    w.beginArray();
    for (const HostConfig &h : m_hosts) {
        const auto it = m_inventory.constFind(h.name);
        if (it != m_inventory.cend())
            writeInventoryJson(w, *it, true);
    }
    w.endArray();
    QSaveFile f(m_config.inventoryCacheFile());
    if (!f.open(QIODevice::WriteOnly)) {
        *error = f.errorString();
        return false;
    }
    f.write(text);
    if (!f.commit()) {
        *error = f.errorString();
        return false;
    }
    return true;
}

// ---------------------------------------------------------------------------------------------
// Fleet jobs (issue 4): FleetJob runs its per-device steps here, on the same bounded worker pool
// and kept sessions as inventory refreshes, so a job after a refresh costs no new handshake.

bool FleetService::runDeviceStep(const QString &name, int timeoutMs, std::function<void(DeviceStep &)> fn)
{
    const std::optional<HostConfig> h = host(name);
    if (!h || h->kind != HostKind::Device)
        return false;
    Job job { *h, m_secrets.value(name), baseOptions(), timeoutMs, false };
    const Dialect dialect = m_inventory.value(name).dialect;
    std::shared_ptr<SessionPool> pool = m_pool;
    std::shared_ptr<std::atomic_bool> cancel = m_cancel;
    std::shared_ptr<std::atomic_bool> closing = m_closing;
    m_threads->start([job, pool, cancel, closing, dialect, fn = std::move(fn)] {
        DeviceStep step;
        step.device = job.host.name;
        step.dialect = dialect;
        step.deadline = QDeadlineTimer(job.timeoutMs);
        step.cancel = cancel.get();
        SessionPool::Entry entry = pool->take(job.host.name);
        if (!entry.session || !entry.session->isConnected()) {
            entry.session = std::make_unique<SshSession>(optionsFor(job));
            // Not the refresh's cancel flag (Stop leaves it set until the next refresh; a job or a
            // read started later must still connect): only closing the service stops a connect.
            const DeviceStatus s = entry.session->connect(step.deadline, &step.error, closing.get());
            if (s != DeviceStatus::Ok) {
                step.status = s;
                entry.session.reset();
            }
        }
        step.session = entry.session.get();
        if (entry.dialect == Dialect::Unknown)
            entry.dialect = dialect;
        fn(step);
        if (entry.session && entry.session->isConnected() && !step.dropSession)
            pool->put(job.host.name, std::move(entry));
    });
    return true;
}

int FleetService::runReadCommand(const QString &device, const QByteArray &command, int timeoutMs)
{
    const int id = m_nextReadId++;
    QPointer<FleetService> self(this);
    // Not the refresh's cancel flag (Stop leaves it set until the next refresh): only closing
    // the service stops a read.
    std::shared_ptr<std::atomic_bool> closing = m_closing;
    const bool started = runDeviceStep(device, timeoutMs, [self, id, command, closing](DeviceStep &step) {
        QElapsedTimer clock;
        clock.start();
        ReadCommandResult r;
        r.device = step.device;
        r.command = command;
        if (!step.session) {
            r.status = step.status;
            r.error = step.error;
        } else {
            const ExecResult e = step.session->exec(command, step.deadline, closing.get());
            r.completed = e.completed;
            r.exitCode = e.exitCode;
            r.out = e.out;
            r.err = e.err;
            if (!e.completed) {
                r.status = e.failure;
                r.error = e.error;
                step.dropSession = true; // cut off mid-command: do not reuse it
            }
        }
        r.elapsedMs = clock.elapsed();
        QMetaObject::invokeMethod(
            self.data(),
            [self, id, r] {
                if (self)
                    Q_EMIT self->readCommandFinished(id, r);
            },
            Qt::QueuedConnection);
    });
    return started ? id : 0;
}

} // namespace canyon
