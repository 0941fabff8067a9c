// SPDX-License-Identifier: GPL-3.0-or-later
#include "CtlCommands.h"

#include "CtlArgs.h"
#include "FleetService.h"
#include "InventoryJson.h"
#include "domain/PlainText.h"
#include "lxd/LxdService.h"

#include <QDir>
#include <QFileDevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

// Options that take a value; anything else starting with "--" is a flag.
const QStringList kValued = { u"--config"_s, u"--ssh"_s, u"--identity"_s, u"--group"_s, u"--dialect"_s,
    u"--concurrency"_s, u"--timeout"_s, u"--ssh-config"_s, u"--kex"_s, u"--known-hosts"_s, u"--lxd"_s,
    u"--trust-token"_s, u"--trust-password"_s, u"--accept-certificate"_s, u"--lxd-ssh"_s, u"--lxd-socket"_s };

QString cell(const QString &remote, int width = 0)
{
    QString s = visibleText(remote, 200);
    if (s.isEmpty())
        s = u"-"_s;
    return width > 0 ? s.leftJustified(width) : s;
}

QString updateText(const Snap &s)
{
    switch (s.updateKnowledge) {
    case UpdateKnowledge::Available:
        return visibleText(s.update.version, 60)
            + (s.update.revision ? u" ("_s + visibleText(*s.update.revision, 30) + u')' : QString());
    case UpdateKnowledge::None:
        return u"-"_s;
    case UpdateKnowledge::Unknown:
        break;
    }
    return u"?"_s;
}

} // namespace

CtlCommands::CtlCommands(QStringList args, QTextStream &out, QTextStream &err, QObject *parent)
    : QObject(parent)
    , m_args(std::move(args))
    , m_out(out)
    , m_err(err)
{
}

CtlCommands::~CtlCommands() = default;

QString CtlCommands::usage()
{
    return uR"(usage: canyonctl [--config DIR] COMMAND ...
  hosts add NAME --ssh USER@HOST[:PORT]|ALIAS [--identity FILE] [--accept-new-host-key] [--group G] [--dialect D] [--offline]
  hosts list [--json]
  hosts remove NAME
  hosts add NAME --lxd https://HOST[:PORT] [--trust-token T | --trust-password P] [--accept-certificate SHA256] [--group G]
  hosts add NAME --lxd-ssh USER@HOST[:PORT]|ALIAS [--lxd-socket PATH] [--identity FILE] [--accept-new-host-key] [--group G]
  inventory [NAME...] [--json] [--dialect auto|snappy|snap|snapd] [--concurrency N] [--timeout SECONDS]
  refresh [SNAP...] (--hosts A,B | --group G | --all) [--channel C] [--batches 1,10%,100%] [--max-fail PCT] [--concurrency N] [--json]
  revert SNAP (--hosts A,B | --group G | --all) [--batches ...] [--max-fail PCT] [--json]
  changes NAME [--json]
  hold SNAP... | unhold SNAP... | remove SNAP... (--hosts A,B | --group G | --all) [--batches ...] [--max-fail PCT] [--json]
  install SNAP (--hosts A,B | --group G | --all) [--channel C | --file DEVICE-PATH [--devmode]] [--batches ...] [--json]
  instances [LXD-HOST...] [--json]
  metrics LXD-HOST [INSTANCE...] [--json] [--timeout SECONDS]
  migrate HOST/INSTANCE TARGET[/NEWNAME] [--member MEMBER] [--mode pull|push|relay] [--stateless] [--instance-only] [--json]
Exit status: 0 every host succeeded, 1 at least one failed, 2 usage error or nothing attempted.)"_s;
}

void CtlCommands::writeBytes(const QByteArray &utf8)
{
    m_out.flush();
    QIODevice *d = m_out.device();
    if (!d) {
        m_out << utf8;
        return;
    }
    d->write(utf8);
    // The stream's own flush only flushes the file when it wrote something itself.
    if (auto *file = qobject_cast<QFileDevice *>(d))
        file->flush();
}

