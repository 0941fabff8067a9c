// SPDX-License-Identifier: GPL-3.0-or-later
// canyonctl migrate HOST/INSTANCE TARGET[/NEWNAME] [--member MEMBER] [--mode pull|push|relay]
//                   [--stateless] [--instance-only] [--json] [--timeout SECONDS]   (CLI.md, issue 5)
// TARGET == HOST with --member: a member move inside the cluster (one copy, LXD moves it);
// another TARGET with --member: the copy is placed on that member of the target cluster.
#include "LxdClient.h"
#include "LxdClientCertificate.h"
#include "LxdMigration.h"
#include "domain/PlainText.h"
#include "fleet/CtlArgs.h"
#include "fleet/CtlCommands.h"
#include "fleet/FleetService.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

QJsonObject resultJson(const MigrationResult &r, const MigrationPlan &plan)
{
    QJsonArray stages;
    for (const MigrationStageResult &s : r.stages)
        stages.append(QJsonObject { { u"stage"_s, migrationStageName(s.stage) }, { u"ok"_s, s.ok },
            { u"error"_s, s.error.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s.error) },
            { u"ms"_s, double(s.ms) }, { u"detail"_s, s.detail } });
    QJsonArray problems;
    for (const MigrationProblem &p : plan.problems)
        problems.append(QJsonObject { { u"kind"_s, migrationProblemKindName(p.kind) },
            { u"subject"_s, p.subject }, { u"message"_s, p.message } });
    return QJsonObject {
        { u"id"_s, r.id.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(r.id) },
        { u"source"_s, QString(r.request.sourceHost + u'/' + r.request.instance) },
        { u"target"_s, QString(r.request.targetHost + u'/' + r.request.effectiveTargetName()) },
        { u"target_member"_s,
            r.request.targetMember.isEmpty() ? QJsonValue(QJsonValue::Null)
                                             : QJsonValue(r.request.targetMember) },
        { u"source_member"_s,
            plan.sourceMember.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(plan.sourceMember) },
        { u"member_move"_s, r.request.isMemberMove() },
        { u"mode"_s, migrationModeName(r.mode) },
        { u"modes_tried"_s, QJsonArray::fromStringList(r.modesTried) },
        { u"ok"_s, r.ok },
        { u"status"_s, r.ok ? u"done"_s : lxdResultKindName(r.kind) },
        { u"error"_s, r.ok || r.error.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(r.error) },
        { u"authoritative"_s, migrationAuthorityName(r.authoritative) },
        { u"source_exists"_s, r.sourceExists },
        { u"target_exists"_s, r.targetExists },
        { u"target_verified"_s, r.targetVerified },
        { u"recovered"_s, r.recovered },
        { u"leftovers"_s, QJsonArray::fromStringList(r.leftovers) },
        { u"cleaned"_s, QJsonArray::fromStringList(r.cleaned) },
        { u"bytes"_s, r.bytes >= 0 ? QJsonValue(double(r.bytes)) : QJsonValue(QJsonValue::Null) },
        { u"wall_ms"_s, double(r.wallMs) },
        { u"cancel_refused"_s, r.cancelRefused },
        { u"relay_peak_buffered_bytes"_s,
            r.relayPeakBufferedBytes >= 0 ? QJsonValue(double(r.relayPeakBufferedBytes))
                                          : QJsonValue(QJsonValue::Null) },
        { u"stages"_s, stages },
        { u"plan"_s,
            QJsonObject { { u"mode_reason"_s, plan.modeReason }, { u"live_possible"_s, plan.livePossible },
                { u"live_reason"_s, plan.liveReason }, { u"source_running"_s, plan.sourceRunning },
                { u"snapshots"_s, plan.snapshotCount }, { u"problems"_s, problems } } },
    };
}

bool splitHostInstance(const QString &text, QString *host, QString *name)
{
    const qsizetype slash = text.indexOf(u'/');
    if (slash < 0) {
        *host = text;
        name->clear();
        return !text.isEmpty();
    }
    *host = text.left(slash);
    *name = text.mid(slash + 1);
    return !host->isEmpty() && !name->isEmpty() && !name->contains(u'/');
}

} // namespace

