// SPDX-License-Identifier: GPL-3.0-or-later
#include "LxdMigration.h"

#include "LxdJson.h"
#include "MigrationJournal.h"
#include "domain/PlainText.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QSslError>
#include <QSslSocket>
#include <QTimer>
#include <cmath>
#include <cstring>
#include <optional>

using namespace Qt::StringLiterals;

namespace canyon {

QString migrationModeName(MigrationMode mode)
{
    switch (mode) {
    case MigrationMode::Auto:
        return u"auto"_s;
    case MigrationMode::Pull:
        return u"pull"_s;
    case MigrationMode::Push:
        return u"push"_s;
    case MigrationMode::Relay:
        return u"relay"_s;
    case MigrationMode::Member:
        return u"member"_s;
    }
    return u"auto"_s;
}

bool parseMigrationMode(const QString &text, MigrationMode *mode)
{
    for (MigrationMode m :
        { MigrationMode::Auto, MigrationMode::Pull, MigrationMode::Push, MigrationMode::Relay })
        if (text == migrationModeName(m)) {
            *mode = m;
            return true;
        }
    return false;
}

QString migrationProblemKindName(MigrationProblem::Kind kind)
{
    using K = MigrationProblem::Kind;
    switch (kind) {
    case K::NameClash:
        return u"name-clash"_s;
    case K::MissingStoragePool:
        return u"missing-storage-pool"_s;
    case K::MissingProfile:
        return u"missing-profile"_s;
    case K::MissingNetwork:
        return u"missing-network"_s;
    case K::SourceMissing:
        return u"source-missing"_s;
    case K::HostUnknown:
        return u"host-unknown"_s;
    case K::Unreachable:
        return u"unreachable"_s;
    case K::SameHost:
        return u"same-host"_s;
    case K::LiveNotPossible:
        return u"live-not-possible"_s;
    case K::Busy:
        return u"busy"_s;
    case K::MissingMember:
        return u"missing-member"_s;
    case K::AlreadyOnMember:
        return u"already-on-member"_s;
    case K::Other:
        break;
    }
    return u"other"_s;
}

QString migrationStageName(MigrationStage stage)
{
    switch (stage) {
    case MigrationStage::Queued:
        return u"queued"_s;
    case MigrationStage::Planning:
        return u"planning"_s;
    case MigrationStage::StoppingSource:
        return u"stopping-source"_s;
    case MigrationStage::Copying:
        return u"copying"_s;
    case MigrationStage::Verifying:
        return u"verifying"_s;
    case MigrationStage::StartingTarget:
        return u"starting-target"_s;
    case MigrationStage::DeletingSource:
        return u"deleting-source"_s;
    case MigrationStage::RollingBack:
        return u"rolling-back"_s;
    case MigrationStage::Done:
        return u"done"_s;
    case MigrationStage::Failed:
        return u"failed"_s;
    }
    return {};
}

QString migrationAuthorityName(MigrationAuthority a)
{
    switch (a) {
    case MigrationAuthority::Source:
        return u"source"_s;
    case MigrationAuthority::Target:
        return u"target"_s;
    case MigrationAuthority::Unknown:
        break;
    }
    return u"unknown"_s;
}

namespace {

QString enc(const QString &name)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(name));
}

QString instPath(const QString &name)
{
    return u"/1.0/instances/"_s + enc(name);
}

QJsonObject meta(const QJsonObject &env)
{
    return env.value(u"metadata"_s).toObject();
}

// The operation an answer started (its metadata). An answer that is not async or names no
// operation turns r into a failure saying notAsync.
QJsonObject asyncOperation(LxdResult &r, const QJsonObject &env, const QString &notAsync)
{
    const QJsonObject op = meta(env);
    if (r.ok() && (env.value(u"type"_s).toString() != u"async" || op.value(u"id"_s).toString().isEmpty())) {
        r.kind = LxdResultKind::Failed;
        r.error = notAsync;
    }
    return op;
}

// Names from a recursion=0 list of URLs ("/1.0/profiles/default" -> "default").
QStringList namesOf(const QJsonObject &env)
{
    QStringList out;
    for (const QJsonValue &v : env.value(u"metadata"_s).toArray()) {
        QString s = v.toString();
        const qsizetype q = s.indexOf(u'?');
        if (q >= 0)
            s = s.left(q);
        out << QUrl::fromPercentEncoding(s.mid(s.lastIndexOf(u'/') + 1).toUtf8());
    }
    return out;
}

QJsonObject nonVolatile(const QJsonObject &config)
{
    QJsonObject out;
    for (auto it = config.begin(); it != config.end(); ++it)
        if (!it.key().startsWith(u"volatile."))
            out.insert(it.key(), it.value());
    return out;
}

QStringList stringList(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &x : v.toArray())
        out << x.toString();
    return out;
}

// "m1: 12.34MB (5.67MB/s)" -> bytes and bytes/s (LXD prints decimal units)
double unitBytes(const QString &num, const QString &unit)
{
    static const QString prefixes = u"BKMGTPE"_s;
    const qsizetype p = unit.isEmpty() ? 0 : prefixes.indexOf(unit.at(0).toUpper());
    const bool binary = unit.contains(u'i');
    return num.toDouble() * std::pow(binary ? 1024.0 : 1000.0, double(std::max<qsizetype>(p, 0)));
}

void parseProgressText(const QString &text, qint64 *bytes, double *rate)
{
    static const QRegularExpression re(u"([0-9]+(?:\\.[0-9]+)?)\\s*([KMGTPE]?i?B)(?!/s)\\b"_s);
    static const QRegularExpression rr(u"\\(([0-9]+(?:\\.[0-9]+)?)\\s*([KMGTPE]?i?B)/s\\)"_s);
    const auto m = re.match(text);
    if (m.hasMatch())
        *bytes = qint64(unitBytes(m.captured(1), m.captured(2)));
    const auto r = rr.match(text);
    if (r.hasMatch())
        *rate = unitBytes(r.captured(1), r.captured(2));
}

MigrationRequest requestFromJson(const QJsonObject &o)
{
    MigrationRequest r;
    r.sourceHost = o.value(u"source_host"_s).toString();
    r.instance = o.value(u"instance"_s).toString();
    r.targetHost = o.value(u"target_host"_s).toString();
    r.targetName = o.value(u"target_name"_s).toString();
    parseMigrationMode(o.value(u"mode"_s).toString(), &r.mode);
    r.stateless = o.value(u"stateless"_s).toBool(true);
    r.instanceOnly = o.value(u"instance_only"_s).toBool();
    r.targetMember = o.value(u"target_member"_s).toString();
    return r;
}

QJsonObject requestToJson(const MigrationRequest &r)
{
    QJsonObject o { { u"source_host"_s, r.sourceHost }, { u"instance"_s, r.instance },
        { u"target_host"_s, r.targetHost }, { u"target_name"_s, r.effectiveTargetName() },
        { u"mode"_s, migrationModeName(r.mode) }, { u"stateless"_s, r.stateless },
        { u"instance_only"_s, r.instanceOnly } };
    if (!r.targetMember.isEmpty())
        o.insert(u"target_member"_s, r.targetMember);
    return o;
}

// An instance's "location": the cluster member it is on ("" on a standalone server: "none").
QString locationOf(const QJsonObject &instance)
{
    const QString l = instance.value(u"location"_s).toString();
    return l == u"none" ? QString() : l;
}

// The members of a host's cluster: GET /1.0/cluster, then (where enabled) the members.
// done(result, clustered, members); a standalone server answers ok with clustered = false.
void fetchMembers(
    LxdClient *c, std::function<void(const LxdResult &, bool, const QList<LxdClusterMember> &)> done)
{
    c->request("GET", u"/1.0/cluster"_s, {}, [c, done](const LxdResult &r, const QJsonObject &env) {
        if (!r.ok())
            return done(r, false, {});
        if (!meta(env).value(u"enabled"_s).toBool())
            return done(r, false, {});
        c->request(
            "GET", u"/1.0/cluster/members?recursion=1"_s, {}, [done](LxdResult mr, const QJsonObject &menv) {
                QList<LxdClusterMember> members;
                QString err;
                if (mr.ok() && !clusterMembersFromJson(menv.value(u"metadata"_s), &members, &err)) {
                    mr.kind = LxdResultKind::Failed;
                    mr.error = err;
                }
                done(mr, true, members);
            });
    });
}

// The problem with a target member (or none): not a cluster, not a member, not online.
std::optional<MigrationProblem> memberProblem(
    const QString &host, const QString &member, bool clustered, const QList<LxdClusterMember> &members)
{
    using K = MigrationProblem::Kind;
    if (!clustered)
        return MigrationProblem { K::MissingMember, member,
            u"%1 is not a cluster: it has no member %2"_s.arg(
                visibleText(host, 100), visibleText(member, 100)) };
    QStringList names;
    for (const LxdClusterMember &m : members) {
        names << m.serverName;
        if (m.serverName != member)
            continue;
        if (!m.isOnline())
            return MigrationProblem { K::Unreachable, member,
                u"member %1 of %2 is %3: %4"_s.arg(visibleText(member, 100), visibleText(host, 100),
                    visibleText(m.status, 40), visibleText(m.message, 200)) };
        return std::nullopt;
    }
    return MigrationProblem { K::MissingMember, member,
        u"%1 has no cluster member %2 (members: %3)"_s.arg(
            visibleText(host, 100), visibleText(member, 100), visibleText(names.join(u", "_s), 300)) };
}

// Everything plan() gathers; the migration keeps the source instance for the target body.
struct PlanData
{
    MigrationPlan plan;
    QJsonObject sourceInstance; // GET /1.0/instances/NAME metadata
};

// A problem of the plan, once (the same kind and subject are reported once).
void addProblem(MigrationPlan &p, MigrationProblem::Kind k, const QString &subject, const QString &msg)
{
    for (const MigrationProblem &have : std::as_const(p.problems))
        if (have.kind == k && have.subject == subject)
            return;
    p.problems << MigrationProblem { k, subject, msg };
}

// The source instance and its snapshot count, into d: two requests, each ending with one().
// A missing instance or an unreachable source is a problem of the plan. withDevices: also the
// storage pools and networks its devices use (what the target must have).
void gatherSource(LxdClient *src, const MigrationRequest &req, const std::shared_ptr<PlanData> &d,
    bool withDevices, const std::function<void()> &one)
{
    using K = MigrationProblem::Kind;
    src->request("GET", instPath(req.instance), {},
        [d, req, withDevices, one](const LxdResult &r, const QJsonObject &env) {
            MigrationPlan &p = d->plan;
            if (r.ok()) {
                const QJsonObject m = meta(env);
                d->sourceInstance = m;
                p.instanceType = m.value(u"type"_s).toString(u"container"_s);
                p.sourceRunning = m.value(u"status"_s).toString() == u"Running";
                p.sourceMember = locationOf(m);
                p.profiles = stringList(m.value(u"profiles"_s));
                const QJsonObject devs
                    = withDevices ? m.value(u"expanded_devices"_s).toObject() : QJsonObject();
                for (auto it = devs.begin(); it != devs.end(); ++it) {
                    const QJsonObject dev = it.value().toObject();
                    const QString pool = dev.value(u"pool"_s).toString();
                    if (dev.value(u"type"_s).toString() == u"disk" && !pool.isEmpty()
                        && !p.storagePools.contains(pool))
                        p.storagePools << pool;
                    const QString net = dev.value(u"network"_s).toString();
                    if (dev.value(u"type"_s).toString() == u"nic" && !net.isEmpty()
                        && !p.networks.contains(net))
                        p.networks << net;
                }
            } else if (r.lxdErrorCode == 404) {
                addProblem(p, K::SourceMissing, req.instance,
                    u"no instance %1 on %2"_s.arg(
                        visibleText(req.instance, 100), visibleText(req.sourceHost, 100)));
            } else {
                addProblem(p, K::Unreachable, req.sourceHost,
                    u"%1: %2"_s.arg(visibleText(req.sourceHost, 100), visibleText(r.error, 300)));
            }
            one();
        });
    src->request("GET", instPath(req.instance) + u"/snapshots"_s, {},
        [d, one](const LxdResult &r, const QJsonObject &env) {
            if (r.ok())
                d->plan.snapshotCount = int(env.value(u"metadata"_s).toArray().size());
            one();
        });
}