void CtlCommands::finish(int code, const QString &errorLine)
{
    if (m_done)
        return;
    m_done = true;
    // Everything on stdout first: into one file (">log 2>&1") the reason comes after the
    // output, whole, on its own line.
    m_out.flush();
    if (!errorLine.isEmpty())
        m_err << u"canyonctl: "_s << visibleText(errorLine) << Qt::endl;
    m_err.flush();
    QMetaObject::invokeMethod(
        this, [this, code] { Q_EMIT finished(code); }, Qt::QueuedConnection);
}

void CtlCommands::start()
{
    // Global options come before the command.
    QString configDir;
    QStringList rest = m_args;
    QString sshConfig, knownHosts, kex;
    while (!rest.isEmpty() && rest.first().startsWith(u"--")) {
        const QString opt = rest.takeFirst();
        if (opt == u"--help" || opt == u"-h") {
            m_out << usage() << Qt::endl;
            return finish(0);
        }
        if (!QStringList { u"--config"_s, u"--ssh-config"_s, u"--known-hosts"_s, u"--kex"_s }.contains(opt)) {
            return finish(2, u"unknown global option %1 (see --help)"_s.arg(opt));
        }
        if (rest.isEmpty())
            return finish(2, u"%1 needs a value"_s.arg(opt));
        const QString v = rest.takeFirst();
        if (opt == u"--config")
            configDir = v;
        else if (opt == u"--ssh-config")
            sshConfig = v;
        else if (opt == u"--known-hosts")
            knownHosts = v;
        else
            kex = v;
    }
    if (rest.isEmpty())
        return finish(2, u"no command given\n"_s + usage());
    m_fleet = std::make_unique<FleetService>(
        configDir.isEmpty() ? Config::standard() : Config::fromDirectory(configDir));
    m_fleet->setSshConfigFile(sshConfig);
    m_fleet->setUserKnownHostsFile(knownHosts);
    m_userKnownHosts = knownHosts;
    m_fleet->setKeyExchange(kex);
    QString error;
    if (!m_fleet->load(&error))
        return finish(2, error);

    const QString cmd = rest.takeFirst();
    if (cmd == u"hosts") {
        const QString sub = rest.isEmpty() ? QString() : rest.takeFirst();
        if (sub == u"add")
            return hostsAdd(rest);
        if (sub == u"list")
            return hostsList(rest);
        if (sub == u"remove")
            return hostsRemove(rest);
        return finish(2, u"hosts: expected add, list or remove"_s);
    }
    if (cmd == u"inventory")
        return inventory(rest);
    if (cmd == u"instances")
        return instances(rest);
    if (cmd == u"metrics")
        return metrics(rest);
    if (cmd == u"migrate")
        return migrate(rest);
    if (cmd == u"refresh")
        return refreshSnaps(rest);
    if (cmd == u"revert")
        return revertSnap(rest);
    if (cmd == u"changes")
        return changes(rest);
    if (cmd == u"hold" || cmd == u"unhold" || cmd == u"install" || cmd == u"remove")
        return snapJob(cmd, rest);
    finish(2, u"unknown command %1 (see --help)"_s.arg(cmd));
}

