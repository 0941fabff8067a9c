// SPDX-License-Identifier: GPL-3.0-or-later
// checkKnownHost: the verdicts libssh's ssh_session_is_known_server() gives, from files read
// once and indexed. Each case is also decided by a plain reference that hands every line of the
// files to libssh's own parser and applies libssh's rules; both must agree. Where Canyon differs
// from libssh on purpose it is stricter or no weaker: "@revoked" refuses its key, and a line
// libssh cannot read is skipped (libssh stops reading the file there, so a key trusted further
// down would be asked about again). Real sshd sessions use the same code in tst_sshfleet.
#include "ssh/KnownHosts.h"

#include <QDir>
#include <QFile>
#include <QMessageAuthenticationCode>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <atomic>
#include <libssh/libssh.h>
#include <thread>

using namespace canyon;
using namespace Qt::StringLiterals;

namespace {

SshKeyPtr generate(ssh_keytypes_e type, int bits = 0)
{
    ssh_key k = nullptr;
    if (ssh_pki_generate(type, bits, &k) != SSH_OK)
        return nullptr;
    return SshKeyPtr(k);
}

// "type base64" of a public key, as a known_hosts line holds it.
QByteArray keyText(ssh_key key)
{
    char *b64 = nullptr;
    if (ssh_pki_export_pubkey_base64(key, &b64) != SSH_OK)
        return {};
    const QByteArray text = QByteArray(ssh_key_type_to_char(ssh_key_type(key))) + ' ' + b64;
    ssh_string_free_char(b64);
    return text;
}

// OpenSSH's hashed name: |1|base64(salt)|base64(HMAC-SHA1(salt, name)).
QByteArray hashedName(const QByteArray &name)
{
    const QByteArray salt = QByteArray::fromHex("00112233445566778899aabbccddeeff00112233");
    return "|1|" + salt.toBase64() + '|'
        + QMessageAuthenticationCode::hash(name, salt, QCryptographicHash::Sha1).toBase64();
}

// The reference: every line through libssh's parser, libssh's verdict rules, no index, no cache.
KnownHostVerdict reference(const QByteArray &hostPort, ssh_key key, const QStringList &files)
{
    KnownHostVerdict result = KnownHostVerdict::Unknown;
    for (qsizetype i = 0; i < files.size(); ++i) {
        QFile f(files.at(i));
        KnownHostVerdict v = KnownHostVerdict::Unknown;
        if (f.open(QIODevice::ReadOnly)) {
            for (QByteArray line : f.readAll().split('\n')) {
                const QByteArray t = line.trimmed();
                if (t.isEmpty() || t.startsWith('#') || t.startsWith('@') || line.contains('\0'))
                    continue;
                ssh_knownhosts_entry *e = nullptr;
                if (ssh_known_hosts_parse_line(hostPort.constData(), line.constData(), &e) != SSH_OK || !e)
                    continue;
                if (ssh_key_cmp(key, e->publickey, SSH_KEY_CMP_PUBLIC) == 0)
                    v = KnownHostVerdict::Known;
                else if (v != KnownHostVerdict::Known && ssh_key_type(key) == ssh_key_type(e->publickey))
                    v = KnownHostVerdict::Changed;
                else if (v == KnownHostVerdict::Unknown)
                    v = KnownHostVerdict::OtherType;
                ssh_knownhosts_entry_free(e);
            }
        }
        if (v == KnownHostVerdict::Known)
            return v;
        if (i == 0 || v != KnownHostVerdict::Unknown)
            result = v;
    }
    return result;
}

} // namespace

class TestKnownHosts : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void verdicts_data();
    void verdicts();
    void rereadWhenTheFileChanges();
    void unreadableFileIsAnError();
    void recordingIsAtomic();

private:
    QString write(const QString &name, const QByteArray &text);
    QTemporaryDir m_dir;
    SshKeyPtr m_ed1, m_ed2, m_ecdsa;
    QByteArray m_ed1Text, m_ed2Text, m_ecdsaText;
};

