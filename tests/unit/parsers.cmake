# SPDX-License-Identifier: GPL-3.0-or-later
# Parsers of snappy/snap CLI text and snapd JSON (models/snap), plus PlainText and SshTarget.
canyon_add_test(tst_textparsers SOURCES tst_textparsers.cpp LIBS canyon_models LABELS unit)
canyon_add_test(tst_snapdjson SOURCES tst_snapdjson.cpp LIBS canyon_models LABELS unit)
