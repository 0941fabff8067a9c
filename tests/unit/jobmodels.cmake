# SPDX-License-Identifier: GPL-3.0-or-later
# The rows of a fleet job (JobItemsModel) and FleetJob's reattach-only plan; no network.
canyon_add_test(tst_jobmodels SOURCES tst_jobmodels.cpp LIBS canyon_models LABELS unit)