void TestKnownHosts::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_ed1 = generate(SSH_KEYTYPE_ED25519);
    m_ed2 = generate(SSH_KEYTYPE_ED25519);
    m_ecdsa = generate(SSH_KEYTYPE_ECDSA_P256, 256);
    QVERIFY(m_ed1 && m_ed2 && m_ecdsa);
    m_ed1Text = keyText(m_ed1.get());
    m_ed2Text = keyText(m_ed2.get());
    m_ecdsaText = keyText(m_ecdsa.get());
    QVERIFY(!m_ed1Text.isEmpty() && !m_ed2Text.isEmpty() && !m_ecdsaText.isEmpty());
}

QString TestKnownHosts::write(const QString &name, const QByteArray &text)
{
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(text) != text.size())
        return {};
    return path;
}

void TestKnownHosts::verdicts_data()
{
    // Placeholders: <K1> and <K2> are two ed25519 keys, <EC> an ECDSA one; the host offers K1.
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<QByteArray>("canyonFile"); // "-": no such file
    QTest::addColumn<QByteArray>("userFile");
    QTest::addColumn<int>("expected");
    const QByteArray h = "[10.1.2.3]:2222";
    auto row = [](const char *name, const QByteArray &host, const QByteArray &c, const QByteArray &u,
                   KnownHostVerdict v) { QTest::newRow(name) << host << c << u << int(v); };
    using V = KnownHostVerdict;
    row("no files", h, "-", "-", V::Unknown);
    row("empty files", h, "", "", V::Unknown);
    row("known in Canyon's file", h, h + " <K1>\n", "-", V::Known);
    row("known in the user's file", h, "-", h + " <K1>\n", V::Known);
    row("changed", h, h + " <K2>\n", "-", V::Changed);
    row("other type only", h, h + " <EC>\n", "-", V::OtherType);
    row("other type and changed", h, h + " <EC>\n" + h + " <K2>\n", "-", V::Changed);
    row("other type, then the key", h, h + " <EC>\n" + h + " <K1>\n", "-", V::Known);
    row("another host only", h, "[10.1.2.3]:2223 <K2>\n10.1.2.3 <K2>\n", "-", V::Unknown);
    row("name in a list", h, "a.example," + h + ",b.example <K1>\n", "-", V::Known);
    row("upper-case entry", "[host.example]:2222", "[HOST.example]:2222 <K2>\n", "-", V::Changed);
    row("port 22 plain", "host.example", "host.example <K1>\n", "-", V::Known);
    row("port 22 in brackets", "host.example", "[host.example]:22 <K2>\n", "-", V::Changed);
    row("hashed", h, hashedName(h) + " <K1>\n", "-", V::Known);
    row("hashed, changed", h, hashedName(h) + " <K2>\n", "-", V::Changed);
    row("hashed other host", h, hashedName("[10.1.2.3]:2223") + " <K2>\n", "-", V::Unknown);
    row("pattern", "[web1.example]:2222", "[web*.example]:2222 <K1>\n", "-", V::Known);
    row("pattern, changed", "[web1.example]:2222", "[web?.example]:2222 <K2>\n", "-", V::Changed);
    // libssh tries each name of a list on its own: the negation does not keep the next one from
    // matching. Stricter than OpenSSH here (the key is compared, so a wrong one is refused).
    row("negated pattern", "[web1.example]:2222", "![web1.example]:2222,[web*.example]:2222 <K2>\n", "-",
        V::Changed);
    row("comments and blanks", h, "# " + h + " <K2>\n\n   \n" + h + " <K1>\n", "-", V::Known);
    row("garbage line for the host", h, h + " ssh-ed25519 notbase64\n" + h + " <K1>\n", "-", V::Known);
    row("unknown key type", h, h + " ssh-nonsense AAAA\n", "-", V::Unknown);
    row("cert-authority marker ignored", h, "@cert-authority " + h + " <K2>\n", "-", V::Unknown);
    row("tabs are not libssh separators", h, h + "\t<K2>\n", "-", V::Unknown);
    row("no newline at the end", h, h + " <K1>", "-", V::Known);
    row("CRLF: libssh cannot read the key", h, h + " <K1>\r\n", "-", V::Unknown);
    row("Canyon's file decides when it knows the key", h, h + " <K1>\n", h + " <K2>\n", V::Known);
    row("the user's file may know the key", h, h + " <K2>\n", h + " <K1>\n", V::Known);
    row("Canyon's changed stands when the user's file is silent", h, h + " <K2>\n", "other <K1>\n",
        V::Changed);
    row("the user's changed counts", h, "", h + " <K2>\n", V::Changed);
    row("the user's other type counts", h, h + " <K2>\n", h + " <EC>\n", V::OtherType);
}

