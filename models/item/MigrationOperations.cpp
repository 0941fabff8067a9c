// SPDX-License-Identifier: GPL-3.0-or-later
#include "MigrationOperations.h"

#include "domain/PlainText.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

constexpr qsizetype NameLimit = 128;

QString bytesText(double bytes)
{
    return QLocale().formattedDataSize(qint64(bytes), 1, QLocale::DataSizeIecFormat);
}

QString where(const QString &host, const QString &name)
{
    return visibleText(host, NameLimit) + u'/' + visibleText(name, NameLimit);
}

// Cancelling is honoured until the target was verified; afterwards the move completes.
bool cancellableIn(MigrationStage s)
{
    switch (s) {
    case MigrationStage::Queued:
    case MigrationStage::Planning:
    case MigrationStage::StoppingSource:
    case MigrationStage::Copying:
    case MigrationStage::Verifying:
        return true;
    default:
        return false;
    }
}

} // namespace

MigrationOperations::MigrationOperations(OperationsModel *model, LxdMigrator *migrator, QObject *parent)
    : QObject(parent)
    , m_model(model)
{
    connect(migrator, &LxdMigrator::migrationStarted, this, [this](LxdMigration *m) { track(m); });
}

QString MigrationOperations::idOf(const LxdMigration *migration)
{
    return u"migration:"_s + QString::number(migration->id());
}

QString MigrationOperations::stageText(MigrationStage stage)
{
    switch (stage) {
    case MigrationStage::Queued:
        return tr("queued (host busy)");
    case MigrationStage::Planning:
        return tr("checking both hosts");
    case MigrationStage::StoppingSource:
        return tr("stopping the source");
    case MigrationStage::Copying:
        return tr("copying");
    case MigrationStage::Verifying:
        return tr("verifying the target");
    case MigrationStage::StartingTarget:
        return tr("starting the target");
    case MigrationStage::DeletingSource:
        return tr("deleting the source");
    case MigrationStage::RollingBack:
        return tr("rolling back");
    case MigrationStage::Done:
        return tr("done");
    case MigrationStage::Failed:
        return tr("failed");
    }
    return {};
}

QString MigrationOperations::progressText(const MigrationProgress &p)
{
    QStringList parts { stageText(p.stage) };
    if (p.bytes >= 0)
        parts << bytesText(double(p.bytes));
    if (p.bytesPerSecond >= 0)
        parts << tr("%1/s").arg(bytesText(p.bytesPerSecond));
    if (!p.text.isEmpty())
        parts << visibleText(p.text, NameLimit);
    return parts.join(u" · "_s);
}

QString MigrationOperations::summary(const MigrationResult &r)
{
    const MigrationRequest &q = r.request;
    const QString target = where(q.targetHost, q.effectiveTargetName());
    const QString source = where(q.sourceHost, q.instance);
    QStringList parts;
    if (r.ok) {
        QString moved = tr("moved to %1 in %2 s (%3)")
                            .arg(target, QLocale().toString(double(r.wallMs) / 1000.0, 'f', 1),
                                migrationModeName(r.mode));
        if (r.bytes >= 0)
            moved += u", "_s + bytesText(double(r.bytes));
        parts << moved << tr("%1 is authoritative").arg(target);
    } else {
        parts << visibleText(r.error, 300);
        switch (r.authoritative) {
        case MigrationAuthority::Source:
            parts << tr("the source %1 is authoritative").arg(source);
            break;
        case MigrationAuthority::Target:
            parts << tr("the verified target %1 is authoritative").arg(target);
            break;
        case MigrationAuthority::Unknown:
            parts << tr("authoritative copy unknown (a host did not answer): nothing was deleted");
            break;
        }
    }
    if (r.recovered)
        parts << tr("finished from an interrupted console's journal");
    if (!r.cleaned.isEmpty())
        parts << tr("removed: %1").arg(visibleText(r.cleaned.join(u"; "_s), 300));
    if (!r.leftovers.isEmpty())
        parts << tr("LOOK AT: %1").arg(visibleText(r.leftovers.join(u"; "_s), 300));
    return parts.join(u"; "_s);
}

