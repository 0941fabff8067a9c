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
    bool maySet = true;
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
    Scanner(const QByteArray &sshDir, const QByteArray &keyword, Scan *scan)
        : m_sshDir(sshDir)
        , m_keyword(keyword)
        , m_scan(scan)
    {
        m_home = sshDir.endsWith("/.ssh") ? sshDir.chopped(5) : QFile::encodeName(QDir::homePath());
    }

    // True when the file may set the keyword (or cannot be told).
    bool file(const QByteArray &path, int depth)
    {
        if (depth > kMaxDepth)
            return true;
        struct stat st
        {
        };
        if (::stat(path.constData(), &st) != 0) {
            if (errno != ENOENT && errno != ENOTDIR)
                return true;
            m_scan->watched.push_back({ path, false, {} });
            return false; // libssh skips a file that is not there
        }
        const FileStamp stamp = FileStamp::of(st);
        m_scan->watched.push_back({ path, true, stamp });
        m_scan->racy = m_scan->racy || stamp.recent();
        if (!S_ISREG(st.st_mode) || st.st_size > kMaxFileBytes)
            return true;
        QFile f(QFile::decodeName(path));
        if (!f.open(QIODevice::ReadOnly))
            return true;
        const QByteArray text = f.readAll(); // as written: the paths an Include lists keep their case
        if (text.toLower().contains(m_keyword))
            return true;
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
                return true; // quoting and %-tokens: not followed here
            for (const QByteArray &arg : args.toByteArray().replace('=', ' ').simplified().split(' ')) {
                if (!arg.isEmpty() && include(arg, depth))
                    return true;
            }
        }
        return false;
    }

private:
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
            return true;
        }
        for (const QByteArray &path : std::as_const(paths)) {
            const QByteArray dir = path.left(path.lastIndexOf('/'));
            if (dir.contains('*') || dir.contains('?') || dir.contains('['))
                return true;
            // The directory's times change when a file is added to it or removed.
            struct stat st
            {
            };
            if (::stat(dir.isEmpty() ? "/" : dir.constData(), &st) == 0)
                m_scan->watched.push_back({ dir, true, FileStamp::of(st) });
            else if (errno == ENOENT || errno == ENOTDIR)
                m_scan->watched.push_back({ dir, false, {} });
            else
                return true;
            glob_t g {};
            const int rc = ::glob(path.constData(), 0, nullptr, &g);
            bool maySet = rc != 0 && rc != GLOB_NOMATCH;
            for (size_t i = 0; !maySet && rc == 0 && i < g.gl_pathc; ++i)
                maySet = file(QByteArray(g.gl_pathv[i]), depth + 1);
            globfree(&g);
            if (maySet)
                return true;
        }
        return false;
    }

    QByteArray m_sshDir;
    QByteArray m_home;
    QByteArray m_keyword;
    Scan *m_scan;
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

bool sshConfigMaySet(const QString &configFile, const QByteArray &sshDir, const QByteArray &keyword)
{
    static QMutex mutex;
    static QHash<QString, Scan> scans;
    const QString key
        = configFile + QChar(0) + QString::fromUtf8(sshDir) + QChar(0) + QString::fromUtf8(keyword);
    QMutexLocker lock(&mutex);
    if (const auto it = scans.constFind(key); it != scans.cend() && stillValid(*it))
        return it->maySet;
    Scan scan;
    Scanner scanner(sshDir, keyword.toLower(), &scan);
    if (configFile.isEmpty()) // what ssh_options_parse_config(session, NULL) reads
        scan.maySet = sshDir.isEmpty() || scanner.file(sshDir + "/config", 0)
            || scanner.file("/etc/ssh/ssh_config", 0);
    else if (configFile.startsWith(u'~') || configFile.contains(u'%'))
        scan.maySet = true; // libssh expands these; not followed here
    else
        scan.maySet = scanner.file(QFile::encodeName(configFile), 0);
    const bool maySet = scan.maySet;
    scans.insert(key, std::move(scan));
    return maySet;
}

} // namespace canyon
