#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Install what Canyon needs to build, run and test on a fresh Debian 12 (bookworm).
#
#   tests/testbed/install-deps.sh               # everything: build + run + integration testbed
#   tests/testbed/install-deps.sh --build-only  # just enough to build and run the app ("run the demo")
#
# Idempotent: packages already installed are not touched, and `apt-get update` is skipped
# while the package lists are younger than a day (saves ~10 s per CI run). Needs root or sudo.
set -euo pipefail

usage() { echo "usage: $0 [--build-only]" >&2; exit 2; }

mode=all
case "${1:-}" in
    "") ;;
    --build-only) mode=build ;;
    -h|--help) usage ;;
    *) usage ;;
esac

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "install-deps: need root or sudo" >&2; exit 1; }
    SUDO=(sudo)
fi

# Compiler, CMake/Ninja, Qt 6 modules the CMake project finds, and libssh (our SSH transport).
BUILD_PKGS=(cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-base-dev-tools libqt6opengl6-dev qt6-charts-dev qt6-websockets-dev
    qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
    libssh-dev libssl-dev libgl-dev
    qtkeychain-qt6-dev)
# The app shells out to ssh for "open a terminal on the device".
RUN_PKGS=(openssh-client qt6-translations-l10n)
# Integration testbed: real sshd targets, pssh/ansible as benchmark peers, Xvfb + ImageMagick
# for screenshots, LXD (+ dnsmasq-base for its bridge: only a Recommends of lxd, and we install
# without recommends), debootstrap + zstd for the snapd device image, squashfs-tools to pack test
# snaps on the host (`mksquashfs DIR F.snap -noappend -comp xz -no-xattrs -all-root` is accepted
# by `snap install --dangerous`, verified), curl/jq for REST checks, clang + libclang-rt-14-dev
# (libFuzzer, ASan/UBSan runtimes) for the fuzz targets in tests/fuzz, ccache (the ci and fuzz
# presets compile through it: a second CI run on the same machine rebuilds little).
# Deliberately NOT snapd on the host: it depends on systemd/udev and cannot run without systemd
# as PID 1; the snapd device runs snapd inside an LXD container and packs its snaps there.
TEST_PKGS=(openssh-server xvfb xauth imagemagick fonts-dejavu-core pssh ansible
    lxd lxd-client dnsmasq-base busybox-static debootstrap squashfs-tools zstd curl jq ca-certificates
    python3 linux-perf clang libclang-rt-14-dev ccache
    flatpak-builder appstream appstream-util desktop-file-utils gnome-keyring dbus-daemon dbus-x11)
# LXD picks its firewall backend when it starts: nftables must be on the machine before lxd is
# even installed (its postinst may start nothing here, but a later daemon start must see nft).
FIRST_PKGS=(nftables)

if [[ $mode == build ]]; then
    FIRST_PKGS=()
    WANT=("${BUILD_PKGS[@]}" "${RUN_PKGS[@]}")
else
    WANT=("${BUILD_PKGS[@]}" "${RUN_PKGS[@]}" "${TEST_PKGS[@]}")
fi

# Prints the packages of "$@" that are not installed yet.
missing() {
    local p status
    for p in "$@"; do
        status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
        [[ $status == installed ]] || printf '%s\n' "$p"
    done
}

mapfile -t need_first < <(missing "${FIRST_PKGS[@]}")
mapfile -t need_rest < <(missing "${WANT[@]}")

if [[ ${#need_first[@]} -eq 0 && ${#need_rest[@]} -eq 0 ]]; then
    echo "install-deps: nothing to do, every package (${mode}) is installed"
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
# Wait for a concurrent apt/dpkg (another build on the machine) instead of failing at once.
APT=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -y
    -o DPkg::Lock::Timeout=600 --no-install-recommends)

# Only refresh the lists when they are missing or older than a day.
fresh=$(find /var/lib/apt/lists -maxdepth 1 -name '*_InRelease' -mmin -1440 2>/dev/null | head -n1)
if [[ -z $fresh ]]; then
    echo "install-deps: apt lists older than a day, running apt-get update"
    # A third-party source that is unreachable must not stop us: what we need is in Debian main,
    # and a truly missing package makes the install below fail loudly anyway.
    "${SUDO[@]}" apt-get -q -o DPkg::Lock::Timeout=600 update || echo "install-deps: apt-get update reported errors, continuing" >&2
else
    echo "install-deps: apt lists are fresh, skipping apt-get update"
fi

if [[ ${#need_first[@]} -gt 0 ]]; then
    echo "install-deps: installing ${need_first[*]}"
    "${APT[@]}" install "${need_first[@]}"
fi
mapfile -t need_rest < <(missing "${WANT[@]}")
if [[ ${#need_rest[@]} -gt 0 ]]; then
    echo "install-deps: installing ${need_rest[*]}"
    "${APT[@]}" install "${need_rest[@]}"
fi

mapfile -t still < <(missing "${FIRST_PKGS[@]}" "${WANT[@]}")
if [[ ${#still[@]} -gt 0 ]]; then
    echo "install-deps: FAILED, still missing: ${still[*]}" >&2
    exit 1
fi
echo "install-deps: done (${mode})"