void gatherPlan(
    LxdClient *src, LxdClient *dst, const MigrationRequest &req, std::function<void(const PlanData &)> done)
{
    struct State
    {
        PlanData d;
        int left = 6;
        QStringList targetInstances, networks;
        std::function<void(const PlanData &)> done;
    };
    auto st = std::make_shared<State>();
    st->done = std::move(done);
    st->d.plan.request = req;
    if (!req.targetMember.isEmpty())
        st->left += 1; // the target cluster's members
    using K = MigrationProblem::Kind;
    if (req.sourceHost == req.targetHost) { // (a member move has its own plan: gatherMemberPlan)
        st->d.plan.problems << MigrationProblem { K::SameHost, req.targetHost,
            u"%1 is both the source and the target: rename the instance there, or move it to another "
            "member of its cluster"_s.arg(visibleText(req.targetHost, 100)) };
        return st->done(st->d);
    }
    auto problem
        = [st](K k, const QString &subject, const QString &msg) { addProblem(st->d.plan, k, subject, msg); };
    auto unreachable = [problem](const QString &host, const LxdResult &r) {
        problem(K::Unreachable, host, u"%1: %2"_s.arg(visibleText(host, 100), visibleText(r.error, 300)));
    };
    auto finishOne = [st, req, problem] {
        if (--st->left > 0)
            return;
        MigrationPlan &p = st->d.plan;
        const QString target = req.effectiveTargetName();
        if (!st->d.sourceInstance.isEmpty()) {
            if (st->targetInstances.contains(target))
                problem(K::NameClash, target,
                    u"an instance named %1 exists on %2 already: give a new name (TARGET/NEWNAME)"_s.arg(
                        visibleText(target, 100), visibleText(req.targetHost, 100)));
            for (const QString &pr : std::as_const(p.profiles))
                if (!p.targetProfiles.contains(pr))
                    problem(K::MissingProfile, pr,
                        u"profile %1 does not exist on %2"_s.arg(
                            visibleText(pr, 100), visibleText(req.targetHost, 100)));
            for (const QString &pool : std::as_const(p.storagePools))
                if (!p.targetPools.contains(pool))
                    problem(K::MissingStoragePool, pool,
                        u"storage pool %1 does not exist on %2"_s.arg(
                            visibleText(pool, 100), visibleText(req.targetHost, 100)));
            for (const QString &n : std::as_const(p.networks))
                if (!st->networks.contains(n))
                    problem(K::MissingNetwork, n,
                        u"network %1 does not exist on %2"_s.arg(
                            visibleText(n, 100), visibleText(req.targetHost, 100)));
        }
        // Live: only VMs with migration.stateful (LXD no longer live-migrates containers; CRIU).
        const QJsonObject cfg = st->d.sourceInstance.value(u"expanded_config"_s).toObject();
        if (p.instanceType != u"virtual-machine") {
            p.livePossible = false;
            p.liveReason
                = u"containers move stateless (stop, move, start): LXD does not live-migrate containers"_s;
        } else if (cfg.value(u"migration.stateful"_s).toString() != u"true") {
            p.livePossible = false;
            p.liveReason
                = u"the VM needs migration.stateful=true (set it, then restart the VM) to move live"_s;
        } else if (!p.sourceRunning) {
            p.livePossible = false;
            p.liveReason = u"the VM is not running: there is no state to move"_s;
        } else {
            p.livePossible = true;
            p.liveReason = u"the VM has migration.stateful=true"_s;
        }
        if (req.live && !p.livePossible)
            problem(K::LiveNotPossible, req.instance, u"live migration is not possible: "_s + p.liveReason);
        if (req.live && p.livePossible)
            problem(K::LiveNotPossible, req.instance,
                u"live transfer is not implemented by Canyon yet: use --stateless"_s);
        switch (req.mode) {
        case MigrationMode::Member: // (between two servers: no such thing; the default applies)
        case MigrationMode::Auto:
        case MigrationMode::Pull:
            p.mode = MigrationMode::Pull;
            p.modeReason = req.mode == MigrationMode::Auto
                ? u"pull: the target fetches from the source (push, then relay through the console if "
                  "the target cannot reach it)"_s
                : u"pull: asked for"_s;
            break;
        case MigrationMode::Push:
            p.mode = MigrationMode::Push;
            p.modeReason = u"push: asked for (the source sends to the target)"_s;
            break;
        case MigrationMode::Relay:
            p.mode = MigrationMode::Relay;
            p.modeReason = u"relay: asked for (the console pipes the data between both servers)"_s;
            break;
        }
        if (!req.targetMember.isEmpty())
            p.modeReason += u"; placed on member %1 of %2"_s.arg(
                visibleText(req.targetMember, 100), visibleText(req.targetHost, 100));
        st->done(st->d);
    };

    gatherSource(src, req, std::shared_ptr<PlanData>(st, &st->d), true, finishOne);
    auto list = [dst, st, req, unreachable, finishOne](const QString &path, QStringList *out) {
        dst->request(
            "GET", path, {}, [out, req, unreachable, finishOne](const LxdResult &r, const QJsonObject &env) {
                if (r.ok())
                    *out = namesOf(env);
                else
                    unreachable(req.targetHost, r);
                finishOne();
            });
    };
    list(u"/1.0/instances"_s, &st->targetInstances);
    list(u"/1.0/storage-pools"_s, &st->d.plan.targetPools);
    list(u"/1.0/profiles"_s, &st->d.plan.targetProfiles);
    list(u"/1.0/networks"_s, &st->networks);
    if (!req.targetMember.isEmpty())
        fetchMembers(dst,
            [st, req, problem, unreachable, finishOne](
                const LxdResult &r, bool clustered, const QList<LxdClusterMember> &members) {
                if (!r.ok()) {
                    unreachable(req.targetHost, r);
                } else {
                    for (const LxdClusterMember &m : members)
                        st->d.plan.targetMembers << m.serverName;
                    if (const auto p = memberProblem(req.targetHost, req.targetMember, clustered, members))
                        problem(p->kind, p->subject, p->message);
                }
                finishOne();
            });
}

// The plan of a member move inside one cluster: the instance, its snapshots, the members.
// Nothing is copied between servers, so pools, profiles and networks are the cluster's own.
void gatherMemberPlan(LxdClient *c, const MigrationRequest &req, std::function<void(const PlanData &)> done)
{
    struct State
    {
        PlanData d;
        int left = 3;
        bool clustered = false;
        bool membersKnown = false;
        QList<LxdClusterMember> members;
        std::function<void(const PlanData &)> done;
    };
    auto st = std::make_shared<State>();
    st->done = std::move(done);
    st->d.plan.request = req;
    st->d.plan.mode = MigrationMode::Member;
    using K = MigrationProblem::Kind;
    auto problem
        = [st](K k, const QString &subject, const QString &msg) { addProblem(st->d.plan, k, subject, msg); };
    auto finishOne = [st, req, problem] {
        if (--st->left > 0)
            return;
        MigrationPlan &p = st->d.plan;
        const QString host = visibleText(req.sourceHost, 100);
        const QString member = visibleText(req.targetMember, 100);
        p.modeReason = u"member move: %1 is one server (a cluster) and keeps one copy: LXD moves the "
                       "instance to member %2 itself (POST ?target=)"_s.arg(host, member);
        if (st->membersKnown) {
            if (const auto mp = memberProblem(req.sourceHost, req.targetMember, st->clustered, st->members))
                problem(mp->kind, mp->subject, mp->message);
        }
        if (!st->d.sourceInstance.isEmpty() && p.sourceMember == req.targetMember)
            problem(K::AlreadyOnMember, req.targetMember,
                u"%1 is on member %2 of %3 already"_s.arg(visibleText(req.instance, 100), member, host));
        if (req.instanceOnly)
            problem(K::Other, req.instance,
                u"a member move keeps the snapshots (it moves the one copy): delete them first"_s);
        if (!req.targetName.isEmpty() && req.targetName != req.instance)
            problem(K::Other, req.targetName,
                u"a member move keeps the name: rename %1 before or after the move"_s.arg(
                    visibleText(req.instance, 100)));
        p.livePossible = false;
        p.liveReason = p.instanceType == u"virtual-machine"
            ? u"a member move is stateless here: the VM is stopped, moved and started"_s
            : u"containers move stateless (stop, move, start): LXD does not live-migrate containers"_s;
        if (req.live)
            problem(K::LiveNotPossible, req.instance, u"live migration is not possible: "_s + p.liveReason);
        st->done(st->d);
    };
    gatherSource(c, req, std::shared_ptr<PlanData>(st, &st->d), false, finishOne);
    fetchMembers(c,
        [st, req, problem, finishOne](
            const LxdResult &r, bool clustered, const QList<LxdClusterMember> &members) {
            if (!r.ok())
                problem(K::Unreachable, req.sourceHost,
                    u"%1: %2"_s.arg(visibleText(req.sourceHost, 100), visibleText(r.error, 300)));
            st->membersKnown = r.ok();
            st->clustered = clustered;
            st->members = members;
            for (const LxdClusterMember &m : members)
                st->d.plan.targetMembers << m.serverName;
            finishOne();
        });
}

// One websocket client end of the relay, on a plain QSslSocket so that reading can be paused
// (QWebSocket reads and delivers whatever arrives; a relay built on it buffers without bound
// when the target is slower than the source). RFC 6455 client: the HTTP upgrade, frames parsed
// from a bounded buffer, masked frames out. The server certificate is checked against its pin.
class RelaySocket : public QObject
{
public:
    static constexpr qint64 ReadBufferBytes = 256 * 1024; // taken from the kernel at most
    static constexpr qint64 MaxFrameBytes = 64 * 1024 * 1024; // a bigger frame fails the relay

    struct Frame
    {
        quint8 opcode = 0; // 0 continuation, 1 text, 2 binary, 8 close, 9 ping, 10 pong
        bool fin = true;
        QByteArray payload;
    };
    std::function<void()> onConnected;
    std::function<void(const Frame &)> onFrame; // data and close frames
    std::function<void()> onDisconnected;
    std::function<void(const QString &)> onError;
    std::function<void()> onWritten; // bytes left this process (resume a paused peer)

