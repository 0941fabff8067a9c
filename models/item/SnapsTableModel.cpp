// SPDX-License-Identifier: GPL-3.0-or-later
#include "SnapsTableModel.h"

#include "domain/PlainText.h"

#include <QHash>
#include <QSet>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

constexpr qsizetype DisplayLimit = 512;

// Keys for one list, made unique even when hostile input repeats a (name, revision) pair.
QStringList keysOf(const SnapList &snaps, QString (*keyFn)(const Snap &))
{
    QStringList keys;
    keys.reserve(snaps.size());
    QHash<QString, int> seen;
    for (const Snap &s : snaps) {
        QString k = keyFn(s);
        const int n = seen[k]++;
        if (n > 0)
            k += u'\x1f' + QString::number(n);
        keys << k;
    }
    return keys;
}

// Numeric revisions sort numerically and before local ("x1") ones; none (snappy) last.
QString revisionSortKey(const std::optional<QString> &revision)
{
    if (!revision || revision->isEmpty())
        return u"2"_s;
    bool ok = false;
    const qulonglong n = revision->toULongLong(&ok);
    if (ok)
        return u"0"_s + QStringLiteral("%1").arg(n, 20, 10, QLatin1Char('0'));
    return u"1"_s + revision->toCaseFolded();
}

} // namespace

SnapsTableModel::SnapsTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

QString SnapsTableModel::rowKey(const Snap &snap)
{
    // snappy rows have no revision: the installed version tells them apart
    return snap.name + u'\x1f' + (snap.revision ? u'r' + *snap.revision : u'v' + snap.version);
}

void SnapsTableModel::clear()
{
    if (!m_hasDevice && m_snaps.isEmpty())
        return;
    beginResetModel();
    m_device.clear();
    m_hasDevice = false;
    m_snaps.clear();
    m_refreshError.clear();
    endResetModel();
}

void SnapsTableModel::setInventory(const DeviceInventory &inventory)
{
    if (!m_hasDevice || inventory.host != m_device) {
        beginResetModel();
        m_device = inventory.host;
        m_hasDevice = true;
        m_snaps = inventory.snaps;
        m_refreshError = inventory.system.refreshError;
        endResetModel();
        return;
    }

    const bool errorChanged = m_refreshError != inventory.system.refreshError;
    m_refreshError = inventory.system.refreshError;
    const SnapList &next = inventory.snaps;
    const QStringList nextKeys = keysOf(next, &rowKey);
    QHash<QString, qsizetype> nextIndex;
    nextIndex.reserve(nextKeys.size());
    for (qsizetype i = 0; i < nextKeys.size(); ++i)
        nextIndex.insert(nextKeys.at(i), i);

    // 1. Remove rows that are gone, as contiguous runs from the bottom.
    QStringList keys = keysOf(m_snaps, &rowKey);
    for (qsizetype last = keys.size() - 1; last >= 0;) {
        if (nextIndex.contains(keys.at(last))) {
            --last;
            continue;
        }
        qsizetype first = last;
        while (first > 0 && !nextIndex.contains(keys.at(first - 1)))
            --first;
        beginRemoveRows({}, int(first), int(last));
        m_snaps.remove(first, last - first + 1);
        keys.remove(first, last - first + 1);
        endRemoveRows();
        last = first - 1;
    }

    // 2. Rows that stay keep their place (the view sorts); changed ones get dataChanged.
    QSet<QString> present;
    for (qsizetype row = 0; row < m_snaps.size(); ++row) {
        const QString &key = keys.at(row);
        present.insert(key);
        const Snap &updated = next.at(nextIndex.value(key));
        if (!(m_snaps.at(row) == updated)) {
            m_snaps[row] = updated;
            Q_EMIT dataChanged(index(int(row), 0), index(int(row), ColumnCount - 1));
        } else if (errorChanged) {
            Q_EMIT dataChanged(
                index(int(row), UpdateColumn), index(int(row), UpdateColumn), { Qt::ToolTipRole });
        }
    }

    // 3. Append new rows in one go.
    SnapList added;
    for (qsizetype i = 0; i < next.size(); ++i) {
        if (!present.contains(nextKeys.at(i)))
            added << next.at(i);
    }
    if (!added.isEmpty()) {
        const int first = int(m_snaps.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        m_snaps << added;
        endInsertRows();
    }
}

QString SnapsTableModel::updateText(const Snap &snap)
{
    switch (snap.updateKnowledge) {
    case UpdateKnowledge::Unknown:
        return u"?"_s;
    case UpdateKnowledge::None:
        return u"—"_s;
    case UpdateKnowledge::Available:
        break;
    }
    QString text = u"→ "_s + visibleText(snap.update.version, DisplayLimit);
    if (snap.update.revision && !snap.update.revision->isEmpty())
        text += u" (r"_s + visibleText(*snap.update.revision, DisplayLimit) + u')';
    return text;
}

QString SnapsTableModel::notesText(const Snap &snap)
{
    QStringList words;
    if (snap.active)
        words << tr("active");
    for (const QString &n : snap.notes) {
        if (n != u"-")
            words << visibleText(n, 64);
    }
    return visibleText(words.join(u", "_s), DisplayLimit);
}

int SnapsTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_snaps.size());
}

int SnapsTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SnapsTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case VersionColumn:
        return tr("Version");
    case RevisionColumn:
        return tr("Revision");
    case ChannelColumn:
        return tr("Channel");
    case PublisherColumn:
        return tr("Publisher");
    case NotesColumn:
        return tr("Notes");
    case UpdateColumn:
        return tr("Update");
    default:
        return {};
    }
}

QHash<int, QByteArray> SnapsTableModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(SortRole, "sortValue");
    names.insert(NameRole, "name");
    names.insert(RevisionRole, "revision");
    names.insert(ActiveRole, "active");
    names.insert(UpdateKnowledgeRole, "updateKnowledge");
    return names;
}

QVariant SnapsTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Snap &s = m_snaps.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case NameColumn:
            return visibleText(s.name, DisplayLimit);
        case VersionColumn:
            return visibleText(s.version, DisplayLimit);
        case RevisionColumn:
            return s.revision ? visibleText(*s.revision, DisplayLimit) : QString();
        case ChannelColumn:
            return visibleText(s.channel, DisplayLimit);
        case PublisherColumn:
            return visibleText(s.publisher, DisplayLimit);
        case NotesColumn:
            return notesText(s);
        case UpdateColumn:
            return updateText(s);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (column == UpdateColumn) {
            if (s.updateKnowledge == UpdateKnowledge::Unknown)
                return m_refreshError.isEmpty()
                    ? tr("Whether an update is available could not be determined.")
                    : tr("Updates could not be determined: %1")
                          .arg(visibleText(m_refreshError, DisplayLimit));
            if (s.updateKnowledge == UpdateKnowledge::None)
                return tr("No update available.");
            return tr("Update available: %1").arg(updateText(s));
        }
        if (column == NameColumn && !s.summary.isEmpty())
            return visibleText(s.summary, DisplayLimit);
        if (column == NotesColumn && !s.fingerprint.isEmpty())
            return tr("Fingerprint: %1").arg(visibleText(s.fingerprint, DisplayLimit));
        return {};
    case Qt::TextAlignmentRole:
        if (column == RevisionColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case SortRole:
        switch (column) {
        case NameColumn:
            return s.name.toCaseFolded();
        case VersionColumn:
            return s.version;
        case RevisionColumn:
            return revisionSortKey(s.revision);
        case ChannelColumn:
            return s.channel;
        case PublisherColumn:
            return s.publisher.toCaseFolded();
        case NotesColumn:
            return notesText(s);
        case UpdateColumn:
            // available updates first, then unknown, then none
            switch (s.updateKnowledge) {
            case UpdateKnowledge::Available:
                return QString(u"0"_s + s.update.version);
            case UpdateKnowledge::Unknown:
                return u"1"_s;
            case UpdateKnowledge::None:
                return u"2"_s;
            }
            return u"2"_s;
        default:
            return {};
        }
    case NameRole:
        return s.name;
    case RevisionRole:
        return s.revision.value_or(QString());
    case ActiveRole:
        return s.active;
    case UpdateKnowledgeRole:
        return int(s.updateKnowledge);
    default:
        return {};
    }
}

} // namespace canyon

#include "moc_SnapsTableModel.cpp"
