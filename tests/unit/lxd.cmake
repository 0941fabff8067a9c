# SPDX-License-Identifier: GPL-3.0-or-later
# LXD JSON parsers over real LXD 5.0.2 samples and hostile input, plus the metrics ring buffer.
canyon_add_test(tst_lxdjson SOURCES tst_lxdjson.cpp LIBS canyon_models LABELS unit)
canyon_add_test(tst_metrics SOURCES tst_metrics.cpp LIBS canyon_models LABELS unit)
