// SPDX-License-Identifier: GPL-3.0-or-later
// canyonctl commands for LXD hosts (CLI.md: hosts add --lxd, instances).
#include "LxdClient.h"
#include "LxdClientCertificate.h"
#include "LxdMetrics.h"
#include "LxdService.h"
#include "LxdSshTransport.h"
#include "domain/PlainText.h"
#include "fleet/CtlArgs.h"
#include "fleet/CtlCommands.h"
#include "fleet/FleetService.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

// https://HOST[:PORT] -> https://host:port (8443 by default); false with a reason on anything else.
bool parseLxdUrl(const QString &text, QUrl *out, QString *error)
{
    QUrl u(text, QUrl::StrictMode);
    if (!u.isValid() || u.scheme() != u"https" || u.host().isEmpty() || !u.userInfo().isEmpty()
        || (!u.path().isEmpty() && u.path() != u"/") || u.hasQuery() || u.hasFragment()) {
        *error = u"--lxd needs https://HOST[:PORT], got %1"_s.arg(text);
        return false;
    }
    QUrl clean;
    clean.setScheme(u"https"_s);
    clean.setHost(u.host());
    clean.setPort(u.port(8443));
    *out = clean;
    return true;
}

// The global SSH options (before the command) as FleetService takes them: --ssh-config,
// --known-hosts, --kex. CtlCommands::start() has validated them already.
SshOptions globalSshOptions(const QStringList &args)
{
    SshOptions o;
    for (qsizetype i = 0; i + 1 < args.size() && args.at(i).startsWith(u"--"); i += 2) {
        if (args.at(i) == u"--ssh-config")
            o.sshConfigFile = args.at(i + 1);
        else if (args.at(i) == u"--known-hosts")
            o.userKnownHostsFile = args.at(i + 1);
        else if (args.at(i) == u"--kex")
            o.kex = args.at(i + 1);
    }
    return o;
}

QString mib(qint64 bytes)
{
    return QLocale::c().toString(double(bytes) / (1024.0 * 1024.0), 'f', 1) + u" MiB"_s;
}

} // namespace

void CtlCommands::hostsAddLxdSsh(QStringList args)
{
    const Parsed p = parseArgs(args, { u"--lxd-ssh"_s, u"--lxd-socket"_s, u"--identity"_s, u"--group"_s },
        { u"--offline"_s, u"--accept-new-host-key"_s });
    if (!p.error.isEmpty())
        return finish(2, u"hosts add --lxd-ssh: "_s + p.error);
    if (p.positional.size() != 1)
        return finish(2, u"hosts add: expected exactly one NAME"_s);
    HostConfig h;
    h.name = p.positional.first();
    h.kind = HostKind::Lxd;
    h.group = p.values.value(u"--group"_s);
    LxdSshEndpoint e;
    QString error;
    if (!SshTarget::parse(p.values.value(u"--lxd-ssh"_s), &e.target, &error))
        return finish(2, u"--lxd-ssh: "_s + error);
    QStringList sockets = LxdSshEndpoint::defaultSocketPaths();
    if (p.values.contains(u"--lxd-socket"_s)) {
        LxdSshEndpoint check;
        if (!LxdSshEndpoint::parseUrl(
                u"ssh://"_s + e.target.toString() + p.values.value(u"--lxd-socket"_s), &check, &error)
            || !p.values.value(u"--lxd-socket"_s).startsWith(u'/'))
            return finish(2, u"--lxd-socket needs an absolute path to LXD's unix socket"_s);
        sockets = { check.socketPath };
    }
    if (p.values.contains(u"--identity"_s)) {
        h.identityFile = QDir(p.values.value(u"--identity"_s)).absolutePath();
        if (!QFileInfo::exists(h.identityFile))
            return finish(2, u"no such identity file: %1"_s.arg(h.identityFile));
    }
    if (m_fleet->host(h.name))
        return finish(2, u"a host named %1 exists already"_s.arg(h.name));
    if (p.flags.contains(u"--offline"_s)) {
        e.socketPath = sockets.constFirst();
        h.lxdUrl = e.toUrl();
        if (!m_fleet->addHost(h, &error))
            return finish(2, error);
        m_out << "added " << visibleText(h.name) << " (" << visibleText(h.lxdUrl)
              << ", offline: not contacted, no host key recorded)" << Qt::endl;
        return finish(0);
    }
    e.socketPath = sockets.constFirst();
    h.lxdUrl = e.toUrl();
    LxdClient *client = LxdService::makeClient(h, m_fleet->config(), globalSshOptions(m_args),
        p.flags.contains(u"--accept-new-host-key"_s), &error, this);
    if (!client)
        return finish(2, error);
    // Try the socket paths in turn: a path without LXD gives "would not open", not an HTTP answer.
    auto tryNext = std::make_shared<std::function<void(qsizetype)>>();
    *tryNext = [this, client, h, e, sockets, tryNext](qsizetype i) mutable {
        client->sshTransport()->setSocketPath(sockets.at(i));
        client->fetchServer(
            [this, client, h, e, sockets, tryNext, i](const LxdResult &r, const LxdServerInfo &info) mutable {
                if (!r.ok() && r.kind == LxdResultKind::Failed && r.httpStatus == 0 && i + 1 < sockets.size())
                    return (*tryNext)(i + 1);
                *tryNext = nullptr; // the recursion's last user: break the cycle
                if (!r.ok()) {
                    QString hint;
                    if (r.error.contains(u"unknown host key"))
                        hint = u" (pass --accept-new-host-key to trust it)"_s;
                    else if (r.kind == LxdResultKind::Unreachable)
                        hint = u" (pass --offline to add it without connecting)"_s;
                    return finish(2, r.error + hint);
                }
                e.socketPath = sockets.at(i);
                h.lxdUrl = e.toUrl();
                QString err;
                if (!m_fleet->addHost(h, &err))
                    return finish(2, err);
                const HostKeyInfo key = client->sshTransport()->lastHostKey();
                m_out << "added " << visibleText(h.name) << " (" << visibleText(h.lxdUrl) << ", LXD "
                      << visibleText(info.serverVersion, 40) << ", host key " << key.keyType << ' '
                      << key.sha256 << ')' << Qt::endl;
                finish(0);
            });
    };
    (*tryNext)(0);
}

