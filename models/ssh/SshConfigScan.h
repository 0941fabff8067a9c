// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace canyon {

// What the OpenSSH client configuration libssh reads for a session may set: configFile, or when
// it is empty the account's sshDir/config and /etc/ssh/ssh_config, with every file they Include.
// For the settings libssh 0.10 applies but cannot report back (ssh_options_get knows few
// options): where a keyword may not be set, Canyon may set the option itself without overriding
// the user.
//
// The answers err on yes: a file that mentions the keyword anywhere (a comment, a Host block that
// may not apply) may set it, and every keyword may be set when an Include is not followed (a
// relative path, quoted, a pattern in a directory name, nesting deeper than libssh allows) or a
// file exists but cannot be read.
class SshConfigMentions
{
public:
    static SshConfigMentions none() // no configuration at all
    {
        SshConfigMentions m;
        m.m_known = true;
        return m;
    }
    bool maySet(const QByteArray &keyword) const;

private:
    friend SshConfigMentions sshConfigMentions(const QString &, const QByteArray &);
    bool m_known = false; // every file read, every Include followed
    QByteArray m_text; // the files' text, lower case
};

// One scan for every keyword; the files are read again when one of them, or a directory an
// Include lists, changes. Thread-safe.
SshConfigMentions sshConfigMentions(const QString &configFile, const QByteArray &sshDir);

} // namespace canyon