QString MigrationOperations::fullReport(const MigrationResult &r)
{
    const MigrationRequest &q = r.request;
    QStringList lines;
    lines << tr("Migration %1 → %2")
                 .arg(where(q.sourceHost, q.instance), where(q.targetHost, q.effectiveTargetName()));
    lines << tr("Result: %1").arg(r.ok ? tr("moved") : tr("not moved"));
    lines << tr("Authoritative copy: %1").arg(migrationAuthorityName(r.authoritative));
    lines << tr("Source exists: %1, target exists: %2, target verified: %3")
                 .arg(r.sourceExists ? tr("yes") : tr("no"), r.targetExists ? tr("yes") : tr("no"),
                     r.targetVerified ? tr("yes") : tr("no"));
    if (!r.error.isEmpty())
        lines << tr("Error: %1").arg(visibleText(r.error, 1000));
    lines << tr("Transfer: %1 (tried: %2)").arg(migrationModeName(r.mode), r.modesTried.join(u", "_s));
    if (r.bytes >= 0)
        lines << tr("Bytes: %1").arg(bytesText(double(r.bytes)));
    lines << tr("Wall time: %1 ms").arg(r.wallMs);
    for (const QString &c : r.cleaned)
        lines << tr("Removed: %1").arg(visibleText(c, 1000));
    for (const QString &l : r.leftovers)
        lines << tr("Left over: %1").arg(visibleText(l, 1000));
    for (const MigrationStageResult &s : r.stages) {
        QString line
            = u"  %1 %2 %3 ms"_s.arg(migrationStageName(s.stage), s.ok ? u"ok"_s : u"FAILED"_s).arg(s.ms);
        if (!s.detail.isEmpty())
            line += u" ("_s + visibleText(s.detail, 300) + u')';
        if (!s.error.isEmpty())
            line += u": "_s + visibleText(s.error, 300);
        lines << line;
    }
    if (!r.id.isEmpty())
        lines << tr("Journal: %1").arg(r.id);
    return lines.join(u'\n');
}

QString MigrationOperations::track(LxdMigration *migration)
{
    const QString id = idOf(migration);
    if (m_migrations.contains(id) || !m_model)
        return id;
    m_migrations.insert(id, migration);
    const MigrationRequest &q = migration->request();
    OperationsModel::Row row;
    row.id = id;
    row.source = q.sourceHost + u" → "_s + q.targetHost;
    row.title = q.targetName.isEmpty() || q.targetName == q.instance
        ? tr("Move %1 to %2").arg(q.instance, q.targetHost)
        : tr("Move %1 to %2 as %3").arg(q.instance, q.targetHost, q.targetName);
    row.status = stageText(migration->stage());
    row.cancellable = true;
    m_model->upsert(row);
    connect(migration, &LxdMigration::stageChanged, this, [this, id] { update(id); });
    connect(migration, &LxdMigration::progressChanged, this, [this, id] { update(id); });
    connect(migration, &LxdMigration::finished, this,
        [this, id](const MigrationResult &result) { finish(id, result); });
    connect(migration, &QObject::destroyed, this, [this, id] {
        m_migrations.remove(id);
        if (!m_model)
            return;
        const std::optional<OperationsModel::Row> r = m_model->row(id);
        if (r && r->state == OperationsModel::State::Running)
            m_model->finish(id, OperationsModel::State::Failed,
                tr("the migration was closed before it finished; its journal is recovered on the next "
                   "migration of this instance"));
    });
    if (migration->isFinished())
        finish(id, migration->result());
    return id;
}

LxdMigration *MigrationOperations::migrationOf(const QString &id) const
{
    return m_migrations.value(id);
}

bool MigrationOperations::cancel(const QString &id)
{
    LxdMigration *m = m_migrations.value(id);
    if (!m || m->isFinished() || !cancellableIn(m->stage()))
        return false;
    m_cancelAsked.insert(id, true);
    m->cancel();
    update(id);
    return true;
}

QString MigrationOperations::report(const QString &id) const
{
    return m_reports.value(id);
}

void MigrationOperations::update(const QString &id)
{
    LxdMigration *m = m_migrations.value(id);
    if (!m_model)
        return;
    const std::optional<OperationsModel::Row> old = m_model->row(id);
    if (!m || !old || old->state != OperationsModel::State::Running || m->isFinished())
        return;
    OperationsModel::Row row = *old;
    const MigrationProgress p = m->progress();
    row.progress = p.percent;
    row.status = progressText(p);
    if (m_cancelAsked.value(id))
        row.status = tr("cancelling: %1").arg(row.status);
    row.cancellable = !m_cancelAsked.value(id) && cancellableIn(m->stage());
    row.updated = {};
    m_model->upsert(row);
}

void MigrationOperations::finish(const QString &id, const MigrationResult &result)
{
    if (!m_model)
        return;
    const std::optional<OperationsModel::Row> old = m_model->row(id);
    if (!old || old->state != OperationsModel::State::Running)
        return;
    OperationsModel::State state = OperationsModel::State::Succeeded;
    if (!result.ok)
        state = m_cancelAsked.value(id) && result.authoritative == MigrationAuthority::Source
            ? OperationsModel::State::Cancelled
            : OperationsModel::State::Failed;
    m_reports.insert(id, fullReport(result));
    m_cancelAsked.remove(id);
    m_model->finish(id, state, summary(result));
    Q_EMIT finished(id, result);
}

} // namespace canyon

#include "moc_MigrationOperations.cpp"