void CtlCommands::hostsAddLxd(QStringList args)
{
    if (args.contains(u"--lxd-ssh"_s) || std::any_of(args.cbegin(), args.cend(), [](const QString &a) {
            return a.startsWith(u"--lxd-ssh=");
        }))
        return hostsAddLxdSsh(args);
    const Parsed p = parseArgs(args,
        { u"--lxd"_s, u"--trust-token"_s, u"--trust-password"_s, u"--accept-certificate"_s, u"--group"_s },
        { u"--offline"_s });
    if (!p.error.isEmpty())
        return finish(2, u"hosts add --lxd: "_s + p.error);
    if (p.positional.size() != 1)
        return finish(2, u"hosts add: expected exactly one NAME"_s);
    if (p.values.contains(u"--trust-token"_s) && p.values.contains(u"--trust-password"_s))
        return finish(2, u"hosts add --lxd: give --trust-token or --trust-password, not both"_s);
    HostConfig h;
    h.name = p.positional.first();
    h.kind = HostKind::Lxd;
    h.group = p.values.value(u"--group"_s);
    QUrl url;
    QString error;
    if (!parseLxdUrl(p.values.value(u"--lxd"_s), &url, &error))
        return finish(2, error);
    h.lxdUrl = url.toString();
    if (p.values.contains(u"--accept-certificate"_s)) {
        h.lxdCertificateSha256 = normalizeSha256(p.values.value(u"--accept-certificate"_s));
        if (h.lxdCertificateSha256.isEmpty())
            return finish(2,
                u"--accept-certificate needs a SHA256 fingerprint: 64 hex digits, or 32 colon-separated pairs"_s);
    }
    if (m_fleet->host(h.name))
        return finish(2, u"a host named %1 exists already"_s.arg(h.name));
    if (p.flags.contains(u"--offline"_s)) {
        if (h.lxdCertificateSha256.isEmpty())
            return finish(2,
                u"hosts add --lxd --offline needs --accept-certificate SHA256 (nothing to pin otherwise)"_s);
        if (!m_fleet->addHost(h, &error))
            return finish(2, error);
        m_out << "added " << visibleText(h.name) << " (" << h.lxdUrl
              << ", offline: not contacted, certificate SHA256 " << h.lxdCertificateSha256 << ')' << Qt::endl;
        return finish(0);
    }
    LxdClientCertificate identity;
    if (!LxdClientCertificate::ensure(m_fleet->config().configDir(), &identity, &error))
        return finish(2, error);
    const QString secret = p.values.value(u"--trust-token"_s, p.values.value(u"--trust-password"_s));
    const bool haveSecret = p.values.contains(u"--trust-token"_s) || p.values.contains(u"--trust-password"_s);
    auto *client = new LxdClient(url, h.lxdCertificateSha256, identity, this);

    auto added = [this, h](const LxdServerInfo &info) {
        QString err;
        if (!m_fleet->addHost(h, &err))
            return finish(2, err);
        m_out << "added " << visibleText(h.name) << " (" << h.lxdUrl << ", LXD "
              << visibleText(info.serverVersion, 40) << ", certificate SHA256 " << h.lxdCertificateSha256
              << ", client certificate trusted)" << Qt::endl;
        finish(0);
    };
    auto refused = [this, h](const LxdResult &r) {
        if (r.certificateNotPinned)
            return finish(2,
                u"the server certificate of %1 is not trusted yet: SHA256 %2 (check it, then pass "
                "--accept-certificate %2 to pin it)"_s.arg(h.lxdUrl, r.serverSha256));
        if (r.kind == LxdResultKind::Unreachable)
            return finish(
                2, r.error + u" (pass --offline with --accept-certificate to add it without connecting)"_s);
        finish(2, r.error);
    };
    client->fetchServer([this, client, haveSecret, secret, added, refused](
                            const LxdResult &r, const LxdServerInfo &info) {
        if (!r.ok())
            return refused(r);
        if (info.trusted)
            return added(info);
        if (!haveSecret)
            return finish(2,
                u"%1 does not trust Canyon's client certificate yet: pass --trust-token T or "
                "--trust-password P"_s.arg(client->url().toString()));
        client->trust(secret, [this, client, added, refused](const LxdResult &tr) {
            if (!tr.ok())
                return refused(tr);
            // confirm from the server's own view that the certificate is trusted now
            client->fetchServer([this, added, refused](const LxdResult &r2, const LxdServerInfo &info2) {
                if (!r2.ok())
                    return refused(r2);
                if (!info2.trusted)
                    return finish(2,
                        u"the LXD server accepted the trust request but still reports the client as untrusted"_s);
                added(info2);
            });
        });
    });
}

