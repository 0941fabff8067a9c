// SPDX-License-Identifier: GPL-3.0-or-later
// Shared by the tests of the LXD item models and views that run without a server: an LXD host
// of the configuration (its URL and pinned certificate are never contacted).
#pragma once

#include "domain/Host.h"

#include <QString>

namespace canyon::testfixture {

inline HostConfig lxdHost(const QString &name)
{
    HostConfig h;
    h.name = name;
    h.kind = HostKind::Lxd;
    h.lxdUrl = QStringLiteral("https://127.0.0.1:8443");
    h.lxdCertificateSha256 = QString(64, u'a');
    return h;
}

} // namespace canyon::testfixture
