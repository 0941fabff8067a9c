# SPDX-License-Identifier: GPL-3.0-or-later
# The config/log viewer: fallback highlighter rules, search, control characters, save, streaming
# 200k lines with the event loop measured, and the KF6 Syntax-Highlighting path where built.
canyon_add_test(tst_textviewer SOURCES tst_textviewer.cpp LIBS canyon_views LABELS gui)
