// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSslCertificate>
#include <QSslKey>
#include <QString>

namespace canyon {

// Canyon's TLS client identity towards LXD servers: one self-signed certificate (EC P-384,
// like lxc's own) and its private key in the config dir, generated on first use. The key file
// is created with mode 0600 from the start (never world-readable, not even briefly).
struct LxdClientCertificate
{
    QSslCertificate certificate;
    QSslKey key;
    QString certificateFile;
    QString keyFile;
    bool isNull() const { return certificate.isNull() || key.isNull(); }

    static QString certificateFileIn(const QString &configDir); // lxd-client.crt
    static QString keyFileIn(const QString &configDir); // lxd-client.key
    // Loads the pair from configDir, generating and writing it when absent. False with a reason.
    static bool ensure(const QString &configDir, LxdClientCertificate *out, QString *error);
};

// SHA256 of a certificate's DER, lowercase hex without separators: what LXD prints.
QString certificateSha256(const QSslCertificate &certificate);
// Accepts "ab12..." (64 hex digits, any case) or "AB:12:..." and returns lowercase hex; "" if invalid.
QString normalizeSha256(const QString &text);

} // namespace canyon
