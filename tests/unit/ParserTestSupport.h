// SPDX-License-Identifier: GPL-3.0-or-later
// Shared by the parser tests: fixture loading, value builders, and QTest printers (found by
// ADL, so QCOMPARE shows whole values when they differ).
#pragma once

#include "domain/Device.h"
#include "domain/PlainText.h"
#include "domain/Snap.h"
#include "snap/SnapCliParser.h"

#include <QFile>
#include <QFileInfo>
#include <QTest>

namespace canyon {

inline QString testDataDir()
{
    const QString dir = QStringLiteral(CANYON_TEST_DATA_DIR);
#ifdef CANYON_SOURCE_DIR
    // canyon_add_test expands CMAKE_CURRENT_SOURCE_DIR where it is called (tests/unit), not
    // in tests/: until that is fixed, find tests/data in the source tree.
    if (!QFileInfo::exists(dir))
        return QStringLiteral(CANYON_SOURCE_DIR "/tests/data");
#endif
    return dir;
}

inline QByteArray testData(const char *relativePath)
{
    QFile f(testDataDir() + u'/' + QString::fromUtf8(relativePath));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing test data %s", relativePath);
    return f.readAll();
}

inline Snap makeSnap(const QString &name, const QString &version, std::optional<QString> revision,
    const QString &channel, const QString &publisher, const QStringList &notes, const QString &type = {})
{
    Snap s;
    s.name = name;
    s.version = version;
    s.revision = std::move(revision);
    s.channel = channel;
    s.publisher = publisher;
    s.notes = notes;
    s.active = !notes.contains(QStringLiteral("disabled"));
    s.type = type;
    return s;
}

inline RefreshCheck determined(QHash<QString, SnapUpdate> updates = {})
{
    RefreshCheck c;
    c.determined = true;
    c.updates = std::move(updates);
    return c;
}

inline RefreshCheck undetermined(const QString &error)
{
    RefreshCheck c;
    c.error = error;
    return c;
}

inline DeviceSystem system(const QString &os, const QString &release, const QString &series,
    const QString &snapd, const QString &kernel, const QString &arch, const QDateTime &lastRefresh = {})
{
    DeviceSystem s;
    s.os = os;
    s.release = release;
    s.series = series;
    s.snapdVersion = snapd;
    s.kernel = kernel;
    s.architecture = arch;
    s.lastRefresh = lastRefresh;
    return s;
}

inline char *toString(const Snap &s)
{
    const QString knowledge = s.updateKnowledge == UpdateKnowledge::Available ? QStringLiteral("Available")
        : s.updateKnowledge == UpdateKnowledge::None                          ? QStringLiteral("None")
                                                                              : QStringLiteral("Unknown");
    const QString text
        = QStringLiteral("Snap{name=%1 version=%2 rev=%3 channel=%4 publisher=%5 active=%6 "
                         "notes=[%7] type=%8 fingerprint=%9 summary=%10 update=%11 %12/%13}")
              .arg(visibleText(s.name, 60), visibleText(s.version),
                  s.revision ? visibleText(*s.revision) : QStringLiteral("<none>"), visibleText(s.channel),
                  visibleText(s.publisher), s.active ? QStringLiteral("true") : QStringLiteral("false"),
                  visibleText(s.notes.join(QLatin1Char(','))), s.type, s.fingerprint)
              .arg(visibleText(s.summary, 40), knowledge, s.update.version,
                  s.update.revision ? *s.update.revision : QStringLiteral("<none>"));
    return qstrdup(text.toUtf8().constData());
}

inline char *toString(const DeviceSystem &s)
{
    const QString text = QStringLiteral("System{os=%1 release=%2 series=%3 snapd=%4 kernel=%5 arch=%6 "
                                        "host=%7 lastRefresh=%8 refreshError=%9}")
                             .arg(s.os, s.release, s.series, s.snapdVersion, s.kernel, s.architecture,
                                 s.hostname, s.lastRefresh.toString(Qt::ISODateWithMs), s.refreshError);
    return qstrdup(text.toUtf8().constData());
}

inline char *toString(const RefreshCheck &c)
{
    QStringList updates;
    for (auto it = c.updates.cbegin(); it != c.updates.cend(); ++it)
        updates << it.key() + QLatin1Char('=') + it->version + QLatin1Char('/')
                + (it->revision ? *it->revision : QStringLiteral("<none>"));
    updates.sort();
    const QString text = QStringLiteral("RefreshCheck{determined=%1 error=%2 updates=[%3]}")
                             .arg(c.determined ? QStringLiteral("true") : QStringLiteral("false"),
                                 visibleText(c.error), updates.join(QLatin1Char(' ')));
    return qstrdup(text.toUtf8().constData());
}

} // namespace canyon
