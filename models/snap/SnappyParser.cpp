// SPDX-License-Identifier: GPL-3.0-or-later
#include "SnappyParser.h"

#include "TextTable.h"
#include "domain/PlainText.h"

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

bool fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return false;
}

} // namespace

bool parseSnappyVersions(const QByteArray &output, SnapList *snaps, QString *error)
{
    if (output.size() > kMaxParserInputBytes)
        return fail(error, QStringLiteral("snappy versions: output too large (%1 bytes)").arg(output.size()));
    const QString text = decodeRemote(output);
    TextTable table;
    QString why;
    const QStringList required { u"Part"_s, u"Tag"_s, u"Installed"_s, u"Available"_s, u"Fingerprint"_s,
        u"Active"_s };
    if (!parseColumnTable(text, &table, &why, required))
        return fail(error, u"snappy versions: "_s + why);
    if (table.truncated)
        return fail(error, u"snappy versions: output ends in the middle of a row (truncated)"_s);

    const int cPart = table.column(u"Part"_s);
    const int cTag = table.column(u"Tag"_s);
    const int cInstalled = table.column(u"Installed"_s);
    const int cAvailable = table.column(u"Available"_s);
    const int cFingerprint = table.column(u"Fingerprint"_s);
    const int cActive = table.column(u"Active"_s);

    SnapList result;
    result.reserve(table.rows.size());
    for (qsizetype i = 0; i < table.rows.size(); ++i) {
        const QStringList &row = table.rows.at(i);
        Snap s;
        s.name = TextTable::cell(row, cPart);
        if (s.name.isEmpty())
            return fail(error,
                QStringLiteral("snappy versions: row %1 has no part name: \"%2\"")
                    .arg(i + 1)
                    .arg(visibleText(row.join(u"  ").trimmed(), 120)));
        s.version = TextTable::cell(row, cInstalled); // may be empty (docker in the 2014 image)
        s.channel = TextTable::cell(row, cTag);
        s.fingerprint = TextTable::cell(row, cFingerprint);
        s.active = TextTable::cell(row, cActive) == u"*";
        const QString available = TextTable::cell(row, cAvailable);
        if (available == u"-") {
            s.updateKnowledge = UpdateKnowledge::None;
        } else if (!available.isEmpty()) {
            s.updateKnowledge = UpdateKnowledge::Available;
            s.update.version = available;
        } // an empty cell says nothing: Unknown
        result.append(std::move(s));
    }
    *snaps = std::move(result);
    return true;
}

bool parseSnappyInfo(const QByteArray &output, DeviceSystem *system, QString *error)
{
    if (output.size() > kMaxParserInputBytes)
        return fail(error, QStringLiteral("snappy info: output too large (%1 bytes)").arg(output.size()));
    const QString text = decodeRemote(output);
    DeviceSystem sys = *system;
    bool haveRelease = false;
    qsizetype pos = 0;
    while (pos < text.size()) {
        qsizetype end = text.indexOf(u'\n', pos);
        if (end < 0)
            end = text.size();
        const QStringView line = QStringView(text).mid(pos, end - pos).trimmed();
        pos = end + 1;
        const qsizetype colon = line.indexOf(u':');
        if (colon <= 0)
            continue;
        const QStringView key = line.left(colon).trimmed();
        const QString value = line.mid(colon + 1).trimmed().toString();
        if (key == u"release" && !haveRelease) {
            // "ubuntu-core/devel" (2014), "ubuntu-core/15.04/edge" (15.04): OS, then the rest
            haveRelease = true;
            const qsizetype slash = value.indexOf(u'/');
            sys.os = slash < 0 ? QString() : value.left(slash);
            sys.release = slash < 0 ? value : value.mid(slash + 1);
        } else if (key == u"architecture") {
            sys.architecture = value;
        }
        // frameworks:, apps: and other keys describe parts, not the system
    }
    if (!haveRelease)
        return fail(error,
            QStringLiteral("snappy info: no \"release:\" line (output starts with \"%1\")")
                .arg(remoteSnippet(text)));
    *system = std::move(sys);
    return true;
}

} // namespace canyon
