// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace canyon {

// The write-ahead journal of one LXD migration (issue 5, QUALITY.md R4): a JSON-lines file in
// STATEDIR/migrations/ID.jsonl. Each step is appended with one write(2) and fdatasync'd before
// append() returns, i.e. before the step is taken. A crash can only tear the last line, which
// read() skips. The last line {"step":"closed"} marks a journal whose migration ended truthfully.
class MigrationJournal
{
public:
    MigrationJournal() = default;
    ~MigrationJournal();
    MigrationJournal(const MigrationJournal &) = delete;
    MigrationJournal &operator=(const MigrationJournal &) = delete;

    static QString dir(const QString &stateDir); // STATEDIR/migrations
    // Creates a new journal (id from time + instance) or reopens an existing one for appending.
    bool create(const QString &stateDir, const QString &instance, QString *error);
    bool reopen(const QString &path, QString *error);
    bool isOpen() const { return m_fd >= 0; }
    QString id() const { return m_id; }
    QString path() const { return m_path; }
    // Adds "step" and "at" (UTC ISO) to record; written and synced before it returns.
    bool append(const QString &step, QJsonObject record, QString *error = nullptr);
    bool close(const QString &outcome, QString *error = nullptr); // appends the closed line

    static QList<QJsonObject> read(const QString &path); // torn last line skipped
    static bool isClosed(const QList<QJsonObject> &records);
    static QStringList openJournals(const QString &stateDir); // paths, oldest first

private:
    int m_fd = -1;
    QString m_id;
    QString m_path;
};

// Exclusive claim on instances ("HOST/INSTANCE") while a migration touches them, shared by every
// console process of the same state dir: flock(2) on STATEDIR/migrations/locks/HASH.lock. The
// kernel drops the claim when the holder dies (a killed console never leaves a stale lock), so a
// journal whose instances nobody holds belongs to a dead console and may be recovered.
class MigrationLock
{
public:
    MigrationLock() = default;
    ~MigrationLock() { release(); }
    MigrationLock(const MigrationLock &) = delete;
    MigrationLock &operator=(const MigrationLock &) = delete;

    static QString key(const QString &host, const QString &instance); // "HOST/INSTANCE"
    // Claims every key (in addition to those held already), or none: false with *busyKey set
    // when another holder (another migration, in this process or another) has one of them.
    bool acquire(
        const QString &stateDir, const QStringList &keys, QString *busyKey, QString *error = nullptr);
    bool holds(const QString &key) const { return m_fds.contains(key); }
    void release();

private:
    QHash<QString, int> m_fds; // key -> fd holding the flock
};

} // namespace canyon
