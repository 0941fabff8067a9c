// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace canyon {

// A small YAML emitter for JSON values, for showing remote configuration (LXD instances) the way
// `lxc config show` does. Block style, keys in JSON order (sorted), two-space indentation,
// sequences under a key not indented (go-yaml's style). The output reads back, with PyYAML
// (YAML 1.1) as with YAML 1.2 readers, as exactly the JSON it came from:
//  - a string a reader could take for something else (number, boolean, null, date, version
//    "1.35", MAC "00:16:3e:..", an indicator like "[" or "*", ": " or " #" inside, leading or
//    trailing space) is single-quoted;
//  - a string with control characters, tabs, carriage returns, bidi/format characters,
//    non-characters or lone surrogates is double-quoted with escapes (so nothing invisible or
//    reordering reaches the screen);
//  - multi-line text becomes a literal block (|, |- or |+ by its trailing newlines).
// The emitter does not interpret the text: remote values stay plain text.
QString toYaml(const QJsonValue &value);

// One string as a YAML scalar on a single line: plain, '...' or "..." (never a block).
QString yamlScalar(const QString &text);

// An instance (the metadata of GET /1.0/instances/NAME) as `lxc config show --expanded` shows it:
// architecture, config (expanded_config), devices (expanded_devices), ephemeral, profiles,
// stateful, description. Absent fields are left out.
QString lxdInstanceConfigYaml(const QJsonObject &instance);

} // namespace canyon