    RelaySocket(LxdClient *c, const QString &name, QObject *parent)
        : QObject(parent)
        , m_pin(c->pinnedSha256())
        , m_name(name)
    {
        m_sock = new QSslSocket(this);
        m_sock->setSslConfiguration(c->sslConfiguration());
        m_sock->setReadBufferSize(ReadBufferBytes);
        connect(m_sock, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
            QString seen;
            if (LxdClient::errorsArePinned(errors, m_sock->peerCertificate(), m_pin, &seen)) {
                m_sock->ignoreSslErrors(errors); // exactly these errors of exactly the pinned certificate
                return;
            }
            error(
                u"relay %1: refused the server certificate SHA256 %2 (pinned %3)"_s.arg(m_name, seen, m_pin));
        });
        connect(m_sock, &QSslSocket::encrypted, this, [this] {
            QString seen = certificateSha256(m_sock->peerCertificate());
            if (seen != m_pin)
                return error(u"relay %1: the server certificate SHA256 %2 is not the pinned %3"_s.arg(
                    m_name, seen, m_pin));
            sendUpgrade();
        });
        connect(m_sock, &QSslSocket::readyRead, this, [this] { pump(); });
        connect(m_sock, &QSslSocket::bytesWritten, this, [this] { written(); });
        connect(m_sock, &QSslSocket::encryptedBytesWritten, this, [this] { written(); });
        connect(m_sock, &QSslSocket::disconnected, this, [this] {
            if (!m_open && !m_failed)
                return error(u"relay %1: the connection closed before the websocket opened: %2"_s.arg(
                    m_name, m_sock->errorString()));
            m_eof = true;
            pump(); // what arrived before the end still goes through (maybe later, when resumed)
        });
        connect(m_sock, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) {
            if (e == QAbstractSocket::RemoteHostClosedError && m_open)
                return; // disconnected() follows
            if (!m_open)
                error(u"relay %1: %2"_s.arg(m_name, m_sock->errorString()));
        });
    }

    void open(const QUrl &url)
    {
        m_url = url;
        m_sock->connectToHostEncrypted(url.host(), quint16(url.port(8443)));
    }
    bool isOpen() const { return m_open; }
    QString name() const { return m_name; }
    void abort()
    {
        m_failed = true;
        m_open = false;
        m_sock->abort();
    }
    void closeGracefully()
    {
        if (m_open && !m_closeSent) {
            QByteArray code(2, '\0');
            code[0] = char(1000 >> 8);
            code[1] = char(1000 & 0xff);
            send(8, true, code);
        }
        m_sock->disconnectFromHost(); // after what is queued was written
    }
    void send(quint8 opcode, bool fin, const QByteArray &payload)
    {
        if (opcode == 8)
            m_closeSent = true;
        QByteArray h;
        h.reserve(14);
        h.append(char((fin ? 0x80 : 0) | (opcode & 0x0f)));
        const quint64 n = quint64(payload.size());
        if (n < 126) {
            h.append(char(0x80 | n));
        } else if (n <= 0xffff) {
            h.append(char(0x80 | 126));
            h.append(char(n >> 8));
            h.append(char(n & 0xff));
        } else {
            h.append(char(0x80 | 127));
            for (int i = 7; i >= 0; --i)
                h.append(char((n >> (8 * i)) & 0xff));
        }
        const quint32 mask = QRandomGenerator::global()->generate();
        uchar key[4];
        std::memcpy(key, &mask, 4);
        h.append(reinterpret_cast<const char *>(key), 4);
        QByteArray body(payload.size(), Qt::Uninitialized);
        const uchar *in = reinterpret_cast<const uchar *>(payload.constData());
        uchar *out = reinterpret_cast<uchar *>(body.data());
        quint64 key8;
        std::memcpy(&key8, key, 4);
        std::memcpy(reinterpret_cast<uchar *>(&key8) + 4, key, 4);
        qsizetype i = 0;
        for (; i + 8 <= payload.size(); i += 8) {
            quint64 w;
            std::memcpy(&w, in + i, 8);
            w ^= key8;
            std::memcpy(out + i, &w, 8);
        }
        for (; i < payload.size(); ++i)
            out[i] = in[i] ^ key[i % 4];
        m_sock->write(h);
        m_sock->write(body);
    }
    // Back-pressure: while paused no frame is taken out of the buffers, the socket's read buffer
    // fills (ReadBufferBytes), Qt stops reading, and TCP makes the server wait.
    void setPaused(bool paused)
    {
        if (m_paused == paused)
            return;
        m_paused = paused;
        if (!paused)
            QMetaObject::invokeMethod(
                this, [this] { pump(); }, Qt::QueuedConnection);
    }
    bool isPaused() const { return m_paused; }
    bool closeSent() const { return m_closeSent; }
    qint64 pendingOut() const { return m_sock->bytesToWrite() + m_sock->encryptedBytesToWrite(); }
    qint64 bufferedIn() const { return m_sock->bytesAvailable() + (m_in.size() - m_at); }

private:
    void error(const QString &why)
    {
        if (m_failed)
            return;
        m_failed = true;
        m_open = false;
        m_sock->abort();
        if (onError)
            onError(why);
    }
    void sendUpgrade()
    {
        QByteArray nonce(16, '\0');
        for (char &c : nonce)
            c = char(QRandomGenerator::global()->bounded(256));
        m_key = nonce.toBase64();
        const QByteArray target
            = m_url.path(QUrl::FullyEncoded).toLatin1() + '?' + m_url.query(QUrl::FullyEncoded).toLatin1();
        QByteArray req = "GET " + target + " HTTP/1.1\r\nHost: " + m_url.host().toLatin1() + ':'
            + QByteArray::number(m_url.port(8443))
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: "
              "13\r\nSec-WebSocket-Key: "
            + m_key + "\r\n\r\n";
        m_sock->write(req);
    }
    void written()
    {
        if (onWritten)
            onWritten();
    }
    bool handshake()
    {
        const qsizetype end = m_in.indexOf("\r\n\r\n", m_at);
        if (end < 0) {
            if (m_in.size() > 16384)
                error(u"relay %1: no websocket upgrade answer"_s.arg(m_name));
            return false;
        }
        const QList<QByteArray> lines = m_in.mid(m_at, end - m_at).split('\n');
        m_at = end + 4;
        const QByteArray status = lines.value(0).trimmed();
        if (!status.startsWith("HTTP/1.1 101")) {
            error(u"relay %1: the server refused the websocket: %2"_s.arg(
                m_name, visibleText(QString::fromLatin1(status), 120)));
            return false;
        }
        const QByteArray want = QCryptographicHash::hash(
            QByteArray(m_key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"), QCryptographicHash::Sha1)
                                    .toBase64();
        bool accepted = false;
        for (const QByteArray &l : lines) {
            const qsizetype colon = l.indexOf(':');
            if (colon > 0 && l.left(colon).trimmed().toLower() == "sec-websocket-accept")
                accepted = l.mid(colon + 1).trimmed() == want;
        }
        if (!accepted) {
            error(u"relay %1: wrong Sec-WebSocket-Accept"_s.arg(m_name));
            return false;
        }
        m_open = true;
        if (onConnected)
            onConnected();
        return true;
    }
    void pump()
    {
        while (!m_failed) {
            if (m_at > 0 && m_at >= m_in.size() / 2) { // keep the buffer compact
                m_in.remove(0, m_at);
                m_at = 0;
            }
            if (!m_open) {
                m_in += m_sock->readAll();
                if (!handshake())
                    return;
                continue;
            }
            if (m_paused)
                return;
            // one frame at a time: never more than one frame beyond the socket's read buffer
            if (m_in.size() - m_at < 2 || !frameComplete()) {
                if (m_failed)
                    return;
                if (m_sock->bytesAvailable() == 0)
                    return ended();
                m_in += m_sock->read(ReadBufferBytes);
                continue;
            }
            Frame f;
            const uchar *p = reinterpret_cast<const uchar *>(m_in.constData()) + m_at;
            f.fin = p[0] & 0x80;
            f.opcode = p[0] & 0x0f;
            const bool masked = p[1] & 0x80;
            quint64 len = p[1] & 0x7f;
            qsizetype off = 2;
            if (len == 126) {
                len = (quint64(p[2]) << 8) | p[3];
                off = 4;
            } else if (len == 127) {
                len = 0;
                for (int i = 0; i < 8; ++i)
                    len = (len << 8) | p[2 + i];
                off = 10;
            }
            QByteArray key;
            if (masked) {
                key = m_in.mid(m_at + off, 4);
                off += 4;
            }
            f.payload = m_in.mid(m_at + off, qsizetype(len));
            if (masked)
                for (qsizetype i = 0; i < f.payload.size(); ++i)
                    f.payload[i] = char(f.payload[i] ^ key[i % 4]);
            m_at += off + qsizetype(len);
            if (f.opcode == 9) {
                send(10, true, f.payload);
                continue;
            }
            if (f.opcode == 10)
                continue;
            if (onFrame)
                onFrame(f);
        }
    }
    // The server closed its end and everything it sent went through.
    void ended()
    {
        if (!m_eof || m_endReported)
            return;
        m_endReported = true;
        m_open = false;
        if (onDisconnected)
            onDisconnected();
    }
    // Is a whole frame in the buffer? (fails the socket on an oversized frame)
    bool frameComplete()
    {
        const qsizetype avail = m_in.size() - m_at;
        const uchar *p = reinterpret_cast<const uchar *>(m_in.constData()) + m_at;
        quint64 len = p[1] & 0x7f;
        qsizetype off = 2;
        if (len == 126) {
            if (avail < 4)
                return false;
            len = (quint64(p[2]) << 8) | p[3];
            off = 4;
        } else if (len == 127) {
            if (avail < 10)
                return false;
            len = 0;
            for (int i = 0; i < 8; ++i)
                len = (len << 8) | p[2 + i];
            off = 10;
        }
        if (p[1] & 0x80)
            off += 4;
        if (len > quint64(MaxFrameBytes)) {
            error(u"relay %1: a frame of %2 bytes is over the limit"_s.arg(m_name).arg(len));
            return false;
        }
        return avail >= off + qsizetype(len);
    }

    QSslSocket *m_sock = nullptr;
    QString m_pin;
    QString m_name;
    QUrl m_url;
    QByteArray m_key;
    QByteArray m_in;
    qsizetype m_at = 0;
    bool m_open = false;
    bool m_paused = false;
    bool m_failed = false;
    bool m_closeSent = false;
    bool m_eof = false;
    bool m_endReported = false;
};

// Pipes the websockets of a source and a target migration operation (relay mode). Frames go
// through one by one, in order, message boundaries kept. Flow control: when what waits to be
// written to one side passes MigrationRelayHighWaterBytes, the other side is no longer read
// (its server waits on TCP) until it drains below MigrationRelayLowWaterBytes; a side that is
// not connected yet is not read from either. So the relay holds at most about the high-water
// mark plus one frame plus the sockets' read buffers, however slow the target is.
class MigrationRelay : public QObject
{
public:
    explicit MigrationRelay(int stallMs, QObject *parent)
        : QObject(parent)
        , m_stallMs(stallMs)
    {
        m_stall.setInterval(std::clamp(stallMs / 4, 50, 1000));
        connect(&m_stall, &QTimer::timeout, this, [this] {
            if (m_idle.elapsed() > m_stallMs)
                fail(u"relay: no data moved for %1 s (a server or the link is gone)"_s.arg(
                    m_stallMs / 1000.0));
        });
        m_idle.start();
        m_stall.start();
    }
    std::function<void(const QString &)> onFailure;
    qint64 bytes = 0; // source -> target payload
    qint64 peakBuffered = 0; // the most this process held at once (both directions)

    void addPair(const QString &name, LxdClient *src, const QUrl &srcUrl, LxdClient *dst, const QUrl &dstUrl)
    {
        auto *a = new RelaySocket(src, name + u"@source"_s, this);
        auto *b = new RelaySocket(dst, name + u"@target"_s, this);
        m_sockets << a << b;
        link(a, b, Source);
        link(b, a, Target);
        a->setPaused(true); // nothing is read until the other side can take it
        b->setPaused(true);
        m_toOpen[Source].append({ a, srcUrl });
        m_toOpen[Target].append({ b, dstUrl });
        openNext(Source);
        openNext(Target);
    }
    void abortAll()
    {
        m_failed = true;
        m_stall.stop();
        for (RelaySocket *s : std::as_const(m_sockets))
            s->abort();
    }
    qint64 buffered() const
    {
        qint64 n = 0;
        for (const RelaySocket *s : std::as_const(m_sockets))
            n += s->pendingOut() + s->bufferedIn();
        return n;
    }

private:
    enum Side { Source, Target };
    // An operation's websockets open one after another, each once the previous one's upgrade
    // was answered. LXD 5.0 marks an operation "all connected" from each websocket's handler,
    // unlocked: two upgrades at once can both see all there and both mark it, and the daemon
    // panics ("close of closed channel" in migrationSourceWs.Connect; seen once in CI, in a
    // relay right after a link cut). Costs one TLS handshake of latency per extra websocket.
    void openNext(Side side)
    {
        if (m_opening[side] || m_toOpen[side].isEmpty() || m_failed)
            return;
        const auto [socket, url] = m_toOpen[side].takeFirst();
        m_opening[side] = true;
        socket->open(url);
    }
    void fail(const QString &why)
    {
        if (m_failed)
            return;
        abortAll();
        if (onFailure)
            onFailure(why);
    }
    void account()
    {
        m_idle.restart();
        peakBuffered = std::max(peakBuffered, buffered());
    }
    void link(RelaySocket *from, RelaySocket *to, Side side)
    {
        const bool countBytes = side == Source;
        from->onError = [this](const QString &why) { fail(why); };
        from->onConnected = [this, from, to, side] {
            account();
            m_opening[side] = false;
            openNext(side);
            if (!to->isOpen())
                return; // read neither side until both are there
            if (to->pendingOut() < MigrationRelayHighWaterBytes)
                from->setPaused(false);
            if (from->pendingOut() < MigrationRelayHighWaterBytes)
                to->setPaused(false);
        };
        from->onFrame = [this, from, to, countBytes](const RelaySocket::Frame &f) {
            if (f.opcode == 8) { // close: pass it on; the servers end their sides
                m_closed << from;
                if (!to->closeSent())
                    to->send(8, true, f.payload);
                if (m_closed.contains(to))
                    from->closeGracefully();
                account();
                return;
            }
            if (countBytes)
                bytes += f.payload.size();
            to->send(f.opcode, f.fin, f.payload);
            account();
            if (to->pendingOut() > MigrationRelayHighWaterBytes)
                from->setPaused(true);
        };
        from->onWritten = [this, from, to] {
            account();
            if (to->isPaused() && from->isOpen() && to->isOpen()
                && from->pendingOut() < MigrationRelayLowWaterBytes)
                to->setPaused(false);
        };
        from->onDisconnected = [this, to] {
            account();
            if (!m_failed && to->isOpen())
                to->closeGracefully();
        };
    }
    QList<RelaySocket *> m_sockets;
    QList<std::pair<RelaySocket *, QUrl>> m_toOpen[2]; // by Side, in order
    bool m_opening[2] = { false, false };
    QSet<RelaySocket *> m_closed;
    bool m_failed = false;
    int m_stallMs = 60000;
    QElapsedTimer m_idle;
    QTimer m_stall;
};

} // namespace

