// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "item/OperationsModel.h"
#include "lxd/LxdMigration.h"

#include <QHash>
#include <QObject>
#include <QPointer>

namespace canyon {

// Migrations between LXD hosts (issue 5) as rows of the operations dock, next to LXD operations
// and fleet jobs: every migration the migrator starts gets a row ("migration:N") with its stage,
// percent, bytes and bytes/s while it runs, Cancel until the target is verified, and its truthful
// end (which copy is authoritative, what was cleaned, what is left over) when it finishes.
class MigrationOperations : public QObject
{
    Q_OBJECT
public:
    MigrationOperations(OperationsModel *model, LxdMigrator *migrator, QObject *parent = nullptr);

    QString track(LxdMigration *migration); // done for every migrationStarted; returns the row id
    bool cancel(const QString &id); // false: not a running migration of ours
    LxdMigration *migrationOf(const QString &id) const;
    // The full result of a finished migration (stages, journal id, leftovers), for copying.
    QString report(const QString &id) const;
    static bool isMigrationId(const QString &id) { return id.startsWith(QLatin1String("migration:")); }
    static QString idOf(const LxdMigration *migration);

    static QString stageText(MigrationStage stage); // translated, short
    static QString progressText(const MigrationProgress &progress); // "copying · 12.3 MiB · 4.1 MiB/s"
    static QString summary(const MigrationResult &result); // one line: outcome, authority, leftovers
    static QString fullReport(const MigrationResult &result); // several lines

Q_SIGNALS:
    void finished(const QString &id, const canyon::MigrationResult &result);

private:
    void update(const QString &id);
    void finish(const QString &id, const MigrationResult &result);

    QPointer<OperationsModel> m_model; // the window may delete it before the migrator
    QHash<QString, QPointer<LxdMigration>> m_migrations;
    QHash<QString, bool> m_cancelAsked;
    QHash<QString, QString> m_reports;
};

} // namespace canyon
