// SPDX-License-Identifier: GPL-3.0-or-later
#include "Journal.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

QString stateName(JournalRecord::State s)
{
    switch (s) {
    case JournalRecord::State::Submitting:
        return u"submitting"_s;
    case JournalRecord::State::Started:
        return u"started"_s;
    case JournalRecord::State::Final:
        return u"final"_s;
    }
    return {};
}

QJsonObject toJson(const JournalRecord &r)
{
    return QJsonObject { { u"t"_s, u"rec"_s }, { u"device"_s, r.device }, { u"snap"_s, r.snap },
        { u"action"_s, r.action }, { u"state"_s, stateName(r.state) }, { u"change"_s, r.changeId },
        { u"changeBefore"_s, r.changeIdBefore }, { u"status"_s, r.status }, { u"from"_s, r.fromRevision },
        { u"to"_s, r.toRevision }, { u"at"_s, r.at.toUTC().toString(Qt::ISODateWithMs) } };
}

QString errnoText()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

void syncDir(const QString &dir)
{
    // The new file's directory entry must be durable too, or a crash can lose the whole file.
    const int fd = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

} // namespace

QString Journal::jobsDir(const QString &stateDir)
{
    return QDir(stateDir).filePath(u"jobs"_s);
}

std::unique_ptr<Journal> Journal::create(
    const QString &stateDir, const QString &jobId, const QString &summary, QString *error)
{
    const QString dir = jobsDir(stateDir);
    if (!QDir().mkpath(dir)) {
        *error = u"cannot create %1"_s.arg(dir);
        return {};
    }
    std::unique_ptr<Journal> j(new Journal);
    j->m_jobId = jobId;
    j->m_path = QDir(dir).filePath(jobId + u".jsonl"_s);
    j->m_fd = ::open(
        QFile::encodeName(j->m_path).constData(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
    if (j->m_fd < 0) {
        *error = u"cannot create journal %1: %2"_s.arg(j->m_path, errnoText());
        return {};
    }
    syncDir(dir);
    const QJsonObject head { { u"t"_s, u"job"_s }, { u"id"_s, jobId }, { u"summary"_s, summary },
        { u"at"_s, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) } };
    if (!appendLine(j->m_fd, QJsonDocument(head).toJson(QJsonDocument::Compact), error))
        return {};
    return j;
}

Journal::~Journal()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

bool Journal::appendLine(int fd, const QByteArray &json, QString *error)
{
    const QByteArray line = json + '\n';
    // One write per record: with O_APPEND the line lands whole or (on a crash) torn at the end.
    qsizetype off = 0;
    while (off < line.size()) {
        const ssize_t n = ::write(fd, line.constData() + off, size_t(line.size() - off));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (error)
                *error = u"journal write failed: "_s + errnoText();
            return false;
        }
        off += n;
    }
    if (::fdatasync(fd) != 0) {
        if (error)
            *error = u"journal sync failed: "_s + errnoText();
        return false;
    }
    return true;
}

bool Journal::append(const JournalRecord &r, QString *error)
{
    QMutexLocker lock(&m_mutex);
    JournalRecord rec = r;
    if (!rec.at.isValid())
        rec.at = QDateTime::currentDateTimeUtc();
    return appendLine(m_fd, QJsonDocument(toJson(rec)).toJson(QJsonDocument::Compact), error);
}

bool Journal::close(QString *error)
{
    QMutexLocker lock(&m_mutex);
    return appendLine(m_fd, R"({"t":"close"})", error);
}

bool Journal::closeFile(const QString &path, QString *error)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0) {
        if (error)
            *error = u"cannot open %1: %2"_s.arg(path, errnoText());
        return false;
    }
    // A torn last line must not swallow the close marker: start it on a line of its own.
    const bool ok = appendLine(fd, "\n{\"t\":\"close\"}", error);
    ::close(fd);
    return ok;
}

bool Journal::read(const QString &path, QList<JournalRecord> *records, bool *closed, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = f.errorString();
        return false;
    }
    records->clear();
    *closed = false;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine();
        if (!line.endsWith('\n'))
            break; // torn by a crash mid-append: never acted on
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        const QString t = o.value(u"t"_s).toString();
        if (t == u"close") {
            *closed = true;
            continue;
        }
        if (t != u"rec")
            continue;
        JournalRecord r;
        r.device = o.value(u"device"_s).toString();
        r.snap = o.value(u"snap"_s).toString();
        r.action = o.value(u"action"_s).toString();
        const QString s = o.value(u"state"_s).toString();
        r.state = s == u"final" ? JournalRecord::State::Final
            : s == u"started"   ? JournalRecord::State::Started
                                : JournalRecord::State::Submitting;
        r.changeId = o.value(u"change"_s).toString();
        r.changeIdBefore = o.value(u"changeBefore"_s).toString();
        r.status = o.value(u"status"_s).toString();
        r.fromRevision = o.value(u"from"_s).toString();
        r.toRevision = o.value(u"to"_s).toString();
        r.at = QDateTime::fromString(o.value(u"at"_s).toString(), Qt::ISODateWithMs);
        records->append(r);
    }
    return true;
}

void Journal::pruneClosed(const QString &stateDir, int keep)
{
    const QDir dir(jobsDir(stateDir));
    const QStringList files = dir.entryList({ u"*.jsonl"_s }, QDir::Files, QDir::Name | QDir::Reversed);
    for (qsizetype i = keep; i < files.size(); ++i) {
        QList<JournalRecord> recs;
        bool closed = false;
        QString error;
        if (read(dir.filePath(files.at(i)), &recs, &closed, &error) && closed)
            QFile::remove(dir.filePath(files.at(i)));
    }
}

QList<Journal::Pending> Journal::pending(const QString &stateDir)
{
    QList<Pending> out;
    const QDir dir(jobsDir(stateDir));
    const QStringList files = dir.entryList({ u"*.jsonl"_s }, QDir::Files, QDir::Name);
    for (const QString &name : files) {
        QList<JournalRecord> recs;
        bool closed = false;
        QString error;
        if (!read(dir.filePath(name), &recs, &closed, &error) || closed)
            continue;
        QHash<QString, JournalRecord> latest;
        QStringList order;
        for (const JournalRecord &r : std::as_const(recs)) {
            const QString key = r.device + u'\x1f' + r.snap + u'\x1f' + r.action;
            if (!latest.contains(key))
                order << key;
            JournalRecord merged = r;
            // A later record may not repeat what an earlier one learned.
            const JournalRecord prev = latest.value(key);
            if (merged.changeId.isEmpty())
                merged.changeId = prev.changeId;
            if (merged.changeIdBefore.isEmpty())
                merged.changeIdBefore = prev.changeIdBefore;
            if (merged.fromRevision.isEmpty())
                merged.fromRevision = prev.fromRevision;
            latest.insert(key, merged);
        }
        for (const QString &k : std::as_const(order))
            if (latest.value(k).state != JournalRecord::State::Final)
                out.append({ dir.filePath(name), latest.value(k) });
    }
    return out;
}

} // namespace canyon
