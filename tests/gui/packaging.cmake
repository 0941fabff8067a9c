# SPDX-License-Identifier: GPL-3.0-or-later
# Packaging checks, offline: the .desktop file and AppStream metainfo validate, the Flatpak
# manifest parses with warnings fatal (the KDE runtime itself cannot be downloaded here), and
# the installed app runs offscreen from an AppDir built from a DESTDIR install.
# Tools (Debian): desktop-file-utils, appstream, appstream-util, flatpak-builder.
set(canyon_app_id io.github.canyon.Canyon)
set(canyon_resources ${PROJECT_SOURCE_DIR}/resources)

add_test(NAME packaging_desktop_file
    COMMAND desktop-file-validate ${canyon_resources}/${canyon_app_id}.desktop)
add_test(NAME packaging_metainfo_appstreamcli
    COMMAND appstreamcli validate --no-net ${canyon_resources}/${canyon_app_id}.metainfo.xml)
add_test(NAME packaging_metainfo_appstream_util
    COMMAND appstream-util validate-relax --nonet ${canyon_resources}/${canyon_app_id}.metainfo.xml)
# G_DEBUG=fatal-warnings: an unknown or misspelt manifest key is a GLib warning, made fatal.
add_test(NAME packaging_flatpak_manifest
    COMMAND flatpak-builder --show-manifest ${PROJECT_SOURCE_DIR}/packaging/flatpak/${canyon_app_id}.yml)
set_tests_properties(packaging_flatpak_manifest PROPERTIES
    ENVIRONMENT "G_DEBUG=fatal-warnings" FAIL_REGULAR_EXPRESSION "WARNING|Unknown property")
add_test(NAME packaging_appdir_smoke
    COMMAND ${PROJECT_SOURCE_DIR}/packaging/appimage/appdir-smoke.sh ${CMAKE_BINARY_DIR})
set_tests_properties(packaging_appdir_smoke PROPERTIES TIMEOUT 180)
# The programs as built (the ones tests, benchmarks and the demo run) search no library in the
# current directory.
add_test(NAME packaging_no_cwd_library_path
    COMMAND ${PROJECT_SOURCE_DIR}/packaging/check-runpath.sh $<TARGET_FILE:canyon> $<TARGET_FILE:canyonctl>
        $<TARGET_FILE:canyon-fleetsim> $<TARGET_FILE:tst_sshfleet>)
set_tests_properties(packaging_desktop_file packaging_metainfo_appstreamcli packaging_metainfo_appstream_util
    packaging_flatpak_manifest packaging_appdir_smoke packaging_no_cwd_library_path PROPERTIES LABELS packaging)
