// SPDX-License-Identifier: GPL-3.0-or-later
#include "KeychainSecrets.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSaveFile>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

QString kindName(SecretKind kind)
{
    return kind == SecretKind::KeyPassphrase ? u"passphrase"_s : u"password"_s;
}

} // namespace

KeychainSecrets::KeychainSecrets(FleetService *service, const QString &keychainService, QObject *parent)
    : QObject(parent)
    , m_service(service)
    , m_store(keychainService.isEmpty() ? new SecretStore(this) : new SecretStore(keychainService, this))
{
    loadIndex();
    for (const HostConfig &h : m_service->hosts())
        m_known.insert(h.name);
    connect(m_store, &SecretStore::availabilityChecked, this, &KeychainSecrets::availabilityChanged);
    connect(m_store, &SecretStore::finished, this, &KeychainSecrets::finished);
    connect(m_service, &FleetService::hostsChanged, this, &KeychainSecrets::hostsChanged);
    m_store->checkAvailability();
}

bool KeychainSecrets::isAvailable() const
{
    return m_store->availability() == SecretStore::Availability::Available;
}

bool KeychainSecrets::isChecking() const
{
    const auto a = m_store->availability();
    return a == SecretStore::Availability::Unknown || a == SecretStore::Availability::Checking;
}

QString KeychainSecrets::unavailableReason() const
{
    if (isAvailable())
        return {};
    if (isChecking())
        return tr("Looking for a keychain…");
    return tr("No keychain (Secret Service or KWallet) is available: Canyon keeps the secret for "
              "this session only and asks for it again next time.");
}

QString KeychainSecrets::indexFile() const
{
    return m_service->config().configDir() + u"/keychain-index.json"_s;
}

QStringList KeychainSecrets::rememberedDevices() const
{
    QStringList names = m_index.keys();
    names.sort();
    return names;
}

bool KeychainSecrets::loadIndex()
{
    QFile f(indexFile());
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QJsonObject devices = QJsonDocument::fromJson(f.readAll()).object().value(u"devices"_s).toObject();
    for (auto it = devices.begin(); it != devices.end(); ++it) {
        QStringList kinds;
        for (const QJsonValue &v : it.value().toArray())
            if (v.toString() == u"password" || v.toString() == u"passphrase")
                kinds << v.toString();
        if (!kinds.isEmpty())
            m_index.insert(it.key(), kinds);
    }
    return true;
}

bool KeychainSecrets::saveIndex() const
{
    // Names only: which device has which kind of secret in the keychain. Never a secret.
    QString error;
    if (!m_service->config().ensureDirs(&error))
        return false;
    QJsonObject devices;
    for (auto it = m_index.begin(); it != m_index.end(); ++it)
        devices.insert(it.key(), QJsonArray::fromStringList(it.value()));
    QSaveFile f(indexFile());
    if (!f.open(QIODevice::WriteOnly))
        return false;
    f.write(QJsonDocument(QJsonObject { { u"devices"_s, devices } }).toJson());
    return f.commit();
}

void KeychainSecrets::loadRemembered(QObject *context, std::function<void()> done, int timeoutMs)
{
    QPointer<QObject> guard(context);
    m_loadDone = [guard, done = std::move(done)] {
        if (guard)
            done();
    };
    m_loadIds.clear();
    m_read.clear();
    m_loadedDevices.clear();
    for (auto it = m_index.begin(); it != m_index.end(); ++it) {
        if (!m_service->host(it.key()))
            continue;
        for (const QString &kind : it.value()) {
            const SecretKind k = kind == u"passphrase" ? SecretKind::KeyPassphrase : SecretKind::Password;
            const quint64 id = m_store->read(it.key(), k);
            m_pending.insert(id, Pending { it.key(), k, true });
            m_loadIds.insert(id);
        }
    }
    if (m_loadIds.isEmpty()) {
        QTimer::singleShot(0, this, &KeychainSecrets::loadDone);
        return;
    }
    // A keychain that never answers (a locked wallet nobody unlocks) must not hold the fleet.
    QTimer::singleShot(timeoutMs, this, [this] {
        if (!m_loadIds.isEmpty()) {
            m_loadIds.clear();
            loadDone();
        }
    });
}

void KeychainSecrets::loadDone()
{
    for (auto it = m_read.begin(); it != m_read.end(); ++it) {
        m_service->setSecrets(it.key(), it.value());
        m_loadedDevices << it.key();
    }
    m_read.clear();
    m_loadedDevices.sort();
    Q_EMIT loaded(m_loadedDevices);
    if (auto done = std::exchange(m_loadDone, nullptr))
        done();
}

void KeychainSecrets::remember(const QString &device, const AuthSecrets &secrets)
{
    bool any = false;
    for (const auto &[kind, secret] : { std::pair { SecretKind::Password, secrets.password },
             std::pair { SecretKind::KeyPassphrase, secrets.keyPassphrase } }) {
        if (secret.isEmpty())
            continue;
        any = true;
        const quint64 id = m_store->store(device, kind, secret);
        m_pending.insert(id, Pending { device, kind, false });
    }
    if (!any)
        QTimer::singleShot(
            0, this, [this, device] { Q_EMIT stored(device, false, tr("There is nothing to remember.")); });
}

void KeychainSecrets::forget(const QString &device)
{
    const QStringList kinds = m_index.take(device);
    for (const QString &kind : kinds)
        m_store->remove(device, kind == u"passphrase" ? SecretKind::KeyPassphrase : SecretKind::Password);
    if (!kinds.isEmpty())
        saveIndex();
}

void KeychainSecrets::finished(const SecretStore::Result &result)
{
    const auto it = m_pending.constFind(result.id);
    if (it == m_pending.cend())
        return; // a remove, or not ours
    const Pending p = *it;
    m_pending.erase(it);
    if (p.read) {
        if (!m_loadIds.remove(result.id))
            return; // answered after the load gave up waiting
        if (result.status == SecretStore::Status::Ok && !result.secret.isEmpty()) {
            AuthSecrets &s = m_read[p.device];
            (p.kind == SecretKind::KeyPassphrase ? s.keyPassphrase : s.password) = result.secret;
        }
        if (m_loadIds.isEmpty())
            loadDone();
        return;
    }
    if (result.status == SecretStore::Status::Ok) {
        QStringList &kinds = m_index[p.device];
        if (!kinds.contains(kindName(p.kind)))
            kinds << kindName(p.kind);
        saveIndex();
        Q_EMIT stored(p.device, true, {});
    } else {
        Q_EMIT stored(p.device, false, result.error);
    }
}

void KeychainSecrets::hostsChanged()
{
    // A removed device's secrets go with it. Only a device seen before and gone now: a hosts
    // file that failed to load (no hosts at all) forgets nothing.
    QSet<QString> now;
    for (const HostConfig &h : m_service->hosts())
        now.insert(h.name);
    const QStringList names = m_index.keys();
    for (const QString &name : names)
        if (m_known.contains(name) && !now.contains(name))
            forget(name);
    m_known = now;
}

} // namespace canyon
