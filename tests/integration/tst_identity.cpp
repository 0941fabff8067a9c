// SPDX-License-Identifier: GPL-3.0-or-later
// Fail closed on identity (QUALITY.md R1) against the real servers of the testbed: sshd targets
// whose host keys are rotated (tests/testbed/sshd-targets.sh rotate-key) in the middle of a fleet
// job, and an LXD daemon presenting another certificate than the pinned one. Zero commands reach
// those hosts (sshd's log and the device's command log), the trust stores stay byte for byte
// the same, and the old and new fingerprints are shown.
#include "TestbedEnv.h"
#include "fleet/FleetJob.h"
#include "lxd/LxdClient.h"
#include "lxd/LxdClientCertificate.h"

#include <QCryptographicHash>
#include <QFile>
#include <QScopeGuard>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace canyon;

namespace {

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

int acceptedLogins(const QString &sshdLog)
{
    return int(fileBytes(sshdLog).count("Accepted publickey"));
}

} // namespace

class TestIdentity : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rotatedHostKeysAcrossFleetJob();
    void swappedLxdCertificate();
};

void TestIdentity::rotatedHostKeysAcrossFleetJob()
{
    CANYON_NEED_ENV("CANYON_SSHD_DIR");
    const QString dir = testbed::env("CANYON_SSHD_DIR");
    const int base = testbed::env("CANYON_SSHD_BASEPORT").toInt();
    // Targets 30..35 (snap CLI devices; 34 is a snappy one); 31 and 33 get new host keys.
    const QList<int> targets { 30, 31, 32, 33, 35, 36 };
    const QList<int> rotated { 31, 33 };
    QTemporaryDir cfg;
    QVERIFY(QFile::copy(testbed::env("CANYON_SSHD_KNOWN_HOSTS"), cfg.path() + u"/known_hosts"_s));
    auto name = [](int i) { return u"t%1"_s.arg(i); };
    QStringList names;
    {
        FleetService fleet(Config::fromDirectory(cfg.path()));
        fleet.setSshConfigFile(u"none"_s);
        fleet.setUserKnownHostsFile(cfg.path() + u"/none"_s);
        QString error;
        for (int i : targets) {
            HostConfig h;
            h.name = name(i);
            h.ssh = { testbed::env("CANYON_SSHD_USER"), u"127.0.0.1"_s, base + i };
            h.identityFile = testbed::env("CANYON_SSHD_KEY");
            QVERIFY2(fleet.addHost(h, &error), qPrintable(error));
            names << h.name;
        }
        const auto before = testbed::refreshAll(fleet);
        for (const QString &n : std::as_const(names))
            QVERIFY2(
                before.value(n).status == DeviceStatus::Ok, qPrintable(n + u": "_s + before.value(n).error));
        QVERIFY(fleet.saveInventoryCache(&error)); // the next run plans from this (all reachable)
    }

    // The keys change while the console is closed; the job is planned from the cached inventory.
    // Leave the shared testbed consistent for later tests, also when this test fails: its own
    // known_hosts gets the new keys (Canyon's trust store here is a copy and is never touched).
    auto repairTestbed = qScopeGuard([&] {
        QFile testbedKnown(testbed::env("CANYON_SSHD_KNOWN_HOSTS"));
        if (!testbedKnown.open(QIODevice::ReadOnly))
            return;
        QList<QByteArray> lines = testbedKnown.readAll().split('\n');
        testbedKnown.close();
        for (int i : rotated) {
            const QByteArray prefix = "[127.0.0.1]:" + QByteArray::number(base + i) + ' ';
            const QList<QByteArray> pub
                = fileBytes(dir + u"/dev%1/host_ed25519.pub"_s.arg(i)).trimmed().split(' ');
            for (QByteArray &l : lines)
                if (l.startsWith(prefix))
                    l = prefix + pub.value(0) + ' ' + pub.value(1);
        }
        if (testbedKnown.open(QIODevice::WriteOnly | QIODevice::Truncate))
            testbedKnown.write(lines.join('\n'));
    });
    QHash<int, QString> oldFp, newFp;
    for (int i : rotated) {
        const QString d = dir + u"/dev%1"_s.arg(i);
        oldFp[i] = testbed::sshKeygenFingerprint(d + u"/host_ed25519.pub"_s);
        QProcess rotate;
        rotate.start(QStringLiteral(CANYON_SOURCE_DIR "/tests/testbed/sshd-targets.sh"),
            { u"rotate-key"_s, dir, QString::number(i) });
        QVERIFY(rotate.waitForFinished(30000));
        QVERIFY2(rotate.exitCode() == 0, rotate.readAllStandardError().constData());
        newFp[i] = testbed::sshKeygenFingerprint(d + u"/host_ed25519.pub"_s);
        QVERIFY(!newFp[i].isEmpty() && newFp[i] != oldFp[i]);
    }
    const QByteArray knownBefore = fileBytes(cfg.path() + u"/known_hosts"_s);
    const QByteArray hostsBefore = fileBytes(cfg.path() + u"/hosts.json"_s);
    QHash<int, int> loginsBefore;
    QHash<int, QByteArray> callsBefore;
    for (int i : rotated) {
        loginsBefore[i] = acceptedLogins(dir + u"/dev%1/sshd.log"_s.arg(i));
        callsBefore[i] = fileBytes(dir + u"/dev%1/calls.log"_s.arg(i));
    }

    FleetService fleet(Config::fromDirectory(cfg.path()));
    fleet.setSshConfigFile(u"none"_s);
    fleet.setUserKnownHostsFile(cfg.path() + u"/none"_s);
    QString error;
    QVERIFY2(fleet.load(&error), qPrintable(error));
    QCOMPARE(fleet.hosts().size(), targets.size());
    JobSpec spec;
    spec.action = SnapAction::Refresh;
    spec.devices = names;
    spec.stepTimeoutMs = 20000;
    FleetJob job(fleet, spec);
    QSignalSpy done(&job, &FleetJob::finished);
    QVERIFY2(job.start(&error), qPrintable(error));
    QVERIFY(done.wait(120000));
    const QList<JobItem> items = job.items();
    QVERIFY(!items.isEmpty());
    for (const JobItem &it : items) {
        const int i = it.device.mid(1).toInt();
        qInfo("%s: %s %s", qPrintable(it.device), qPrintable(jobItemStatusName(it.status)),
            qPrintable(it.error.left(300)));
        if (rotated.contains(i)) {
            QVERIFY2(!isSuccessStatus(it.status), qPrintable(it.device));
            QVERIFY2(it.changeId.isEmpty(), "no change may be started on a host with a changed key");
            QVERIFY2(it.error.contains(oldFp[i]) && it.error.contains(newFp[i]),
                qPrintable(u"old and new SHA256 must be shown: "_s + it.error));
        } else {
            // The others were reached and worked on (the testbed's sshd targets have no sudo and
            // no snapd, so the write itself may fail there: that is not this test's business).
            QVERIFY2(it.status != JobItemStatus::Unreachable && !it.error.contains(u"REFUSED"_s),
                qPrintable(it.device + u": "_s + it.error));
        }
    }
    // The refresh after the job (finished() comes after it) classifies them too.
    for (int i : rotated) {
        const DeviceInventory inv = fleet.inventory(name(i));
        QCOMPARE(inv.status, DeviceStatus::HostKeyChanged);
        QCOMPARE(inv.hostKey.sha256, newFp[i]);
        QCOMPARE(inv.hostKey.knownSha256, oldFp[i]);
        // nothing logged in, nothing ran
        QCOMPARE(acceptedLogins(dir + u"/dev%1/sshd.log"_s.arg(i)), loginsBefore[i]);
        QCOMPARE(fileBytes(dir + u"/dev%1/calls.log"_s.arg(i)), callsBefore[i]);
    }
    QCOMPARE(fileBytes(cfg.path() + u"/known_hosts"_s), knownBefore); // byte for byte
    QCOMPARE(fileBytes(cfg.path() + u"/hosts.json"_s), hostsBefore);
}

