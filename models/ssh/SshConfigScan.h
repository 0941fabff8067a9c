// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace canyon {

// Whether the OpenSSH client configuration libssh reads for a session may set keyword (in lower
// case, e.g. "hostkeyalgorithms"): configFile, or when it is empty the account's sshDir/config
// and /etc/ssh/ssh_config, with every file they Include. For the settings libssh 0.10 applies
// but cannot report back (ssh_options_get knows few options): where the answer is no, Canyon
// may set the option itself without overriding the user.
//
// The answer errs on yes: a file that mentions the keyword anywhere (a comment, a Host block
// that may not apply), an Include that is not followed (a relative path, quoted, a pattern in a
// directory name, nesting deeper than libssh allows) or a file that exists but cannot be read. The files
// are read again when one of them, or a directory an Include lists, changes. Thread-safe.
bool sshConfigMaySet(const QString &configFile, const QByteArray &sshDir, const QByteArray &keyword);

} // namespace canyon
