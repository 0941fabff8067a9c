# SPDX-License-Identifier: GPL-3.0-or-later
# The config/log viewer: fallback highlighter rules, search, control characters, save, streaming
# 200k lines with the event loop measured, and the KF6 Syntax-Highlighting path where built.
canyon_add_test(tst_textviewer SOURCES tst_textviewer.cpp LIBS canyon_views LABELS gui)
# What the configure step found, to check the engine in use against it.
if(KF6SyntaxHighlighting_FOUND)
    target_compile_definitions(tst_textviewer PRIVATE CANYON_BUILD_FOUND_KF6=1)
else()
    target_compile_definitions(tst_textviewer PRIVATE CANYON_BUILD_FOUND_KF6=0)
endif()
