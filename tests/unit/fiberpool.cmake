# SPDX-License-Identifier: GPL-3.0-or-later
# FiberPool: many socket waits on one thread (what inventory reads run on); no network.
canyon_add_test(tst_fiberpool SOURCES tst_fiberpool.cpp LIBS canyon_models LABELS unit)
