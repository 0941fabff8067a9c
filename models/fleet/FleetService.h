// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Config.h"
#include "domain/Device.h"
#include "domain/Host.h"

#include <QDeadlineTimer>
#include <QHash>
#include <QObject>
#include <atomic>
#include <functional>
#include <memory>

class QThreadPool;

namespace canyon {

class FiberPool;
class SessionPool;
class SshSession;
struct SshOptions;

// Secrets for one connection attempt, held in memory only (never written by Canyon).
struct AuthSecrets
{
    QString password;
    QString keyPassphrase;
};

// The result of trying a new device before it is added (Add device dialog, `hosts add`).
struct ConnectProbe
{
    HostConfig host;
    DeviceStatus status
        = DeviceStatus::NotYetContacted; // Ok, HostKeyUnknown, HostKeyChanged, AuthFailed, ...
    QString error;
    HostKeyInfo hostKey;
    bool needsPassphrase = false; // the key file is encrypted and no/incorrect passphrase was given
    Dialect dialect = Dialect::Unknown;
    DeviceInventory inventory; // what the probe read, when it got that far
};

// What a read-only command run on a device (FleetService::runReadCommand) gave back.
struct ReadCommandResult
{
    QString device;
    QByteArray command;
    bool completed = false; // the command ran to its end: exitCode, out and err are valid
    int exitCode = -1;
    QByteArray out; // raw remote bytes: show them through visibleText()/TextViewer only
    QByteArray err;
    DeviceStatus status = DeviceStatus::Ok; // connecting or running failed when !completed
    QString error; // one line, when !completed
    qint64 elapsedMs = 0;
};

// The fleet of SSH devices: configured hosts, their last inventory, and concurrent refresh
// over kept-open sessions. Lives on the GUI (or CLI main) thread; blocking SSH work runs on
// a bounded pool of worker threads and comes back as queued signals.
class FleetService : public QObject
{
    Q_OBJECT
public:
    explicit FleetService(const Config &config, QObject *parent = nullptr);
    ~FleetService() override;

    const Config &config() const { return m_config; }
    bool load(QString *error); // hosts + cached inventory
    QList<HostConfig> hosts() const { return m_hosts; }
    std::optional<HostConfig> host(const QString &name) const;
    bool addHost(const HostConfig &host, QString *error); // persists; name must be new
    bool removeHost(const QString &name, QString *error); // persists; drops its session
    // Replaces a host's settings for this process only (e.g. `inventory --dialect snap`).
    void overrideForRun(const HostConfig &host);
    DeviceInventory inventory(const QString &name) const; // last known (cached or live)

    void setMaxConcurrency(int n); // connections at once (default 64)
    int maxConcurrency() const { return m_maxConcurrency; }
    void setTimeoutMs(int ms); // per device deadline for one refresh (default 20000)
    void setSshConfigFile(const QString &file); // "" = ~/.ssh/config, "none" = no config (tests)
    void setUserKnownHostsFile(const QString &file); // "" = ~/.ssh/known_hosts (read only)
    void setKeyExchange(const QString &kex); // pin the KEX (benchmarks)

    // Refresh the named devices (all when empty). Each device's result arrives on its own
    // through deviceInventoryReady as soon as it is known; refreshFinished() after the last.
    // Returns false if a refresh is already running (no second one is queued).
    bool refresh(const QStringList &names = {});
    bool isRefreshing() const { return m_running > 0; }
    void cancel(); // devices not yet started are reported as cancelled errors
    // Reads one device now, beside any running refresh (a job re-reads each device as soon as
    // its work there is over). The result is stored and announced like a refresh's
    // (deviceInventoryReady); then done runs in context's thread. Returns false (nothing runs)
    // when there is no such device. ReadScope::Installed does not make the device ask its store
    // (`snap refresh --list` is a store round trip on a real device): updates are carried over
    // from the last read (carryUpdates), right after a refresh job that read them moments ago.
    enum class ReadScope { Everything, Installed };
    bool readDevice(const QString &name, ReadScope scope, QObject *context,
        std::function<void(const DeviceInventory &)> done);

    // Connect to a not-yet-added device once: host key check (accepting it when
    // acceptNewHostKey and it is unknown; a changed key is always refused), auth, dialect.
    // Emits connectProbed(requestId, probe).
    int probe(const HostConfig &host, const AuthSecrets &secrets, bool acceptNewHostKey);

    // Secrets for devices added with a password or an encrypted key, kept for this run only.
    void setSecrets(const QString &name, const AuthSecrets &secrets);

    bool saveInventoryCache(QString *error = nullptr) const;
    // Takes a probe's inventory as the device's current one (after addHost).
    void rememberInventory(const DeviceInventory &inventory);

    // ---- Fleet jobs (issue 4, FleetJob): one step of a job on a device's kept session ----
    // What a job step gets on its worker thread.
    struct DeviceStep
    {
        QString device;
        SshSession *session = nullptr; // connected; null when connecting failed (status, error)
        DeviceStatus status = DeviceStatus::Ok;
        QString error;
        Dialect dialect = Dialect::Unknown; // from the device's last inventory
        QDeadlineTimer deadline;
        const std::atomic_bool *cancel = nullptr;
        bool dropSession = false; // the step may set it when the session is suspect
    };
    // Runs fn on the worker pool with the device's kept session, connecting it first when
    // there is none (or it died while idle); the session goes back to the pool afterwards while
    // it is connected. fn runs on a worker thread and must hand its results back with a queued
    // call to a context object. Returns false (fn never runs) when there is no such device.
    bool runDeviceStep(const QString &name, int timeoutMs, std::function<void(DeviceStep &)> fn);

    // ---- Viewer (issue 6): one read-only command (`snap changes`, `snap logs NAME -n 500`) on a
    // device's kept session, through runDeviceStep. The caller builds the command from validated
    // parts only. Returns a request id (> 0) that readCommandFinished carries, or 0 when there is
    // no such device (nothing is run, no signal follows).
    int runReadCommand(const QString &device, const QByteArray &command, int timeoutMs);

Q_SIGNALS:
    void hostsChanged();
    void deviceRefreshStarted(const QString &name);
    void deviceInventoryReady(const canyon::DeviceInventory &inventory);
    void refreshFinished();
    void connectProbed(int requestId, const canyon::ConnectProbe &probe);
    void readCommandFinished(int requestId, const canyon::ReadCommandResult &result);

private:
    void deviceDone(const DeviceInventory &inventory);
    DeviceInventory storeInventory(const DeviceInventory &result);
    void loadCache();
    void rememberFromCache(const DeviceInventory &inv);
    SshOptions baseOptions() const;

    Config m_config;
    QList<HostConfig> m_hosts;
    QHash<QString, DeviceInventory> m_inventory;
    QHash<QString, AuthSecrets> m_secrets;
    std::shared_ptr<SessionPool> m_pool;
    std::unique_ptr<QThreadPool> m_threads; // connection probes, jobs, read commands
    std::unique_ptr<FiberPool> m_fibers; // inventory reads
    std::shared_ptr<std::atomic_bool> m_cancel;
    std::shared_ptr<std::atomic_bool> m_closing; // set when the service goes (read commands)
    QString m_sshConfigFile;
    QString m_userKnownHostsFile;
    QString m_kex;
    int m_running = 0;
    int m_maxConcurrency = 64;
    int m_timeoutMs = 20000;
    int m_nextProbeId = 1;
    int m_nextReadId = 1;
};

} // namespace canyon

Q_DECLARE_METATYPE(canyon::ConnectProbe)
Q_DECLARE_METATYPE(canyon::ReadCommandResult)
