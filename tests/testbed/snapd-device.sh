#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# One REAL snapd device: snapd 2.57 under systemd in an LXD container, reachable over SSH on
# loopback, with offline, locally packed snaps installed (a refresh history included).
#
#   snapd-device.sh start DIR [SSH_PORT=22900] [LXD_HTTPS_PORT=8443]
#   snapd-device.sh stop DIR
#
# snapd needs systemd as PID 1, which this machine does not have, so the device is a Debian
# bookworm container (systemd, openssh-server, snapd, squashfuse) of a private LXD 5.0 daemon
# whose LXD_DIR is DIR/lxd. The daemon's REST API on 127.0.0.1:LXD_HTTPS_PORT (trust password
# $CANYON_LXD_TRUST_PASSWORD) is also the LXD host that integration tests may use.
#
# The container image is expensive (debootstrap, ~80 s + apt): it is built once per recipe and
# cached in $CANYON_TESTBED_CACHE (default /var/cache/canyon-testbed)/<sha256 of the recipe>/.
#
# Inside the device, after start:
#   snapd   0.0.1 x1  (type snapd placeholder: without it snapd asks the store for snapd)
#   tb-base 1.1   x2  (type base; 1.0 x1 stays as a disabled revision: a real refresh history)
#   tb-app  0.1   x1  (base tb-base, devmode, a `daemon` service and a `hello` command)
#   /var/lib/canyon-testbed/tb-app_0.2_all.snap: packed, NOT installed, for refresh tests
#   (`snap install --dangerous --devmode` of it is a real refresh to x2).
#
# Other knobs (environment): CANYON_LXD_BRIDGE (canyonbr0), CANYON_LXD_BRIDGE_CIDR
# (10.199.0.1/24), CANYON_LXD_TRUST_PASSWORD (canyon-testbed), CANYON_CLIENT_KEY (reuse this
# private key instead of generating DIR/client_ed25519), CANYON_DEBIAN_MIRROR (default: the
# bookworm mirror apt uses here).
set -euo pipefail

CACHE_ROOT=${CANYON_TESTBED_CACHE:-/var/cache/canyon-testbed}
BRIDGE=${CANYON_LXD_BRIDGE:-canyonbr0}
BRIDGE_CIDR=${CANYON_LXD_BRIDGE_CIDR:-10.199.0.1/24}
TRUST_PASSWORD=${CANYON_LXD_TRUST_PASSWORD:-canyon-testbed}
INSTANCE=snapd1
TB_USER=canyon-t
SOCKET_GROUP=canyon-lxd

die() { echo "snapd-device: ERROR: $*" >&2; exit 1; }
log() { echo "snapd-device: [$((SECONDS - T0))s] $*"; }
# shellcheck source=lxd-common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lxd-common.sh"
usage() { echo "usage: $0 start DIR [SSH_PORT] [LXD_HTTPS_PORT] | stop DIR" >&2; exit 2; }
T0=$SECONDS

# --------------------------------------------------------------------------------------------
# Image recipe. Everything that shapes the image is in the functions below and in IMAGE_PKGS:
# their text is hashed into the cache key, so editing any of them rebuilds the image.
IMAGE_RECIPE_VERSION=1
IMAGE_PKGS=(openssh-server snapd squashfuse fuse3 busybox-static sudo)

