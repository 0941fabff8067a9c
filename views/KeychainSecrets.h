// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/FleetService.h"
#include "secrets/SecretStore.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <functional>

namespace canyon {

// The console's side of SecretStore (issue 6, QUALITY.md R8): which devices have a remembered
// password or key passphrase, reading them into FleetService before their first refresh, storing
// them when the user asks, forgetting them when the device goes. Secrets only ever live in the
// keychain and in memory; the config dir holds just the names of the devices that have one
// (keychain-index.json). With no keychain, nothing is stored and the user is asked each time.
class KeychainSecrets : public QObject
{
    Q_OBJECT
public:
    // keychainService: SecretStore's namespace (empty: the app id).
    explicit KeychainSecrets(
        FleetService *service, const QString &keychainService = {}, QObject *parent = nullptr);

    SecretStore *store() const { return m_store; }
    bool isAvailable() const;
    bool isChecking() const;
    // Why "Remember in the keychain" cannot be used (empty while it can).
    QString unavailableReason() const;

    // Reads every remembered secret of the configured devices into the service, then calls done
    // (once: at once when there is none, else when all answered or after timeoutMs).
    void loadRemembered(QObject *context, std::function<void()> done, int timeoutMs = 15000);
    // Stores the non-empty parts of secrets in the keychain (when there is one) and notes the
    // device in the index once stored. Emits stored(device, ok, error) when done.
    void remember(const QString &device, const AuthSecrets &secrets);
    void forget(const QString &device);
    QStringList rememberedDevices() const;
    QString indexFile() const;

Q_SIGNALS:
    void availabilityChanged();
    void loaded(const QStringList &devices); // devices whose secrets were read
    void stored(const QString &device, bool ok, const QString &error);

private:
    struct Pending
    {
        QString device;
        SecretKind kind = SecretKind::Password;
        bool read = false; // else a store
    };

    void finished(const SecretStore::Result &result);
    void hostsChanged();
    bool loadIndex();
    bool saveIndex() const;
    void loadDone();

    FleetService *m_service;
    SecretStore *m_store;
    QHash<QString, QStringList> m_index; // device -> "password" / "passphrase"
    QHash<quint64, Pending> m_pending;
    QHash<QString, AuthSecrets> m_read; // while loading
    QSet<quint64> m_loadIds;
    QSet<QString> m_known; // configured devices at the last hostsChanged
    QStringList m_loadedDevices;
    std::function<void()> m_loadDone;
};

} // namespace canyon
