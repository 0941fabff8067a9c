// SPDX-License-Identifier: GPL-3.0-or-later
// canyon-simsnap: the `snap` (or `snappy`) command of a simulated device behind a
// real sshd. It hands its arguments and locale to `canyon-fleetsim clid` over a
// unix socket and prints the answer, as the real snap CLI asks snapd. Without a
// daemon listening it runs `canyon-fleetsim cli` itself, which gives the same
// answer at the cost of a Qt process start.
//
//   canyon-simsnap SOCKET FLEETSIM [cli arguments: --state FILE ... -- COMMAND ARGS]
//
// Only libc: this process starts once per command on every target.
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace {

constexpr uint32_t kCliMagic = 0x31495343; // SimCli.h

bool writeFully(int fd, const void *data, size_t size)
{
    const auto *p = static_cast<const char *>(data);
    while (size > 0) {
        const ssize_t n = ::write(fd, p, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        size -= size_t(n);
    }
    return true;
}

bool readFully(int fd, void *data, size_t size)
{
    auto *p = static_cast<char *>(data);
    while (size > 0) {
        const ssize_t n = ::read(fd, p, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        size -= size_t(n);
    }
    return true;
}

bool sendString(int fd, const char *s)
{
    const uint32_t length = uint32_t(std::strlen(s));
    return writeFully(fd, &length, sizeof length) && writeFully(fd, s, length);
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

} // namespace

int main(int argc, char **argv)
{
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

    const uint32_t header[2] = { kCliMagic, uint32_t(argc) }; // 3 locale strings + argv[3..]
    bool sent = writeFully(fd, header, sizeof header);
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
