// SPDX-License-Identifier: GPL-3.0-or-later
// canyon: the Qt Widgets console. Argument parsing and wiring only.
#include "DemoFleet.h"
#include "MainWindow.h"
#include "Translations.h"
#include "fleet/Config.h"
#include "fleet/FleetService.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTemporaryDir>
#include <QTimer>
#include <cstdio>
#include <memory>

using namespace Qt::StringLiterals;
using namespace canyon;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"Canyon"_s);
    QApplication::setApplicationName(u"canyon"_s);
    QApplication::setApplicationDisplayName(u"Canyon"_s);
    QApplication::setApplicationVersion(u"0.1.0"_s);
    QApplication::setDesktopFileName(u"io.github.canyon.Canyon"_s);
    Translations::install(&app);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Console for fleets of snap devices over SSH."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption configOption(u"config"_s,
        QCoreApplication::translate("main", "Keep everything Canyon writes in DIR."),
        QCoreApplication::translate("main", "DIR"));
    const QCommandLineOption demoOption(
        u"demo"_s, QCoreApplication::translate("main", "Show a simulated fleet (in a temporary directory)."));
    // Packaging smoke test (Flatpak, AppImage): the main window over an empty temporary
    // config, shown, then quit once the event loop runs. Exit status 0 means it all loads.
    const QCommandLineOption smokeOption(u"smoke"_s,
        QCoreApplication::translate(
            "main", "Open the window over an empty temporary configuration and quit (a packaging check)."));
    parser.addOption(configOption);
    parser.addOption(demoOption);
    parser.addOption(smokeOption);
    parser.process(app);

    const bool demoMode = parser.isSet(demoOption);
    if (demoMode && parser.isSet(configOption)) {
        std::fputs(qPrintable(QCoreApplication::translate(
                       "main", "canyon: --demo and --config cannot be combined\n")),
            stderr);
        return 2;
    }

    // Declared first so it is destroyed last: the service closes its sessions before the
    // simulator goes away.
    std::unique_ptr<DemoFleet> demo;
    Config config = Config::standard();
    if (demoMode) {
        demo = std::make_unique<DemoFleet>();
        QString error;
        if (!demo->prepare(&error)) {
            std::fputs(qPrintable(u"canyon: "_s + error + u'\n'), stderr);
            return 2;
        }
        config = Config::fromDirectory(demo->configDir());
    } else if (parser.isSet(configOption)) {
        config = Config::fromDirectory(parser.value(configOption));
    }
    const bool smoke = parser.isSet(smokeOption) && !demoMode;
    std::unique_ptr<QTemporaryDir> smokeDir;
    if (smoke) {
        smokeDir = std::make_unique<QTemporaryDir>();
        if (!smokeDir->isValid())
            return 2;
        config = Config::fromDirectory(smokeDir->path());
    }

    FleetService service(config);
    if (demoMode) {
        // the demo fleet is ours alone: neither the user's ~/.ssh/config nor known_hosts applies
        service.setSshConfigFile(u"none"_s);
        service.setUserKnownHostsFile(config.configDir() + u"/user-known-hosts-unused"_s);
    }
    QString loadError;
    const bool loaded = service.load(&loadError);

    MainWindow window(&service, MainWindow::Options { .refreshOnStart = !smoke });
    window.show();
    if (smoke)
        QTimer::singleShot(0, &app, &QCoreApplication::quit);
    if (!loaded)
        QTimer::singleShot(0, &window, [&window, loadError] {
            window.showProblem(
                QCoreApplication::translate("main", "The fleet could not be loaded"), loadError);
        });

    if (demo) {
        QObject::connect(demo.get(), &DemoFleet::ready, &window, &MainWindow::refreshAll);
        QObject::connect(demo.get(), &DemoFleet::failed, &window, [&window](const QString &message) {
            window.showProblem(QCoreApplication::translate("main", "Demo fleet"), message);
        });
        demo->start(&service, DemoFleet::Options {});
    }
    return app.exec();
}