// ------------------------------------------------------------------------------------------------

struct LxdMigration::Impl
{
    LxdMigration *q = nullptr;
    LxdClientProvider clients;
    QString stateDir;
    std::function<void(LxdMigration *)> onEnd; // the migrator frees the slots
    LxdClient *src = nullptr;
    LxdClient *dst = nullptr;
    int opTimeoutMs = 0;
    MigrationPlan plan;
    QJsonObject sourceInstance;
    QJsonObject sourceConfig; // non-volatile, for verification
    QStringList sourceProfiles;
    MigrationResult result;
    MigrationStage stage = MigrationStage::Queued;
    MigrationProgress progress;
    bool finished = false;
    bool cancelRequested = false;
    bool stoppedSource = false;
    bool targetCreateAccepted = false; // our create request was accepted: a partial target is ours
    bool memberMoved = false; // a member move's operation ended: the one copy is on the target member
    QString recoverPath; // a journal to recover first
    MigrationJournal journal;
    QElapsedTimer wall;
    QElapsedTimer stageTimer;
    QList<MigrationMode> modesLeft;
    MigrationMode mode = MigrationMode::Pull;
    QString srcOp, dstOp;
    quint64 srcFollow = 0, dstFollow = 0;
    bool srcOpDone = false, dstOpDone = false;
    LxdResult srcOpResult, dstOpResult;
    QTimer progressTimer;
    QPointer<MigrationRelay> relay;
    std::function<void()> thenFresh; // recovery rolled back: run the rerun's own request next
    MigrationLock lock; // the instances this migration touches (taken by LxdMigrator::start)
    QString busy; // set when the lock was refused: run() ends at once, touching nothing
    int stallMs = 60000;
    QTimer graceTimer; // one side's operation failed: the other gets stallMs to end
    bool srcPolling = false, dstPolling = false; // a progress poll in flight (never pile them up)
    qint64 relayPeak = -1;

    QString target() const { return result.request.effectiveTargetName(); }
    QString srcLabel() const { return result.request.sourceHost + u'/' + result.request.instance; }
    QString dstLabel() const { return result.request.targetHost + u'/' + target(); }

    void setStage(MigrationStage s)
    {
        stage = s;
        progress = MigrationProgress {};
        progress.stage = s;
        stageTimer.restart();
        Q_EMIT q->stageChanged(s);
        Q_EMIT q->progressChanged(progress);
    }
    void stageResult(bool ok, const QString &error = {}, const QString &detail = {})
    {
        result.stages << MigrationStageResult { stage, ok, error, stageTimer.elapsed(), detail };
    }
    bool log(const QString &step, const QJsonObject &rec = {})
    {
        QString err;
        if (journal.isOpen() && !journal.append(step, rec, &err)) {
            fail(LxdResultKind::Failed, err, MigrationAuthority::Source);
            return false;
        }
        return true;
    }
    void noteFailure(LxdResultKind kind, const QString &error)
    {
        if (result.error.isEmpty()) {
            result.kind = kind;
            result.error = error;
        }
    }
    // A copy attempt (or a member move) in mode m begins: no operation of it yet.
    void startAttempt(MigrationMode m)
    {
        mode = m;
        result.mode = m;
        result.modesTried << migrationModeName(m);
        setStage(MigrationStage::Copying);
        srcOp.clear();
        dstOp.clear();
        srcFollow = dstFollow = 0;
        srcOpDone = dstOpDone = false;
        srcOpResult = dstOpResult = LxdResult {};
        targetCreateAccepted = false;
    }

    void run();
    void runFresh();
    void begin(const PlanData &d);
    void stopSource();
    void copy();
    void copyPull(const QByteArray &srcCert);
    void copyPush(const QByteArray &dstCert);
    void copyRelay();
    void createTarget(const QJsonObject &source, std::function<void(const QJsonObject &secrets)> next);
    void migrateSource(const QJsonObject &target, std::function<void(const QJsonObject &secrets)> next);
    void followOps();
    void opFinished();
    void pollProgress();
    void copyFailed(const LxdResult &r);
    void verify(bool expectRunning, std::function<void(bool ok, const QString &why, bool unreachable)> done);
    // verify() as the current stage's step (its result recorded); failKind: what a failure was
    void verifyStep(
        bool expectRunning, std::function<void(bool ok, const QString &why, LxdResultKind failKind)> done);
    // StartingTarget: start the copy on the target, then verify it running; why = failed + error
    void startVerified(const QString &startFailed, const QString &verifyFailed,
        std::function<void(bool ok, const QString &why, LxdResultKind failKind)> done);
    void afterCopy();
    void startTarget();
    void deleteSource();
    void rollback(bool targetIsOurs);
    void endRolledBack();
    // member moves (one cluster, one copy: nothing is created or deleted by Canyon)
    void moveMember();
    void memberMoveEnded(const LxdResult &r);
    void memberVerify();
    void memberSettle(const QString &why, LxdResultKind kind);
    void recoverMember(const QList<QJsonObject> &recs);
    void restartSource(std::function<void()> next);
    void fail(LxdResultKind kind, const QString &error, MigrationAuthority authority);
    void complete(bool ok, MigrationAuthority authority, const QString &outcome, bool closeJournal = true);
    void recover(const QString &path, std::function<void()> fresh);
    void exists(LxdClient *c, const QString &name, std::function<void(int)> done); // 1, 0, -1 unknown
    void cancelOps();
    void sideFailed(bool sourceSide);
    void cancelOpUnlessEnded(bool sourceSide);
    void refuseBusy(const QString &why);
};

LxdMigration::LxdMigration(quint64 id, const MigrationRequest &request, QObject *parent)
    : QObject(parent)
    , m_id(id)
    , m_request(request)
    , d(std::make_unique<Impl>())
{
    d->q = this;
    d->result.request = request;
    d->progressTimer.setInterval(500);
    connect(&d->progressTimer, &QTimer::timeout, this, [this] { d->pollProgress(); });
    d->graceTimer.setSingleShot(true);
    connect(&d->graceTimer, &QTimer::timeout, this, [this] {
        // the other side's operation did not end although its peer is gone: stop waiting
        const bool src = !d->srcOpDone;
        LxdResult r;
        r.kind = LxdResultKind::Unreachable;
        r.error = u"the %1 operation did not end within %2 s after the %3 side failed; its state is unknown"_s
                      .arg(src ? u"source"_s : u"target"_s)
                      .arg(d->stallMs / 1000.0)
                      .arg(src ? u"target"_s : u"source"_s);
        if (src && d->srcFollow) {
            d->src->cancel(d->srcFollow);
            d->srcFollow = 0;
            d->srcOpDone = true;
            d->srcOpResult = r;
        } else if (!src && d->dstFollow) {
            d->dst->cancel(d->dstFollow);
            d->dstFollow = 0;
            d->dstOpDone = true;
            d->dstOpResult = r;
        }
        d->opFinished();
    });
}

LxdMigration::~LxdMigration()
{
    if (d->relay)
        d->relay->abortAll();
}

QString LxdMigration::journalId() const
{
    return d->journal.id().isEmpty() ? d->result.id : d->journal.id();
}
MigrationStage LxdMigration::stage() const
{
    return d->stage;
}
MigrationProgress LxdMigration::progress() const
{
    return d->progress;
}
bool LxdMigration::isFinished() const
{
    return d->finished;
}
MigrationResult LxdMigration::result() const
{
    return d->result;
}
MigrationPlan LxdMigration::plan() const
{
    return d->plan;
}

bool LxdMigration::canCancel() const
{
    return !d->finished && !d->result.targetVerified && !d->memberMoved && !d->cancelRequested;
}

void LxdMigration::cancel()
{
    if (d->finished || d->cancelRequested)
        return;
    if (d->result.targetVerified || d->memberMoved) {
        // Past the point of no return: the target is verified (and the source may be going).
        // Rolling back now would throw away the good copy; the move completes instead.
        d->result.cancelRefused = true;
        Q_EMIT cancelRefused(u"the target %1 was verified already: the move completes"_s.arg(d->dstLabel()));
        return;
    }
    d->cancelRequested = true;
    d->noteFailure(LxdResultKind::Cancelled, u"cancelled"_s);
    if (d->stage == MigrationStage::Queued) {
        d->result.authoritative = MigrationAuthority::Source;
        return d->complete(false, MigrationAuthority::Source, u"cancelled"_s);
    }
    if (d->stage == MigrationStage::Copying)
        d->cancelOps();
    // Planning / stopping / verifying / starting the target: each step looks at cancelRequested
    // when it ends and rolls back from there.
}

// Stops the copy: the relay's sockets and both LXD operations. The follows report how they
// ended; an operation LXD cannot cancel any more runs to its end, then the rollback removes it.
void LxdMigration::Impl::cancelOps()
{
    if (relay)
        relay->abortAll();
    if (!srcOp.isEmpty() && !srcOpDone)
        src->request(
            "DELETE", u"/1.0/operations/"_s + srcOp, {}, [](const LxdResult &, const QJsonObject &) {});
    if (!dstOp.isEmpty() && !dstOpDone)
        dst->request(
            "DELETE", u"/1.0/operations/"_s + dstOp, {}, [](const LxdResult &, const QJsonObject &) {});
}

void LxdMigration::Impl::exists(LxdClient *c, const QString &name, std::function<void(int)> done)
{
    QPointer<LxdMigration> g(q);
    c->request("GET", instPath(name), {}, [g, done](const LxdResult &r, const QJsonObject &) {
        if (!g)
            return;
        done(r.ok() ? 1 : (r.lxdErrorCode == 404 ? 0 : -1));
    });
}

