// SPDX-License-Identifier: GPL-3.0-or-later
#include "SimState.h"

#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace canyon::sim {

std::optional<SimDevice> loadDeviceState(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = u"cannot read %1: %2"_s.arg(path, file.errorString());
        return std::nullopt;
    }
    // State files are small; a huge one is not ours.
    if (file.size() > 16 * 1024 * 1024) {
        if (error)
            *error = u"%1 is too large to be a device state"_s.arg(path);
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isObject()) {
        if (error)
            *error = u"%1: %2"_s.arg(path, parseError.errorString());
        return std::nullopt;
    }
    QString why;
    auto device = SimDevice::fromJson(doc.object(), &why);
    if (!device && error)
        *error = u"%1: %2"_s.arg(path, why);
    return device;
}

bool saveDeviceState(const SimDevice &device, const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = u"cannot write %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    file.write(QJsonDocument(device.toJson()).toJson(QJsonDocument::Indented));
    if (!file.commit()) {
        if (error)
            *error = u"cannot write %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    return true;
}

FileLock::FileLock(const QString &path)
{
    const QByteArray native = QFile::encodeName(path);
    m_fd = ::open(native.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (m_fd < 0) {
        m_error = u"cannot open %1: %2"_s.arg(path, QString::fromLocal8Bit(std::strerror(errno)));
        return;
    }
    int rc;
    do {
        rc = ::flock(m_fd, LOCK_EX);
    } while (rc != 0 && errno == EINTR);
    if (rc != 0) {
        m_error = u"cannot lock %1: %2"_s.arg(path, QString::fromLocal8Bit(std::strerror(errno)));
        ::close(m_fd);
        m_fd = -1;
    }
}

FileLock::~FileLock()
{
    if (m_fd >= 0)
        ::close(m_fd); // closing drops the flock
}

} // namespace canyon::sim
