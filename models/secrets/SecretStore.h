// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>

namespace QKeychain {
class Job;
}

namespace canyon {

enum class SecretKind { Password, KeyPassphrase, TrustToken };

// Passwords, key passphrases and trust tokens in the desktop keychain (Secret Service or
// KWallet, through QtKeychain) — never on disk in plain text (QUALITY.md R8). Where no keychain
// answers on the session bus, every request finishes with Unavailable and the caller asks the
// user each time. All calls are asynchronous: each returns an id that its finished() carries.
class SecretStore : public QObject
{
    Q_OBJECT
public:
    enum class Availability { Unknown, Checking, Available, Unavailable };
    enum class Status { Ok, NotFound, Unavailable, Denied, Failed };
    enum class Operation { Store, Read, Remove };

    struct Result
    {
        quint64 id = 0;
        Operation operation = Operation::Read;
        QString host;
        SecretKind kind = SecretKind::Password;
        Status status = Status::Failed;
        QString secret; // Read with Ok only
        QString error; // a reason for the user when status is not Ok
    };

    // service: the keychain's namespace for our entries (the app id by default).
    explicit SecretStore(QObject *parent = nullptr);
    SecretStore(const QString &service, QObject *parent = nullptr);
    ~SecretStore() override;

    QString service() const { return m_service; }
    Availability availability() const { return m_availability; }
    // Asks the session bus (asynchronously) whether a keychain service owns or can activate its
    // name; emits availabilityChecked. Requests made meanwhile wait for the answer.
    void checkAvailability();

    quint64 store(const QString &host, SecretKind kind, const QString &secret);
    quint64 read(const QString &host, SecretKind kind);
    quint64 remove(const QString &host, SecretKind kind);

    static QString keyFor(const QString &host, SecretKind kind);

Q_SIGNALS:
    void availabilityChecked(bool available);
    void finished(const canyon::SecretStore::Result &result);

private:
    struct Request
    {
        quint64 id = 0;
        Operation operation = Operation::Read;
        QString host;
        SecretKind kind = SecretKind::Password;
        QString secret;
    };

    quint64 enqueue(Operation operation, const QString &host, SecretKind kind, const QString &secret);
    void availabilityAnswered(bool available);
    void run(const Request &request);
    void jobFinished(QKeychain::Job *job);
    void finishLater(Result result);

    QString m_service;
    Availability m_availability = Availability::Unknown;
    quint64 m_nextId = 1;
    QList<Request> m_waiting; // requests made before the availability was known
    QHash<QKeychain::Job *, Request> m_running;
};

} // namespace canyon

Q_DECLARE_METATYPE(canyon::SecretStore::Result)