void CtlCommands::hostsAdd(QStringList args)
{
    const Parsed p = parseArgs(args, kValued, { u"--accept-new-host-key"_s, u"--offline"_s, u"--json"_s });
    if (!p.error.isEmpty())
        return finish(2, p.error);
    if (p.positional.size() != 1)
        return finish(2, u"hosts add: expected exactly one NAME"_s);
    if (p.values.contains(u"--lxd"_s) || p.values.contains(u"--lxd-ssh"_s))
        return hostsAddLxd(args);
    HostConfig h;
    h.name = p.positional.first();
    h.group = p.values.value(u"--group"_s);
    h.dialect = p.values.value(u"--dialect"_s);
    bool dialectOk = false;
    dialectFromName(h.dialect, &dialectOk);
    if (!dialectOk)
        return finish(2, u"unknown dialect %1 (auto, snappy, snap, snapd)"_s.arg(h.dialect));
    if (h.dialect == u"auto")
        h.dialect.clear();
    if (!p.values.contains(u"--ssh"_s))
        return finish(2, u"hosts add: --ssh USER@HOST[:PORT] is required"_s);
    QString error;
    if (!SshTarget::parse(p.values.value(u"--ssh"_s), &h.ssh, &error))
        return finish(2, error);
    if (p.values.contains(u"--identity"_s)) {
        h.identityFile = QDir(p.values.value(u"--identity"_s)).absolutePath();
        if (!QFileInfo::exists(h.identityFile))
            return finish(2, u"no such identity file: %1"_s.arg(h.identityFile));
    }
    if (m_fleet->host(h.name))
        return finish(2, u"a host named %1 exists already"_s.arg(h.name));
    if (p.flags.contains(u"--offline"_s)) {
        if (!m_fleet->addHost(h, &error))
            return finish(2, error);
        m_out << "added " << visibleText(h.name) << " (offline: not contacted)" << Qt::endl;
        return finish(0);
    }
    connect(m_fleet.get(), &FleetService::connectProbed, this, [this, h](int, const ConnectProbe &probe) {
        if (probe.status != DeviceStatus::Ok) {
            QString hint;
            if (probe.status == DeviceStatus::HostKeyUnknown)
                hint = u" (pass --accept-new-host-key to trust it)"_s;
            else if (probe.status == DeviceStatus::Unreachable)
                hint = u" (pass --offline to add it without connecting)"_s;
            return finish(2, probe.error + hint);
        }
        QString err;
        if (!m_fleet->addHost(h, &err))
            return finish(2, err);
        m_fleet->rememberInventory(probe.inventory);
        m_fleet->saveInventoryCache(&err);
        m_out << "added " << visibleText(h.name) << " (" << h.ssh.toString() << ", "
              << dialectName(probe.dialect) << ", host key " << probe.hostKey.keyType << ' '
              << probe.hostKey.sha256 << ')' << Qt::endl;
        finish(0);
    });
    m_fleet->probe(h, {}, p.flags.contains(u"--accept-new-host-key"_s));
}

void CtlCommands::hostsList(QStringList args)
{
    const Parsed p = parseArgs(args, {}, { u"--json"_s });
    if (!p.error.isEmpty())
        return finish(2, p.error);
    if (!p.positional.isEmpty())
        return finish(2, u"hosts list takes no names"_s);
    QJsonArray arr;
    for (const HostConfig &h : m_fleet->hosts()) {
        const DeviceInventory inv = m_fleet->inventory(h.name);
        QString trust = u"unknown"_s;
        if (inv.status == DeviceStatus::HostKeyChanged)
            trust = u"refused: host key changed"_s;
        else if (inv.status == DeviceStatus::HostKeyUnknown)
            trust = u"host key not trusted"_s;
        else if (!inv.hostKey.sha256.isEmpty())
            trust = u"trusted "_s + inv.hostKey.sha256;
        if (h.kind == HostKind::Lxd) // issue 3: the pinned certificate or the SSH host key
            trust = LxdService::trustState(h, m_fleet->config(), m_userKnownHosts);
        arr.append(QJsonObject { { u"name"_s, h.name },
            { u"kind"_s, h.kind == HostKind::Lxd ? u"lxd"_s : u"device"_s },
            { u"address"_s, h.kind == HostKind::Lxd ? h.lxdUrl : h.ssh.toString() }, { u"group"_s, h.group },
            { u"trust"_s, trust }, { u"status"_s, deviceStatusName(inv.status) } });
        if (!p.flags.contains(u"--json"_s))
            m_out << cell(h.name, 20) << ' ' << (h.kind == HostKind::Lxd ? u"lxd    "_s : u"device "_s)
                  << cell(h.kind == HostKind::Lxd ? h.lxdUrl : h.ssh.toString(), 32) << ' '
                  << cell(h.group, 14) << ' ' << trust << Qt::endl;
    }
    if (p.flags.contains(u"--json"_s))
        writeBytes(QJsonDocument(arr).toJson(QJsonDocument::Indented));
    finish(0);
}

