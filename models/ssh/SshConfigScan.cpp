// SPDX-License-Identifier: GPL-3.0-or-later
#include "SshConfigScan.h"

#include "FileStamp.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QMutex>
#include <cerrno>
#include <glob.h>
#include <sys/stat.h>
#include <vector>

namespace canyon {

namespace {

constexpr int kMaxDepth = 16; // Include within Include; libssh stops earlier
constexpr qint64 kMaxFileBytes = 1024 * 1024; // a config file larger than this is not scanned

// A path read (or looked for) by a scan, as it was then: the scan is valid while all are.
struct Watched
{
    QByteArray path;
    bool exists = false;
    FileStamp stamp;
};

struct Scan
{
    SshConfigMentions mentions;
    bool racy = false; // a file changed within the last moments: scanned again next time
    std::vector<Watched> watched;
};

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

class Scanner
{
public:
    Scanner(const QByteArray &sshDir, Scan *scan, QByteArray *text)
        : m_scan(scan)
        , m_text(text)
    {
        m_home = sshDir.endsWith("/.ssh") ? sshDir.chopped(5) : QFile::encodeName(QDir::homePath());
    }

    // Adds the file's text, and those of the files it Includes, to *text. False when what the
    // file sets cannot be told (then any keyword may be set).
    bool file(const QByteArray &path, int depth)
    {
        if (depth > kMaxDepth)
            return false;
        struct stat st
        {
        };
        if (::stat(path.constData(), &st) != 0) {
            if (errno != ENOENT && errno != ENOTDIR)
                return false;
            m_scan->watched.push_back({ path, false, {} });
            return true; // libssh skips a file that is not there
        }
        const FileStamp stamp = FileStamp::of(st);
        m_scan->watched.push_back({ path, true, stamp });
        m_scan->racy = m_scan->racy || stamp.recent();
        if (!S_ISREG(st.st_mode) || st.st_size > kMaxFileBytes)
            return false;
        QFile f(QFile::decodeName(path));
        if (!f.open(QIODevice::ReadOnly))
            return false;
        const QByteArray text = f.readAll(); // as written: the paths an Include lists keep their case
        *m_text += text.toLower() + '\n';
        for (qsizetype from = 0; from < text.size();) {
            qsizetype end = text.indexOf('\n', from);
            if (end < 0)
                end = text.size();
            const QByteArrayView raw = QByteArrayView(text).sliced(from, end - from);
            from = end + 1;
            qsizetype p = 0;
            while (p < raw.size() && isSpace(raw[p]))
                ++p;
            qsizetype e = p;
            while (e < raw.size() && !isSpace(raw[e]) && raw[e] != '=')
                ++e;
            // libssh's tokenizer drops quotes around the keyword too.
            if (raw.sliced(p, e - p).toByteArray().replace('"', "").compare("include", Qt::CaseInsensitive)
                != 0)
                continue;
            const QByteArrayView args = raw.sliced(e);
            if (args.contains('"') || args.contains('%'))
                return false; // quoting and %-tokens: not followed here
            for (const QByteArray &arg : args.toByteArray().replace('=', ' ').simplified().split(' ')) {
                if (!arg.isEmpty() && !include(arg, depth))
                    return false;
            }
        }
        return true;
    }

private:
    // Follows an Include; false when it cannot be followed (as file()).
    bool include(const QByteArray &pattern, int depth)
    {
        QByteArrayList paths;
        if (pattern.startsWith("~/")) {
            // The account's home, or $HOME where libssh takes that instead: both looked at.
            paths << m_home + pattern.mid(1);
            const QByteArray home = qgetenv("HOME");
            if (!home.isEmpty() && home != m_home)
                paths << home + pattern.mid(1);
        } else if (pattern.startsWith('/')) {
            paths << pattern;
        } else {
            // Another account's home, or a relative path: where libssh 0.10 looks for it (the
            // working directory, ~/.ssh or /etc/ssh) is not followed here.
            return false;
        }
        for (const QByteArray &path : std::as_const(paths)) {
            const QByteArray dir = path.left(path.lastIndexOf('/'));
            if (dir.contains('*') || dir.contains('?') || dir.contains('['))
                return false;
            // The directory's times change when a file is added to it or removed.
            struct stat st
            {
            };
            if (::stat(dir.isEmpty() ? "/" : dir.constData(), &st) == 0)
                m_scan->watched.push_back({ dir, true, FileStamp::of(st) });
            else if (errno == ENOENT || errno == ENOTDIR)
                m_scan->watched.push_back({ dir, false, {} });
            else
                return false;
            glob_t g {};
            const int rc = ::glob(path.constData(), 0, nullptr, &g);
            bool known = rc == 0 || rc == GLOB_NOMATCH;
            for (size_t i = 0; known && rc == 0 && i < g.gl_pathc; ++i)
                known = file(QByteArray(g.gl_pathv[i]), depth + 1);
            globfree(&g);
            if (!known)
                return false;
        }
        return true;
    }

    QByteArray m_home;
    Scan *m_scan;
    QByteArray *m_text;
};

bool stillValid(const Scan &scan)
{
    if (scan.racy)
        return false;
    for (const Watched &w : scan.watched) {
        struct stat st
        {
        };
        const bool exists = ::stat(w.path.constData(), &st) == 0;
        if (exists != w.exists || (exists && !(FileStamp::of(st) == w.stamp)))
            return false;
    }
    return true;
}

} // namespace

bool SshConfigMentions::maySet(const QByteArray &keyword) const
{
    return !m_known || m_text.contains(keyword.toLower());
}

SshConfigMentions sshConfigMentions(const QString &configFile, const QByteArray &sshDir)
{
    static QMutex mutex;
    static QHash<QString, Scan> scans;
    const QString key = configFile + QChar(0) + QString::fromUtf8(sshDir);
    QMutexLocker lock(&mutex);
    if (const auto it = scans.constFind(key); it != scans.cend() && stillValid(*it))
        return it->mentions;
    Scan scan;
    Scanner scanner(sshDir, &scan, &scan.mentions.m_text);
    if (configFile.isEmpty()) // what ssh_options_parse_config(session, NULL) reads
        scan.mentions.m_known = !sshDir.isEmpty() && scanner.file(sshDir + "/config", 0)
            && scanner.file("/etc/ssh/ssh_config", 0);
    else if (configFile.startsWith(u'~') || configFile.contains(u'%'))
        scan.mentions.m_known = false; // libssh expands these; not followed here
    else
        scan.mentions.m_known = scanner.file(QFile::encodeName(configFile), 0);
    const SshConfigMentions mentions = scan.mentions;
    scans.insert(key, std::move(scan));
    return mentions;
}

} // namespace canyon
