// SPDX-License-Identifier: GPL-3.0-or-later
#include "Host.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace canyon {

bool SshTarget::parse(const QString &text, SshTarget *out, QString *error)
{
    const QString t = text.trimmed();
    SshTarget r;
    QString rest = t;
    const qsizetype at = rest.lastIndexOf(u'@');
    if (at >= 0) {
        r.user = rest.left(at);
        rest = rest.mid(at + 1);
        if (r.user.isEmpty()) {
            *error = QStringLiteral("empty user name in \"%1\"").arg(t);
            return false;
        }
    }
    if (rest.startsWith(u'[')) {
        const qsizetype close = rest.indexOf(u']');
        if (close < 0) {
            *error = QStringLiteral("unterminated [address] in \"%1\"").arg(t);
            return false;
        }
        r.host = rest.mid(1, close - 1);
        rest = rest.mid(close + 1);
        if (!rest.isEmpty() && !rest.startsWith(u':')) {
            *error = QStringLiteral("unexpected text after ] in \"%1\"").arg(t);
            return false;
        }
        rest = rest.mid(1);
    } else {
        const qsizetype colon = rest.indexOf(u':');
        r.host = colon < 0 ? rest : rest.left(colon);
        rest = colon < 0 ? QString() : rest.mid(colon + 1);
        if (colon >= 0 && rest.isEmpty()) {
            *error = QStringLiteral("missing port after ':' in \"%1\"").arg(t);
            return false;
        }
    }
    if (!rest.isEmpty()) {
        bool ok = false;
        const int port = rest.toInt(&ok);
        if (!ok || port < 1 || port > 65535) {
            *error = QStringLiteral("invalid port \"%1\" in \"%2\"").arg(rest, t);
            return false;
        }
        r.port = port;
    }
    static const QRegularExpression hostRe(u"^[A-Za-z0-9._%:-]+$"_s);
    static const QRegularExpression userRe(u"^[A-Za-z0-9._-]+$"_s);
    if (r.host.isEmpty() || !hostRe.match(r.host).hasMatch()) {
        *error = QStringLiteral("invalid host name in \"%1\"").arg(t);
        return false;
    }
    if (!r.user.isEmpty() && !userRe.match(r.user).hasMatch()) {
        *error = QStringLiteral("invalid user name in \"%1\"").arg(t);
        return false;
    }
    *out = r;
    return true;
}

QString SshTarget::toString() const
{
    QString s;
    if (!user.isEmpty())
        s += user + u'@';
    s += host.contains(u':') ? u'[' + host + u']' : host;
    if (port)
        s += u':' + QString::number(port);
    return s;
}

} // namespace canyon
