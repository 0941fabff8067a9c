// SPDX-License-Identifier: GPL-3.0-or-later
#include "KnownHosts.h"

#include "FileStamp.h"

#include <QFile>
#include <QHash>
#include <QMutex>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <libssh/libssh.h>
#include <memory>
#include <sys/stat.h>
#include <unordered_map>
#include <vector>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

// A known_hosts file is the user's own, but a runaway one must not eat the memory.
constexpr qint64 kMaxFileBytes = 64 * 1024 * 1024;

// One known_hosts file split into lines (each ended by a NUL where its newline was) and indexed
// by the names a line lists literally. A line that lists the very name checked holds a key for
// it; for any other candidate libssh's parser decides, so the index holds every line libssh
// could match for a name: names folded to lower case, hashed and patterned ones for every name.
struct IndexedFile
{
    FileStamp stamp;
    bool racy = false; // FileStamp::recent() when read: read again on the next check
    QByteArray text;
    QHash<QByteArray, QList<qsizetype>> exact; // literal name -> line offsets
    QHash<QByteArray, QList<qsizetype>> folded; // the same, lower case
    QList<qsizetype> general; // hashed or patterned names: a candidate for every host
    QList<qsizetype> revoked; // "@revoked" lines, from past the marker
    // The key of a line, parsed once (null when it has none libssh can read).
    mutable std::unordered_map<qsizetype, SshKeyPtr> keys;
};

// Held while a file is read into the index, while it is used, and while a key is recorded.
QMutex &knownHostsMutex()
{
    static QMutex m;
    return m;
}

QHash<QString, std::shared_ptr<const IndexedFile>> &indexedFiles()
{
    static QHash<QString, std::shared_ptr<const IndexedFile>> files;
    return files;
}

bool isBlank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

std::shared_ptr<IndexedFile> indexFile(QByteArray text, const FileStamp &stamp)
{
    auto f = std::make_shared<IndexedFile>();
    f->stamp = stamp;
    f->text = std::move(text);
    f->text.append('\n');
    char *d = f->text.data();
    const qsizetype n = f->text.size();
    qsizetype start = 0;
    for (qsizetype i = 0; i < n; ++i) {
        if (d[i] != '\n')
            continue;
        d[i] = '\0';
        const qsizetype at = start;
        const char *line = d + at;
        const qsizetype len = i - at;
        start = i + 1;
        // libssh reads C strings: a NUL inside would cut the line short. Not a line to trust.
        if (std::memchr(line, '\0', size_t(len)))
            continue;
        qsizetype p = 0;
        while (p < len && isBlank(line[p]))
            ++p;
        if (p == len || line[p] == '#')
            continue;
        // Past the marker check, libssh's parser skips only spaces before the names: a line
        // indented by a tab lists "\thost", which matches no host.
        if (line[p] != '@')
            for (p = 0; p < len && line[p] == ' ';)
                ++p;
        if (line[p] == '@') {
            // Markers, which libssh skips. "@revoked" is honoured here; "@cert-authority" is
            // not used (no certificates).
            constexpr QByteArrayView marker("@revoked");
            if (QByteArrayView(line + p, len - p).startsWith(marker) && p + marker.size() < len
                && isBlank(line[p + marker.size()])) {
                qsizetype r = p + marker.size();
                while (r < len && isBlank(line[r]))
                    ++r;
                f->revoked.append(at + r);
            }
            continue;
        }
        // The names field as libssh's parser cuts it: up to the first space.
        qsizetype e = p;
        while (e < len && line[e] != ' ')
            ++e;
        const QByteArrayView names(line + p, e - p);
        if (names.contains('|') || names.contains('*') || names.contains('?') || names.contains('!')) {
            f->general.append(at);
            continue;
        }
        qsizetype from = 0;
        while (from <= names.size()) {
            qsizetype comma = names.indexOf(',', from);
            if (comma < 0)
                comma = names.size();
            if (comma > from) {
                const QByteArray name = names.sliced(from, comma - from).toByteArray();
                f->exact[name].append(at);
                f->folded[name.toLower()].append(at);
            }
            from = comma + 1;
        }
    }
    return f;
}

// The file's index, read again when it changed. Null when there is no such file; error set
// when there is one that cannot be read. Under knownHostsMutex().
std::shared_ptr<const IndexedFile> loadFile(const QString &path, QString *error)
{
    auto &files = indexedFiles();
    struct stat st
    {
    };
    if (::stat(QFile::encodeName(path).constData(), &st) != 0) {
        if (errno != ENOENT && errno != ENOTDIR)
            *error = u"cannot read %1: %2"_s.arg(path, QString::fromLocal8Bit(std::strerror(errno)));
        files.remove(path);
        return nullptr;
    }
    const FileStamp stamp = FileStamp::of(st);
    if (const auto it = files.constFind(path); it != files.cend() && (*it)->stamp == stamp && !(*it)->racy)
        return *it;
    auto tooLarge = [&] {
        *error = u"%1 is larger than 64 MiB: not read as a known_hosts file"_s.arg(path);
        return nullptr;
    };
    if (st.st_size > kMaxFileBytes)
        return tooLarge();
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = u"cannot read %1: %2"_s.arg(path, f.errorString());
        return nullptr;
    }
    // Changed after the stat: the next check sees another stamp, or this one racy, and reads it
    // again.
    // (Not read(kMaxFileBytes): that allocates all 64 MiB first.)
    QByteArray text = f.readAll();
    if (text.size() > kMaxFileBytes)
        return tooLarge();
    auto indexed = indexFile(std::move(text), stamp);
    indexed->racy = stamp.recent();
    files.insert(path, indexed);
    return indexed;
}

