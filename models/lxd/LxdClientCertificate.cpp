// SPDX-License-Identifier: GPL-3.0-or-later
#include "LxdClientCertificate.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSysInfo>
#include <memory>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

template<class T, void (*F)(T *)> struct Deleter
{
    void operator()(T *p) const { F(p); }
};
using PKeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

QByteArray bioBytes(BIO *bio)
{
    char *data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    return n > 0 ? QByteArray(data, qsizetype(n)) : QByteArray();
}

// Qt cannot create keys: OpenSSL 3 does, in PEM for Qt to load back.
bool generate(QByteArray *certPem, QByteArray *keyPem, QString *error)
{
    PKeyPtr key(EVP_EC_gen("P-384"));
    X509Ptr x509(X509_new());
    if (!key || !x509) {
        *error = u"cannot generate the LXD client key (OpenSSL)"_s;
        return false;
    }
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7f; // a positive serial
    BIGNUM *bn = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x509.get()));
    BN_free(bn);
    X509_set_version(x509.get(), 2);
    X509_gmtime_adj(X509_getm_notBefore(x509.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x509.get()), 10L * 365 * 24 * 3600);
    X509_set_pubkey(x509.get(), key.get());
    X509_NAME *name = X509_get_subject_name(x509.get());
    const QByteArray cn = "canyon@" + QSysInfo::machineHostName().toUtf8().left(48);
    X509_NAME_add_entry_by_txt(
        name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>("Canyon"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(
        name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>(cn.constData()), -1, -1, 0);
    X509_set_issuer_name(x509.get(), name);
    if (X509_sign(x509.get(), key.get(), EVP_sha384()) == 0) {
        *error = u"cannot sign the LXD client certificate (OpenSSL)"_s;
        return false;
    }
    BioPtr cb(BIO_new(BIO_s_mem())), kb(BIO_new(BIO_s_mem()));
    if (!PEM_write_bio_X509(cb.get(), x509.get())
        || !PEM_write_bio_PrivateKey(kb.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr)) {
        *error = u"cannot encode the LXD client certificate (OpenSSL)"_s;
        return false;
    }
    *certPem = bioBytes(cb.get());
    *keyPem = bioBytes(kb.get());
    return true;
}

bool writeNew(const QString &file, const QByteArray &data, QFileDevice::Permissions perms, QString *error)
{
    QFile f(file);
    // open(mode, permissions) creates the file with these permissions (no chmod window)
    if (!f.open(QIODevice::WriteOnly | QIODevice::NewOnly, perms) || f.write(data) != data.size()
        || !f.flush()) {
        *error = u"cannot write %1: %2"_s.arg(file, f.errorString());
        f.remove();
        return false;
    }
    return true;
}

} // namespace

QString LxdClientCertificate::certificateFileIn(const QString &configDir)
{
    return QDir(configDir).filePath(u"lxd-client.crt"_s);
}

QString LxdClientCertificate::keyFileIn(const QString &configDir)
{
    return QDir(configDir).filePath(u"lxd-client.key"_s);
}

bool LxdClientCertificate::ensure(const QString &configDir, LxdClientCertificate *out, QString *error)
{
    QString dummy;
    QString &err = error ? *error : dummy;
    const QString cf = certificateFileIn(configDir), kf = keyFileIn(configDir);
    if (!QDir().mkpath(configDir)) {
        err = u"cannot create %1"_s.arg(configDir);
        return false;
    }
    if (!QFileInfo::exists(cf) && !QFileInfo::exists(kf)) {
        QByteArray certPem, keyPem;
        if (!generate(&certPem, &keyPem, &err))
            return false;
        if (!writeNew(kf, keyPem, QFileDevice::ReadOwner | QFileDevice::WriteOwner, &err))
            return false;
        if (!writeNew(cf, certPem,
                QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup
                    | QFileDevice::ReadOther,
                &err)) {
            QFile::remove(kf);
            return false;
        }
    }
    QFile c(cf), k(kf);
    if (!c.open(QIODevice::ReadOnly) || !k.open(QIODevice::ReadOnly)) {
        err = u"cannot read the LXD client certificate pair %1 / %2 (remove both to regenerate)"_s.arg(
            cf, kf);
        return false;
    }
    LxdClientCertificate r;
    r.certificate = QSslCertificate(c.readAll(), QSsl::Pem);
    r.key = QSslKey(k.readAll(), QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
    r.certificateFile = cf;
    r.keyFile = kf;
    if (r.isNull()) {
        err = u"unreadable LXD client certificate pair %1 / %2 (remove both to regenerate)"_s.arg(cf, kf);
        return false;
    }
    *out = r;
    return true;
}

QString certificateSha256(const QSslCertificate &certificate)
{
    if (certificate.isNull())
        return {};
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex());
}

QString normalizeSha256(const QString &text)
{
    QString t = text.trimmed().toLower();
    if (t.contains(u':')) {
        static const QRegularExpression colon(u"^[0-9a-f]{2}(:[0-9a-f]{2}){31}$"_s);
        if (!colon.match(t).hasMatch())
            return {};
        t.remove(u':');
    }
    static const QRegularExpression hex(u"^[0-9a-f]{64}$"_s);
    return hex.match(t).hasMatch() ? t : QString();
}

} // namespace canyon
