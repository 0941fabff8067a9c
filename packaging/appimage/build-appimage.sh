#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# AppImage release recipe (the KDAB hotspot way: linuxdeploy + its Qt plugin, then appimagetool).
# For a release machine: an old-enough distribution (the AppImage runs on systems with a glibc
# at least as new as the build machine's) with Qt >= 6.4, libssh >= 0.10 and QtKeychain built.
#
#   packaging/appimage/build-appimage.sh [OUTPUT_DIR]
#
# Needs on PATH (downloaded from their projects' GitHub releases by the release manager, checked
# against the published checksums): linuxdeploy-x86_64.AppImage,
# linuxdeploy-plugin-qt-x86_64.AppImage, appimagetool-x86_64.AppImage.
# The CI machine has none of these: there, packaging/appimage/appdir-smoke.sh checks the AppDir.
set -euo pipefail
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=$(realpath "${1:-$PWD}")
APP_ID=io.github.canyon.Canyon

for tool in linuxdeploy-x86_64.AppImage linuxdeploy-plugin-qt-x86_64.AppImage appimagetool-x86_64.AppImage; do
    command -v "$tool" >/dev/null || { echo "build-appimage: $tool not on PATH" >&2; exit 1; }
done

BUILD=$(mktemp -d /tmp/canyon-appimage.XXXXXX)
APPDIR=$BUILD/AppDir
cmake -S "$SRC" -B "$BUILD/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_INSTALL_PREFIX=/usr -DCANYON_BUILD_TESTS=OFF -DCANYON_WERROR=OFF
cmake --build "$BUILD/build"
DESTDIR=$APPDIR cmake --install "$BUILD/build"

# linuxdeploy-plugin-qt asks this qmake where Qt's plugins and translations are.
export QMAKE=${QMAKE:-$(command -v qmake6 || command -v qmake)}
# xcb is always deployed; offscreen for the smoke test below, Wayland for modern desktops.
export EXTRA_PLATFORM_PLUGINS="libqoffscreen.so;libqwayland-egl.so;libqwayland-generic.so"
linuxdeploy-x86_64.AppImage --appdir "$APPDIR" --plugin qt \
    --executable "$APPDIR/usr/bin/canyon" \
    --executable "$APPDIR/usr/bin/canyonctl" \
    --executable "$APPDIR/usr/bin/canyon-fleetsim" \
    --desktop-file "$APPDIR/usr/share/applications/$APP_ID.desktop" \
    --icon-file "$APPDIR/usr/share/icons/hicolor/scalable/apps/$APP_ID.svg"

# Same smoke test as CI, now against the bundled libraries and plugins.
"$SRC/packaging/smoke-test.sh" "$APPDIR/AppRun"

VERSION=$(sed -n 's/^project(Canyon VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
ARCH=x86_64 appimagetool-x86_64.AppImage "$APPDIR" "$OUT/Canyon-$VERSION-x86_64.AppImage"
echo "build-appimage: $OUT/Canyon-$VERSION-x86_64.AppImage"
