// SPDX-License-Identifier: GPL-3.0-or-later
// SecretStore against a real gnome-keyring (run by run-with-keyring.sh in a private D-Bus
// session) and against no Secret Service at all; after either, no file under HOME — config,
// state, the keyring's own files — holds the secret in any plain encoding (QUALITY.md R8).
#include "secrets/SecretStore.h"

#include <QDirIterator>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>
#include <memory>

using namespace Qt::StringLiterals;
using namespace canyon;

using Status = SecretStore::Status;

class TestSecrets : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void storeReadRemove();
    void unavailableWithoutSecretService();
    void secretNeverOnDisk();

private:
    SecretStore::Result waitFor(SecretStore &store, quint64 id);

    std::unique_ptr<QTemporaryDir> m_ownHome;
    QString m_home;
    QString m_secret;
    bool m_used = false;
};

void TestSecrets::initTestCase()
{
    m_home = qEnvironmentVariable("CANYON_TEST_HOME");
    if (m_home.isEmpty()) {
        // Not under run-with-keyring.sh: a throwaway HOME of our own, so the search below
        // covers everything this process could have written.
        m_ownHome = std::make_unique<QTemporaryDir>();
        QVERIFY(m_ownHome->isValid());
        m_home = m_ownHome->path();
        qputenv("HOME", m_home.toUtf8());
        qputenv("XDG_CONFIG_HOME", (m_home + u"/config"_s).toUtf8());
        qputenv("XDG_DATA_HOME", (m_home + u"/data"_s).toUtf8());
        qputenv("XDG_CACHE_HOME", (m_home + u"/cache"_s).toUtf8());
        qputenv("XDG_STATE_HOME", (m_home + u"/state"_s).toUtf8());
    }
    m_secret = u"canyon-secret-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
}

SecretStore::Result TestSecrets::waitFor(SecretStore &store, quint64 id)
{
    QSignalSpy spy(&store, &SecretStore::finished);
    SecretStore::Result result;
    const bool arrived = QTest::qWaitFor(
        [&] {
            for (const QList<QVariant> &args : std::as_const(spy)) {
                const auto r = args.at(0).value<SecretStore::Result>();
                if (r.id == id) {
                    result = r;
                    return true;
                }
            }
            return false;
        },
        30000);
    if (!arrived)
        result.error = u"no answer within 30 s"_s;
    return result;
}

void TestSecrets::storeReadRemove()
{
    m_used = true;
    SecretStore store(u"io.github.canyon.Canyon.test"_s);
    QSignalSpy checked(&store, &SecretStore::availabilityChecked);

    const quint64 stored = store.store(u"kiosk-12"_s, SecretKind::Password, m_secret);
    QCOMPARE(store.availability(), SecretStore::Availability::Checking);
    SecretStore::Result r = waitFor(store, stored);
    QCOMPARE(checked.size(), 1);
    QVERIFY2(checked.at(0).at(0).toBool(),
        "no Secret Service on the session bus: run this through tests/unit/run-with-keyring.sh");
    QVERIFY2(r.status == Status::Ok, qPrintable(r.error));
    QCOMPARE(r.operation, SecretStore::Operation::Store);
    QCOMPARE(r.host, u"kiosk-12"_s);
    QVERIFY(r.secret.isEmpty()); // a store never echoes the secret

    r = waitFor(store, store.read(u"kiosk-12"_s, SecretKind::Password));
    QVERIFY2(r.status == Status::Ok, qPrintable(r.error));
    QCOMPARE(r.secret, m_secret);

    // the kind is part of the key: a passphrase is not the password
    r = waitFor(store, store.read(u"kiosk-12"_s, SecretKind::KeyPassphrase));
    QCOMPARE(r.status, Status::NotFound);

    r = waitFor(store, store.remove(u"kiosk-12"_s, SecretKind::Password));
    QVERIFY2(r.status == Status::Ok, qPrintable(r.error));
    r = waitFor(store, store.read(u"kiosk-12"_s, SecretKind::Password));
    QCOMPARE(r.status, Status::NotFound);
    QVERIFY(r.secret.isEmpty());

    // a second store object (the next start of the app) reads what the first left
    r = waitFor(store, store.store(u"lxd-1"_s, SecretKind::TrustToken, m_secret));
    QVERIFY2(r.status == Status::Ok, qPrintable(r.error));
    SecretStore again(u"io.github.canyon.Canyon.test"_s);
    r = waitFor(again, again.read(u"lxd-1"_s, SecretKind::TrustToken));
    QVERIFY2(r.status == Status::Ok, qPrintable(r.error));
    QCOMPARE(r.secret, m_secret);
    // left in the keyring on purpose: secretNeverOnDisk checks the keyring's file holds it
    // only encrypted
}

