// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QList>
#include <QMutex>
#include <QString>
#include <memory>

namespace canyon {

// One line of a job journal: where one device+snap of a job stands.
struct JournalRecord
{
    enum class State {
        Submitting, // about to send the write: the change id is not known yet
        Started, // snapd accepted it: changeId is set (or pending-reboot on snappy)
        Final, // the outcome is known (status says which)
    };
    QString device;
    QString snap; // empty: every snap
    QString action; // snapActionName()
    State state = State::Submitting;
    QString changeId;
    // The highest change id the device had for this snap before the write (Submitting): a
    // restarted job looks for a newer change of the snap instead of submitting again.
    QString changeIdBefore;
    QString status; // Final: done, failed, undone, ...
    QString fromRevision;
    QString toRevision;
    QDateTime at;
    bool operator==(const JournalRecord &) const = default;
};

// The write-ahead journal of one fleet job (QUALITY.md R2): a JSON-lines file in
// Config::stateDir()/jobs/. Every record is appended with one write(2) and fdatasync'd before
// append() returns, so a record the job acted on is on disk; a crash can only tear the last
// line, which readers ignore. Thread-safe (workers append after each submission).
class Journal
{
public:
    // Creates DIR/jobs/JOBID.jsonl with a header line (the job's action and arguments).
    static std::unique_ptr<Journal> create(
        const QString &stateDir, const QString &jobId, const QString &summary, QString *error);
    ~Journal();
    Journal(const Journal &) = delete;
    Journal &operator=(const Journal &) = delete;

    QString path() const { return m_path; }
    QString jobId() const { return m_jobId; }
    bool append(const JournalRecord &r, QString *error = nullptr);
    // Marks the journal closed: every entry in it is final or was handed on to a newer job.
    bool close(QString *error = nullptr);

    // Every record of a journal file, in order (a torn last line is skipped); closed says
    // whether the close line was reached.
    static bool read(const QString &path, QList<JournalRecord> *records, bool *closed, QString *error);
    // Open work left by jobs that did not close their journal (killed, crashed): the latest
    // record per device+snap+action whose state is not Final, with the journal it came from.
    struct Pending
    {
        QString journalPath;
        JournalRecord record;
    };
    static QList<Pending> pending(const QString &stateDir);
    // Appends a close line to another (abandoned) journal once a newer job took its entries on.
    static bool closeFile(const QString &path, QString *error = nullptr);
    static QString jobsDir(const QString &stateDir);
    // Deletes closed journals beyond the newest `keep` (job ids sort by time); open ones stay.
    static void pruneClosed(const QString &stateDir, int keep = 100);

private:
    Journal() = default;
    static bool appendLine(int fd, const QByteArray &line, QString *error);

    QMutex m_mutex;
    QString m_path;
    QString m_jobId;
    int m_fd = -1;
};

} // namespace canyon
