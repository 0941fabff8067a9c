// SPDX-License-Identifier: GPL-3.0-or-later
#include "InstanceDrag.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeData>

using namespace Qt::StringLiterals;

namespace canyon {

QMimeData *encodeInstances(const QList<InstanceRef> &instances)
{
    QJsonArray list;
    QStringList lines;
    for (const InstanceRef &i : instances) {
        list.append(QJsonObject { { u"host"_s, i.host }, { u"name"_s, i.name } });
        lines << i.host + u'/' + i.name;
    }
    const QJsonObject payload { { u"pid"_s, QCoreApplication::applicationPid() }, { u"instances"_s, list } };
    auto *data = new QMimeData;
    data->setData(instancesMimeType(), QJsonDocument(payload).toJson(QJsonDocument::Compact));
    data->setText(lines.join(u'\n'));
    return data;
}

QList<InstanceRef> decodeInstances(const QMimeData *data, QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return QList<InstanceRef>();
    };
    if (!data || !data->hasFormat(instancesMimeType()))
        return fail(
            QCoreApplication::translate("canyon::InstanceDrag", "only instances can be dropped here"));
    const QJsonObject payload = QJsonDocument::fromJson(data->data(instancesMimeType())).object();
    if (payload.value(u"pid"_s).toInteger(-1) != QCoreApplication::applicationPid())
        return fail(QCoreApplication::translate(
            "canyon::InstanceDrag", "these instances were dragged from another Canyon window"));
    QList<InstanceRef> out;
    const QJsonArray list = payload.value(u"instances"_s).toArray();
    for (const QJsonValue &v : list) {
        const InstanceRef ref { v[u"host"_s].toString(), v[u"name"_s].toString() };
        if (!ref.host.isEmpty() && !ref.name.isEmpty() && !out.contains(ref))
            out << ref;
    }
    if (out.isEmpty())
        return fail(QCoreApplication::translate("canyon::InstanceDrag", "no instance in what was dragged"));
    return out;
}

} // namespace canyon
