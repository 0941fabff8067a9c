# SPDX-License-Identifier: GPL-3.0-or-later
# Fleet jobs (issue 4): batches, --max-fail, plan, journal, snapd change/task parsing.
canyon_add_test(tst_jobs SOURCES tst_jobs.cpp LIBS canyon_models LABELS unit)