void TestKnownHosts::verdicts()
{
    QFETCH(QByteArray, host);
    QFETCH(QByteArray, canyonFile);
    QFETCH(QByteArray, userFile);
    QFETCH(int, expected);
    const QByteArray tag = QByteArray(QTest::currentDataTag()).toHex();
    auto fill = [&](QByteArray text) {
        text.replace("<K1>", m_ed1Text).replace("<K2>", m_ed2Text).replace("<EC>", m_ecdsaText);
        return text;
    };
    QStringList files;
    for (const auto &[name, text] :
        { std::pair { "canyon-", canyonFile }, std::pair { "user-", userFile } }) {
        const QString path = m_dir.filePath(QLatin1StringView(name) + QLatin1StringView(tag));
        QFile::remove(path);
        if (text != "-")
            QVERIFY(!write(QLatin1StringView(name) + QLatin1StringView(tag), fill(text)).isEmpty());
        files << path;
    }
    HostKeyInfo known;
    QString error;
    const KnownHostVerdict v = checkKnownHost(host, m_ed1.get(), files, &known, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    if (v != KnownHostVerdict::Changed && v != KnownHostVerdict::OtherType)
        QCOMPARE(known, HostKeyInfo {}); // an accepted host has no "known" key to report
    QCOMPARE(int(v), expected);
    QCOMPARE(int(reference(host, m_ed1.get(), files)), expected); // what libssh itself makes of it
    if (v == KnownHostVerdict::Changed) {
        QCOMPARE(known.knownSha256, keySha256(m_ed2.get()));
        QCOMPARE(known.knownKeyType, u"ssh-ed25519"_s);
    } else if (v == KnownHostVerdict::OtherType) {
        QCOMPARE(known.knownSha256, keySha256(m_ecdsa.get()));
    }
    // A second look at the same files (now from the index) says the same.
    QCOMPARE(int(checkKnownHost(host, m_ed1.get(), files, &known, &error)), expected);
}

void TestKnownHosts::rereadWhenTheFileChanges()
{
    const QByteArray h = "[10.9.9.9]:2200";
    const QString path = write(u"changing"_s, "# nothing yet\n");
    QVERIFY(!path.isEmpty());
    HostKeyInfo known;
    QString error;
    QCOMPARE(checkKnownHost(h, m_ed1.get(), { path }, &known, &error), KnownHostVerdict::Unknown);

    // appended (what accepting a key does)
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::Append));
        f.write(h + ' ' + m_ed1Text + '\n');
    }
    QCOMPARE(checkKnownHost(h, m_ed1.get(), { path }, &known, &error), KnownHostVerdict::Known);

    // rewritten in place at once, to the same size: seen through the file's times (where they
    // tick coarsely, by the "racy" rule: a file changed in the last 2 s is read on every check;
    // this kernel's fine-grained times cannot show that rule at work)
    for (const QByteArray &key : { m_ed2Text, m_ed1Text, m_ed2Text }) {
        QVERIFY(!write(u"changing"_s, h + ' ' + key + '\n').isEmpty());
        QCOMPARE(checkKnownHost(h, m_ed1.get(), { path }, &known, &error),
            key == m_ed1Text ? KnownHostVerdict::Known : KnownHostVerdict::Changed);
    }
    QVERIFY(!write(u"changing"_s, "# nothing yet\n" + h + ' ' + m_ed1Text + '\n').isEmpty());

    // replaced by another file of the very same size (an editor saving): K1 becomes K2
    const QString next = write(u"changing.new"_s, "# nothing yet\n" + h + ' ' + m_ed2Text + '\n');
    QVERIFY(QFile::remove(path));
    QVERIFY(QFile::rename(next, path));
    QCOMPARE(checkKnownHost(h, m_ed1.get(), { path }, &known, &error), KnownHostVerdict::Changed);

    // revoked: refused even though another line trusts the key
    QVERIFY(
        !write(u"changing"_s, h + ' ' + m_ed1Text + "\n@revoked " + h + ' ' + m_ed1Text + '\n').isEmpty());
    QCOMPARE(checkKnownHost(h, m_ed1.get(), { path }, &known, &error), KnownHostVerdict::Revoked);
    // a revoked key of another host, or another revoked key, does not matter
    QVERIFY(!write(u"changing"_s,
        h + ' ' + m_ed1Text + "\n@revoked [10.9.9.8]:2200 " + m_ed1Text + "\n@revoked " + h + ' ' + m_ed2Text
            + '\n')
                 .isEmpty());
    QCOMPARE(checkKnownHost(h, m_ed1.get(), { path }, &known, &error), KnownHostVerdict::Known);

    // removed: unknown again
    QVERIFY(QFile::remove(path));
    QCOMPARE(checkKnownHost(h, m_ed1.get(), { path }, &known, &error), KnownHostVerdict::Unknown);
    QVERIFY(error.isEmpty());
}

