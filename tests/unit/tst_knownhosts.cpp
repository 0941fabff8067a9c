// SPDX-License-Identifier: GPL-3.0-or-later
// checkKnownHost: the verdicts libssh's ssh_session_is_known_server() gives, from files read
// once and indexed. Each case is also decided by a plain reference that hands every line of the
// files to libssh's own parser and applies libssh's rules; both must agree. Where Canyon differs
// from libssh on purpose it is stricter or no weaker: "@revoked" refuses its key, and a line
// libssh cannot read is skipped (libssh stops reading the file there, so a key trusted further
// down would be asked about again). Real sshd sessions use the same code in tst_sshfleet.
// hostKeyAlgorithmsFor: the host key order libssh offers in its KEXINIT after reading the file
// itself, read off a loopback socket, against the order SshSession offers from the index.
#include "ssh/KnownHosts.h"
#include "ssh/SshConfigScan.h"
#include "ssh/SshSession.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QMessageAuthenticationCode>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QtEndian>
#include <arpa/inet.h>
#include <atomic>
#include <libssh/libssh.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

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

// A server that is no server: it answers a client's banner with its own, reads the client's
// first packet (KEXINIT, in clear) and hangs up. What the client offered is what it wanted.
class KexinitCatcher
{
public:
    KexinitCatcher()
    {
        m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a {};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        if (m_listen < 0 || ::bind(m_listen, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0
            || ::listen(m_listen, 1) != 0
            || ::getsockname(m_listen, reinterpret_cast<sockaddr *>(&a), &len) != 0)
            return;
        m_port = ntohs(a.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~KexinitCatcher()
    {
        if (m_listen >= 0)
            ::shutdown(m_listen, SHUT_RDWR); // ends an accept() no client came to
        if (m_thread.joinable())
            m_thread.join();
        if (m_listen >= 0)
            ::close(m_listen);
    }
    int port() const { return m_port; }
    // The name-lists of the KEXINIT (kex, host keys, ...); empty when none arrived. After the
    // client gave up.
    QByteArrayList lists()
    {
        if (m_thread.joinable())
            m_thread.join();
        return m_lists;
    }

private:
    void serve()
    {
        const int fd = ::accept(m_listen, nullptr, nullptr);
        if (fd < 0)
            return;
        const QByteArray banner = "SSH-2.0-OpenSSH_9.2p1 canyon-test\r\n";
        [[maybe_unused]] const ssize_t w = ::write(fd, banner.constData(), size_t(banner.size()));
        QByteArray in;
        char buf[4096];
        for (;;) {
            const qsizetype eol = in.indexOf('\n');
            if (eol >= 0 && in.size() >= eol + 1 + 4) {
                const QByteArray packet = in.mid(eol + 1);
                const quint32 n = qFromBigEndian<quint32>(packet.constData());
                if (n < 1024 * 1024 && packet.size() >= qsizetype(4 + n)) {
                    parse(packet.mid(5, n - 1 - quint8(packet[4]))); // minus padding
                    break;
                }
            }
            const ssize_t r = ::read(fd, buf, sizeof buf);
            if (r <= 0)
                break;
            in.append(buf, r);
        }
        ::close(fd);
    }
    void parse(const QByteArray &payload)
    {
        if (payload.isEmpty() || payload[0] != 20) // SSH_MSG_KEXINIT
            return;
        qsizetype at = 1 + 16; // the cookie
        for (int i = 0; i < 10 && at + 4 <= payload.size(); ++i) {
            const quint32 n = qFromBigEndian<quint32>(payload.constData() + at);
            at += 4;
            if (at + qsizetype(n) > payload.size())
                return;
            m_lists.append(payload.mid(at, n));
            at += n;
        }
    }

    int m_listen = -1;
    int m_port = 0;
    std::thread m_thread;
    QByteArrayList m_lists;
};

struct Offer
{
    QByteArray algorithms; // the host key algorithms of the KEXINIT
    QByteArray hostPort; // the server's name in known_hosts ("[127.0.0.1]:port")
    QString knownHosts; // the file written
};

// The host key algorithms offered to a server on 127.0.0.1 when the known_hosts file holds
// knownLines, in which "<H>" stands for the host's name there and "<HASHED>" for it hashed: by
// libssh itself, reading the file, when sshConfig is null; else by SshSession, with that config.
Offer offer(const QString &dir, const QByteArray &knownLines, const QString *sshConfig = nullptr)
{
    KexinitCatcher server;
    Offer o;
    o.hostPort = knownHostsName("127.0.0.1", unsigned(server.port()));
    o.knownHosts = dir + u"/offer-known_hosts"_s;
    QFile f(o.knownHosts);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return o;
    f.write(QByteArray(knownLines).replace("<HASHED>", hashedName(o.hostPort)).replace("<H>", o.hostPort));
    f.close();
    if (!sshConfig) {
        ssh_session s = ssh_new();
        bool no = false;
        unsigned int port = unsigned(server.port());
        ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &no);
        ssh_options_set(s, SSH_OPTIONS_HOST, "127.0.0.1");
        ssh_options_set(s, SSH_OPTIONS_PORT, &port);
        ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, QFile::encodeName(o.knownHosts).constData());
        ssh_options_set(s, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null");
        ssh_connect(s); // fails: the server hangs up after the KEXINIT
        ssh_free(s);
    } else {
        SshOptions so;
        so.target.host = u"127.0.0.1"_s;
        so.target.port = server.port();
        so.knownHostsFile = o.knownHosts;
        so.userKnownHostsFile = u"/dev/null"_s;
        so.sshConfigFile = *sshConfig;
        so.useAgent = false;
        SshSession session(so);
        QString error;
        if (session.connect(QDeadlineTimer(5000), &error) == DeviceStatus::Ok)
            return o; // a server that is none: no algorithms
    }
    const QByteArrayList lists = server.lists();
    if (lists.size() > 1)
        o.algorithms = lists.at(1);
    return o;
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
    void hostKeyOrderAsLibssh_data();
    void hostKeyOrderAsLibssh();
    void sessionOffersTheOrder();
    void sshConfigHostKeyAlgorithmsWin();

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

void TestKnownHosts::hostKeyOrderAsLibssh_data()
{
    // <H> is the host as libssh names it ("[127.0.0.1]:port"), <K1> an ed25519 key, <EC> an
    // ECDSA one, <RSA> an RSA one.
    // libssh gives up on the whole file at a line for the host whose key it cannot read, and
    // offers its defaults; the index skips that line only (as the host key check does).
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<bool>("libsshGivesUp");
    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("ed25519") << QByteArray("<H> <K1>\n") << false;
    QTest::newRow("ecdsa") << QByteArray("<H> <EC>\n") << false;
    QTest::newRow("rsa") << QByteArray("<H> <RSA>\n") << false;
    QTest::newRow("rsa and ecdsa") << QByteArray("<H> <RSA>\n<H> <EC>\n") << false;
    QTest::newRow("another host only") << QByteArray("[10.0.0.1]:22 <EC>\nother <RSA>\n") << false;
    QTest::newRow("among others") << QByteArray("a,b <K1>\n<H> <EC>\nc <RSA>\n") << false;
    QTest::newRow("hashed") << QByteArray("<HASHED> <EC>\n") << false;
    QTest::newRow("pattern") << QByteArray("[127.0.0.*]:* <RSA>\n") << false;
    QTest::newRow("revoked only") << QByteArray("@revoked <H> <EC>\n") << false;
    QTest::newRow("comment") << QByteArray("# <H> <EC>\n<H> <RSA>\n") << false;
    QTest::newRow("unreadable line") << QByteArray("<H> ssh-ed25519 AAAAjunk\n<H> <RSA>\n") << true;
}

void TestKnownHosts::hostKeyOrderAsLibssh()
{
    // libssh's own order (it reads the file during the key exchange) against the index's, for
    // the same file: SshSession offers the second instead of letting libssh read the files.
    QFETCH(QByteArray, file);
    QFETCH(bool, libsshGivesUp);
    static SshKeyPtr rsa = generate(SSH_KEYTYPE_RSA, 2048);
    QVERIFY(rsa);
    const Offer libssh = offer(m_dir.path(),
        QByteArray(file)
            .replace("<K1>", m_ed1Text)
            .replace("<EC>", m_ecdsaText)
            .replace("<RSA>", keyText(rsa.get())));
    QVERIFY(!libssh.algorithms.isEmpty());
    const QByteArray ours = hostKeyAlgorithmsFor(libssh.hostPort, { libssh.knownHosts, u"/dev/null"_s });
    if (libsshGivesUp) {
        QCOMPARE(libssh.algorithms, libsshHostKeyAlgorithms().join(','));
        QVERIFY2(ours.startsWith("rsa-sha2-512,rsa-sha2-256,ssh-ed25519,"), ours.constData());
        return;
    }
    QCOMPARE(ours.isEmpty() ? libsshHostKeyAlgorithms().join(',') : ours, libssh.algorithms);
}

void TestKnownHosts::sessionOffersTheOrder()
{
    // The order reaches the wire: an ECDSA key known for the host puts ECDSA first, although
    // SshSession points libssh at an empty known_hosts file; an unknown host gets the defaults.
    const QString none = u"none"_s;
    const QByteArray ecdsa = "<H> " + m_ecdsaText + '\n';
    const QByteArray session = offer(m_dir.path(), ecdsa, &none).algorithms;
    QVERIFY2(session.startsWith("ecdsa-sha2-nistp256,ssh-ed25519,"), session.constData());
    QCOMPARE(session, offer(m_dir.path(), ecdsa).algorithms);
    QCOMPARE(offer(m_dir.path(), {}, &none).algorithms, libsshHostKeyAlgorithms().join(','));
    QCOMPARE(offer(m_dir.path(), {}).algorithms, libsshHostKeyAlgorithms().join(','));
}

void TestKnownHosts::sshConfigHostKeyAlgorithmsWin()
{
    // A HostKeyAlgorithms line in the ssh config, directly or through an Include, stands: the
    // type of the key known for the host does not reorder it (libssh applied it and cannot
    // report it back, so SshSession leaves the order to libssh then).
    const QByteArray ecdsa = "<H> " + m_ecdsaText + '\n';
    const QString direct
        = write(u"config-direct"_s, "Host *\n  HostKeyAlgorithms rsa-sha2-256,ssh-ed25519\n");
    const QString included = write(u"config-included"_s, "HostKeyAlgorithms ssh-ed25519\n");
    const QString including = write(u"config-including"_s, "  include " + QFile::encodeName(included) + "\n");
    const QString plain = write(u"config-plain"_s, "Host nothing-here\n  User nobody\n");
    QVERIFY(!direct.isEmpty() && !including.isEmpty() && !plain.isEmpty());
    QVERIFY(sshConfigMentions(direct, {}).maySet("hostkeyalgorithms"));
    QVERIFY(sshConfigMentions(including, {}).maySet("hostkeyalgorithms"));
    QVERIFY(!sshConfigMentions(plain, {}).maySet("hostkeyalgorithms"));
    QCOMPARE(offer(m_dir.path(), ecdsa, &direct).algorithms, QByteArray("rsa-sha2-256,ssh-ed25519"));
    QCOMPARE(offer(m_dir.path(), ecdsa, &including).algorithms, QByteArray("ssh-ed25519"));
    const QByteArray plainOffer = offer(m_dir.path(), ecdsa, &plain).algorithms;
    QVERIFY2(plainOffer.startsWith("ecdsa-sha2-nistp256,"), plainOffer.constData());
    QVERIFY(sshConfigMentions(u"~/unfollowed"_s, {}).maySet("hostkeyalgorithms"));
    QVERIFY(!sshConfigMentions(m_dir.filePath(u"absent"_s), {}).maySet("hostkeyalgorithms"));
    QVERIFY(sshConfigMentions(plain, {}).maySet("proxyjump") == false);
    // A relative Include is not followed (where libssh 0.10 looks for it varies): yes.
    const QString relative = write(u"config-relative"_s, "Include config-plain\n");
    QVERIFY(sshConfigMentions(relative, {}).maySet("hostkeyalgorithms"));

    // Kept, and read again when a file it read changes. The files are dated back first, so that
    // the scan is not just repeated for having read files changed within the last 2 s.
    const QString outer = write(u"config-outer"_s, "Include " + QFile::encodeName(plain) + "\n");
    const auto backdate = [](const QString &path) {
        QFile f(path);
        const QDateTime past = QDateTime::currentDateTimeUtc().addSecs(-60);
        return f.open(QIODevice::ReadWrite) && f.setFileTime(past, QFileDevice::FileModificationTime);
    };
    QVERIFY(backdate(outer) && backdate(plain));
    std::this_thread::sleep_for(std::chrono::milliseconds(2100)); // their change times age too
    QVERIFY(!sshConfigMentions(outer, {}).maySet("hostkeyalgorithms"));
    QVERIFY(!sshConfigMentions(outer, {}).maySet("hostkeyalgorithms")); // from what was kept
    // The included file changes (the same size, dated back again): the scan sees it.
    QFile change(plain);
    QVERIFY(change.open(QIODevice::ReadOnly));
    const QByteArray before = change.readAll();
    change.close();
    QByteArray after = "Host n\n HostKeyAlgorithms e\n";
    QVERIFY(after.size() <= before.size());
    after.append(QByteArray(before.size() - after.size(), '\n'));
    QCOMPARE(write(u"config-plain"_s, after), plain);
    QVERIFY(backdate(plain));
    QVERIFY(sshConfigMentions(outer, {}).maySet("hostkeyalgorithms"));
}

QTEST_GUILESS_MAIN(TestKnownHosts)
#include "tst_knownhosts.moc"