void TestSecrets::unavailableWithoutSecretService()
{
    if (!qEnvironmentVariableIsSet("CANYON_EXPECT_NO_KEYCHAIN"))
        QFAIL("run with DBUS_SESSION_BUS_ADDRESS pointing nowhere and CANYON_EXPECT_NO_KEYCHAIN=1 "
              "(ctest -R tst_secrets_unavailable)");
    m_used = true;
    SecretStore store;
    QSignalSpy checked(&store, &SecretStore::availabilityChecked);
    QSignalSpy finished(&store, &SecretStore::finished);

    const quint64 stored = store.store(u"kiosk-12"_s, SecretKind::Password, m_secret);
    QCOMPARE(finished.size(), 0); // asynchronous, like with a keychain
    SecretStore::Result r = waitFor(store, stored);
    QCOMPARE(checked.size(), 1);
    QCOMPARE(checked.at(0).at(0).toBool(), false);
    QCOMPARE(store.availability(), SecretStore::Availability::Unavailable);
    QCOMPARE(r.status, Status::Unavailable);
    QVERIFY(!r.error.isEmpty()); // something to tell the user before asking each time

    r = waitFor(store, store.read(u"kiosk-12"_s, SecretKind::Password));
    QCOMPARE(r.status, Status::Unavailable);
    QVERIFY(r.secret.isEmpty());
    r = waitFor(store, store.remove(u"kiosk-12"_s, SecretKind::Password));
    QCOMPARE(r.status, Status::Unavailable);
    QCOMPARE(checked.size(), 1); // asked the bus once
}

void TestSecrets::secretNeverOnDisk()
{
    QVERIFY2(m_used, "run after storeReadRemove or unavailableWithoutSecretService");
    const QByteArray utf8 = m_secret.toUtf8();
    const QList<QByteArray> encodings { utf8,
        QByteArray(reinterpret_cast<const char *>(m_secret.utf16()), m_secret.size() * 2), utf8.toBase64(),
        utf8.toHex() };

    int files = 0;
    QStringList hits;
    QDirIterator it(
        m_home, QDir::Files | QDir::Hidden | QDir::System | QDir::NoSymLinks, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (!it.fileInfo().isFile() || !file.open(QIODevice::ReadOnly))
            continue;
        ++files;
        const QByteArray content = file.readAll();
        for (const QByteArray &needle : encodings)
            if (content.contains(needle))
                hits << path;
    }
    qInfo("searched %d files under %s", files, qPrintable(m_home));
    QVERIFY2(hits.isEmpty(), qPrintable(u"the secret is on disk in: "_s + hits.join(u", "_s)));
    if (!qEnvironmentVariableIsSet("CANYON_EXPECT_NO_KEYCHAIN")) {
        // with a keyring, the secret is stored — encrypted, in the keyring's own file
        QVERIFY2(QFile::exists(m_home + u"/data/keyrings/login.keyring"_s),
            "gnome-keyring's login keyring was not written where expected");
    }
}

QTEST_GUILESS_MAIN(TestSecrets)
#include "tst_secrets.moc"
