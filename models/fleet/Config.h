// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "domain/Host.h"

#include <QList>
#include <QString>

namespace canyon {

// Where Canyon keeps what it writes (CLI.md "Global"): with an explicit directory everything
// goes there; otherwise config+trust under $XDG_CONFIG_HOME/canyon and journals+cache under
// $XDG_STATE_HOME/canyon.
class Config
{
public:
    static Config fromDirectory(const QString &dir); // --config DIR
    static Config standard(); // XDG defaults

    QString configDir() const { return m_configDir; }
    QString stateDir() const { return m_stateDir; }
    QString hostsFile() const; // hosts.json
    QString knownHostsFile() const; // Canyon's own known_hosts (the only one it writes)
    QString inventoryCacheFile() const; // last inventory, for an instant start

    // hosts.json: load and save atomically (QSaveFile). A missing file is an empty list.
    bool loadHosts(QList<HostConfig> *hosts, QString *error) const;
    bool saveHosts(const QList<HostConfig> &hosts, QString *error) const;
    bool ensureDirs(QString *error) const;

private:
    QString m_configDir;
    QString m_stateDir;
};

} // namespace canyon
