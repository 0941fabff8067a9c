// SPDX-License-Identifier: GPL-3.0-or-later
#include "Config.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace canyon {

Config Config::fromDirectory(const QString &dir)
{
    Config c;
    c.m_configDir = QDir(dir).absolutePath();
    c.m_stateDir = c.m_configDir;
    return c;
}

Config Config::standard()
{
    auto xdg = [](const char *var, const QString &fallback) {
        const QString v = qEnvironmentVariable(var);
        return QDir::isAbsolutePath(v) ? v : QDir::homePath() + fallback;
    };
    Config c;
    c.m_configDir = xdg("XDG_CONFIG_HOME", u"/.config"_s) + u"/canyon"_s;
    c.m_stateDir = xdg("XDG_STATE_HOME", u"/.local/state"_s) + u"/canyon"_s;
    return c;
}

QString Config::hostsFile() const
{
    return m_configDir + u"/hosts.json"_s;
}

QString Config::knownHostsFile() const
{
    return m_configDir + u"/known_hosts"_s;
}

QString Config::inventoryCacheFile() const
{
    return m_stateDir + u"/inventory-cache.json"_s;
}

bool Config::ensureDirs(QString *error) const
{
    for (const QString &d : { m_configDir, m_stateDir }) {
        if (!QDir().mkpath(d)) {
            *error = u"cannot create the directory %1"_s.arg(d);
            return false;
        }
        // trust stores and host lists are the user's business only
        QFile::setPermissions(d, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
    return true;
}

static QString kindName(HostKind k)
{
    return k == HostKind::Lxd ? u"lxd"_s : u"device"_s;
}

bool Config::loadHosts(QList<HostConfig> *hosts, QString *error) const
{
    hosts->clear();
    QFile f(hostsFile());
    if (!f.exists())
        return true;
    if (!f.open(QIODevice::ReadOnly)) {
        *error = u"cannot read %1: %2"_s.arg(f.fileName(), f.errorString());
        return false;
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = u"%1 is not valid JSON (%2): fix or remove it"_s.arg(f.fileName(), pe.errorString());
        return false;
    }
    const QJsonArray arr = doc.object().value(u"hosts"_s).toArray();
    for (const QJsonValue &v : arr) {
        const QJsonObject o = v.toObject();
        HostConfig h;
        h.name = o.value(u"name"_s).toString();
        h.kind = o.value(u"kind"_s).toString() == u"lxd" ? HostKind::Lxd : HostKind::Device;
        h.group = o.value(u"group"_s).toString();
        h.identityFile = o.value(u"identity"_s).toString();
        h.dialect = o.value(u"dialect"_s).toString();
        h.lxdUrl = o.value(u"lxd"_s).toString();
        h.lxdCertificateSha256 = o.value(u"certificate_sha256"_s).toString();
        QString perr;
        if (h.kind == HostKind::Device && !SshTarget::parse(o.value(u"ssh"_s).toString(), &h.ssh, &perr)) {
            *error = u"%1: host %2: %3"_s.arg(f.fileName(), h.name, perr);
            return false;
        }
        if (h.name.isEmpty()) {
            *error = u"%1: a host without a name"_s.arg(f.fileName());
            return false;
        }
        hosts->append(h);
    }
    return true;
}

bool Config::saveHosts(const QList<HostConfig> &hosts, QString *error) const
{
    if (!ensureDirs(error))
        return false;
    QJsonArray arr;
    for (const HostConfig &h : hosts) {
        QJsonObject o { { u"name"_s, h.name }, { u"kind"_s, kindName(h.kind) } };
        if (!h.group.isEmpty())
            o.insert(u"group"_s, h.group);
        if (h.kind == HostKind::Device)
            o.insert(u"ssh"_s, h.ssh.toString());
        if (!h.identityFile.isEmpty())
            o.insert(u"identity"_s, h.identityFile);
        if (!h.dialect.isEmpty())
            o.insert(u"dialect"_s, h.dialect);
        if (h.kind == HostKind::Lxd) {
            o.insert(u"lxd"_s, h.lxdUrl);
            o.insert(u"certificate_sha256"_s, h.lxdCertificateSha256);
        }
        arr.append(o);
    }
    QSaveFile f(hostsFile());
    if (!f.open(QIODevice::WriteOnly)) {
        *error = u"cannot write %1: %2"_s.arg(f.fileName(), f.errorString());
        return false;
    }
    f.write(QJsonDocument(QJsonObject { { u"version"_s, 1 }, { u"hosts"_s, arr } }).toJson());
    if (!f.commit()) {
        *error = u"cannot write %1: %2"_s.arg(f.fileName(), f.errorString());
        return false;
    }
    return true;
}

} // namespace canyon
