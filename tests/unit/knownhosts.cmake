# SPDX-License-Identifier: GPL-3.0-or-later
# known_hosts verdicts (checkKnownHost) against libssh's own parser; no network.
canyon_add_test(tst_knownhosts SOURCES tst_knownhosts.cpp LIBS canyon_models PkgConfig::LIBSSH LABELS unit)
