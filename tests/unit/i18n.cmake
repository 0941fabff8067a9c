# SPDX-License-Identifier: GPL-3.0-or-later
# Translations: the embedded catalogue loads by locale (with Qt's own), switching locale switches
# the text, and every source string of translations/*.ts is translated.
canyon_add_test(tst_translations SOURCES tst_translations.cpp LIBS canyon_views LABELS unit)
# catalogueMatchesSources runs lupdate over the sources and compares with the committed .ts.
target_compile_definitions(tst_translations PRIVATE CANYON_LUPDATE="$<TARGET_FILE:Qt6::lupdate>")
