// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QStringList>
#include <memory>

class QTextStream;

namespace canyon {

class FleetService;
struct ChangeInfo;
struct JobSpec;
struct Parsed;

// The `canyonctl` commands (CLI.md is the contract). They live in the library rather than in
// app/ so that tests drive the exact code path scripts use, in-process.
// Exit codes: 0 all targeted hosts succeeded, 1 at least one failed, 2 usage / nothing attempted.
class CtlCommands : public QObject
{
    Q_OBJECT
public:
    CtlCommands(QStringList args, QTextStream &out, QTextStream &err, QObject *parent = nullptr);
    ~CtlCommands() override;

    void start(); // parses and runs; emits finished(exitCode) exactly once
    static QString usage();

Q_SIGNALS:
    void finished(int exitCode);

private:
    void finish(int code, const QString &errorLine = {});
    // UTF-8 text (JSON) as it is: through the QTextStream it would be decoded and encoded again.
    void writeBytes(const QByteArray &utf8);
    void hostsAdd(QStringList args);
    void hostsList(QStringList args);
    void hostsRemove(QStringList args);
    void inventory(QStringList args);
    // LXD hosts (issue 3): models/lxd/CtlLxdCommands.cpp
    void hostsAddLxd(QStringList args);
    void hostsAddLxdSsh(QStringList args); // LXD's unix socket over SSH
    void instances(QStringList args);
    void metrics(QStringList args); // GET /1.0/metrics of one LXD host
    // Migration between LXD hosts (issue 5): models/lxd/CtlMigrateCommand.cpp
    void migrate(QStringList args);
    // Fleet update and rollback (issue 4): models/fleet/CtlJobCommands.cpp
    void refreshSnaps(QStringList args);
    void revertSnap(QStringList args);
    void changes(QStringList args);
    void snapJob(const QString &verb, QStringList args); // hold, unhold, install, remove
    void runJob(JobSpec spec, const Parsed &p);
    void printChanges(bool ok, const QList<ChangeInfo> &changes, const QString &error);

    QStringList m_args;
    QTextStream &m_out;
    QTextStream &m_err;
    std::unique_ptr<FleetService> m_fleet;
    bool m_json = false;
    bool m_done = false;
    QString m_userKnownHosts; // --known-hosts (LXD hosts over SSH: hosts list's trust column)
};

} // namespace canyon
