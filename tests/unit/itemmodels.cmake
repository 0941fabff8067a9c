# SPDX-License-Identifier: GPL-3.0-or-later
canyon_add_test(tst_itemmodels SOURCES tst_itemmodels.cpp LIBS canyon_models LABELS unit)