# Writes the sources of the test snaps under $1, with $2 the busybox binary for the base.
image_snap_sources() {
    local src=$1 busybox=$2 v d a
    d=$src/snapd-0.0.1
    mkdir -p "$d/meta"
    cat >"$d/meta/snap.yaml" <<'EOF'
name: snapd
version: 0.0.1
summary: Placeholder snapd snap (Canyon testbed)
description: Installed first so that snapd never asks the store for the snapd snap.
type: snapd
EOF
    for v in 1.0 1.1; do
        d=$src/tb-base-$v
        # a base is the root filesystem of its apps: busybox plus the mount points snap-confine uses
        mkdir -p "$d/meta" "$d/bin"
        for a in dev etc home lib lib64 media mnt proc root run snap sys tmp usr/bin usr/lib/snapd \
            usr/src usr/share var/lib/snapd var/log var/snap var/tmp var/cache lib/modules \
            lib/firmware writable; do
            mkdir -p "$d/$a"
        done
        cp "$busybox" "$d/bin/busybox"
        for a in sh echo cat sleep ls env date true false id uname; do ln -s busybox "$d/bin/$a"; done
        cat >"$d/meta/snap.yaml" <<EOF
name: tb-base
version: '$v'
summary: Canyon testbed base snap $v
description: A tiny busybox base for the testbed's app snap.
type: base
grade: devel
EOF
    done
    for v in 0.1 0.2; do
        d=$src/tb-app-$v
        mkdir -p "$d/meta" "$d/bin"
        cat >"$d/bin/daemon" <<'EOF'
#!/bin/sh
echo "tb-app $SNAP_VERSION (revision $SNAP_REVISION) daemon started"
while :; do sleep 3600; done
EOF
        cat >"$d/bin/hello" <<'EOF'
#!/bin/sh
echo "hello from tb-app $SNAP_VERSION (revision $SNAP_REVISION)"
EOF
        chmod 755 "$d/bin/daemon" "$d/bin/hello"
        cat >"$d/meta/snap.yaml" <<EOF
name: tb-app
version: '$v'
summary: Canyon testbed app $v
description: An app with a service, on the tb-base base.
base: tb-base
grade: devel
confinement: devmode
apps:
  daemon:
    command: bin/daemon
    daemon: simple
  hello:
    command: bin/hello
EOF
    done
}

