# SPDX-License-Identifier: GPL-3.0-or-later
# Prometheus text (LXD GET /1.0/metrics): a real LXD 5.0.2 capture, format corners, hostile input.
canyon_add_test(tst_prometheus SOURCES tst_prometheus.cpp LIBS canyon_models LABELS unit)