void LxdMigration::Impl::run()
{
    wall.start();
    QString err;
    src = clients(result.request.sourceHost, &err);
    if (!src) {
        result.sourceExists = false;
        return fail(LxdResultKind::Failed, err, MigrationAuthority::Unknown);
    }
    dst = clients(result.request.targetHost, &err);
    if (!dst)
        return fail(LxdResultKind::Failed, err, MigrationAuthority::Source);
    // (the clients are shared: their own timeouts stay; the long copy gets opTimeoutMs itself)
    if (!busy.isEmpty())
        return refuseBusy(busy);
    if (!recoverPath.isEmpty())
        return recover(recoverPath, {});
    // An unfinished migration that touched this instance (as its source or its target, or our
    // target name) is resolved first: never a second copy, never a move of a partial copy.
    // Its console is dead: a live one would hold the instances' lock, which we hold now.
    const QStringList mine { MigrationLock::key(result.request.sourceHost, result.request.instance),
        MigrationLock::key(result.request.targetHost, target()) };
    for (const QString &path : MigrationJournal::openJournals(stateDir)) {
        const MigrationRequest old = requestFromJson(MigrationJournal::read(path).value(0));
        const QStringList theirs { MigrationLock::key(old.sourceHost, old.instance),
            MigrationLock::key(old.targetHost, old.effectiveTargetName()) };
        bool touches = false;
        for (const QString &k : theirs)
            touches = touches || mine.contains(k);
        if (!touches)
            continue;
        QString busyKey;
        if (!lock.acquire(stateDir, theirs, &busyKey, &err))
            return busyKey.isEmpty()
                ? fail(LxdResultKind::Failed, err, MigrationAuthority::Unknown)
                : refuseBusy(u"the unfinished migration %1 (%2) is being handled by another console"_s.arg(
                    QFileInfo(path).completeBaseName(), visibleText(busyKey, 200)));
        if (!clients(old.sourceHost, &err) || !clients(old.targetHost, &err))
            return fail(LxdResultKind::Failed,
                u"the unfinished migration %1 involves a host that is not configured: %2"_s.arg(
                    QFileInfo(path).completeBaseName(), err),
                MigrationAuthority::Unknown);
        return recover(path, [this] { run(); });
    }
    runFresh();
}

void LxdMigration::Impl::refuseBusy(const QString &why)
{
    setStage(MigrationStage::Planning);
    plan.request = result.request;
    plan.problems << MigrationProblem { MigrationProblem::Kind::Busy, result.request.instance, why };
    stageResult(false, why);
    // Nothing was looked at: which copy is authoritative is the other migration's to say.
    fail(LxdResultKind::Failed, why, MigrationAuthority::Unknown);
}

void LxdMigration::Impl::runFresh()
{
    setStage(MigrationStage::Planning);
    QPointer<LxdMigration> g(q);
    const auto next = [this, g](const PlanData &pd) {
        if (g)
            begin(pd);
    };
    if (result.request.isMemberMove())
        gatherMemberPlan(src, result.request, next);
    else
        gatherPlan(src, dst, result.request, next);
}

void LxdMigration::Impl::begin(const PlanData &pd)
{
    plan = pd.plan;
    sourceInstance = pd.sourceInstance;
    sourceConfig = nonVolatile(sourceInstance.value(u"config"_s).toObject());
    sourceProfiles = stringList(sourceInstance.value(u"profiles"_s));
    result.mode = plan.mode;
    if (!plan.ok()) {
        QStringList msgs;
        bool unreachable = false;
        for (const MigrationProblem &p : std::as_const(plan.problems)) {
            msgs << p.message;
            unreachable = unreachable || p.kind == MigrationProblem::Kind::Unreachable;
            if (p.kind == MigrationProblem::Kind::SourceMissing)
                result.sourceExists = false;
        }
        stageResult(false, msgs.join(u"; "_s));
        return fail(unreachable ? LxdResultKind::Unreachable : LxdResultKind::Failed, msgs.join(u"; "_s),
            result.sourceExists ? MigrationAuthority::Source : MigrationAuthority::Unknown);
    }
    stageResult(true, {}, plan.modeReason);
    if (cancelRequested)
        return complete(false, MigrationAuthority::Source, u"cancelled"_s, false);
    QString err;
    if (!journal.create(stateDir, result.request.instance, &err))
        return fail(LxdResultKind::Failed, err, MigrationAuthority::Source);
    result.id = journal.id();
    QJsonObject rec = requestToJson(result.request);
    rec.insert(u"source_url"_s, src->url().toString());
    rec.insert(u"target_url"_s, dst->url().toString());
    rec.insert(u"source_running"_s, plan.sourceRunning);
    rec.insert(u"snapshot_count"_s, plan.snapshotCount);
    rec.insert(u"config"_s, sourceConfig);
    rec.insert(u"profiles"_s, QJsonArray::fromStringList(sourceProfiles));
    if (result.request.isMemberMove()) {
        rec.insert(u"kind"_s, u"member-move"_s); // one server, one copy: LXD moves it
        rec.insert(u"source_member"_s, plan.sourceMember);
    }
    if (!log(u"begin"_s, rec))
        return;
    if (result.request.isMemberMove())
        return plan.sourceRunning ? stopSource() : moveMember();
    modesLeft.clear();
    if (result.request.mode == MigrationMode::Auto)
        modesLeft = { MigrationMode::Pull, MigrationMode::Push, MigrationMode::Relay };
    else
        modesLeft = { plan.mode };
    if (plan.sourceRunning)
        return stopSource();
    copy();
}

void LxdMigration::Impl::stopSource()
{
    setStage(MigrationStage::StoppingSource);
    if (!log(u"stop-source"_s))
        return;
    QPointer<LxdMigration> g(q);
    src->runAction(result.request.instance, InstanceAction::Stop, false,
        [this, g](const LxdResult &r, const Operation &) {
            if (!g)
                return;
            if (!r.ok()) {
                stageResult(false, r.error);
                noteFailure(r.kind, u"stopping the source failed: "_s + r.error);
                // it may have stopped anyway: start it again if so
                stoppedSource = true;
                return restartSource([this] { complete(false, MigrationAuthority::Source, u"failed"_s); });
            }
            stoppedSource = true;
            stageResult(true);
            if (result.request.isMemberMove())
                return moveMember();
            copy();
        });
}

void LxdMigration::Impl::copy()
{
    if (cancelRequested)
        return rollback(false);
    startAttempt(modesLeft.takeFirst());
    if (!log(u"copy"_s, { { u"mode"_s, migrationModeName(mode) } }))
        return;
    QPointer<LxdMigration> g(q);
    if (mode == MigrationMode::Pull) {
        src->fetchServerCertificatePem([this, g](const LxdResult &r, const QByteArray &pem) {
            if (!g)
                return;
            if (!r.ok())
                return copyFailed(r);
            copyPull(pem);
        });
    } else if (mode == MigrationMode::Push) {
        dst->fetchServerCertificatePem([this, g](const LxdResult &r, const QByteArray &pem) {
            if (!g)
                return;
            if (!r.ok())
                return copyFailed(r);
            copyPush(pem);
        });
    } else {
        copyRelay();
    }
}

void LxdMigration::Impl::migrateSource(
    const QJsonObject &target, std::function<void(const QJsonObject &)> next)
{
    QJsonObject body { { u"migration"_s, true }, { u"live"_s, false },
        { u"instance_only"_s, result.request.instanceOnly } };
    if (!target.isEmpty())
        body.insert(u"target"_s, target);
    QPointer<LxdMigration> g(q);
    src->request("POST", instPath(result.request.instance), body,
        [this, g, next](LxdResult r, const QJsonObject &env) {
            if (!g)
                return;
            const QJsonObject op
                = asyncOperation(r, env, u"the source did not answer with a migration operation"_s);
            if (!r.ok())
                return copyFailed(r);
            srcOp = op.value(u"id"_s).toString();
            if (!log(u"source-operation"_s, { { u"operation"_s, srcOp } }))
                return;
            next(op.value(u"metadata"_s).toObject());
        });
}

void LxdMigration::Impl::createTarget(
    const QJsonObject &source, std::function<void(const QJsonObject &)> next)
{
    QJsonObject devices = sourceInstance.value(u"devices"_s).toObject();
    QJsonObject body { { u"name"_s, target() },
        { u"architecture"_s, sourceInstance.value(u"architecture"_s) },
        { u"type"_s, sourceInstance.value(u"type"_s) }, { u"config"_s, sourceInstance.value(u"config"_s) },
        { u"devices"_s, devices }, { u"profiles"_s, sourceInstance.value(u"profiles"_s) },
        { u"ephemeral"_s, sourceInstance.value(u"ephemeral"_s) },
        { u"description"_s, sourceInstance.value(u"description"_s) }, { u"source"_s, source } };
    QPointer<LxdMigration> g(q);
    const QString path = result.request.targetMember.isEmpty()
        ? u"/1.0/instances"_s
        : u"/1.0/instances?target="_s + enc(result.request.targetMember);
    dst->request("POST", path, body, [this, g, next](LxdResult r, const QJsonObject &env) {
        if (!g)
            return;
        const QJsonObject op = asyncOperation(r, env, u"the target did not answer with an operation"_s);
        if (!r.ok())
            return copyFailed(r);
        dstOp = op.value(u"id"_s).toString();
        targetCreateAccepted = true;
        if (!log(u"target-operation"_s, { { u"operation"_s, dstOp } }))
            return;
        next(op.value(u"metadata"_s).toObject());
    });
}

void LxdMigration::Impl::copyPull(const QByteArray &srcCert)
{
    migrateSource({}, [this, srcCert](const QJsonObject &secrets) {
        const QString opUrl = src->url().toString(QUrl::RemovePath) + u"/1.0/operations/"_s + srcOp;
        const QJsonObject source { { u"type"_s, u"migration"_s }, { u"mode"_s, u"pull"_s },
            { u"operation"_s, opUrl }, { u"certificate"_s, QString::fromUtf8(srcCert) },
            { u"secrets"_s, secrets }, { u"live"_s, false },
            { u"instance_only"_s, result.request.instanceOnly } };
        createTarget(source, [this](const QJsonObject &) { followOps(); });
    });
}

void LxdMigration::Impl::copyPush(const QByteArray &dstCert)
{
    const QJsonObject source { { u"type"_s, u"migration"_s }, { u"mode"_s, u"push"_s }, { u"live"_s, false },
        { u"instance_only"_s, result.request.instanceOnly } };
    createTarget(source, [this, dstCert](const QJsonObject &secrets) {
        const QString opUrl = dst->url().toString(QUrl::RemovePath) + u"/1.0/operations/"_s + dstOp;
        const QJsonObject target { { u"certificate"_s, QString::fromUtf8(dstCert) },
            { u"operation"_s, opUrl }, { u"secrets"_s, secrets } };
        migrateSource(target, [this](const QJsonObject &) { followOps(); });
    });
}

void LxdMigration::Impl::copyRelay()
{
    const QJsonObject source { { u"type"_s, u"migration"_s }, { u"mode"_s, u"push"_s }, { u"live"_s, false },
        { u"instance_only"_s, result.request.instanceOnly } };
    createTarget(source, [this](const QJsonObject &dstSecrets) {
        migrateSource({}, [this, dstSecrets](const QJsonObject &srcSecrets) {
            if (dstSecrets.value(u"control"_s).toString().isEmpty()) {
                LxdResult r;
                r.kind = LxdResultKind::Failed;
                r.error = u"the target set up no control socket"_s;
                return copyFailed(r);
            }
            relay = new MigrationRelay(stallMs, q);
            QPointer<LxdMigration> g(q);
            relay->onFailure = [this, g](const QString &why) {
                if (!g)
                    return;
                noteFailure(LxdResultKind::Failed, why);
                // the operations fail by themselves once their peer is gone; make sure of it
                cancelOpUnlessEnded(true);
            };
            for (auto it = dstSecrets.begin(); it != dstSecrets.end(); ++it) {
                const QString name = it.key();
                if (!srcSecrets.contains(name)) {
                    LxdResult r;
                    r.kind = LxdResultKind::Failed;
                    r.error = u"the target expects the %1 socket, the source does not offer it"_s.arg(name);
                    return copyFailed(r);
                }
                relay->addPair(name, src,
                    src->operationWebsocketUrl(srcOp, srcSecrets.value(name).toString()), dst,
                    dst->operationWebsocketUrl(dstOp, it.value().toString()));
            }
            followOps();
        });
    });
}