void TestIdentity::swappedLxdCertificate()
{
    CANYON_NEED_ENV("CANYON_LXD_HTTPS");
    CANYON_NEED_ENV("CANYON_LXD_DIR");
    // The host was pinned to certificate A; the daemon at its address now presents B (its own).
    QTemporaryDir cfg;
    QProcess openssl;
    openssl.start(u"openssl"_s,
        { u"req"_s, u"-x509"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s, u"ec_paramgen_curve:prime256v1"_s,
            u"-nodes"_s, u"-days"_s, u"2"_s, u"-subj"_s, u"/CN=old-lxd"_s, u"-keyout"_s,
            cfg.path() + u"/old.key"_s, u"-out"_s, cfg.path() + u"/old.crt"_s });
    QVERIFY(openssl.waitForFinished(20000) && openssl.exitCode() == 0);
    const auto oldCert = QSslCertificate::fromPath(cfg.path() + u"/old.crt"_s);
    const auto realCert = QSslCertificate::fromPath(testbed::env("CANYON_LXD_DIR") + u"/server.crt"_s);
    QCOMPARE(oldCert.size(), 1);
    QCOMPARE(realCert.size(), 1);
    const QString pinned = QString::fromLatin1(oldCert.first().digest(QCryptographicHash::Sha256).toHex());
    const QString presented
        = QString::fromLatin1(realCert.first().digest(QCryptographicHash::Sha256).toHex());

    FleetService fleet(Config::fromDirectory(cfg.path()));
    HostConfig h;
    h.name = u"lxd-swapped"_s;
    h.kind = HostKind::Lxd;
    h.lxdUrl = u"https://"_s + testbed::env("CANYON_LXD_HTTPS");
    h.lxdCertificateSha256 = pinned;
    QString error;
    QVERIFY2(fleet.addHost(h, &error), qPrintable(error));
    const QByteArray hostsBefore = fileBytes(fleet.config().hostsFile());
    QVERIFY(!hostsBefore.isEmpty());
    LxdClientCertificate identity;
    QVERIFY2(LxdClientCertificate::ensure(cfg.path(), &identity, &error), qPrintable(error));
    const QByteArray identityBefore = fileBytes(identity.certificateFile);

    const HostConfig saved = *fleet.host(h.name);
    LxdClient client(QUrl(saved.lxdUrl), saved.lxdCertificateSha256, identity);
    client.setTimeoutMs(10000);
    // A read and a write: neither may reach the daemon.
    int answered = 0;
    QList<LxdResult> results;
    client.fetchInstances([&](const LxdResult &r, const QList<Instance> &, const QList<InstanceState> &) {
        results << r;
        ++answered;
    });
    client.runAction(
        u"no-such-instance"_s, InstanceAction::Delete, true, [&](const LxdResult &r, const Operation &) {
            results << r;
            ++answered;
        });
    QTRY_COMPARE_WITH_TIMEOUT(answered, 2, 20000);
    for (const LxdResult &r : std::as_const(results)) {
        qInfo("%s: %s", qPrintable(lxdResultKindName(r.kind)), qPrintable(r.error));
        QCOMPARE(r.kind, LxdResultKind::RefusedTrust);
        QVERIFY(r.certificateMismatch);
        QCOMPARE(r.httpStatus, 0); // no HTTP answer: no request was sent
        QCOMPARE(r.serverSha256, presented);
        QVERIFY2(r.error.contains(pinned) && r.error.contains(presented), qPrintable(r.error));
    }
    QCOMPARE(fileBytes(fleet.config().hostsFile()), hostsBefore); // the pin is unchanged
    QCOMPARE(fileBytes(identity.certificateFile), identityBefore);
}

QTEST_GUILESS_MAIN(TestIdentity)
#include "tst_identity.moc"
