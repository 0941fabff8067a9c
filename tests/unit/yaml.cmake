# SPDX-License-Identifier: GPL-3.0-or-later
# The viewer's YAML emitter (domain/Yaml.h): exact output, and a round trip through PyYAML.
canyon_add_test(tst_yaml SOURCES tst_yaml.cpp LIBS canyon_models LABELS unit)