# Configures the debootstrapped rootfs $1 (run with /proc, /sys, /dev mounted inside it).
image_configure() {
    local r=$1 s
    # no service may start inside the build chroot
    printf '#!/bin/sh\nexit 101\n' >"$r/usr/sbin/policy-rc.d"
    chmod 755 "$r/usr/sbin/policy-rc.d"
    cp /etc/resolv.conf "$r/etc/resolv.conf"
    chroot "$r" apt-get -q -y -o Acquire::Retries=3 update
    chroot "$r" env DEBIAN_FRONTEND=noninteractive apt-get -q -y --no-install-recommends \
        -o Acquire::Retries=3 install "${IMAGE_PKGS[@]}"
    chroot "$r" apt-get clean
    rm -f "$r/usr/sbin/policy-rc.d"
    rm -rf "$r"/var/lib/apt/lists/* "$r"/usr/share/doc/* "$r"/usr/share/man/* "$r"/usr/share/locale/*
    : >"$r/etc/resolv.conf"
    echo snapd-device >"$r/etc/hostname"
    printf '127.0.0.1 localhost\n127.0.1.1 snapd-device\n::1 localhost\n' >"$r/etc/hosts"

    # the SSH user of the device; '*' = no password but not "locked" for public-key logins
    chroot "$r" useradd -m -s /bin/bash "$TB_USER"
    chroot "$r" usermod -p '*' "$TB_USER"
    # snapd refuses changes (install, refresh, revert) to non-root peers without polkit: like an
    # admin on a real device, the user gets passwordless sudo, and root may log in by key too
    # (a REST client forwarding /run/snapd.socket acts as the SSH user it logged in as).
    echo "$TB_USER ALL=(ALL) NOPASSWD: ALL" >"$r/etc/sudoers.d/canyon-testbed"
    chmod 440 "$r/etc/sudoers.d/canyon-testbed"
    # host key and authorized key are pushed in by `start`, per device
    rm -f "$r"/etc/ssh/ssh_host_*
    mkdir -p "$r/etc/ssh/authorized_keys.d"
    cat >"$r/etc/ssh/sshd_config.d/canyon-testbed.conf" <<'EOF'
HostKey /etc/ssh/ssh_host_ed25519_key
AuthorizedKeysFile .ssh/authorized_keys /etc/ssh/authorized_keys.d/%u
PasswordAuthentication no
KbdInteractiveAuthentication no
KexAlgorithms curve25519-sha256,curve25519-sha256@libssh.org,sntrup761x25519-sha512@openssh.com,ecdh-sha2-nistp256,diffie-hellman-group14-sha256
AllowStreamLocalForwarding yes
AllowTcpForwarding yes
MaxStartups 200
MaxSessions 64
UseDNS no
PrintMotd no
PermitRootLogin prohibit-password
EOF
    # snapd must never reach out (store, auto-refresh): its proxy is a dead loopback port
    mkdir -p "$r/etc/systemd/system/snapd.service.d"
    cat >"$r/etc/systemd/system/snapd.service.d/canyon-testbed.conf" <<'EOF'
[Service]
Environment=HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 NO_PROXY=127.0.0.1,localhost
EOF
    # the REST API must be usable by the non-root SSH user through a forwarded channel
    mkdir -p "$r/etc/systemd/system/snapd.socket.d"
    printf '[Socket]\nSocketMode=0666\n' >"$r/etc/systemd/system/snapd.socket.d/canyon-testbed.conf"
    # timers that would try the network or just burn CPU during tests
    for s in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer \
        systemd-networkd-wait-online.service; do
        ln -sf /dev/null "$r/etc/systemd/system/$s"
    done

    # the test snaps, packed by the real `snap pack` of the image's snapd
    mkdir -p "$r/var/lib/canyon-testbed/src"
    image_snap_sources "$r/var/lib/canyon-testbed/src" "$r/bin/busybox"
    for s in snapd-0.0.1 tb-base-1.0 tb-base-1.1 tb-app-0.1 tb-app-0.2; do
        chroot "$r" snap pack "/var/lib/canyon-testbed/src/$s" /var/lib/canyon-testbed >/dev/null
    done
    rm -rf "$r/var/lib/canyon-testbed/src"
}

image_recipe() {
    echo "recipe v$IMAGE_RECIPE_VERSION debian bookworm minbase systemd-sysv"
    echo "packages ${IMAGE_PKGS[*]}"
    declare -f image_snap_sources image_configure image_metadata
}

image_metadata() { # $1 = output file
    cat >"$1" <<EOF
architecture: x86_64
creation_date: $(date +%s)
properties:
  description: Canyon testbed snapd device (Debian bookworm + snapd)
  os: debian
  release: bookworm
EOF
}

debian_mirror() {
    if [[ -n ${CANYON_DEBIAN_MIRROR:-} ]]; then echo "$CANYON_DEBIAN_MIRROR"; return; fi
    # the same mirror apt already uses on this machine (reachable by construction)
    local m
    m=$(apt-cache policy | awk '$3 == "bookworm/main" && $4 == "amd64" { print $2; exit }')
    echo "${m:-http://deb.debian.org/debian}"
}

BUILD_WORK=""
build_cleanup() {
    [[ -n $BUILD_WORK ]] || return 0
    local m
    # unmount whatever is still mounted below the build root, deepest first
    while read -r m; do
        umount -l "$m" 2>/dev/null || true
    done < <(awk -v r="$BUILD_WORK/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r)
    rm -rf --one-file-system "$BUILD_WORK"
    BUILD_WORK=""
}

# Builds the image into $1/{metadata.tar.gz,rootfs.tar.zst} (atomically: a temp dir, then mv).
build_image() {
    local out=$1 r mirror attempt t=$SECONDS
    command -v debootstrap >/dev/null || die "debootstrap missing: run tests/testbed/install-deps.sh"
    BUILD_WORK=$(mktemp -d "$CACHE_ROOT/build.XXXXXX")
    r=$BUILD_WORK/rootfs
    mirror=$(debian_mirror)
    log "building the device image (cache miss): debootstrap bookworm from $mirror"
    mkdir -p "$CACHE_ROOT/debs"
    # the mirror occasionally fails a request ("Failed getting release file"): retry, bounded
    for attempt in 1 2 3; do
        rm -rf "$r"
        timeout 900 debootstrap --variant=minbase --include=systemd-sysv,ca-certificates \
            --cache-dir="$CACHE_ROOT/debs" bookworm "$r" "$mirror" >"$BUILD_WORK/debootstrap.log" 2>&1 && break
        tail -n 5 "$BUILD_WORK/debootstrap.log" >&2
        ((attempt < 3)) || die "debootstrap failed 3 times"
        log "debootstrap attempt $attempt failed, retrying in 5 s"
        sleep 5
    done
    log "debootstrap done in $((SECONDS - t)) s; installing snapd, sshd, packing snaps"
    mount -t proc proc "$r/proc"
    mount --rbind /sys "$r/sys"
    mount --rbind /dev "$r/dev"
    image_configure "$r" >"$BUILD_WORK/configure.log" 2>&1 ||
        { tail -n 30 "$BUILD_WORK/configure.log" >&2; die "configuring the image failed"; }
    umount -R "$r/dev" "$r/sys" "$r/proc"
    image_metadata "$BUILD_WORK/metadata.yaml"
    tar -C "$BUILD_WORK" -czf "$BUILD_WORK/metadata.tar.gz" metadata.yaml
    # zstd: LXD unpacks it ~4x faster than gzip, which is what a warm start pays
    tar -C "$r" --numeric-owner --xattrs --xattrs-include='*' -cf - . | zstd -q -T0 -6 -o "$BUILD_WORK/rootfs.tar.zst"
    mkdir -p "$out.tmp"
    mv "$BUILD_WORK/metadata.tar.gz" "$BUILD_WORK/rootfs.tar.zst" "$out.tmp/"
    image_recipe >"$out.tmp/recipe.txt"
    mv "$out.tmp" "$out"
    build_cleanup
    log "image built and cached in $out ($((SECONDS - t)) s, $(du -sh "$out" | cut -f1))"
}

# Sets IMG to the cache dir of the current recipe, building the image first when it is not there.
# (Not a $(...) function: the build must run in this shell so that its cleanup trap sees it.)
IMG=""
cached_image() {
    local key dir
    key=$(image_recipe | sha256sum | cut -c1-64)
    dir=$CACHE_ROOT/$key
    mkdir -p "$CACHE_ROOT"
    # one builder at a time per machine; a second start waits (bounded) and then finds the cache
    exec 9>"$CACHE_ROOT/.lock"
    flock -w 900 9 || die "timed out waiting for another image build ($CACHE_ROOT/.lock)"
    if [[ -f $dir/rootfs.tar.zst && -f $dir/metadata.tar.gz ]]; then
        log "image cache hit: $dir"
    else
        rm -rf "$dir.tmp"
        build_image "$dir"
    fi
    touch "$dir"
    # drop images of old recipes nobody used for two weeks
    find "$CACHE_ROOT" -mindepth 1 -maxdepth 1 -type d -regextype posix-extended \
        -regex '.*/[0-9a-f]{64}' -mtime +14 ! -name "$key" -exec rm -rf {} + 2>/dev/null || true
    find "$CACHE_ROOT/debs" -name '*.deb' -mtime +30 -delete 2>/dev/null || true
    exec 9>&-
    IMG=$dir
}

