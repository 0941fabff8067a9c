// SPDX-License-Identifier: GPL-3.0-or-later
#include "secrets/SecretStore.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QMetaObject>
#include <QStringList>
#include <qt6keychain/keychain.h>
#include <utility>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

// Bus names of the keychains QtKeychain speaks to on Linux: the Secret Service (gnome-keyring,
// KeePassXC, KWallet ≥ 5.97) and KWallet's own interface.
const QStringList &keychainBusNames()
{
    static const QStringList names { u"org.freedesktop.secrets"_s, u"org.kde.kwalletd6"_s,
        u"org.kde.kwalletd5"_s, u"org.kde.kwalletd"_s };
    return names;
}

bool anyKeychainIn(const QStringList &busNames)
{
    for (const QString &name : keychainBusNames())
        if (busNames.contains(name))
            return true;
    return false;
}

QString kindName(SecretKind kind)
{
    switch (kind) {
    case SecretKind::Password:
        return u"password"_s;
    case SecretKind::KeyPassphrase:
        return u"key-passphrase"_s;
    case SecretKind::TrustToken:
        return u"trust-token"_s;
    }
    return u"secret"_s;
}

} // namespace

SecretStore::SecretStore(QObject *parent)
    : SecretStore(u"io.github.canyon.Canyon"_s, parent)
{
}

SecretStore::SecretStore(const QString &service, QObject *parent)
    : QObject(parent)
    , m_service(service)
{
    qRegisterMetaType<canyon::SecretStore::Result>();
}

SecretStore::~SecretStore()
{
    // Jobs still running finish into the void: they are children of nobody and delete
    // themselves, but must not call back into a destroyed store.
    for (auto it = m_running.cbegin(); it != m_running.cend(); ++it)
        QObject::disconnect(it.key(), nullptr, this, nullptr);
}

QString SecretStore::keyFor(const QString &host, SecretKind kind)
{
    return kindName(kind) + u'@' + host;
}

void SecretStore::checkAvailability()
{
    if (m_availability == Availability::Checking)
        return;
    m_availability = Availability::Checking;

    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) {
        QMetaObject::invokeMethod(
            this, [this] { availabilityAnswered(false); }, Qt::QueuedConnection);
        return;
    }
    // Asynchronous: a slow bus must not block the GUI thread. A running keychain first, then
    // one the bus would start on demand.
    // By value: the lambda is called again from the first answer's callback, after this returns.
    const auto ask = [bus](const QString &method) {
        return bus.asyncCall(QDBusMessage::createMethodCall(
            u"org.freedesktop.DBus"_s, u"/org/freedesktop/DBus"_s, u"org.freedesktop.DBus"_s, method));
    };
    auto *running = new QDBusPendingCallWatcher(ask(u"ListNames"_s), this);
    connect(running, &QDBusPendingCallWatcher::finished, this, [this, ask](QDBusPendingCallWatcher *watcher) {
        watcher->deleteLater();
        const QDBusPendingReply<QStringList> names = *watcher;
        if (names.isError()) {
            availabilityAnswered(false);
            return;
        }
        if (anyKeychainIn(names.value())) {
            availabilityAnswered(true);
            return;
        }
        auto *activatable = new QDBusPendingCallWatcher(ask(u"ListActivatableNames"_s), this);
        connect(
            activatable, &QDBusPendingCallWatcher::finished, this, [this](QDBusPendingCallWatcher *second) {
                second->deleteLater();
                const QDBusPendingReply<QStringList> startable = *second;
                availabilityAnswered(!startable.isError() && anyKeychainIn(startable.value()));
            });
    });
}

void SecretStore::availabilityAnswered(bool available)
{
    m_availability = available ? Availability::Available : Availability::Unavailable;
    Q_EMIT availabilityChecked(available);
    const QList<Request> waiting = std::exchange(m_waiting, {});
    for (const Request &request : waiting)
        run(request);
}

quint64 SecretStore::store(const QString &host, SecretKind kind, const QString &secret)
{
    return enqueue(Operation::Store, host, kind, secret);
}

quint64 SecretStore::read(const QString &host, SecretKind kind)
{
    return enqueue(Operation::Read, host, kind, {});
}

quint64 SecretStore::remove(const QString &host, SecretKind kind)
{
    return enqueue(Operation::Remove, host, kind, {});
}

quint64 SecretStore::enqueue(Operation operation, const QString &host, SecretKind kind, const QString &secret)
{
    const Request request { m_nextId++, operation, host, kind, secret };
    switch (m_availability) {
    case Availability::Unknown:
        m_waiting.append(request);
        checkAvailability();
        break;
    case Availability::Checking:
        m_waiting.append(request);
        break;
    case Availability::Available:
    case Availability::Unavailable:
        run(request);
        break;
    }
    return request.id;
}

void SecretStore::run(const Request &request)
{
    if (m_availability != Availability::Available) {
        finishLater(Result { request.id, request.operation, request.host, request.kind, Status::Unavailable,
            {}, tr("No keychain (Secret Service or KWallet) is available; the secret was not kept.") });
        return;
    }
    QKeychain::Job *job = nullptr;
    switch (request.operation) {
    case Operation::Store: {
        auto *write = new QKeychain::WritePasswordJob(m_service);
        write->setTextData(request.secret);
        job = write;
        break;
    }
    case Operation::Read:
        job = new QKeychain::ReadPasswordJob(m_service);
        break;
    case Operation::Remove:
        job = new QKeychain::DeletePasswordJob(m_service);
        break;
    }
    // The whole point (R8): never QtKeychain's QSettings plain-text fallback.
    job->setInsecureFallback(false);
    job->setAutoDelete(true);
    job->setKey(keyFor(request.host, request.kind));
    m_running.insert(job, request);
    connect(job, &QKeychain::Job::finished, this, &SecretStore::jobFinished);
    job->start();
}

void SecretStore::jobFinished(QKeychain::Job *job)
{
    const Request request = m_running.take(job);
    Result result { request.id, request.operation, request.host, request.kind, Status::Ok, {}, {} };
    switch (job->error()) {
    case QKeychain::NoError:
        if (request.operation == Operation::Read)
            result.secret = static_cast<QKeychain::ReadPasswordJob *>(job)->textData();
        break;
    case QKeychain::EntryNotFound:
        result.status = Status::NotFound;
        break;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        result.status = Status::Denied;
        result.error = tr("The keychain refused access: %1").arg(job->errorString());
        break;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        // The bus had a name but nothing usable behind it: stop trying for this session.
        m_availability = Availability::Unavailable;
        result.status = Status::Unavailable;
        result.error = tr("No keychain is available: %1").arg(job->errorString());
        break;
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError:
        result.status = Status::Failed;
        result.error = tr("The keychain failed: %1").arg(job->errorString());
        break;
    }
    Q_EMIT finished(result);
}

void SecretStore::finishLater(Result result)
{
    // Always asynchronous, so callers see one behaviour whether or not a keychain exists.
    QMetaObject::invokeMethod(
        this, [this, result] { Q_EMIT finished(result); }, Qt::QueuedConnection);
}

} // namespace canyon