void LxdMigration::Impl::followOps()
{
    QPointer<LxdMigration> g(q);
    progressTimer.start();
    // Each side's operation to its end; a failing side makes the other one stop (sideFailed).
    const auto follow = [this, g](LxdClient *client, const QString &op, quint64 &followId, bool &done,
                            LxdResult &opResult, bool source) {
        followId = client->followOperation(
            op,
            [this, g, &followId, &done, &opResult, source](const LxdResult &r, const Operation &) {
                if (!g)
                    return;
                followId = 0;
                done = true;
                opResult = r;
                if (!r.ok())
                    sideFailed(source);
                opFinished();
            },
            opTimeoutMs);
    };
    follow(src, srcOp, srcFollow, srcOpDone, srcOpResult, true);
    follow(dst, dstOp, dstFollow, dstOpDone, dstOpResult, false);
    if (cancelRequested) // cancel() came while the operations were being set up
        cancelOps();
}

// One side's operation failed (or could not be followed: the link to its server is cut). The
// other side must not wait for a peer that never comes: cancel its operation, stop the relay,
// and give it stallMs to end before the copy is declared failed with that side's state unknown.
void LxdMigration::Impl::sideFailed(bool sourceSide)
{
    if (relay)
        relay->abortAll();
    const bool otherDone = sourceSide ? dstOpDone : srcOpDone;
    if (otherDone)
        return;
    cancelOpUnlessEnded(!sourceSide);
    graceTimer.start(stallMs);
}

// Cancels one side's operation when its peer failed, after a moment in which it usually fails by
// itself (its peer gone), and only if it still runs then. Cancelling an operation at the moment
// it ends crashes LXD 5.0: Operation.Cancel calls the cancel hook that the end has just cleared
// (a nil pointer; seen in CI right after a target daemon was killed mid-copy). The moment makes
// that far less likely; it cannot rule it out inside the daemon.
void LxdMigration::Impl::cancelOpUnlessEnded(bool sourceSide)
{
    const QString op = sourceSide ? srcOp : dstOp;
    if (op.isEmpty())
        return;
    // (q as the context: the call is dropped if the migration is gone by then)
    QTimer::singleShot(std::clamp(stallMs / 4, 50, 1000), q, [this, sourceSide, op] {
        // (A new attempt since then has its own operations; the old one is cancelled as before.)
        const bool current = (sourceSide ? srcOp : dstOp) == op;
        if (current && (sourceSide ? srcOpDone : dstOpDone))
            return;
        (sourceSide ? src : dst)
            ->request(
                "DELETE", u"/1.0/operations/"_s + op, {}, [](const LxdResult &, const QJsonObject &) {});
    });
}

void LxdMigration::Impl::pollProgress()
{
    if (stage != MigrationStage::Copying)
        return progressTimer.stop();
    if (relay) {
        progress.bytes = relay->bytes;
        progress.bufferedBytes = relay->buffered();
        relayPeak = std::max({ relayPeak, relay->peakBuffered, progress.bufferedBytes });
        const double s = stageTimer.elapsed() / 1000.0;
        progress.bytesPerSecond = s > 0 ? relay->bytes / s : -1;
        progress.text = u"relayed %1 MB"_s.arg(double(relay->bytes) / 1e6, 0, 'f', 1);
        Q_EMIT q->progressChanged(progress);
        return;
    }
    QPointer<LxdMigration> g(q);
    for (auto [c, id, busyFlag] :
        { std::tuple { dst, dstOp, &dstPolling }, std::tuple { src, srcOp, &srcPolling } }) {
        if (id.isEmpty() || *busyFlag)
            continue;
        *busyFlag = true;
        c->request("GET", u"/1.0/operations/"_s + id, {},
            [this, g, flag = busyFlag](const LxdResult &r, const QJsonObject &env) {
                if (!g)
                    return;
                *flag = false;
                if (!r.ok() || stage != MigrationStage::Copying)
                    return;
                const Operation op = operationFromJson(meta(env));
                if (op.progressText.isEmpty())
                    return;
                progress.text = op.progressText;
                progress.percent = op.progressPercent;
                parseProgressText(op.progressText, &progress.bytes, &progress.bytesPerSecond);
                if (progress.bytes > result.bytes)
                    result.bytes = progress.bytes;
                Q_EMIT q->progressChanged(progress);
            });
    }
}

void LxdMigration::Impl::opFinished()
{
    if (!srcOpDone || !dstOpDone)
        return;
    graceTimer.stop();
    progressTimer.stop();
    if (relay) {
        result.bytes = relay->bytes;
        relayPeak = std::max(relayPeak, relay->peakBuffered);
        result.relayPeakBufferedBytes = relayPeak;
        relay->deleteLater();
        relay = nullptr;
    }
    if (!dstOpResult.ok())
        return copyFailed(dstOpResult);
    if (!srcOpResult.ok())
        return copyFailed(srcOpResult);
    stageResult(true, {}, migrationModeName(mode));
    if (!log(u"copied"_s))
        return;
    afterCopy();
}

void LxdMigration::Impl::copyFailed(const LxdResult &r)
{
    progressTimer.stop();
    graceTimer.stop();
    if (relay) {
        relayPeak = std::max(relayPeak, relay->peakBuffered);
        result.relayPeakBufferedBytes = relayPeak;
        relay->abortAll();
        relay->deleteLater();
        relay = nullptr;
    }
    // a follow still in flight must not call back into the next attempt
    if (srcFollow && !srcOpDone)
        src->cancel(srcFollow);
    if (dstFollow && !dstOpDone)
        dst->cancel(dstFollow);
    srcFollow = dstFollow = 0;
    const QString why = cancelRequested ? u"cancelled"_s : r.error;
    stageResult(false, why, migrationModeName(mode));
    const bool ours = targetCreateAccepted;
    if (!cancelRequested && !modesLeft.isEmpty() && r.kind != LxdResultKind::RefusedTrust) {
        // Auto: try the next mode, after removing what this attempt may have left
        result.leftovers.removeAll(QString());
        QPointer<LxdMigration> g(q);
        const QString attemptError = u"%1 failed: %2"_s.arg(migrationModeName(mode), r.error);
        exists(dst, target(), [this, g, ours, attemptError](int e) {
            if (e == 0)
                return copy();
            if (e == 1 && ours) {
                setStage(MigrationStage::RollingBack);
                dst->runAction(target(), InstanceAction::Delete, true,
                    [this, g, attemptError](const LxdResult &dr, const Operation &) {
                        if (!g)
                            return;
                        if (!dr.ok()) {
                            noteFailure(LxdResultKind::Failed, attemptError);
                            return rollback(true);
                        }
                        result.cleaned << u"partial target %1 of the %2 attempt"_s.arg(
                            dstLabel(), result.modesTried.last());
                        copy();
                    });
                return;
            }
            noteFailure(LxdResultKind::Failed, attemptError);
            rollback(ours);
        });
        return;
    }
    noteFailure(cancelRequested ? LxdResultKind::Cancelled : r.kind,
        cancelRequested ? u"cancelled"_s : u"copy (%1) failed: %2"_s.arg(migrationModeName(mode), r.error));
    rollback(ours);
}

void LxdMigration::Impl::verify(bool expectRunning, std::function<void(bool, const QString &, bool)> done)
{
    QPointer<LxdMigration> g(q);
    dst->request("GET", instPath(target()), {},
        [this, g, expectRunning, done](const LxdResult &r, const QJsonObject &env) {
            if (!g)
                return;
            if (!r.ok())
                return done(false, r.lxdErrorCode == 404 ? u"the target instance does not exist"_s : r.error,
                    r.lxdErrorCode != 404 && r.kind != LxdResultKind::Failed);
            const QJsonObject m = meta(env);
            const QJsonObject cfg = nonVolatile(m.value(u"config"_s).toObject());
            if (cfg != sourceConfig) {
                QStringList diff;
                for (auto it = sourceConfig.begin(); it != sourceConfig.end(); ++it)
                    if (cfg.value(it.key()) != it.value())
                        diff << it.key();
                for (auto it = cfg.begin(); it != cfg.end(); ++it)
                    if (!sourceConfig.contains(it.key()))
                        diff << it.key();
                return done(false,
                    u"the target's config differs (%1)"_s.arg(visibleText(diff.join(u", "_s), 200)), false);
            }
            if (stringList(m.value(u"profiles"_s)) != sourceProfiles)
                return done(false, u"the target's profiles differ"_s, false);
            const QString member = result.request.targetMember;
            if (!member.isEmpty() && locationOf(m) != member)
                return done(false,
                    u"the instance is on member %1, not %2"_s.arg(
                        visibleText(locationOf(m), 100), visibleText(member, 100)),
                    false);
            if (expectRunning && m.value(u"status"_s).toString() != u"Running")
                return done(false,
                    u"the target is %1, not running"_s.arg(visibleText(m.value(u"status"_s).toString(), 40)),
                    false);
            dst->request("GET", instPath(target()) + u"/snapshots"_s, {},
                [this, g, done](const LxdResult &sr, const QJsonObject &senv) {
                    if (!g)
                        return;
                    if (!sr.ok())
                        return done(false, sr.error, true);
                    const int want = result.request.instanceOnly ? 0 : plan.snapshotCount;
                    const int have = int(senv.value(u"metadata"_s).toArray().size());
                    if (have != want)
                        return done(
                            false, u"the target has %1 snapshots, expected %2"_s.arg(have).arg(want), false);
                    done(true, u"snapshots %1/%2"_s.arg(have).arg(want), false);
                });
        });
}

void LxdMigration::Impl::verifyStep(
    bool expectRunning, std::function<void(bool, const QString &, LxdResultKind)> done)
{
    QPointer<LxdMigration> g(q);
    verify(expectRunning, [this, g, done](bool ok, const QString &why, bool unreachable) {
        if (!g)
            return;
        stageResult(ok, ok ? QString() : why, ok ? why : QString());
        done(ok, why, unreachable ? LxdResultKind::Unreachable : LxdResultKind::Failed);
    });
}

void LxdMigration::Impl::startVerified(const QString &startFailed, const QString &verifyFailed,
    std::function<void(bool, const QString &, LxdResultKind)> done)
{
    setStage(MigrationStage::StartingTarget);
    if (!log(u"start-target"_s))
        return;
    QPointer<LxdMigration> g(q);
    dst->runAction(target(), InstanceAction::Start, false,
        [this, g, startFailed, verifyFailed, done](const LxdResult &r, const Operation &) {
            if (!g)
                return;
            if (!r.ok()) {
                stageResult(false, r.error);
                return done(false, startFailed + r.error, r.kind);
            }
            verifyStep(true, [verifyFailed, done](bool ok, const QString &why, LxdResultKind kind) {
                done(ok, ok ? why : verifyFailed + why, kind);
            });
        });
}

void LxdMigration::Impl::afterCopy()
{
    if (cancelRequested)
        return rollback(true);
    setStage(MigrationStage::Verifying);
    verifyStep(false, [this](bool ok, const QString &why, LxdResultKind kind) {
        if (cancelRequested) // cancelled while verifying: the target was not verified yet
            return rollback(targetCreateAccepted);
        if (!ok) {
            noteFailure(kind, u"verifying the target failed: "_s + why);
            return rollback(targetCreateAccepted);
        }
        result.targetExists = true;
        if (plan.sourceRunning)
            return startTarget();
        result.targetVerified = true;
        if (!log(u"verified"_s))
            return;
        deleteSource();
    });
}

void LxdMigration::Impl::startTarget()
{
    if (cancelRequested)
        return rollback(true);
    startVerified(u"starting the target failed: "_s, u"verifying the started target failed: "_s,
        [this](bool ok, const QString &why, LxdResultKind kind) {
            if (!ok) // (after a cancel the error says "cancelled" already)
                noteFailure(kind, why);
            if (!ok || cancelRequested)
                return rollback(targetCreateAccepted);
            result.targetVerified = true;
            if (!log(u"verified"_s, { { u"running"_s, true } }))
                return;
            deleteSource();
        });
}