HostKeyInfo infoOf(ssh_key key)
{
    HostKeyInfo info;
    info.knownSha256 = keySha256(key);
    info.knownKeyType = QString::fromLatin1(ssh_key_type_to_char(ssh_key_type(key)));
    return info;
}

// The key a line holds, as libssh's parser reads it: the names, the key type and the key in
// base64, separated by spaces. Parsed on first use; null when libssh cannot read it.
ssh_key keyOfLine(const IndexedFile &file, qsizetype at)
{
    auto it = file.keys.find(at);
    if (it != file.keys.end())
        return it->second.get();
    const QList<QByteArray> fields = QByteArray(file.text.constData() + at).split(' ');
    QByteArrayList tokens;
    for (const QByteArray &t : fields) {
        if (!t.isEmpty())
            tokens.append(t);
    }
    ssh_key key = nullptr;
    if (tokens.size() >= 3) {
        const ssh_keytypes_e type = ssh_key_type_from_name(tokens.at(1).constData());
        if (type == SSH_KEYTYPE_UNKNOWN
            || ssh_pki_import_pubkey_base64(tokens.at(2).constData(), type, &key) != SSH_OK)
            key = nullptr;
    }
    return file.keys.emplace(at, SshKeyPtr(key)).first->second.get();
}

// Calls f(key) for each line of the file that holds a key for hostPort, in file order, until f
// returns false. exactLines list hostPort itself; libssh's parser decides on the others.
template<typename F>
void forEachEntry(const IndexedFile &file, const QList<qsizetype> &exactLines, QList<qsizetype> otherLines,
    const QByteArray &hostPort, const F &f)
{
    QList<std::pair<qsizetype, bool>> lines; // offset, listed by name
    for (const qsizetype at : exactLines)
        lines.append({ at, true });
    for (const qsizetype at : std::as_const(otherLines))
        lines.append({ at, false });
    // File order; a line listed by name stays listed by name.
    std::sort(lines.begin(), lines.end(), [](const auto &a, const auto &b) {
        return a.first != b.first ? a.first < b.first : a.second > b.second;
    });
    qsizetype last = -1;
    for (const auto &[at, listed] : std::as_const(lines)) {
        if (at == last)
            continue;
        last = at;
        ssh_key key = nullptr;
        ssh_knownhosts_entry *entry = nullptr;
        if (listed) {
            key = keyOfLine(file, at);
        } else if (ssh_known_hosts_parse_line(hostPort.constData(), file.text.constData() + at, &entry)
                == SSH_OK
            && entry) {
            key = entry->publickey;
        }
        const bool more = !key || f(key);
        ssh_knownhosts_entry_free(entry);
        if (!more)
            return;
    }
}

// The lines of the file that may hold a key for hostPort: those listing it literally (exact),
// and those libssh's parser must decide on (others).
void candidates(
    const IndexedFile &file, const QByteArray &hostPort, QList<qsizetype> *exact, QList<qsizetype> *others)
{
    *exact = file.exact.value(hostPort);
    *others = file.folded.value(hostPort.toLower()) + file.general;
    // libssh also matches a "[host]:22" entry to a host on the standard port.
    if (!hostPort.startsWith('[')) {
        const QByteArray standard = "[" + hostPort + "]:22";
        *exact += file.exact.value(standard);
        *others += file.folded.value(standard.toLower());
    }
}

// One file's verdict, as libssh's ssh_known_hosts_check_server_key() gives it.
KnownHostVerdict verdictOf(
    const IndexedFile &file, const QByteArray &hostPort, ssh_key serverKey, HostKeyInfo *known)
{
    QList<qsizetype> exact, others;
    candidates(file, hostPort, &exact, &others);
    KnownHostVerdict v = KnownHostVerdict::Unknown;
    bool haveSameType = false;
    forEachEntry(file, exact, others, hostPort, [&](ssh_key key) {
        if (ssh_key_cmp(serverKey, key, SSH_KEY_CMP_PUBLIC) == 0) {
            v = KnownHostVerdict::Known;
            return false;
        }
        const bool sameType = ssh_key_type(serverKey) == ssh_key_type(key);
        if (v == KnownHostVerdict::Unknown || (sameType && !haveSameType))
            *known = infoOf(key);
        haveSameType = haveSameType || sameType;
        if (sameType)
            v = KnownHostVerdict::Changed;
        else if (v != KnownHostVerdict::Changed)
            v = KnownHostVerdict::OtherType;
        return true;
    });
    return v;
}