void CtlCommands::hostsRemove(QStringList args)
{
    const Parsed p = parseArgs(args, {}, {});
    if (!p.error.isEmpty())
        return finish(2, p.error);
    if (p.positional.size() != 1)
        return finish(2, u"hosts remove: expected exactly one NAME"_s);
    QString error;
    if (!m_fleet->removeHost(p.positional.first(), &error))
        return finish(2, error);
    m_fleet->saveInventoryCache(&error);
    m_out << "removed " << visibleText(p.positional.first()) << Qt::endl;
    finish(0);
}

void CtlCommands::inventory(QStringList args)
{
    const Parsed p = parseArgs(args, kValued, { u"--json"_s });
    if (!p.error.isEmpty())
        return finish(2, p.error);
    m_json = p.flags.contains(u"--json"_s);
    QStringList names = p.positional;
    for (const QString &n : std::as_const(names))
        if (!m_fleet->host(n))
            return finish(2, u"no host named %1"_s.arg(n));
    if (names.isEmpty())
        for (const HostConfig &h : m_fleet->hosts())
            if (h.kind == HostKind::Device)
                names << h.name;
    if (p.values.contains(u"--concurrency"_s)) {
        bool ok = false;
        const int n = p.values.value(u"--concurrency"_s).toInt(&ok);
        if (!ok || n < 1)
            return finish(2, u"--concurrency needs a positive number"_s);
        m_fleet->setMaxConcurrency(n);
    }
    int timeoutMs = 0;
    if (!timeoutOption(p, &timeoutMs))
        return finish(2, u"--timeout needs a positive number of seconds"_s);
    if (timeoutMs > 0)
        m_fleet->setTimeoutMs(timeoutMs);
    const QString forced = p.values.value(u"--dialect"_s);
    bool dialectOk = false;
    dialectFromName(forced, &dialectOk);
    if (!dialectOk)
        return finish(2, u"unknown dialect %1 (auto, snappy, snap, snapd)"_s.arg(forced));
    if (!forced.isEmpty() && forced != u"auto") {
        // A forced dialect applies to this run only: the stored host keeps its own setting.
        QString err;
        for (const QString &n : std::as_const(names)) {
            HostConfig h = *m_fleet->host(n);
            h.dialect = forced;
            m_fleet->overrideForRun(h);
        }
    }
    auto results = std::make_shared<QHash<QString, DeviceInventory>>();
    connect(m_fleet.get(), &FleetService::deviceInventoryReady, this,
        [results](const DeviceInventory &inv) { results->insert(inv.host, inv); });
    connect(m_fleet.get(), &FleetService::refreshFinished, this, [this, names, results] {
        QByteArray json;
        JsonWriter w(&json, true);
        w.beginArray();
        int failed = 0;
        for (const QString &n : names) {
            const DeviceInventory inv = results->value(n);
            if (inv.status != DeviceStatus::Ok)
                ++failed;
            if (m_json) {
                writeInventoryJson(w, inv);
                continue;
            }
            m_out << visibleText(inv.host) << "  " << inv.address << "  " << deviceStatusName(inv.status);
            if (inv.status == DeviceStatus::Ok) {
                m_out << "  " << dialectName(inv.dialect) << "  " << visibleText(inv.system.os) << ' '
                      << visibleText(inv.system.release) << "  snapd " << cell(inv.system.snapdVersion)
                      << Qt::endl;
                for (const Snap &s : inv.snaps)
                    m_out << "  " << cell(s.name, 24) << ' ' << cell(s.version, 16) << ' '
                          << cell(s.revision.value_or(QString()), 8) << ' ' << cell(s.channel, 16) << ' '
                          << cell(s.publisher, 14) << ' ' << cell(s.notes.join(u','), 16) << ' '
                          << updateText(s) << Qt::endl;
                if (!inv.system.refreshError.isEmpty())
                    m_out << "  (updates unknown: " << visibleText(inv.system.refreshError, 300) << ')'
                          << Qt::endl;
            } else {
                m_out << "  " << visibleText(inv.error, 1000) << Qt::endl;
            }
        }
        w.endArray();
        if (m_json)
            writeBytes(json);
        m_fleet->saveInventoryCache(nullptr);
        if (failed > 0)
            return finish(1, u"%1 of %2 hosts failed"_s.arg(failed).arg(names.size()));
        finish(0);
    });
    m_fleet->refresh(names);
}

} // namespace canyon
