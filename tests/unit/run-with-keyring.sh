#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a command inside a private D-Bus session with a real, unlocked gnome-keyring (the
# Secret Service), in a throwaway HOME, then stops both. For tests of SecretStore (R8).
#
#   tests/unit/run-with-keyring.sh COMMAND [ARGS...]
#
# The command sees CANYON_TEST_HOME (its HOME; the keyring's files live under it too).
set -euo pipefail

if [[ -z ${CANYON_KEYRING_INNER:-} ]]; then
    for tool in dbus-run-session gnome-keyring-daemon dbus-send; do
        command -v "$tool" >/dev/null || {
            echo "run-with-keyring: $tool not found (Debian: dbus-daemon, gnome-keyring, dbus-bin)" >&2
            exit 1
        }
    done
    home=$(mktemp -d /tmp/canyon-keyring.XXXXXX)
    trap 'rm -rf "$home"' EXIT
    mkdir -m 700 -p "$home/runtime"
    # Everything the keyring, QtKeychain and the app write goes under this HOME.
    env HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" \
        XDG_CACHE_HOME="$home/cache" XDG_STATE_HOME="$home/state" XDG_RUNTIME_DIR="$home/runtime" \
        XDG_CURRENT_DESKTOP=GNOME CANYON_TEST_HOME="$home" CANYON_KEYRING_INNER=1 \
        dbus-run-session -- "$0" "$@"
    exit $?
fi

# Inside the private session bus. --unlock reads the login keyring's password from stdin and
# creates that keyring (the default collection) unlocked, so no prompt is ever needed.
printf 'canyon-test-keyring' | gnome-keyring-daemon --foreground --unlock --components=secrets \
    >"$CANYON_TEST_HOME/keyring.log" 2>&1 &
keyring=$!
trap 'kill "$keyring" 2>/dev/null; wait "$keyring" 2>/dev/null || true' EXIT

owned=false
for _ in $(seq 100); do
    if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
        owned=true
        break
    fi
    kill -0 "$keyring" 2>/dev/null || break
    sleep 0.1
done
if [[ $owned != true ]]; then
    echo "run-with-keyring: gnome-keyring did not take org.freedesktop.secrets" >&2
    cat "$CANYON_TEST_HOME/keyring.log" >&2
    exit 1
fi
set +e
"$@"
status=$?
exit $status