bool isRevoked(const IndexedFile &file, const QByteArray &hostPort, ssh_key serverKey)
{
    bool revoked = false;
    forEachEntry(file, {}, file.revoked, hostPort, [&](ssh_key key) {
        revoked = ssh_key_cmp(serverKey, key, SSH_KEY_CMP_PUBLIC) == 0;
        return !revoked;
    });
    return revoked;
}

// Calls f(key) for each key the files hold for hostPort, file by file in file order, until f
// returns false. Files that are missing or unreadable are passed over. Takes knownHostsMutex().
template<typename F> void forEachKnownKey(const QByteArray &hostPort, const QStringList &files, const F &f)
{
    if (hostPort.isEmpty() || hostPort.contains('\0'))
        return;
    QMutexLocker lock(&knownHostsMutex());
    for (const QString &path : files) {
        QString error;
        const auto file = loadFile(path, &error);
        if (!file)
            continue;
        QList<qsizetype> exact, others;
        candidates(*file, hostPort, &exact, &others);
        bool more = true;
        forEachEntry(*file, exact, others, hostPort, [&](ssh_key key) { return more = f(key); });
        if (!more)
            return;
    }
}

} // namespace

void SshKeyFree::operator()(ssh_key_struct *key) const
{
    ssh_key_free(key);
}

QString keySha256(ssh_key_struct *key)
{
    unsigned char *hash = nullptr;
    size_t len = 0;
    if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &len) != SSH_OK)
        return {};
    char *fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, len);
    const QString s = QString::fromLatin1(fp ? fp : "");
    ssh_string_free_char(fp);
    ssh_clean_pubkey_hash(&hash);
    return s;
}

QByteArray knownHostsName(const QByteArray &host, unsigned int port)
{
    const QByteArray h = host.toLower();
    return port == 0 || port == 22 ? h : "[" + h + "]:" + QByteArray::number(port);
}

KnownHostVerdict checkKnownHost(const QByteArray &hostPort, ssh_key_struct *serverKey,
    const QStringList &files, HostKeyInfo *known, QString *error, const RecordNewKey &record)
{
    if (hostPort.isEmpty() || hostPort.contains('\0') || !serverKey) {
        *error = u"no host name or key to check"_s;
        return KnownHostVerdict::Error;
    }
    QMutexLocker lock(&knownHostsMutex());
    std::vector<std::shared_ptr<const IndexedFile>> loaded;
    for (const QString &path : files) {
        QString e;
        loaded.push_back(loadFile(path, &e));
        if (!e.isEmpty()) {
            *error = e;
            return KnownHostVerdict::Error;
        }
    }
    for (const auto &f : loaded) {
        if (f && isRevoked(*f, hostPort, serverKey))
            return KnownHostVerdict::Revoked;
    }
    KnownHostVerdict result = KnownHostVerdict::Unknown;
    for (size_t i = 0; i < loaded.size(); ++i) {
        HostKeyInfo info;
        const KnownHostVerdict v
            = loaded[i] ? verdictOf(*loaded[i], hostPort, serverKey, &info) : KnownHostVerdict::Unknown;
        if (v == KnownHostVerdict::Known) {
            *known = {};
            return v;
        }
        // libssh: the first file's verdict stands unless a later file knows the host at all.
        if (i == 0 || v != KnownHostVerdict::Unknown) {
            result = v;
            *known = info;
        }
    }
    if (result == KnownHostVerdict::Unknown && record) {
        // Still under the lock: no other connection can find the name unknown meanwhile and
        // record a key of its own.
        return record(error) ? KnownHostVerdict::Known : KnownHostVerdict::Error;
    }
    return result;
}

bool knownKeyFor(const QByteArray &hostPort, const QStringList &files, HostKeyInfo *known)
{
    bool found = false;
    forEachKnownKey(hostPort, files, [&](ssh_key key) {
        *known = infoOf(key);
        found = true;
        return false;
    });
    return found;
}

const QByteArrayList &libsshHostKeyAlgorithms()
{
    // tst_knownhosts compares this with the KEXINIT libssh sends.
    static const QByteArrayList order { "ssh-ed25519", "ecdsa-sha2-nistp521", "ecdsa-sha2-nistp384",
        "ecdsa-sha2-nistp256", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
        "rsa-sha2-512", "rsa-sha2-256" };
    return order;
}

QByteArray hostKeyAlgorithmsFor(const QByteArray &hostPort, const QStringList &files)
{
    QByteArrayList known; // the algorithms of the keys held for the host, as libssh names them
    forEachKnownKey(hostPort, files, [&](ssh_key key) {
        const ssh_keytypes_e type = ssh_key_type(key);
        if (type == SSH_KEYTYPE_RSA)
            known << "rsa-sha2-512"
                  << "rsa-sha2-256";
        else if (const char *name = ssh_key_type_to_char(type))
            known << QByteArray(name);
        return true;
    });
    if (known.isEmpty())
        return {};
    QByteArrayList first, rest;
    for (const QByteArray &a : libsshHostKeyAlgorithms())
        (known.contains(a) ? first : rest).append(a);
    if (first.isEmpty())
        return {}; // no key of a type libssh offers: its defaults, as it would
    return (first + rest).join(',');
}

} // namespace canyon