# --------------------------------------------------------------------------------------------
# Daemon and device lifecycle.

do_stop() { # $1 = DIR; safe to call on a half-started or already-stopped testbed
    local dir=$1 bridge="" port=""
    [[ -f $dir/env.sh ]] && port=$(sed -n 's/^export CANYON_SNAPD_PORT=//p' "$dir/env.sh")
    lxd_stop_containers "$dir"
    lxd_shutdown "$dir"
    # A daemon that died (LXD 5.0 can panic) leaves the device's proxy process behind, holding
    # its port (a later start then fails "already in use"): end it too.
    if [[ $port =~ ^[0-9]+$ ]]; then
        pkill -f "^/usr/bin/lxd forkproxy -- [0-9]+ [0-9]+ tcp:127\.0\.0\.1:$port " 2>/dev/null || true
    fi
    if [[ -f $dir/bridge ]]; then # the name start used, whatever this stop's environment says
        bridge=$(<"$dir/bridge")
        [[ -n $bridge ]] || bridge=$BRIDGE
    fi
    lxd_drop_bridge "$bridge"
    rm -f "$dir/bridge" "$dir/env.sh"
    lxd_cleanup "$dir"
    if [[ -f $dir/fwd.pid ]]; then kill "$(<"$dir/fwd.pid")" 2>/dev/null || true; rm -f "$dir/fwd.pid"; fi
    echo "snapd-device: stopped (image cache kept in $CACHE_ROOT)"
}