void CtlCommands::instances(QStringList args)
{
    const Parsed p = parseArgs(args, { u"--timeout"_s }, { u"--json"_s });
    if (!p.error.isEmpty())
        return finish(2, u"instances: "_s + p.error);
    m_json = p.flags.contains(u"--json"_s);
    int timeoutMs = 30000;
    if (!timeoutOption(p, &timeoutMs))
        return finish(2, u"--timeout needs a positive number of seconds"_s);
    QList<HostConfig> hosts;
    for (const QString &n : p.positional) {
        const auto h = m_fleet->host(n);
        if (!h)
            return finish(2, u"no host named %1"_s.arg(n));
        if (h->kind != HostKind::Lxd)
            return finish(2, u"%1 is not an LXD host"_s.arg(n));
        hosts << *h;
    }
    if (p.positional.isEmpty())
        for (const HostConfig &h : m_fleet->hosts())
            if (h.kind == HostKind::Lxd)
                hosts << h;
    if (hosts.isEmpty()) {
        if (m_json)
            m_out << "[]" << Qt::endl;
        return finish(0);
    }
    struct HostResult
    {
        LxdResult result;
        QList<Instance> instances;
        QList<InstanceState> states;
        bool done = false;
    };
    auto results = std::make_shared<QList<HostResult>>(hosts.size());
    auto report = [this, hosts, results] {
        QJsonArray arr;
        int failed = 0;
        for (qsizetype i = 0; i < hosts.size(); ++i) {
            const HostConfig &h = hosts.at(i);
            const HostResult &hr = results->at(i);
            if (!hr.result.ok()) {
                ++failed;
                if (m_json)
                    arr.append(QJsonObject { { u"host"_s, h.name }, { u"name"_s, QJsonValue::Null },
                        { u"status"_s, lxdResultKindName(hr.result.kind) },
                        { u"error"_s, hr.result.error } });
                else
                    m_out << visibleText(h.name) << "  " << lxdResultKindName(hr.result.kind) << "  "
                          << visibleText(hr.result.error, 1000) << Qt::endl;
                continue;
            }
            for (qsizetype k = 0; k < hr.instances.size(); ++k) {
                const Instance &in = hr.instances.at(k);
                const InstanceState st = hr.states.value(k);
                const QStringList addrs = st.globalAddresses();
                if (m_json) {
                    arr.append(QJsonObject { { u"host"_s, h.name }, { u"name"_s, in.name },
                        { u"type"_s, in.type }, { u"status"_s, in.status },
                        { u"addresses"_s, QJsonArray::fromStringList(addrs) },
                        { u"cpu_usage_ns"_s, double(st.cpuUsageNs) },
                        { u"memory_bytes"_s, double(st.memoryUsage) }, { u"location"_s, in.location },
                        { u"profiles"_s, QJsonArray::fromStringList(in.profiles) },
                        { u"created"_s,
                            in.created.isValid() ? QJsonValue(in.created.toUTC().toString(Qt::ISODateWithMs))
                                                 : QJsonValue(QJsonValue::Null) },
                        { u"error"_s, QJsonValue::Null } });
                    continue;
                }
                m_out << visibleText(h.name, 200).leftJustified(16) << ' '
                      << visibleText(in.name, 200).leftJustified(24) << ' '
                      << visibleText(in.type, 40).leftJustified(15) << ' '
                      << visibleText(in.status, 40).leftJustified(9) << ' '
                      << visibleText(addrs.join(u','), 200).leftJustified(16) << ' '
                      << QLocale::c().toString(double(st.cpuUsageNs) / 1e9, 'f', 2) << " s cpu  "
                      << mib(st.memoryUsage) << "  " << visibleText(in.location, 100) << Qt::endl;
            }
        }
        if (m_json)
            m_out << QJsonDocument(arr).toJson(QJsonDocument::Indented);
        if (failed > 0)
            return finish(1, u"%1 of %2 LXD hosts failed"_s.arg(failed).arg(hosts.size()));
        finish(0);
    };
    const SshOptions sshBase = globalSshOptions(m_args);
    for (qsizetype i = 0; i < hosts.size(); ++i) {
        QString error;
        auto *client = LxdService::makeClient(hosts.at(i), m_fleet->config(), sshBase, false, &error, this);
        if (!client)
            return finish(2, error);
        client->setTimeoutMs(timeoutMs);
        // recursion=2: the CLI prints every instance's state, and one request beats N
        client->fetchInstances(
            [results, i, report](
                const LxdResult &r, const QList<Instance> &list, const QList<InstanceState> &states) {
                HostResult &hr = (*results)[i];
                hr.result = r;
                hr.instances = list;
                hr.states = states;
                hr.done = true;
                for (const HostResult &x : std::as_const(*results))
                    if (!x.done)
                        return;
                report();
            },
            true);
    }
}

