// SPDX-License-Identifier: GPL-3.0-or-later
#include "Device.h"

using namespace Qt::StringLiterals;

namespace canyon {

QString dialectName(Dialect d)
{
    switch (d) {
    case Dialect::Snappy:
        return u"snappy"_s;
    case Dialect::SnapCli:
        return u"snap"_s;
    case Dialect::SnapdRest:
        return u"snapd"_s;
    case Dialect::Unknown:
        break;
    }
    return {};
}

Dialect dialectFromName(const QString &name, bool *ok)
{
    if (ok)
        *ok = true;
    if (name == u"snappy")
        return Dialect::Snappy;
    if (name == u"snap")
        return Dialect::SnapCli;
    if (name == u"snapd")
        return Dialect::SnapdRest;
    if (name.isEmpty() || name == u"auto")
        return Dialect::Unknown;
    if (ok)
        *ok = false;
    return Dialect::Unknown;
}

QString deviceStatusName(DeviceStatus s)
{
    switch (s) {
    case DeviceStatus::NotYetContacted:
        return u"not-contacted"_s;
    case DeviceStatus::Refreshing:
        return u"refreshing"_s;
    case DeviceStatus::Ok:
        return u"ok"_s;
    case DeviceStatus::Unreachable:
        return u"unreachable"_s;
    case DeviceStatus::AuthFailed:
        return u"auth-failed"_s;
    case DeviceStatus::HostKeyUnknown:
        return u"host-key-unknown"_s;
    case DeviceStatus::HostKeyChanged:
        return u"host-key-changed"_s;
    case DeviceStatus::Unsupported:
        return u"unsupported"_s;
    case DeviceStatus::Error:
        return u"error"_s;
    }
    return u"error"_s;
}

} // namespace canyon