ssh_device() { # $1 = DIR, $2 = port, rest = remote command; as $DEVICE_USER (default canyon-t)
    local dir=$1 port=$2 user=${DEVICE_USER:-$TB_USER}
    shift 2
    ssh -F /dev/null -o BatchMode=yes -o IdentitiesOnly=yes -i "$dir/client_ed25519" \
        -o UserKnownHostsFile="$dir/known_hosts" -o StrictHostKeyChecking=yes \
        -o KexAlgorithms=curve25519-sha256 -o ConnectTimeout=5 -o LogLevel=ERROR \
        -p "$port" "$user@127.0.0.1" "$@"
}

# Prints the answer to GET $3 from snapd's REST socket through an SSH stream-local forward
# (the channel type a client opens to /run/snapd.socket). The forward's local end is a unix
# socket in DIR, so no local port can collide.
verify_rest() { # $1 = DIR, $2 = ssh port, $3 = path
    local dir=$1 port=$2 sock=$1/snapd-fwd.sock i pid rc=0
    rm -f "$sock"
    ssh -F /dev/null -o BatchMode=yes -o IdentitiesOnly=yes -i "$dir/client_ed25519" \
        -o UserKnownHostsFile="$dir/known_hosts" -o StrictHostKeyChecking=yes \
        -o KexAlgorithms=curve25519-sha256 -o ConnectTimeout=5 -o LogLevel=ERROR \
        -o ExitOnForwardFailure=yes -N -L "$sock:/run/snapd.socket" -p "$port" "$TB_USER@127.0.0.1" \
        </dev/null >/dev/null &
    pid=$!
    echo "$pid" >"$dir/fwd.pid"
    for ((i = 0; i < 100; i++)); do [[ -S $sock ]] && break; sleep 0.05; done
    if [[ -S $sock ]]; then
        curl -sf --max-time 10 --unix-socket "$sock" "http://localhost$3" || rc=$?
    else
        echo "snapd-device: ssh -L to /run/snapd.socket did not come up" >&2
        rc=1
    fi
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -f "$dir/fwd.pid" "$sock"
    return "$rc"
}

