#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Imports a tiny offline busybox image (alias "test") into the testbed's LXD daemon, so LXD
# integration tests can create, start and stop containers in well under a second each.
#
#   lxd-image.sh DIR      # DIR = the snapd device's dir of snapd-device.sh (DIR/lxd is LXD_DIR)
#
# The machine has no internet: the rootfs is busybox-static plus an inittab whose powerfail
# entry makes a clean `lxc stop` (SIGPWR) work; the network comes up with udhcpc from the
# testbed bridge's dnsmasq. Idempotent: an existing "test" alias is kept. Takes ~2 s.
set -euo pipefail

die() { echo "lxd-image: ERROR: $*" >&2; exit 1; }
[[ $# -eq 1 ]] || { echo "usage: $0 DIR" >&2; exit 2; }
DIR=$(realpath -m "$1")
export LXD_DIR=$DIR/lxd LXD_CONF=$DIR/lxc-client
[[ -S $LXD_DIR/unix.socket ]] || die "no LXD daemon socket at $LXD_DIR/unix.socket"
BUSYBOX=$(command -v busybox || true)
[[ -x /bin/busybox ]] && BUSYBOX=/bin/busybox
[[ -n $BUSYBOX ]] || die "busybox is not installed (apt-get install busybox-static)"
# a dynamically linked busybox would not run inside the bare rootfs
file -L "$BUSYBOX" 2>/dev/null | grep -q 'dynamically linked' && die "$BUSYBOX is dynamically linked: install busybox-static"

if lxc image show test >/dev/null 2>&1; then
    echo "lxd-image: image 'test' already present"
    exit 0
fi

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
R=$W/rootfs
mkdir -p "$R"/{bin,sbin,etc,dev,proc,sys,tmp,root,run,var/log}
cp "$BUSYBOX" "$R/bin/busybox"
chroot "$R" /bin/busybox --install -s /bin
ln -sf /bin/busybox "$R/sbin/init"
printf '#!/bin/sh\ncase "$1" in bound|renew) ip addr flush dev $interface; ip addr add $ip/${mask:-24} dev $interface;; deconfig) ip link set $interface up;; esac\n' >"$R/etc/udhcpc.script"
chmod +x "$R/etc/udhcpc.script"
printf '::sysinit:/bin/mount -t tmpfs tmpfs /run\n::sysinit:/bin/udhcpc -b -q -i eth0 -s /etc/udhcpc.script -t 5 -T 1\n::respawn:-/bin/sh\n::powerfail:/bin/poweroff -f\n' >"$R/etc/inittab"
echo 'root:x:0:0:root:/root:/bin/sh' >"$R/etc/passwd"
printf 'architecture: %s\ncreation_date: %s\nproperties: {description: busybox test, os: busybox, release: "1.35"}\n' \
    "$(uname -m)" "$(date +%s)" >"$W/metadata.yaml"
tar -C "$W" -czf "$W/metadata.tar.gz" metadata.yaml
tar -C "$R" -czf "$W/rootfs.tar.gz" --numeric-owner .
timeout 60 lxc image import "$W/metadata.tar.gz" "$W/rootfs.tar.gz" --alias test >/dev/null || die "lxc image import failed"
echo "lxd-image: image 'test' imported"
