# SPDX-License-Identifier: GPL-3.0-or-later
# TcpConnect: the connection an SSH session runs over, across a name's addresses (loopback only).
canyon_add_test(tst_tcpconnect SOURCES tst_tcpconnect.cpp LIBS canyon_models LABELS unit)