void CtlCommands::migrate(QStringList args)
{
    const Parsed p = parseArgs(args, { u"--mode"_s, u"--timeout"_s, u"--member"_s },
        { u"--stateless"_s, u"--instance-only"_s, u"--json"_s, u"--live"_s });
    if (!p.error.isEmpty())
        return finish(2, u"migrate: "_s + p.error);
    m_json = p.flags.contains(u"--json"_s);
    if (p.positional.size() != 2)
        return finish(2, u"migrate: expected HOST/INSTANCE TARGET[/NEWNAME]"_s);
    MigrationRequest req;
    QString newName;
    if (!splitHostInstance(p.positional.at(0), &req.sourceHost, &req.instance) || req.instance.isEmpty())
        return finish(2, u"migrate: the source must be HOST/INSTANCE, got %1"_s.arg(p.positional.at(0)));
    if (!splitHostInstance(p.positional.at(1), &req.targetHost, &newName))
        return finish(
            2, u"migrate: the target must be HOST or HOST/NEWNAME, got %1"_s.arg(p.positional.at(1)));
    req.targetName = newName;
    if (p.values.contains(u"--member"_s)) {
        req.targetMember = p.values.value(u"--member"_s);
        if (req.targetMember.isEmpty() || req.targetMember.contains(u'/'))
            return finish(2, u"migrate: --member needs a cluster member's name"_s);
    }
    if (p.values.contains(u"--mode"_s)) {
        if (!parseMigrationMode(p.values.value(u"--mode"_s), &req.mode))
            return finish(2, u"migrate: --mode is pull, push or relay"_s);
    }
    req.stateless = true; // --stateless is the default and only transfer for running containers
    req.live = p.flags.contains(u"--live"_s);
    if (req.live && p.flags.contains(u"--stateless"_s))
        return finish(2, u"migrate: --live and --stateless exclude each other"_s);
    req.instanceOnly = p.flags.contains(u"--instance-only"_s);
    int timeoutMs = 30 * 60 * 1000;
    if (!timeoutOption(p, &timeoutMs))
        return finish(2, u"--timeout needs a positive number of seconds"_s);
    for (const QString &h : { req.sourceHost, req.targetHost }) {
        const auto host = m_fleet->host(h);
        if (!host)
            return finish(2, u"no host named %1"_s.arg(h));
        if (host->kind != HostKind::Lxd)
            return finish(2, u"%1 is not an LXD host"_s.arg(h));
    }
    if (req.sourceHost == req.targetHost && req.targetMember.isEmpty())
        return finish(2,
            u"migrate: source and target are the same host (to move it to another member of its cluster: "
            "--member MEMBER)"_s);
    if (req.isMemberMove() && p.values.contains(u"--mode"_s))
        return finish(
            2, u"migrate: a member move has no --mode (LXD moves the instance inside its cluster)"_s);
    LxdClientCertificate identity;
    QString error;
    if (!LxdClientCertificate::ensure(m_fleet->config().configDir(), &identity, &error))
        return finish(2, error);
    if (!m_fleet->config().ensureDirs(&error))
        return finish(2, error);

    auto clients = std::make_shared<QHash<QString, LxdClient *>>();
    FleetService *fleet = m_fleet.get();
    LxdClientProvider provider
        = [this, clients, fleet, identity](const QString &name, QString *err) -> LxdClient * {
        if (LxdClient *c = clients->value(name))
            return c;
        const auto h = fleet->host(name);
        if (!h || h->kind != HostKind::Lxd) {
            if (err)
                *err = u"no LXD host named %1"_s.arg(name);
            return nullptr;
        }
        auto *c = new LxdClient(QUrl(h->lxdUrl), h->lxdCertificateSha256, identity, this);
        clients->insert(name, c);
        return c;
    };
    auto *migrator = new LxdMigrator(provider, m_fleet->config().stateDir(), this);
    migrator->setOperationTimeoutMs(timeoutMs);
    LxdMigration *m = migrator->start(req);
    if (!m_json) {
        connect(m, &LxdMigration::stageChanged, this, [this](MigrationStage s) {
            if (s != MigrationStage::Done && s != MigrationStage::Failed)
                m_out << "  " << migrationStageName(s) << Qt::endl;
        });
    }
    connect(m, &LxdMigration::finished, this, [this, m](const MigrationResult &r) {
        const MigrationPlan plan = m->plan();
        if (m_json) {
            m_out << QJsonDocument(resultJson(r, plan)).toJson(QJsonDocument::Indented);
        } else {
            m_out << (r.ok ? "migrated " : "NOT migrated ") << visibleText(r.request.sourceHost) << '/'
                  << visibleText(r.request.instance) << " -> " << visibleText(r.request.targetHost) << '/'
                  << visibleText(r.request.effectiveTargetName());
            if (!r.request.targetMember.isEmpty())
                m_out << " on member " << visibleText(r.request.targetMember);
            m_out << " (" << migrationModeName(r.mode) << ", "
                  << QLocale::c().toString(r.wallMs / 1000.0, 'f', 2) << " s)" << Qt::endl;
            if (r.request.isMemberMove())
                m_out << "  member move: one server, one copy (LXD moved it from member "
                      << visibleText(plan.sourceMember.isEmpty() ? u"?"_s : plan.sourceMember)
                      << "; Canyon copied and deleted nothing)" << Qt::endl;
            if (r.recovered)
                m_out << "  recovered the unfinished migration " << r.id << Qt::endl;
            m_out << "  authoritative copy: " << migrationAuthorityName(r.authoritative) << " (source "
                  << (r.sourceExists ? "exists" : "deleted") << ", target "
                  << (r.targetExists ? (r.targetVerified ? "verified" : "exists, not verified") : "absent")
                  << ')' << Qt::endl;
            for (const QString &c : r.cleaned)
                m_out << "  cleaned: " << visibleText(c, 500) << Qt::endl;
            for (const QString &l : r.leftovers)
                m_out << "  LEFTOVER: " << visibleText(l, 500) << Qt::endl;
            for (const MigrationProblem &pr : plan.problems)
                m_out << "  problem (" << migrationProblemKindName(pr.kind)
                      << "): " << visibleText(pr.message, 500) << Qt::endl;
        }
        if (r.ok)
            return finish(0);
        finish(1, r.error.isEmpty() ? u"the migration failed"_s : r.error);
    });
}

} // namespace canyon
