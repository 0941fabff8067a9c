# SPDX-License-Identifier: GPL-3.0-or-later
# LxdClient's HTTPS transport (issue 7, QUALITY.md R5): keep-alive, connection limit, pin before
# any byte, too-large answers cut off, TCP back-pressure. Own loopback TLS responder (no testbed).
canyon_add_test(tst_lxdhttps SOURCES tst_lxdhttps.cpp LIBS canyon_models LABELS integration)
set_tests_properties(tst_lxdhttps PROPERTIES RUN_SERIAL TRUE TIMEOUT 180)
