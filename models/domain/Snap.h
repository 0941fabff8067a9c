// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <optional>

namespace canyon {

// A pending update for one snap, as the device (or its store) reports it.
struct SnapUpdate
{
    QString version;
    std::optional<QString> revision; // snappy (2014) has no revisions
    bool operator==(const SnapUpdate &) const = default;
};

// Whether an update is known: CLI.md distinguishes "none" (null) from "could not be
// determined" (absent), e.g. when the store is unreachable.
enum class UpdateKnowledge { Unknown, None, Available };

// One installed revision of a snap (or one row of `snappy versions -a`).
struct Snap
{
    QString name;
    QString version;
    std::optional<QString> revision; // string ("29", "x1"); none on snappy
    QString channel; // tracking channel; snappy: the Tag column
    QString publisher;
    bool active = true;
    QStringList notes; // snapd's note words: base, snapd, disabled, devmode, classic, held, ...
    QString fingerprint; // snappy only
    QString summary;
    QString type; // app, base, os, snapd, gadget, kernel (when the dialect says)
    UpdateKnowledge updateKnowledge = UpdateKnowledge::Unknown;
    SnapUpdate update; // meaningful when updateKnowledge == Available

    bool operator==(const Snap &) const = default;
};

using SnapList = QList<Snap>;

} // namespace canyon

Q_DECLARE_METATYPE(canyon::Snap)
