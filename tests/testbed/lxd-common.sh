# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the testbed scripts that start an LXD daemon (snapd-device.sh, lxd-second.sh).

# Initialises a fresh daemon for the tests: https on loopback only, the trust password, no image
# auto-update (offline), a bridge without NAT or upstream DNS, a dir pool, and a default profile.
# $1 = log file, $2 = https port, $3 = trust password, $4 = bridge, $5 = bridge CIDR.
# Needs LXD_DIR exported (the daemon to talk to) and die() from the caller.
lxd_preseed() {
    local logf=$1 https=$2 trust=$3 bridge=$4 cidr=$5
    lxd init --preseed >"$logf" 2>&1 <<PRESEED || { cat "$logf" >&2; die "lxd init --preseed failed"; }
config:
  core.https_address: "127.0.0.1:$https"
  core.trust_password: "$trust"
  images.auto_update_interval: "0"
networks:
- name: $bridge
  type: bridge
  config:
    ipv4.address: $cidr
    ipv4.nat: "false"
    ipv4.routing: "false"
    ipv6.address: none
    raw.dnsmasq: no-resolv
storage_pools:
- name: default
  driver: dir
profiles:
- name: default
  devices:
    root: {path: /, pool: default, type: disk}
    eth0: {name: eth0, network: $bridge, type: nic}
PRESEED
}
