// SPDX-License-Identifier: GPL-3.0-or-later
#include "DemoFleet.h"

#include "fleet/FleetService.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace canyon {

DemoFleet::DemoFleet(QObject *parent)
    : QObject(parent)
{
}

DemoFleet::~DemoFleet()
{
    stop();
}

bool DemoFleet::prepare(QString *error)
{
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + u"/canyon-demo-XXXXXX"_s);
    if (!m_dir->isValid()) {
        *error = tr("Cannot create a temporary directory: %1").arg(m_dir->errorString());
        return false;
    }
    QDir d(m_dir->path());
    if (!d.mkpath(u"config"_s) || !d.mkpath(u"keys"_s) || !d.mkpath(u"fleetsim"_s)) {
        *error = tr("Cannot create the demo directories in %1").arg(m_dir->path());
        return false;
    }
    QFile::setPermissions(d.filePath(u"keys"_s), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return true;
}

QString DemoFleet::configDir() const
{
    return m_dir ? m_dir->filePath(u"config"_s) : QString();
}

QString DemoFleet::clientKeyFile() const
{
    return m_dir ? m_dir->filePath(u"keys/client_ed25519"_s) : QString();
}

QString DemoFleet::hostKeyFile() const
{
    return m_dir ? m_dir->filePath(u"keys/host_ed25519"_s) : QString();
}

QString DemoFleet::findSimulator()
{
    const QString dir = QCoreApplication::applicationDirPath();
    for (const QString &candidate :
        QStringList { dir + u"/fleetsim/canyon-fleetsim"_s, dir + u"/canyon-fleetsim"_s }) {
        const QFileInfo info(candidate);
        if (info.isFile() && info.isExecutable())
            return info.absoluteFilePath();
    }
    return {};
}

QString DemoFleet::deviceUser(int index)
{
    return u"dev"_s + QStringLiteral("%1").arg(index, 4, 10, QLatin1Char('0'));
}

QStringList DemoFleet::groups()
{
    return { u"lab"_s, u"field-north"_s, u"field-south"_s };
}

void DemoFleet::start(FleetService *service, const Options &options)
{
    m_service = service;
    m_options = options;
    if (!m_dir) {
        QString error;
        if (!prepare(&error)) {
            fail(error);
            return;
        }
    }
    if (m_options.simulatorPath.isEmpty())
        m_options.simulatorPath = findSimulator();
    if (m_options.simulatorPath.isEmpty() || !QFileInfo(m_options.simulatorPath).isExecutable()) {
        fail(tr("The fleet simulator canyon-fleetsim was not found next to %1.")
                 .arg(QCoreApplication::applicationDirPath()));
        return;
    }
    generateKey(clientKeyFile(), u"canyon-demo-client"_s,
        [this] { generateKey(hostKeyFile(), u"canyon-fleetsim"_s, [this] { startSimulator(); }); });
}

void DemoFleet::generateKey(const QString &path, const QString &comment, std::function<void()> next)
{
    QFile::remove(path);
    QFile::remove(path + u".pub"_s);
    m_keygen = new QProcess(this);
    m_keygen->setProcessChannelMode(QProcess::MergedChannels);
    connect(m_keygen, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            fail(tr("ssh-keygen could not be started (is OpenSSH's client installed?)"));
    });
    connect(m_keygen, &QProcess::finished, this, [this, path, next](int code, QProcess::ExitStatus status) {
        QProcess *p = std::exchange(m_keygen, nullptr);
        p->deleteLater();
        if (m_failed)
            return;
        if (status != QProcess::NormalExit || code != 0 || !QFileInfo::exists(path + u".pub"_s)) {
            fail(
                tr("ssh-keygen failed for %1: %2").arg(path, QString::fromLocal8Bit(p->readAll()).trimmed()));
            return;
        }
        next();
    });
    m_keygen->start(u"ssh-keygen"_s,
        { u"-q"_s, u"-t"_s, u"ed25519"_s, u"-N"_s, QString(), u"-C"_s, comment, u"-f"_s, path });
}

void DemoFleet::startSimulator()
{
    m_simulator = new QProcess(this);
#ifdef Q_OS_LINUX
    // If canyon dies without running its destructors (killed), the simulator goes too.
    const pid_t parent = ::getpid();
    m_simulator->setChildProcessModifier([parent] {
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent)
            ::_exit(1);
    });
#endif
    connect(m_simulator, &QProcess::readyReadStandardOutput, this, &DemoFleet::readSimulatorOutput);
    connect(m_simulator, &QProcess::readyReadStandardError, this, [this] {
        m_stderr += m_simulator->readAllStandardError();
        if (m_stderr.size() > 8192)
            m_stderr = m_stderr.right(4096);
    });
    connect(m_simulator, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            fail(tr("The fleet simulator could not be started: %1").arg(m_simulator->errorString()));
    });
    connect(m_simulator, &QProcess::finished, this,
        [this](int code, QProcess::ExitStatus) { simulatorFinished(code); });

    m_readyTimer = new QTimer(this);
    m_readyTimer->setSingleShot(true);
    connect(m_readyTimer, &QTimer::timeout, this, [this] {
        if (!m_ready)
            fail(tr("The fleet simulator did not become ready in time.") + tail());
    });
    m_readyTimer->start(m_options.readyTimeoutMs);

    const QStringList args { u"serve"_s, u"--port"_s, u"0"_s, u"--listen"_s, u"127.0.0.1"_s, u"--devices"_s,
        QString::number(m_options.simulatedDevices), u"--host-key"_s, hostKeyFile(), u"--authorized-key"_s,
        clientKeyFile() + u".pub"_s, u"--state-dir"_s, m_dir->filePath(u"fleetsim"_s) };
    m_simulator->start(m_options.simulatorPath, args);
}

