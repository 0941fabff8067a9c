// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <algorithm>
#include <ctime>
#include <sys/stat.h>

namespace canyon {

// What tells that a file changed since it was last read: a file is replaced (inode), appended
// to (size) or rewritten in place (times). For the things read once per process and kept:
// known_hosts files, identity keys.
struct FileStamp
{
    dev_t dev = 0;
    ino_t ino = 0;
    off_t size = -1;
    timespec mtime {};
    timespec ctime {};

    // Changed so recently that a later change could leave the same stamp (file times tick in
    // steps of milliseconds on some file systems): what was read now is read again next time,
    // as git treats its "racy" index entries.
    bool recent() const
    {
        timespec now {};
        clock_gettime(CLOCK_REALTIME, &now);
        return now.tv_sec - std::max(mtime.tv_sec, ctime.tv_sec) < 2;
    }

    static FileStamp of(const struct stat &st)
    {
        return { st.st_dev, st.st_ino, st.st_size, st.st_mtim, st.st_ctim };
    }

    bool operator==(const FileStamp &o) const
    {
        return dev == o.dev && ino == o.ino && size == o.size && mtime.tv_sec == o.mtime.tv_sec
            && mtime.tv_nsec == o.mtime.tv_nsec && ctime.tv_sec == o.ctime.tv_sec
            && ctime.tv_nsec == o.ctime.tv_nsec;
    }
};

} // namespace canyon
