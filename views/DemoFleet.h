// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>
#include <functional>
#include <memory>

class QProcess;
class QTemporaryDir;
class QTimer;

namespace canyon {

class FleetService;

// `canyon --demo`: a simulated fleet over real SSH on loopback. Makes a throwaway config dir,
// generates a client key and a host key (ssh-keygen), starts canyon-fleetsim, pre-trusts its
// host key (it is our own simulator) and adds its devices. Everything is asynchronous:
// ready() or failed() tells how it went. The simulator is stopped when this object goes.
class DemoFleet : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString simulatorPath; // empty: findSimulator()
        int simulatedDevices = 24; // devices the simulator serves (users dev0000..)
        int devicesToAdd = 24; // of those, how many to add to the fleet
        bool trustHostKey = true; // write the simulator's key to Canyon's known_hosts
        int readyTimeoutMs = 30000;
    };

    explicit DemoFleet(QObject *parent = nullptr);
    ~DemoFleet() override;

    bool prepare(QString *error); // creates the temporary directories; call before start()
    QString configDir() const; // give this to Config::fromDirectory for the demo's FleetService
    QString clientKeyFile() const;
    QString hostKeyFile() const;
    int port() const { return m_port; }
    bool isReady() const { return m_ready; }

    static QString findSimulator(); // next to the canyon binary: fleetsim/canyon-fleetsim or canyon-fleetsim
    static QString deviceUser(int index); // "dev0007"
    static QStringList groups(); // "lab", "field-north", "field-south"

    void start(FleetService *service, const Options &options);
    void stop(); // terminates the simulator (and waits briefly for it)

Q_SIGNALS:
    void ready();
    void failed(const QString &message);

private:
    void generateKey(const QString &path, const QString &comment, std::function<void()> next);
    void startSimulator();
    void readSimulatorOutput();
    void simulatorFinished(int exitCode);
    void finishSetup();
    void fail(const QString &message);
    QString tail() const;

    std::unique_ptr<QTemporaryDir> m_dir;
    FleetService *m_service = nullptr;
    Options m_options;
    QProcess *m_keygen = nullptr;
    QProcess *m_simulator = nullptr;
    QTimer *m_readyTimer = nullptr;
    QByteArray m_stdout;
    QByteArray m_stderr;
    int m_port = 0;
    bool m_ready = false;
    bool m_failed = false;
};

} // namespace canyon