do_start() { # $1 = DIR, $2 = SSH port, $3 = LXD https port
    local dir=$1 port=$2 https=$3 img i out
    [[ $(id -u) -eq 0 ]] || die "must run as root"
    [[ $port =~ ^[0-9]+$ && $https =~ ^[0-9]+$ ]] || usage
    for c in lxd lxc nft debootstrap zstd curl ssh; do
        command -v "$c" >/dev/null || die "$c missing: run tests/testbed/install-deps.sh"
    done
    # the daemon's unix socket path must fit in sun_path (108 bytes)
    ((${#dir} <= 80)) || die "DIR path too long for LXD's unix socket (${#dir} > 80 chars): $dir"
    lxd_pid_alive "$dir" && die "an LXD of $dir is already running: run '$0 stop $dir' first"
    port_open "$port" && die "port $port is already in use"
    port_open "$https" && die "port $https is already in use"
    ip link show "$BRIDGE" >/dev/null 2>&1 && die "bridge $BRIDGE already exists (another testbed?): set CANYON_LXD_BRIDGE or stop it"

    mkdir -p "$dir"
    chmod 755 "$dir"
    # a crashed earlier run may have left a daemon's files: start from scratch
    do_stop "$dir" >/dev/null
    trap 'rc=$?; build_cleanup; if ((rc != 0)); then echo "snapd-device: start failed, cleaning up" >&2; do_stop "$dir" >&2; fi' EXIT
    trap 'exit 130' INT TERM

    cached_image
    img=$IMG

    # The unix socket's group: the test user reaches LXD through it over SSH (LXD over SSH tests),
    # as an admin in the "lxd" group would. Membership counts from the next login on.
    groupadd -f "$SOCKET_GROUP"
    if id "$TB_USER" >/dev/null 2>&1; then usermod -aG "$SOCKET_GROUP" "$TB_USER"; fi
    # (only the daemon gets the dead proxy: the image build above must still reach the mirror)
    lxd_run "$dir" "$SOCKET_GROUP"
    echo "$BRIDGE" >"$dir/bridge"
    lxd_preseed "$dir/lxd-init.log" "$https" "$TRUST_PASSWORD" "$BRIDGE" "$BRIDGE_CIDR"
    log "LXD up (https 127.0.0.1:$https, bridge $BRIDGE $BRIDGE_CIDR)"

    timeout 300 lxc image import "$img/metadata.tar.gz" "$img/rootfs.tar.zst" --alias canyon-snapd >/dev/null ||
        die "lxc image import failed"
    log "image imported"
    timeout 300 lxc init canyon-snapd "$INSTANCE" -c security.nesting=true >/dev/null || die "lxc init failed"
    log "container created"

    # per-device credentials, pushed before first boot so sshd starts with them
    if [[ -n ${CANYON_CLIENT_KEY:-} ]]; then
        [[ -f $CANYON_CLIENT_KEY && -f $CANYON_CLIENT_KEY.pub ]] || die "CANYON_CLIENT_KEY=$CANYON_CLIENT_KEY: key or .pub missing"
        install -m 600 "$CANYON_CLIENT_KEY" "$dir/client_ed25519"
        install -m 644 "$CANYON_CLIENT_KEY.pub" "$dir/client_ed25519.pub"
    elif [[ ! -f $dir/client_ed25519 ]]; then
        ssh-keygen -q -t ed25519 -N '' -C canyon-testbed-client -f "$dir/client_ed25519"
    fi
    rm -f "$dir/host_ed25519" "$dir/host_ed25519.pub"
    ssh-keygen -q -t ed25519 -N '' -C snapd-device -f "$dir/host_ed25519"
    lxc file push -q --uid 0 --gid 0 --mode 0600 "$dir/host_ed25519" "$INSTANCE/etc/ssh/ssh_host_ed25519_key"
    lxc file push -q --uid 0 --gid 0 --mode 0644 "$dir/host_ed25519.pub" "$INSTANCE/etc/ssh/ssh_host_ed25519_key.pub"
    lxc file push -q --uid 0 --gid 0 --mode 0644 "$dir/client_ed25519.pub" "$INSTANCE/etc/ssh/authorized_keys.d/$TB_USER"
    lxc file push -q --uid 0 --gid 0 --mode 0644 "$dir/client_ed25519.pub" "$INSTANCE/etc/ssh/authorized_keys.d/root"
    echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$dir/host_ed25519.pub")" >"$dir/known_hosts"
    # the device's sshd on host loopback only (the proxy listens in the host's namespace)
    lxc config device add "$INSTANCE" ssh proxy "listen=tcp:127.0.0.1:$port" connect=tcp:127.0.0.1:22 >/dev/null

    timeout 120 lxc start -q "$INSTANCE" || die "lxc start failed (see $dir/lxd.log)"
    log "container started; waiting for sshd and snapd"
    for ((i = 0; i < 120; i++)); do
        ssh_device "$dir" "$port" true 2>/dev/null && break
        sleep 0.5
    done
    ssh_device "$dir" "$port" true || die "sshd in the device does not answer on 127.0.0.1:$port"
    log "ssh answers"
    timeout 120 lxc exec "$INSTANCE" -- snap wait system seed.loaded || die "snapd did not seed"
    log "snapd seeded; installing the test snaps"

    # order matters: the snapd placeholder first, then the base (twice: x1 then x2), then the app
    # shellcheck disable=SC2016 # expanded by the device's shell, not here
    timeout 240 lxc exec "$INSTANCE" -- sh -euc '
        cd /var/lib/canyon-testbed
        snap install --dangerous snapd_0.0.1_all.snap
        snap install --dangerous tb-base_1.0_all.snap
        snap install --dangerous tb-base_1.1_all.snap
        snap install --dangerous --devmode tb-app_0.1_all.snap
        test -f tb-app_0.2_all.snap
        test "$(stat -c %a /run/snapd.socket)" = 666
    ' >"$dir/snap-install.log" 2>&1 || { cat "$dir/snap-install.log" >&2; die "installing the test snaps failed"; }
    log "snaps installed"

    # Verify as a client will: the snap CLI over SSH as the non-root user, and the REST API
    # through a forwarded channel to /run/snapd.socket.
    out=$(ssh_device "$dir" "$port" 'snap list --all') || die "'snap list --all' over ssh failed"
    echo "$out"
    for s in snapd tb-base tb-app; do
        grep -q "^$s " <<<"$out" || die "snap list --all lacks $s"
    done
    grep -q '^tb-base .*disabled' <<<"$out" || die "tb-base has no disabled revision"
    # (systemd may not have started the service yet right after the install: up to 10 s)
    for ((i = 0; i < 20; i++)); do
        ssh_device "$dir" "$port" 'snap services tb-app' | grep -q '^tb-app.daemon .* active' && break
        sleep 0.5
    done
    ((i < 20)) || die "the tb-app.daemon service is not active (10 s after the install)"
    [[ $(ssh_device "$dir" "$port" 'sudo -n snap version' | awk '$1 == "snapd" { print $2 }') == 2.* ]] ||
        die "'sudo -n snap version' as $TB_USER failed"
    DEVICE_USER=root ssh_device "$dir" "$port" true || die "root cannot log in to the device by key"
    out=$(verify_rest "$dir" "$port" '/v2/snaps?select=all') || die "GET /v2/snaps?select=all through ssh -L failed"
    [[ $(jq -r '[.result[].name] | sort | unique | join(",")' <<<"$out") == snapd,tb-app,tb-base ]] ||
        die "unexpected /v2/snaps answer: $out"
    out=$(verify_rest "$dir" "$port" /v2/system-info) || die "GET /v2/system-info through ssh -L failed"
    log "REST ok: snapd $(jq -r .result.version <<<"$out") over ssh -L"
    curl -sfk --max-time 5 "https://127.0.0.1:$https/1.0" >/dev/null || die "LXD https on 127.0.0.1:$https does not answer"

    cat >"$dir/env.sh" <<EOF
# generated by tests/testbed/snapd-device.sh: source it
export CANYON_SNAPD_HOST=127.0.0.1
export CANYON_SNAPD_PORT=$port
export CANYON_SNAPD_USER=$TB_USER
export CANYON_SNAPD_KEY=$dir/client_ed25519
# may log in too, with the same key: snapd only accepts changes from root (or via sudo)
export CANYON_SNAPD_ADMIN_USER=root
export CANYON_SNAPD_KNOWN_HOSTS=$dir/known_hosts
export CANYON_SNAPD_INSTANCE=$INSTANCE
export CANYON_SNAPD_REFRESH_SNAP=/var/lib/canyon-testbed/tb-app_0.2_all.snap
export CANYON_LXD_DIR=$dir/lxd
export CANYON_LXD_HTTPS=127.0.0.1:$https
export CANYON_LXD_TRUST_PASSWORD=$TRUST_PASSWORD
export CANYON_LXD_BRIDGE=$BRIDGE
export CANYON_LXD_SOCKET=$dir/lxd/unix.socket
export CANYON_LXD_SOCKET_USER=$(id "$TB_USER" >/dev/null 2>&1 && echo "$TB_USER")
EOF
    trap - EXIT INT TERM
    log "snapd device up: ssh -p $port $TB_USER@127.0.0.1; source $dir/env.sh"
}

[[ $# -ge 2 ]] || usage
DIR=$(realpath -m "$2")
[[ $DIR =~ ^/[A-Za-z0-9_./-]+$ ]] || die "DIR must be a plain path ([A-Za-z0-9_./-]), got '$DIR'"
case $1 in
    start) do_start "$DIR" "${3:-22900}" "${4:-8443}" ;;
    stop) do_stop "$DIR" ;;
    *) usage ;;
esac