void CtlCommands::metrics(QStringList args)
{
    const Parsed p = parseArgs(args, { u"--timeout"_s }, { u"--json"_s });
    if (!p.error.isEmpty())
        return finish(2, u"metrics: "_s + p.error);
    m_json = p.flags.contains(u"--json"_s);
    if (p.positional.isEmpty())
        return finish(2, u"metrics: expected an LXD HOST (and optionally INSTANCE names)"_s);
    int timeoutMs = 30000;
    if (!timeoutOption(p, &timeoutMs))
        return finish(2, u"--timeout needs a positive number of seconds"_s);
    const auto host = m_fleet->host(p.positional.first());
    if (!host)
        return finish(2, u"no host named %1"_s.arg(p.positional.first()));
    if (host->kind != HostKind::Lxd)
        return finish(2, u"%1 is not an LXD host"_s.arg(host->name));
    const QStringList wanted = p.positional.mid(1);
    QString error;
    auto *client
        = LxdService::makeClient(*host, m_fleet->config(), globalSshOptions(m_args), false, &error, this);
    if (!client)
        return finish(2, error);
    client->setTimeoutMs(timeoutMs);
    const HostConfig h = *host;
    client->fetchMetrics([this, h, wanted](LxdResult r, const QByteArray &text) {
        PrometheusText parsed;
        if (r.ok() && !parsePrometheusText(text, &parsed, &r.error)) {
            r.kind = LxdResultKind::Failed;
            r.error = u"%1 sent metrics Canyon cannot read: %2"_s.arg(h.name, r.error);
        }
        if (!r.ok()) {
            if (m_json)
                m_out << QJsonDocument(
                    QJsonArray { QJsonObject { { u"host"_s, h.name }, { u"instance"_s, QJsonValue::Null },
                        { u"status"_s, lxdResultKindName(r.kind) }, { u"error"_s, r.error } } })
                             .toJson(QJsonDocument::Indented);
            else
                m_out << visibleText(h.name) << "  " << lxdResultKindName(r.kind) << "  "
                      << visibleText(r.error, 1000) << Qt::endl;
            return finish(1, u"metrics of %1 failed"_s.arg(h.name));
        }
        QList<LxdInstanceMetrics> list = lxdInstanceMetrics(parsed);
        QStringList missing;
        if (!wanted.isEmpty()) {
            QList<LxdInstanceMetrics> picked;
            for (const QString &w : wanted) {
                const qsizetype before = picked.size();
                for (const LxdInstanceMetrics &m : std::as_const(list))
                    if (m.name == w)
                        picked << m;
                if (picked.size() == before)
                    missing << w;
            }
            list = picked;
        }
        auto orNull = [](qint64 v) { return v < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(double(v)); };
        QJsonArray arr;
        if (!m_json && !list.isEmpty())
            m_out << u"HOST"_s.leftJustified(16) << ' ' << u"INSTANCE"_s.leftJustified(24) << ' '
                  << u"CPU s"_s.rightJustified(8) << ' ' << u"MEMORY"_s.rightJustified(13) << ' '
                  << u"RX bytes"_s.rightJustified(9) << ' ' << u"TX bytes"_s.rightJustified(10) << ' '
                  << u"PROCS"_s.rightJustified(6) << Qt::endl;
        for (const LxdInstanceMetrics &m : std::as_const(list)) {
            if (m_json) {
                arr.append(QJsonObject { { u"host"_s, h.name }, { u"instance"_s, m.name },
                    { u"project"_s, m.project }, { u"cpu_seconds"_s, m.cpuSeconds },
                    { u"memory_bytes"_s, orNull(m.memoryBytes) }, { u"rx_bytes"_s, double(m.rxBytes) },
                    { u"tx_bytes"_s, double(m.txBytes) }, { u"processes"_s, orNull(m.processes) },
                    { u"error"_s, QJsonValue::Null } });
                continue;
            }
            const QString name = m.project.isEmpty() || m.project == u"default"
                ? visibleText(m.name, 200)
                : visibleText(m.project, 100) + u'/' + visibleText(m.name, 200);
            m_out << visibleText(h.name, 200).leftJustified(16) << ' ' << name.leftJustified(24) << ' '
                  << QLocale::c().toString(m.cpuSeconds, 'f', 2).rightJustified(8) << ' '
                  << (m.memoryBytes < 0 ? u"-"_s : mib(m.memoryBytes)).rightJustified(13) << ' '
                  << QString::number(m.rxBytes).rightJustified(9) << ' '
                  << QString::number(m.txBytes).rightJustified(10) << ' '
                  << (m.processes < 0 ? u"-"_s : QString::number(m.processes)).rightJustified(6) << Qt::endl;
        }
        for (const QString &w : std::as_const(missing)) {
            // LXD reports running instances only: a stopped or unknown one has no figures.
            if (m_json)
                arr.append(
                    QJsonObject { { u"host"_s, h.name }, { u"instance"_s, w }, { u"status"_s, u"failed"_s },
                        { u"error"_s, u"no metrics for %1 (not running, or no such instance)"_s.arg(w) } });
            else
                m_out << visibleText(h.name, 200) << "  " << visibleText(w, 200)
                      << "  no metrics (not running, or no such instance)" << Qt::endl;
        }
        if (m_json)
            m_out << QJsonDocument(arr).toJson(QJsonDocument::Indented);
        if (!missing.isEmpty())
            return finish(
                1, u"no metrics for %1 of the %2 instances named"_s.arg(missing.size()).arg(wanted.size()));
        finish(0);
    });
}

} // namespace canyon
