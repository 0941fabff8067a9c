// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

class QMimeData;

namespace canyon {

// One instance of one LXD host, as dragged (issue 5: drag instances onto another host).
struct InstanceRef
{
    QString host; // fleet host name
    QString name; // instance name on that host
    bool operator==(const InstanceRef &) const = default;
};

// The MIME type of dragged instances: a JSON object {"pid": N, "instances": [{host, name}]}.
// Host names are this console's configuration, so a drop from another process is refused.
inline QString instancesMimeType()
{
    return QStringLiteral("application/x-canyon-instances");
}

// The payload (and "HOST/NAME" lines as text/plain for other applications). Caller owns it.
QMimeData *encodeInstances(const QList<InstanceRef> &instances);
// The instances of a payload made by this process; empty with *error when it is not one.
QList<InstanceRef> decodeInstances(const QMimeData *data, QString *error = nullptr);

} // namespace canyon

Q_DECLARE_METATYPE(canyon::InstanceRef)
