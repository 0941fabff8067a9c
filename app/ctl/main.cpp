// SPDX-License-Identifier: GPL-3.0-or-later
// canyonctl: the fleet from the command line (CLI.md). Wiring only: the commands live in
// canyon_models (CtlCommands) so that tests exercise the same code.
#include "fleet/CtlCommands.h"

#include <QCoreApplication>
#include <QTextStream>
#include <cstdio>
#include <openssl/crypto.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int main(int argc, char *argv[])
{
#if defined(__GLIBC__)
    // One malloc arena. A thread's own arena grows page by page, each step an mprotect (about
    // 400 of them while the fiber thread reads 50 devices, and as many page faults); a short
    // command whose threads mostly take turns gains nothing from per-thread arenas.
    mallopt(M_ARENA_MAX, 1);
#endif
    // OpenSSL would free every table it built at exit, which the ending process does anyway.
    // Before anything else uses OpenSSL: only its first initialisation takes this setting.
    OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr);
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Canyon"));
    QCoreApplication::setApplicationName(QStringLiteral("canyonctl"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CANYON_VERSION));
    QTextStream out(stdout);
    QTextStream err(stderr);
    QStringList args = QCoreApplication::arguments();
    args.removeFirst();
    canyon::CtlCommands commands(args, out, err);
    QObject::connect(&commands, &canyon::CtlCommands::finished, &app, &QCoreApplication::exit);
    QMetaObject::invokeMethod(&commands, &canyon::CtlCommands::start, Qt::QueuedConnection);
    return app.exec();
}
