// SPDX-License-Identifier: GPL-3.0-or-later
// canyon-simsnap: the `snap` (or `snappy`) command of a simulated device behind a
// real sshd. It hands its arguments and locale to `canyon-fleetsim clid` over a
// unix socket and prints the answer, as the real snap CLI asks snapd. Without a
// daemon listening it runs `canyon-fleetsim cli` itself, which gives the same
// answer at the cost of a Qt process start.
//
//   canyon-simsnap SOCKET FLEETSIM [cli arguments: --state FILE ... -- COMMAND ARGS]
//
// Started as `snap` or `snappy` (a symlink in a target's bin/), it is that device's command: the
// sshd session's CANYON_SIM_DEVICE names the device directory, whose simsnap.conf holds, one per
// line, SOCKET, FLEETSIM, the calls log, and the cli arguments before "--". It appends
// "COMMAND ARGS" to the calls log (what the wrapper script's `echo "snap $*"` did) and asks.
//
// Only libc: this process starts once per command on every target, so no shell script either.
#include "SimWire.h"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <initializer_list>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace {

using namespace canyon::sim::wire;

bool sendString(int fd, const char *s)
{
    return sendBlock(fd, s, uint32_t(std::strlen(s)));
}

// Copies one length-prefixed block from the socket to `out` in pieces.
bool relayBlock(int fd, int out)
{
    uint32_t length = 0;
    if (!readFully(fd, &length, sizeof length))
        return false;
    char buffer[65536];
    while (length > 0) {
        const size_t piece = length < sizeof buffer ? length : sizeof buffer;
        if (!readFully(fd, buffer, piece))
            return false;
        writeFully(out, buffer, piece); // a closed stdout is the caller's business, not an error here
        length -= uint32_t(piece);
    }
    return true;
}

[[noreturn]] void runDirectly(const char *fleetsim, int argc, char **argv)
{
    // argv[3..] are the cli arguments: FLEETSIM cli ARGS...
    char **args = static_cast<char **>(std::calloc(size_t(argc), sizeof(char *)));
    if (!args)
        std::_Exit(70);
    args[0] = const_cast<char *>(fleetsim);
    args[1] = const_cast<char *>("cli");
    for (int i = 3; i < argc; ++i)
        args[i - 1] = argv[i];
    ::execv(fleetsim, args);
    std::fprintf(stderr, "canyon-simsnap: cannot run %s: %s\n", fleetsim, std::strerror(errno));
    std::_Exit(127);
}

// Started as `snap`/`snappy`: the explicit form's argv, built from the device's simsnap.conf.
// Returns false (with a message) when the session names no usable device.
bool deviceArguments(int argc, char **argv, const char *command, int *outArgc, char ***outArgv)
{
    static char conf[8192];
    const char *device = std::getenv("CANYON_SIM_DEVICE");
    if (!device || !*device) {
        std::fprintf(stderr, "canyon-simsnap: started as %s without CANYON_SIM_DEVICE\n", command);
        return false;
    }
    char path[4096];
    std::snprintf(path, sizeof path, "%s/simsnap.conf", device);
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    ssize_t size = fd < 0 ? -1 : ::read(fd, conf, sizeof conf - 1);
    if (fd >= 0)
        ::close(fd);
    if (size <= 0) {
        std::fprintf(stderr, "canyon-simsnap: cannot read %s\n", path);
        return false;
    }
    conf[size] = 0;
    char *lines[64];
    int n = 0;
    for (char *line = conf; *line && n < 64;) {
        char *end = std::strchr(line, '\n');
        if (end)
            *end = 0;
        lines[n++] = line;
        if (!end)
            break;
        line = end + 1;
    }
    if (n < 4) {
        std::fprintf(
            stderr, "canyon-simsnap: %s needs SOCKET, FLEETSIM, CALLS LOG and cli arguments\n", path);
        return false;
    }
    // The calls log lets tests see which commands a client ran: "snap list --all".
    char entry[8192];
    size_t used = size_t(std::snprintf(entry, sizeof entry, "%s ", command));
    for (int i = 1; i < argc && used < sizeof entry; ++i)
        used += size_t(std::snprintf(entry + used, sizeof entry - used, i > 1 ? " %s" : "%s", argv[i]));
    used = used < sizeof entry - 1 ? used : sizeof entry - 2;
    entry[used++] = '\n';
    const int log = ::open(lines[2], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (log >= 0) {
        writeFully(log, entry, used);
        ::close(log);
    }
    // argv: self SOCKET FLEETSIM cli-args... -- COMMAND ARGS...
    // Static, not calloc'd: main returns without freeing, which LeakSanitizer would report.
    static char *args[4096];
    if (n + 1 + argc >= int(sizeof args / sizeof *args)) {
        std::fprintf(stderr, "canyon-simsnap: too many arguments\n");
        return false;
    }
    int k = 0;
    args[k++] = argv[0];
    args[k++] = lines[0];
    args[k++] = lines[1];
    for (int i = 3; i < n; ++i)
        args[k++] = lines[i];
    args[k++] = const_cast<char *>("--");
    args[k++] = const_cast<char *>(command);
    for (int i = 1; i < argc; ++i)
        args[k++] = argv[i];
    *outArgc = k;
    *outArgv = args;
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    const char *self = std::strrchr(argv[0], '/');
    self = self ? self + 1 : argv[0];
    if (std::strcmp(self, "snap") == 0 || std::strcmp(self, "snappy") == 0) {
        if (!deviceArguments(argc, argv, self, &argc, &argv))
            return 70;
    }
    if (argc < 4) {
        std::fputs("usage: canyon-simsnap SOCKET FLEETSIM --state FILE [...] -- COMMAND [ARGS...]\n", stderr);
        return 2;
    }
    const char *socketPath = argv[1];
    const char *fleetsim = argv[2];
    sockaddr_un address {};
    address.sun_family = AF_UNIX;
    if (std::strlen(socketPath) >= sizeof address.sun_path)
        runDirectly(fleetsim, argc, argv);
    std::memcpy(address.sun_path, socketPath, std::strlen(socketPath));
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0)
        runDirectly(fleetsim, argc, argv); // no daemon: nothing was sent, so nothing can run twice

    const uint32_t header[2] = { kMagic, uint32_t(argc) }; // 3 locale strings + argv[3..]
    bool sent = sendFully(fd, header, sizeof header);
    for (const char *key : { "LC_MESSAGES", "LC_ALL", "LANG" }) {
        const char *value = std::getenv(key);
        sent = sent && sendString(fd, value ? value : "");
    }
    for (int i = 3; sent && i < argc; ++i)
        sent = sendString(fd, argv[i]);
    int32_t code = 0;
    if (!sent || ::shutdown(fd, SHUT_WR) != 0 || !readFully(fd, &code, sizeof code) || !relayBlock(fd, 1)
        || !relayBlock(fd, 2)) {
        // The request may have run: say so rather than run it a second time.
        std::fprintf(stderr, "canyon-simsnap: the simulator daemon at %s dropped the request\n", socketPath);
        return 70;
    }
    return code;
}