void LxdMigration::Impl::deleteSource()
{
    setStage(MigrationStage::DeletingSource);
    result.targetExists = true;
    result.targetVerified = true;
    if (!log(u"delete-source"_s))
        return;
    QPointer<LxdMigration> g(q);
    src->runAction(result.request.instance, InstanceAction::Delete, false,
        [this, g](const LxdResult &r, const Operation &) {
            if (!g)
                return;
            if (r.ok()) {
                stageResult(true);
                result.sourceExists = false;
                return complete(true, MigrationAuthority::Target, u"done"_s);
            }
            stageResult(false, r.error);
            noteFailure(r.kind, u"the target was verified, but deleting the source failed: "_s + r.error);
            exists(src, result.request.instance, [this](int e) {
                result.sourceExists = e != 0;
                if (e == 0)
                    return complete(true, MigrationAuthority::Target, u"done"_s);
                result.leftovers
                    << u"two copies: the source %1 still exists (stopped); the verified target %2 is "
                       "authoritative: delete the source when you can"_s.arg(srcLabel(), dstLabel());
                complete(false, MigrationAuthority::Target, u"two-copies"_s);
            });
        });
}

// ---- member moves: one cluster, one copy ------------------------------------------------------
// LXD moves the instance between members itself (POST /1.0/instances/NAME?target=MEMBER
// {"migration": true}). Canyon creates and deletes nothing: where the one copy is after the
// operation (its "location") decides success or rollback, never the operation's word alone.

void LxdMigration::Impl::moveMember()
{
    if (cancelRequested) {
        setStage(MigrationStage::RollingBack);
        return restartSource([this] { complete(false, MigrationAuthority::Source, u"cancelled"_s); });
    }
    startAttempt(MigrationMode::Member);
    dstOpDone = true; // there is no target operation
    if (!log(u"copy"_s,
            { { u"mode"_s, migrationModeName(mode) }, { u"target_member"_s, result.request.targetMember } }))
        return;
    const QJsonObject body { { u"name"_s, result.request.instance }, { u"migration"_s, true },
        { u"live"_s, false } };
    QPointer<LxdMigration> g(q);
    src->request("POST", instPath(result.request.instance) + u"?target="_s + enc(result.request.targetMember),
        body, [this, g](LxdResult r, const QJsonObject &env) {
            if (!g)
                return;
            const QJsonObject op
                = asyncOperation(r, env, u"the cluster did not answer with a move operation"_s);
            if (!r.ok())
                return memberMoveEnded(r);
            srcOp = op.value(u"id"_s).toString();
            if (!log(u"source-operation"_s, { { u"operation"_s, srcOp } }))
                return;
            progressTimer.start();
            srcFollow = src->followOperation(
                srcOp,
                [this, g](const LxdResult &fr, const Operation &) {
                    if (!g)
                        return;
                    srcFollow = 0;
                    srcOpDone = true;
                    memberMoveEnded(fr);
                },
                opTimeoutMs);
            if (cancelRequested) // cancel() came while the move was being set up
                cancelOps();
        });
}

void LxdMigration::Impl::memberMoveEnded(const LxdResult &r)
{
    progressTimer.stop();
    QPointer<LxdMigration> g(q);
    src->request("GET", instPath(result.request.instance), {},
        [this, g, r](const LxdResult &ir, const QJsonObject &env) {
            if (!g)
                return;
            const QString member = result.request.targetMember;
            if (!ir.ok()) {
                stageResult(false, r.ok() ? ir.error : r.error, migrationModeName(mode));
                noteFailure(ir.lxdErrorCode == 404 ? LxdResultKind::Failed : LxdResultKind::Unreachable,
                    u"the member move ended (%1), but where %2 is now could not be checked: %3"_s.arg(
                        r.ok() ? u"done"_s : r.error, srcLabel(), ir.error));
                result.leftovers
                    << u"where %1 is could not be checked: nothing else was done; rerun to resolve"_s.arg(
                           srcLabel());
                return complete(false, MigrationAuthority::Unknown, u"unknown"_s, false);
            }
            const QString at = locationOf(meta(env));
            if (at == member) {
                memberMoved = true;
                thenFresh = nullptr; // (a recovered move completes: nothing to run again)
                stageResult(true, {}, u"member %1 -> %2"_s.arg(plan.sourceMember, member));
                if (!log(u"copied"_s, { { u"location"_s, at } }))
                    return;
                return memberVerify();
            }
            // the one copy is still where it was: nothing moved
            const QString why = cancelRequested ? u"cancelled"_s
                : r.ok()                        ? u"LXD reported the move done, but %1 is on member %2"_s.arg(
                                             srcLabel(), visibleText(at, 100))
                         : r.error;
            stageResult(false, why, migrationModeName(mode));
            noteFailure(
                cancelRequested ? LxdResultKind::Cancelled : (r.ok() ? LxdResultKind::Failed : r.kind),
                cancelRequested ? why : u"the member move failed: "_s + why);
            setStage(MigrationStage::RollingBack);
            log(u"rollback"_s);
            result.sourceExists = true;
            result.targetExists = false;
            endRolledBack();
        });
}

void LxdMigration::Impl::memberVerify()
{
    setStage(MigrationStage::Verifying);
    result.sourceExists = false; // one copy: it left the source member
    result.targetExists = true;
    verifyStep(false, [this](bool ok, const QString &why, LxdResultKind kind) {
        if (!ok)
            return memberSettle(u"verifying the moved instance failed: "_s + why, kind);
        if (!plan.sourceRunning) {
            result.targetVerified = true;
            if (log(u"verified"_s))
                complete(true, MigrationAuthority::Target, u"done"_s);
            return;
        }
        startVerified(u"starting it on member %1 failed: "_s.arg(result.request.targetMember),
            u"verifying the started instance failed: "_s,
            [this](bool sok, const QString &swhy, LxdResultKind skind) {
                if (!sok)
                    return memberSettle(swhy, skind);
                result.targetVerified = true;
                if (log(u"verified"_s, { { u"running"_s, true } }))
                    complete(true, MigrationAuthority::Target, u"done"_s);
            });
    });
}

// The instance moved (its one copy is on the target member) but what followed failed.
void LxdMigration::Impl::memberSettle(const QString &why, LxdResultKind kind)
{
    noteFailure(kind, why);
    result.leftovers << u"%1 moved to member %2 (the only copy) but %3: look at it there"_s.arg(
        srcLabel(), visibleText(result.request.targetMember, 100), why);
    complete(false, MigrationAuthority::Target, u"failed"_s);
}

// A member move's journal left open by a killed console: wait for its operation, then the
// instance's location says whether it moved (verify, start) or not (start it again if stopped).
void LxdMigration::Impl::recoverMember(const QList<QJsonObject> &recs)
{
    mode = MigrationMode::Member;
    result.mode = mode;
    result.modesTried = { migrationModeName(mode) };
    plan.mode = mode;
    plan.sourceMember = recs.value(0).value(u"source_member"_s).toString();
    bool copied = false;
    for (const QJsonObject &r : recs)
        copied = copied || r.value(u"step"_s).toString() == u"copied";
    QPointer<LxdMigration> g(q);
    auto decide = [this, g] {
        if (!g)
            return;
        // the operation's own word is not needed: where the instance is decides
        LxdResult stopped;
        stopped.kind = LxdResultKind::Failed;
        stopped.error = u"the console stopped before the move ended"_s;
        memberMoveEnded(stopped);
    };
    if (!srcOp.isEmpty() && !copied) {
        setStage(MigrationStage::Copying);
        src->followOperation(
            srcOp,
            [g, decide](const LxdResult &, const Operation &) {
                if (g)
                    decide();
            },
            opTimeoutMs);
        return;
    }
    decide();
}

void LxdMigration::Impl::restartSource(std::function<void()> next)
{
    if (!stoppedSource || !plan.sourceRunning)
        return next();
    QPointer<LxdMigration> g(q);
    src->runAction(result.request.instance, InstanceAction::Start, false,
        [this, g, next](const LxdResult &r, const Operation &) {
            if (!g)
                return;
            if (!r.ok() && !r.error.contains(u"already running"_s))
                result.leftovers
                    << u"the source %1 was stopped for the move and could not be started again: %2"_s.arg(
                           srcLabel(), r.error);
            next();
        });
}

void LxdMigration::Impl::rollback(bool targetIsOurs)
{
    setStage(MigrationStage::RollingBack);
    log(u"rollback"_s);
    QPointer<LxdMigration> g(q);
    exists(src, result.request.instance, [this, g, targetIsOurs](int srcState) {
        result.sourceExists = srcState != 0;
        exists(dst, target(), [this, g, targetIsOurs, srcState](int dstState) {
            const auto end = [this, srcState](bool targetLeft) {
                result.targetExists = targetLeft;
                if (srcState == 1) {
                    stageResult(true);
                    return endRolledBack();
                }
                // the source is unreachable (or gone, which Canyon never does before verification)
                stageResult(false, u"the source could not be checked"_s);
                result.leftovers
                    << u"the source %1 could not be checked: nothing was deleted; rerun to resolve"_s.arg(
                           srcLabel());
                complete(false, MigrationAuthority::Unknown, u"unknown"_s, false);
            };
            if (dstState == 0)
                return end(false);
            if (dstState == -1) {
                result.leftovers
                    << u"the target %1 could not be checked: a partial copy may be left there (never "
                       "verified, not authoritative)"_s.arg(dstLabel());
                if (srcState == 1) {
                    stageResult(false, u"target unreachable"_s);
                    // keep the journal open: a rerun removes the partial target once reachable
                    return restartSource(
                        [this] { complete(false, MigrationAuthority::Source, u"rolled-back"_s, false); });
                }
                return end(true);
            }
            if (!targetIsOurs) {
                result.leftovers << u"%1 exists on the target but Canyon did not create it: left alone"_s.arg(
                    dstLabel());
                return end(false);
            }
            dst->runAction(target(), InstanceAction::Delete, true,
                [this, g, end](const LxdResult &r, const Operation &) {
                    if (!g)
                        return;
                    if (r.ok()) {
                        result.cleaned << u"partial target %1 (never verified)"_s.arg(dstLabel());
                        return end(false);
                    }
                    result.leftovers
                        << u"partial target %1 (never verified, not authoritative) could not be deleted: %2"_s
                               .arg(dstLabel(), r.error);
                    end(true);
                });
        });
    });
}

// Rolled back: the source is authoritative (started again if it was stopped for the move). A
// recovery that rolled back runs the rerun's own request next; anything else ends here.
void LxdMigration::Impl::endRolledBack()
{
    restartSource([this] {
        if (thenFresh && result.leftovers.isEmpty()) {
            journal.append(u"end"_s, { { u"authoritative"_s, u"source"_s } });
            journal.close(u"rolled-back"_s);
            const auto next = std::move(thenFresh);
            thenFresh = nullptr;
            return next();
        }
        complete(false, MigrationAuthority::Source, u"rolled-back"_s);
    });
}

void LxdMigration::Impl::fail(LxdResultKind kind, const QString &error, MigrationAuthority authority)
{
    noteFailure(kind, error);
    complete(false, authority, u"failed"_s, authority != MigrationAuthority::Unknown);
}

void LxdMigration::Impl::complete(
    bool ok, MigrationAuthority authority, const QString &outcome, bool closeJournal)
{
    if (finished)
        return;
    finished = true;
    progressTimer.stop();
    result.ok = ok;
    if (ok) {
        result.kind = LxdResultKind::Ok;
        result.error.clear();
    }
    result.authoritative = authority;
    if (authority == MigrationAuthority::Source)
        result.targetVerified = false;
    if (relayPeak >= 0)
        result.relayPeakBufferedBytes = relayPeak;
    graceTimer.stop();
    result.wallMs = wall.isValid() ? wall.elapsed() : 0;
    if (journal.isOpen()) {
        QJsonObject rec { { u"ok"_s, ok }, { u"authoritative"_s, migrationAuthorityName(authority) },
            { u"error"_s, result.error }, { u"leftovers"_s, QJsonArray::fromStringList(result.leftovers) } };
        journal.append(u"end"_s, rec);
        if (closeJournal)
            journal.close(outcome);
    }
    lock.release(); // the journal (when left open) says what a rerun has to resolve
    stage = ok ? MigrationStage::Done : MigrationStage::Failed;
    progress.stage = stage;
    Q_EMIT q->stageChanged(stage);
    Q_EMIT q->finished(result);
    if (onEnd)
        onEnd(q);
}

