# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 5, member moves without servers: instances dropped on a cluster member node of their own
# LXD host (the fleet tree model) and the migration dialog's request for it.
canyon_add_test(tst_memberdrop SOURCES tst_memberdrop.cpp LIBS canyon_views LABELS gui unit)