void TestKnownHosts::unreadableFileIsAnError()
{
    // A directory where the file should be: it exists but cannot be read as one (root reads
    // files whatever their mode, so no chmod).
    const QString path = m_dir.filePath(u"a-directory"_s);
    QVERIFY(QDir().mkpath(path));
    HostKeyInfo known;
    QString error;
    QCOMPARE(
        checkKnownHost("[10.1.2.3]:2222", m_ed1.get(), { path }, &known, &error), KnownHostVerdict::Error);
    QVERIFY(error.contains(path));
    error.clear();
    QCOMPARE(checkKnownHost("", m_ed1.get(), {}, &known, &error), KnownHostVerdict::Error);
}

// Accepting a new key: check and record under one lock. Two connections to one name offering
// different keys at the same moment: one records its key, the other finds it changed.
void TestKnownHosts::recordingIsAtomic()
{
    const QByteArray h = "[10.7.7.7]:2200";
    const QString path = m_dir.filePath(u"recorded"_s);
    QFile::remove(path);
    HostKeyInfo known;
    QString error;
    // a recorder that fails: an error with its reason, nothing trusted
    QCOMPARE(checkKnownHost(h, m_ed1.get(), { path }, &known, &error,
                 [](QString *e) {
                     *e = u"disk full"_s;
                     return false;
                 }),
        KnownHostVerdict::Error);
    QCOMPARE(error, u"disk full"_s);

    std::atomic<int> recorded { 0 };
    auto recorderFor = [&](const QByteArray &keyText) {
        return [&, keyText](QString *) {
            QThread::msleep(20); // long enough for the other thread to try meanwhile
            QFile f(path);
            if (!f.open(QIODevice::Append))
                return false;
            f.write(h + ' ' + keyText + '\n');
            ++recorded;
            return true;
        };
    };
    KnownHostVerdict v1 = KnownHostVerdict::Error, v2 = KnownHostVerdict::Error;
    std::thread a([&] {
        HostKeyInfo k;
        QString e;
        v1 = checkKnownHost(h, m_ed1.get(), { path }, &k, &e, recorderFor(m_ed1Text));
    });
    std::thread b([&] {
        HostKeyInfo k;
        QString e;
        v2 = checkKnownHost(h, m_ed2.get(), { path }, &k, &e, recorderFor(m_ed2Text));
    });
    a.join();
    b.join();
    QCOMPARE(recorded.load(), 1);
    QCOMPARE(QList<KnownHostVerdict>({ v1, v2 }).count(KnownHostVerdict::Known), 1);
    QCOMPARE(QList<KnownHostVerdict>({ v1, v2 }).count(KnownHostVerdict::Changed), 1);
}

QTEST_GUILESS_MAIN(TestKnownHosts)
#include "tst_knownhosts.moc"