void DemoFleet::readSimulatorOutput()
{
    m_stdout += m_simulator->readAllStandardOutput();
    qsizetype nl;
    while (!m_ready && (nl = m_stdout.indexOf('\n')) >= 0) {
        const QByteArray line = m_stdout.left(nl).trimmed();
        m_stdout.remove(0, nl + 1);
        if (line.startsWith("READY ")) {
            bool ok = false;
            const int port = line.mid(6).trimmed().toInt(&ok);
            if (!ok || port <= 0 || port > 65535) {
                fail(tr("The fleet simulator reported an invalid port."));
                return;
            }
            m_port = port;
            finishSetup();
            return;
        }
    }
    if (m_stdout.size() > 65536)
        m_stdout.clear(); // chatter without a READY line: keep memory bounded
}

void DemoFleet::simulatorFinished(int exitCode)
{
    if (m_failed)
        return;
    if (!m_ready) {
        fail(tr("The fleet simulator exited (code %1) before it was ready.").arg(exitCode) + tail());
        return;
    }
    Q_EMIT failed(
        tr("The fleet simulator stopped (code %1); the demo devices are gone.").arg(exitCode) + tail());
}

QString DemoFleet::tail() const
{
    const QString err = QString::fromLocal8Bit(m_stderr).trimmed();
    return err.isEmpty() ? QString() : u"\n\n"_s + err.right(1000);
}

void DemoFleet::finishSetup()
{
    m_readyTimer->stop();
    QString error;
    const Config &config = m_service->config();
    if (!config.ensureDirs(&error)) {
        fail(error);
        return;
    }

    if (m_options.trustHostKey) {
        // Our own simulator on loopback: trusted without asking, in the demo's own known_hosts.
        QFile pub(hostKeyFile() + u".pub"_s);
        if (!pub.open(QIODevice::ReadOnly)) {
            fail(tr("Cannot read %1").arg(pub.fileName()));
            return;
        }
        const QList<QByteArray> parts = pub.readAll().simplified().split(' ');
        if (parts.size() < 2) {
            fail(tr("Unexpected public key format in %1").arg(pub.fileName()));
            return;
        }
        QFile known(config.knownHostsFile());
        QDir().mkpath(QFileInfo(known).absolutePath());
        if (!known.open(QIODevice::WriteOnly | QIODevice::Append)) {
            fail(tr("Cannot write %1: %2").arg(known.fileName(), known.errorString()));
            return;
        }
        known.write(
            "[127.0.0.1]:" + QByteArray::number(m_port) + ' ' + parts.at(0) + ' ' + parts.at(1) + '\n');
        known.close();
    }

    const QStringList groupNames = groups();
    const int count = qMin(m_options.devicesToAdd, m_options.simulatedDevices);
    const int perGroup = qMax(1, (count + int(groupNames.size()) - 1) / int(groupNames.size()));
    QStringList problems;
    for (int i = 0; i < count; ++i) {
        HostConfig h;
        h.name = deviceUser(i);
        h.kind = HostKind::Device;
        h.group = groupNames.at(qMin(i / perGroup, int(groupNames.size()) - 1));
        h.ssh.user = deviceUser(i);
        h.ssh.host = u"127.0.0.1"_s;
        h.ssh.port = m_port;
        h.identityFile = clientKeyFile();
        if (!m_service->addHost(h, &error))
            problems << h.name + u": "_s + error;
    }
    m_ready = true;
    if (!problems.isEmpty()) {
        Q_EMIT failed(tr("Some demo devices could not be added:") + u'\n' + problems.join(u'\n'));
        if (int(problems.size()) == count && count > 0)
            return;
    }
    Q_EMIT ready();
}

void DemoFleet::fail(const QString &message)
{
    if (m_failed)
        return;
    m_failed = true;
    if (m_readyTimer)
        m_readyTimer->stop();
    stop();
    Q_EMIT failed(message);
}

void DemoFleet::stop()
{
    if (m_keygen) {
        m_keygen->disconnect(this);
        m_keygen->kill();
        m_keygen->waitForFinished(1000);
    }
    if (m_simulator && m_simulator->state() != QProcess::NotRunning) {
        m_simulator->disconnect(this);
        m_simulator->terminate();
        if (!m_simulator->waitForFinished(3000)) {
            m_simulator->kill();
            m_simulator->waitForFinished(1000);
        }
    }
}

} // namespace canyon
