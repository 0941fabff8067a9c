// SPDX-License-Identifier: GPL-3.0-or-later
#include "MigrationJournal.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace canyon {

MigrationJournal::~MigrationJournal()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

QString MigrationJournal::dir(const QString &stateDir)
{
    return QDir(stateDir).filePath(u"migrations"_s);
}

bool MigrationJournal::create(const QString &stateDir, const QString &instance, QString *error)
{
    const QString d = dir(stateDir);
    if (!QDir().mkpath(d)) {
        if (error)
            *error = u"cannot create the migration journal directory %1"_s.arg(d);
        return false;
    }
    QString safe = instance;
    safe.replace(QRegularExpression(u"[^A-Za-z0-9-]"_s), u"_"_s);
    const QString base
        = QDateTime::currentDateTimeUtc().toString(u"yyyyMMdd'T'HHmmsszzz"_s) + u'-' + safe.left(60);
    QString id = base;
    for (int n = 2; QFileInfo::exists(QDir(d).filePath(id + u".jsonl"_s)); ++n)
        id = base + u'-' + QString::number(n);
    m_id = id;
    m_path = QDir(d).filePath(id + u".jsonl"_s);
    m_fd = ::open(
        QFile::encodeName(m_path).constData(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
    if (m_fd < 0) {
        if (error)
            *error = u"cannot create %1: %2"_s.arg(m_path, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    // the directory entry itself must survive a crash
    const int dfd = ::open(QFile::encodeName(d).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return true;
}

bool MigrationJournal::reopen(const QString &path, QString *error)
{
    m_path = path;
    m_id = QFileInfo(path).completeBaseName();
    m_fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (m_fd < 0) {
        if (error)
            *error = u"cannot open %1: %2"_s.arg(path, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    return true;
}

bool MigrationJournal::append(const QString &step, QJsonObject record, QString *error)
{
    if (m_fd < 0) {
        if (error)
            *error = u"the migration journal is not open"_s;
        return false;
    }
    record.insert(u"step"_s, step);
    record.insert(u"at"_s, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    const QByteArray line = QJsonDocument(record).toJson(QJsonDocument::Compact) + '\n';
    qsizetype off = 0;
    while (off < line.size()) {
        const ssize_t n = ::write(m_fd, line.constData() + off, size_t(line.size() - off));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (error)
                *error = u"cannot write the migration journal %1: %2"_s.arg(
                    m_path, QString::fromLocal8Bit(std::strerror(errno)));
            return false;
        }
        off += n;
    }
    if (::fdatasync(m_fd) != 0) {
        if (error)
            *error = u"cannot sync the migration journal %1: %2"_s.arg(
                m_path, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    return true;
}

bool MigrationJournal::close(const QString &outcome, QString *error)
{
    const bool ok = append(u"closed"_s, QJsonObject { { u"outcome"_s, outcome } }, error);
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    return ok;
}

QList<QJsonObject> MigrationJournal::read(const QString &path)
{
    QList<QJsonObject> out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return out;
    const QList<QByteArray> lines = f.readAll().split('\n');
    for (const QByteArray &l : lines) {
        if (l.trimmed().isEmpty())
            continue;
        const QJsonDocument doc = QJsonDocument::fromJson(l);
        if (doc.isObject())
            out << doc.object();
    }
    return out;
}

bool MigrationJournal::isClosed(const QList<QJsonObject> &records)
{
    return !records.isEmpty() && records.last().value(u"step"_s).toString() == u"closed";
}

QStringList MigrationJournal::openJournals(const QString &stateDir)
{
    QStringList out;
    const QDir d(dir(stateDir));
    const QStringList files = d.entryList({ u"*.jsonl"_s }, QDir::Files, QDir::Name);
    for (const QString &f : files) {
        const QString p = d.filePath(f);
        const QList<QJsonObject> recs = read(p);
        if (!recs.isEmpty() && !isClosed(recs))
            out << p;
    }
    return out;
}

QString MigrationLock::key(const QString &host, const QString &instance)
{
    return host + u'/' + instance;
}

bool MigrationLock::acquire(
    const QString &stateDir, const QStringList &keys, QString *busyKey, QString *error)
{
    const QString d = QDir(MigrationJournal::dir(stateDir)).filePath(u"locks"_s);
    if (!QDir().mkpath(d)) {
        if (error)
            *error = u"cannot create the migration lock directory %1"_s.arg(d);
        return false;
    }
    QHash<QString, int> taken;
    const auto undo = [&taken] {
        for (const int fd : std::as_const(taken))
            ::close(fd); // closing the only descriptor drops its flock
    };
    for (const QString &k : keys) {
        if (m_fds.contains(k) || taken.contains(k))
            continue;
        const QByteArray hash = QCryptographicHash::hash(k.toUtf8(), QCryptographicHash::Sha256).toHex();
        const QString path = QDir(d).filePath(QString::fromLatin1(hash.left(32)) + u".lock"_s);
        const int fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0) {
            if (error)
                *error = u"cannot open %1: %2"_s.arg(path, QString::fromLocal8Bit(std::strerror(errno)));
            undo();
            return false;
        }
        int rc;
        do
            rc = ::flock(fd, LOCK_EX | LOCK_NB);
        while (rc != 0 && errno == EINTR);
        if (rc != 0) {
            const int e = errno;
            ::close(fd);
            undo();
            if (e == EWOULDBLOCK) {
                if (busyKey)
                    *busyKey = k;
            } else if (error) {
                *error = u"cannot lock %1: %2"_s.arg(path, QString::fromLocal8Bit(std::strerror(e)));
            }
            return false;
        }
        // for a human looking at the directory: which instance this file stands for
        const QByteArray text = k.toUtf8() + '\n';
        if (::ftruncate(fd, 0) == 0 && ::pwrite(fd, text.constData(), size_t(text.size()), 0) < 0) {
            // the name is only informative; the flock is what counts
        }
        taken.insert(k, fd);
    }
    m_fds.insert(taken);
    return true;
}

void MigrationLock::release()
{
    for (const int fd : std::as_const(m_fds))
        ::close(fd);
    m_fds.clear();
}

} // namespace canyon
