#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CI's AppImage check without the release tools: builds an AppDir from a DESTDIR install of an
# existing build, adds the Qt platform plugins the app needs (offscreen, xcb) with a qt.conf
# that points Qt at them, lays out the AppDir root (AppRun, .desktop, icon) as appimagetool
# expects it, and runs the installed canyon from the AppDir offscreen (packaging/smoke-test.sh).
# Shared libraries stay the system's here; linuxdeploy bundles them on the release machine
# (build-appimage.sh).
#
#   packaging/appimage/appdir-smoke.sh BUILD_DIR [APPDIR]
set -euo pipefail
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=$(realpath "${1:?usage: appdir-smoke.sh BUILD_DIR [APPDIR]}")
APP_ID=io.github.canyon.Canyon
if [[ -n ${2:-} ]]; then
    APPDIR=$2
    rm -rf "$APPDIR"
else
    work=$(mktemp -d /tmp/canyon-appdir.XXXXXX)
    trap 'rm -rf "$work"' EXIT
    APPDIR=$work/AppDir
fi

DESTDIR=$APPDIR cmake --install "$BUILD" --prefix /usr >/dev/null ||
    { echo "appdir-smoke: cmake --install failed: build everything first (cmake --build $BUILD)" >&2; exit 1; }
for f in usr/bin/canyon usr/bin/canyonctl usr/bin/canyon-fleetsim \
    "usr/share/applications/$APP_ID.desktop" "usr/share/metainfo/$APP_ID.metainfo.xml" \
    "usr/share/icons/hicolor/scalable/apps/$APP_ID.svg"; do
    [[ -e $APPDIR/$f ]] || { echo "appdir-smoke: the install lacks $f" >&2; exit 1; }
done

qt_plugins=$(qtpaths6 --query QT_INSTALL_PLUGINS 2>/dev/null || /usr/lib/qt6/bin/qtpaths --query QT_INSTALL_PLUGINS)
mkdir -p "$APPDIR/usr/plugins/platforms"
for plugin in libqoffscreen.so libqxcb.so; do
    cp "$qt_plugins/platforms/$plugin" "$APPDIR/usr/plugins/platforms/"
done
# Qt reads qt.conf next to the executable; relative paths are relative to that directory.
printf '[Paths]\nPrefix = ..\nPlugins = plugins\nTranslations = translations\n' >"$APPDIR/usr/bin/qt.conf"

# The AppDir root, as appimagetool wants it.
cat >"$APPDIR/AppRun" <<'APPRUN'
#!/bin/sh
here=$(dirname "$(readlink -f "$0")")
exec "$here/usr/bin/canyon" "$@"
APPRUN
chmod +x "$APPDIR/AppRun"
ln -sf "usr/share/applications/$APP_ID.desktop" "$APPDIR/$APP_ID.desktop"
ln -sf "usr/share/icons/hicolor/scalable/apps/$APP_ID.svg" "$APPDIR/$APP_ID.svg"
ln -sf "$APP_ID.svg" "$APPDIR/.DirIcon"
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$APPDIR/$APP_ID.desktop"
fi

# The platform plugin must come from the AppDir, not from the system: Qt says where it loaded
# it from when QT_DEBUG_PLUGINS is set.
log=$(mktemp)
env -u QT_PLUGIN_PATH -u QT_QPA_PLATFORM_PLUGIN_PATH QT_DEBUG_PLUGINS=1 \
    "$SRC/packaging/smoke-test.sh" "$APPDIR/AppRun" 2>"$log" || { cat "$log" >&2; rm -f "$log"; exit 1; }
if ! grep -q "$APPDIR/usr/plugins/platforms/libqoffscreen.so" "$log"; then
    echo "appdir-smoke: the offscreen plugin was not loaded from the AppDir:" >&2
    grep -i 'offscreen' "$log" >&2 || true
    rm -f "$log"
    exit 1
fi
rm -f "$log"
echo "appdir-smoke: OK ($APPDIR)"
