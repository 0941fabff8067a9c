# SPDX-License-Identifier: GPL-3.0-or-later
# known_hosts verdicts (checkKnownHost) against libssh's own parser, and the host key order
# SshSession offers against the one libssh computes (a loopback socket reads their KEXINITs).
canyon_add_test(tst_knownhosts SOURCES tst_knownhosts.cpp LIBS canyon_models PkgConfig::LIBSSH LABELS unit)