// A journal left open by a console that died: look at both hosts and finish or roll back.
// Forward only when the copy is proven complete (the journal says copied/verified, or the
// target's own operation ended in Success); anything else rolls back to the intact source.
void LxdMigration::Impl::recover(const QString &path, std::function<void()> fresh)
{
    result.recovered = true;
    setStage(MigrationStage::Planning);
    const QList<QJsonObject> recs = MigrationJournal::read(path);
    QSet<QString> steps;
    QString last;
    for (const QJsonObject &r : recs) {
        const QString s = r.value(u"step"_s).toString();
        if (s != u"recover" && s != u"end")
            last = s;
        steps.insert(s);
        if (s == u"target-operation")
            dstOp = r.value(u"operation"_s).toString();
        if (s == u"source-operation")
            srcOp = r.value(u"operation"_s).toString();
        if (s == u"copy") {
            parseMigrationMode(r.value(u"mode"_s).toString(), &mode);
            dstOp.clear(); // a new attempt: only its own target operation counts
            srcOp.clear();
        }
    }
    const QJsonObject head = recs.value(0);
    const MigrationRequest asked = result.request;
    result.request = requestFromJson(head);
    {
        // the journal's own hosts (the rerun may be a different migration touching the instance)
        QString err;
        LxdClient *s = clients(result.request.sourceHost, &err);
        LxdClient *t = s ? clients(result.request.targetHost, &err) : nullptr;
        if (!s || !t)
            return fail(LxdResultKind::Failed, err, MigrationAuthority::Unknown);
        src = s;
        dst = t;
    }
    result.id = QFileInfo(path).completeBaseName();
    result.mode = mode;
    result.modesTried = { migrationModeName(mode) };
    plan.sourceRunning = head.value(u"source_running"_s).toBool();
    plan.snapshotCount = head.value(u"snapshot_count"_s).toInt();
    sourceConfig = head.value(u"config"_s).toObject();
    sourceProfiles = stringList(head.value(u"profiles"_s));
    stoppedSource = steps.contains(u"stop-source"_s);
    targetCreateAccepted = !dstOp.isEmpty();
    QString err;
    if (!journal.reopen(path, &err))
        return fail(LxdResultKind::Failed, err, MigrationAuthority::Unknown);
    log(u"recover"_s);
    const bool memberJournal = result.request.isMemberMove();
    if (fresh)
        thenFresh = [this, fresh, asked] {
            // the interrupted attempt is resolved (source authoritative): run what was asked now
            result.request = asked;
            result.error.clear();
            result.kind = LxdResultKind::Ok;
            result.modesTried.clear();
            result.sourceExists = true;
            result.targetExists = false;
            stoppedSource = false;
            targetCreateAccepted = false;
            srcOp.clear();
            dstOp.clear();
            fresh();
        };
    if (memberJournal)
        return recoverMember(recs);
    QPointer<LxdMigration> g(q);
    const bool journalProves = steps.contains(u"copied"_s) || steps.contains(u"verified"_s);
    // A rollback was begun: the user was told the source is authoritative (and a running source
    // was started again, so it may have changed since). Never go forward to that target copy.
    const bool rolledBack = steps.contains(u"rollback"_s) && !steps.contains(u"verified"_s);
    auto decide = [this, g, journalProves, rolledBack, last](bool opSucceeded) {
        exists(src, result.request.instance, [this, g, journalProves, rolledBack, last, opSucceeded](int s) {
            exists(dst, target(), [this, g, journalProves, rolledBack, last, opSucceeded, s](int t) {
                if (!g)
                    return;
                result.sourceExists = s != 0;
                result.targetExists = t == 1;
                stageResult(true, {}, u"journal %1: last step %2"_s.arg(result.id, last));
                if (s == -1 || t == -1) {
                    result.leftovers
                        << u"a host could not be reached: the journal %1 stays open; rerun to resolve"_s.arg(
                               result.id);
                    thenFresh = nullptr;
                    return fail(LxdResultKind::Unreachable,
                        u"cannot resolve the unfinished migration %1: a host is unreachable"_s.arg(result.id),
                        MigrationAuthority::Unknown);
                }
                if (t == 1 && (s == 0 || (!rolledBack && (journalProves || opSucceeded)))) {
                    // The copy completed: verify it now and move forward.
                    setStage(MigrationStage::Verifying);
                    return verify(false, [this, g, s](bool ok, const QString &why, bool) {
                        if (!g)
                            return;
                        stageResult(ok, ok ? QString() : why);
                        if (!ok) {
                            noteFailure(
                                LxdResultKind::Failed, u"the interrupted copy did not verify: "_s + why);
                            return rollback(targetCreateAccepted);
                        }
                        result.targetExists = true;
                        if (s == 0) {
                            result.targetVerified = true;
                            result.sourceExists = false;
                            return complete(true, MigrationAuthority::Target, u"done"_s);
                        }
                        thenFresh = nullptr; // the move completes; nothing to run again
                        if (plan.sourceRunning)
                            return startTarget();
                        result.targetVerified = true;
                        if (log(u"verified"_s))
                            deleteSource();
                    });
                }
                if (t == 1)
                    noteFailure(LxdResultKind::Failed,
                        u"the console stopped during the copy; the partial target was never verified"_s);
                rollback(targetCreateAccepted);
            });
        });
    };
    // A pull/push copy goes on inside LXD without the console: wait for it to end first.
    if (!dstOp.isEmpty() && !journalProves) {
        setStage(MigrationStage::Copying);
        dst->followOperation(
            dstOp,
            [g, decide](const LxdResult &r, const Operation &) {
                if (g)
                    decide(r.ok());
            },
            opTimeoutMs);
        return;
    }
    decide(false);
}

// ------------------------------------------------------------------------------------------------

LxdMigrator::LxdMigrator(LxdClientProvider clients, const QString &stateDir, QObject *parent)
    : QObject(parent)
    , m_clients(std::move(clients))
    , m_stateDir(stateDir)
{
    qRegisterMetaType<canyon::MigrationProgress>();
    qRegisterMetaType<canyon::MigrationResult>();
}

LxdMigrator::~LxdMigrator() = default;

void LxdMigrator::plan(const MigrationRequest &request, std::function<void(const MigrationPlan &)> done)
{
    QString err;
    MigrationPlan p;
    p.request = request;
    LxdClient *src = m_clients(request.sourceHost, &err);
    if (!src)
        p.problems << MigrationProblem { MigrationProblem::Kind::HostUnknown, request.sourceHost, err };
    LxdClient *dst = m_clients(request.targetHost, &err);
    if (!dst)
        p.problems << MigrationProblem { MigrationProblem::Kind::HostUnknown, request.targetHost, err };
    if (!src || !dst)
        return done(p);
    QPointer<LxdMigrator> g(this);
    const QString stateDir = m_stateDir;
    const auto gather = [src, dst, request](std::function<void(const PlanData &)> next) {
        if (request.isMemberMove())
            gatherMemberPlan(src, request, std::move(next));
        else
            gatherPlan(src, dst, request, std::move(next));
    };
    gather([g, done, stateDir, request](const PlanData &pd) {
        if (!g)
            return;
        MigrationPlan plan = pd.plan;
        MigrationLock probe; // is a migration of it running right now (here or elsewhere)?
        QString busyKey;
        if (!probe.acquire(stateDir,
                { MigrationLock::key(request.sourceHost, request.instance),
                    MigrationLock::key(request.targetHost, request.effectiveTargetName()) },
                &busyKey)
            && !busyKey.isEmpty())
            plan.problems << MigrationProblem { MigrationProblem::Kind::Busy, request.instance,
                u"a migration of %1 is running now"_s.arg(visibleText(busyKey, 200)) };
        probe.release();
        for (const QString &path : MigrationJournal::openJournals(stateDir)) {
            const MigrationRequest old = requestFromJson(MigrationJournal::read(path).value(0));
            if (old.sourceHost == request.sourceHost && old.instance == request.instance)
                plan.problems << MigrationProblem { MigrationProblem::Kind::Busy, request.instance,
                    u"an unfinished migration of %1 is in the journal (%2): starting resolves it first"_s.arg(
                        visibleText(request.instance, 100), QFileInfo(path).completeBaseName()) };
        }
        // Busy is informational for a caller that will start(): it resolves the journal itself.
        done(plan);
    });
}

LxdMigration *LxdMigrator::start(const MigrationRequest &request)
{
    auto *m = new LxdMigration(m_nextId++, request, this);
    m->d->clients = m_clients;
    m->d->stateDir = m_stateDir;
    m->d->opTimeoutMs = m_operationTimeoutMs;
    m->d->stallMs = m_stallTimeoutMs;
    m->d->onEnd = [this](LxdMigration *x) { release(x); };
    // Claimed now, synchronously: of two migrations of one instance started at the same moment
    // (here or in another console), the second is refused before it sends a single request.
    QString busyKey, err;
    if (!m->d->lock.acquire(m_stateDir,
            { MigrationLock::key(request.sourceHost, request.instance),
                MigrationLock::key(request.targetHost, request.effectiveTargetName()) },
            &busyKey, &err))
        m->d->busy = busyKey.isEmpty()
            ? err
            : u"another migration of %1 is running now (in this or another console): refused, nothing was changed"_s
                  .arg(visibleText(busyKey, 200));
    m_queue << m;
    Q_EMIT migrationStarted(m);
    QMetaObject::invokeMethod(this, &LxdMigrator::pump, Qt::QueuedConnection);
    return m;
}

LxdMigration *LxdMigrator::recover(const QString &journalId)
{
    const QString path = QDir(MigrationJournal::dir(m_stateDir)).filePath(journalId + u".jsonl"_s);
    const MigrationRequest req = requestFromJson(MigrationJournal::read(path).value(0));
    LxdMigration *m = start(req);
    m->d->recoverPath = path;
    return m;
}

QList<LxdMigration *> LxdMigrator::migrations() const
{
    return m_running + m_queue;
}

QList<LxdMigrator::OpenJournal> LxdMigrator::openJournals() const
{
    QList<OpenJournal> out;
    for (const QString &path : MigrationJournal::openJournals(m_stateDir)) {
        const QList<QJsonObject> recs = MigrationJournal::read(path);
        OpenJournal j;
        j.path = path;
        j.id = QFileInfo(path).completeBaseName();
        j.request = requestFromJson(recs.value(0));
        for (const QJsonObject &r : recs)
            if (r.value(u"step"_s).toString() != u"recover")
                j.lastStep = r.value(u"step"_s).toString();
        out << j;
    }
    return out;
}

void LxdMigrator::pump()
{
    for (qsizetype i = 0; i < m_queue.size();) {
        LxdMigration *m = m_queue.at(i);
        if (m->d->finished) { // cancelled while queued
            m_queue.removeAt(i);
            continue;
        }
        if (!m->d->busy.isEmpty()) { // refused at once: it takes no slot
            m_queue.removeAt(i);
            m->d->run();
            continue;
        }
        const QString a = m->request().sourceHost;
        const QString b = m->request().targetHost;
        if (m_busy.value(a) >= m_maxPerHost || m_busy.value(b) >= m_maxPerHost) {
            ++i;
            continue;
        }
        m_queue.removeAt(i);
        m_running << m;
        m_busy[a] += 1;
        if (b != a)
            m_busy[b] += 1;
        m->d->run();
    }
}

void LxdMigrator::release(LxdMigration *m)
{
    if (m_running.removeOne(m)) {
        m_busy[m->request().sourceHost] -= 1;
        if (m->request().targetHost != m->request().sourceHost)
            m_busy[m->request().targetHost] -= 1;
    }
    m_queue.removeOne(m);
    Q_EMIT migrationFinished(m, m->result());
    QMetaObject::invokeMethod(this, &LxdMigrator::pump, Qt::QueuedConnection);
}

} // namespace canyon
