# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 5 GUI models without servers: dragged instances (MIME), drops onto LXD hosts of the fleet
# tree (and why not elsewhere), migrations as operations-dock rows; QAbstractItemModelTester.
canyon_add_test(tst_migrationdnd SOURCES tst_migrationdnd.cpp LIBS canyon_models LABELS unit)
