// SPDX-License-Identifier: GPL-3.0-or-later
// LXD over SSH: the testbed's REAL LXD daemon reached through its unix socket (group canyon-lxd)
// from a REAL OpenSSH target of the testbed, logged in as the test user (tests/testbed/up.sh).
#include "CtlAndLxc.h"
#include "TestbedEnv.h"
#include "domain/PlainText.h"
#include "fleet/CtlCommands.h"
#include "lxd/LxdClient.h"
#include "lxd/LxdService.h"
#include "lxd/LxdSshTransport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

using namespace canyon;
using namespace Qt::StringLiterals;

namespace {

using testbed::CtlRun;
using testbed::runCtl;

// The lxc CLI on the testbed daemon: fixtures and independent checks only.
QString lxc(const QStringList &args, int *exitCode = nullptr)
{
    return testbed::lxcIn(testbed::env("CANYON_LXD_DIR"), args, exitCode);
}

} // namespace

class TestLxdSsh : public QObject
{
    Q_OBJECT
private:
    QString m_sshTarget; // canyon-t@127.0.0.1:PORT
    int m_port = 0;
    QString m_sshDir, m_key, m_knownHosts, m_socket, m_container;

    QString status() const
    {
        return lxc({ u"list"_s, m_container, u"-c"_s, u"s"_s, u"--format"_s, u"csv"_s });
    }
    int acceptedLogins() const
    {
        QFile log(m_sshDir + u"/dev0/sshd.log"_s);
        return log.open(QIODevice::ReadOnly) ? int(log.readAll().count("Accepted publickey")) : -1;
    }
    QStringList ctlBase(const QString &cfg) const
    {
        return { u"--config"_s, cfg, u"--ssh-config"_s, u"none"_s, u"--known-hosts"_s, m_knownHosts };
    }
    HostConfig host(const QString &name, const QString &socket) const
    {
        HostConfig h;
        h.name = name;
        h.kind = HostKind::Lxd;
        h.identityFile = m_key;
        LxdSshEndpoint e;
        QString error;
        SshTarget::parse(m_sshTarget, &e.target, &error);
        e.socketPath = socket;
        h.lxdUrl = e.toUrl();
        return h;
    }
    // A service over a fleet whose only host is the SSH-reached LXD host.
    struct Stack
    {
        QTemporaryDir dir;
        std::unique_ptr<FleetService> fleet;
        std::unique_ptr<LxdService> lxd;
    };
    std::unique_ptr<Stack> stack(const HostConfig &h, const QString &userKnownHosts) const
    {
        auto s = std::make_unique<Stack>();
        s->fleet = std::make_unique<FleetService>(Config::fromDirectory(s->dir.path()));
        QString error;
        if (!s->fleet->addHost(h, &error))
            qWarning("%s", qPrintable(error));
        s->lxd = std::make_unique<LxdService>(s->fleet.get());
        s->lxd->setSshConfigFile(u"none"_s);
        s->lxd->setUserKnownHostsFile(userKnownHosts);
        s->lxd->setPollLimits(300, 2000);
        return s;
    }
    LxdActionResult act(LxdService &lxd, const QString &host, InstanceAction a, bool force = false)
    {
        QSignalSpy done(&lxd, &LxdService::bulkActionFinished);
        lxd.runAction(host, { m_container }, a, force);
        if (!done.wait(90000))
            return {};
        const auto results = done.first().at(1).value<QList<LxdActionResult>>();
        return results.value(0);
    }

private Q_SLOTS:
    void initTestCase()
    {
        CANYON_NEED_ENV("CANYON_SSHD_DIR");
        CANYON_NEED_ENV("CANYON_LXD_SOCKET");
        CANYON_NEED_ENV("CANYON_LXD_SOCKET_USER");
        CANYON_NEED_ENV("CANYON_LXD_DIR");
        CANYON_NEED_ENV("CANYON_LXD_IMAGE");
        m_sshDir = testbed::env("CANYON_SSHD_DIR");
        m_key = testbed::env("CANYON_SSHD_KEY");
        m_knownHosts = testbed::env("CANYON_SSHD_KNOWN_HOSTS");
        m_socket = testbed::env("CANYON_LXD_SOCKET");
        QFile f(m_sshDir + u"/targets.txt"_s);
        QVERIFY(f.open(QIODevice::ReadOnly));
        m_sshTarget = QString::fromLatin1(f.readLine().simplified().split(' ').value(0));
        QVERIFY(m_sshTarget.startsWith(testbed::env("CANYON_LXD_SOCKET_USER") + u'@'));
        m_port = m_sshTarget.section(u':', -1).toInt();
        QVERIFY(m_port > 0);
        m_container = u"canyon-lxdssh-%1"_s.arg(QCoreApplication::applicationPid());
        int rc = -1;
        lxc({ u"init"_s, testbed::env("CANYON_LXD_IMAGE"), m_container }, &rc);
        QCOMPARE(rc, 0);
    }

    void cleanupTestCase()
    {
        if (!m_container.isEmpty())
            lxc({ u"delete"_s, u"--force"_s, m_container });
    }

    // canyonctl hosts add --lxd-ssh: finds the socket (given), records nothing new (the key is in
    // the user's known_hosts), and `instances` lists through the same path.
    void ctlAddAndInstances()
    {
        QTemporaryDir cfg;
        // no LXD at the default socket paths on this machine: a clear refusal, exit 2
        CtlRun r = runCtl(ctlBase(cfg.path())
            + QStringList {
                u"hosts"_s, u"add"_s, u"lxs"_s, u"--lxd-ssh"_s, m_sshTarget, u"--identity"_s, m_key });
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(u"would not open"_s), qPrintable(r.err));
        r = runCtl(ctlBase(cfg.path())
            + QStringList { u"hosts"_s, u"add"_s, u"lxs"_s, u"--lxd-ssh"_s, m_sshTarget, u"--lxd-socket"_s,
                m_socket, u"--identity"_s, m_key });
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        QVERIFY2(r.out.contains(u"LXD 5."_s) && r.out.contains(u"ssh://"_s), qPrintable(r.out));
        r = runCtl(ctlBase(cfg.path()) + QStringList { u"instances"_s, u"lxs"_s, u"--json"_s });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QJsonArray arr = QJsonDocument::fromJson(r.out.toUtf8()).array();
        bool found = false;
        for (const QJsonValue &v : arr)
            found = found
                || (v[u"name"_s].toString() == m_container && v[u"host"_s].toString() == u"lxs"
                    && v[u"status"_s].toString() == u"Stopped");
        QVERIFY2(found, qPrintable(r.out));
        r = runCtl(ctlBase(cfg.path()) + QStringList { u"hosts"_s, u"list"_s, u"--json"_s });
        QCOMPARE(r.code, 0);
        const QJsonObject listed = QJsonDocument::fromJson(r.out.toUtf8()).array().first().toObject();
        QCOMPARE(listed[u"kind"_s].toString(), u"lxd"_s);
        QVERIFY(listed[u"address"_s].toString().startsWith(u"ssh://"_s));
        // the trust column: the host key Canyon trusts for it (here from --known-hosts)
        const QString fp = testbed::sshKeygenFingerprint(m_sshDir + u"/dev0/host_ed25519.pub"_s);
        QVERIFY2(listed[u"trust"_s].toString() == u"trusted host key ssh-ed25519 "_s + fp,
            qPrintable(listed[u"trust"_s].toString()));
    }

    // An unknown host key is refused unless accepted, and then recorded in Canyon's known_hosts.
    void ctlUnknownKeyNeedsAcceptance()
    {
        QTemporaryDir cfg;
        QTemporaryDir empty;
        const QStringList base = { u"--config"_s, cfg.path(), u"--ssh-config"_s, u"none"_s,
            u"--known-hosts"_s, empty.filePath(u"none"_s) };
        const QStringList add = { u"hosts"_s, u"add"_s, u"lxu"_s, u"--lxd-ssh"_s, m_sshTarget,
            u"--lxd-socket"_s, m_socket, u"--identity"_s, m_key };
        CtlRun r = runCtl(base + add);
        QCOMPARE(r.code, 2);
        QVERIFY2(
            r.err.contains(u"--accept-new-host-key"_s) && r.err.contains(u"SHA256:"_s), qPrintable(r.err));
        r = runCtl(base + add + QStringList { u"--accept-new-host-key"_s });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QFile known(cfg.filePath(u"known_hosts"_s));
        QVERIFY(known.open(QIODevice::ReadOnly));
        QVERIFY(known.readAll().contains(QByteArray("[127.0.0.1]:" + QByteArray::number(m_port))));
    }

    // The service over SSH: list, start and stop for real, polling instead of the websocket.
    void serviceListStartStopAndPoll()
    {
        auto s = stack(host(u"lx"_s, m_socket), m_knownHosts);
        QSignalSpy listed(s->lxd.get(), &LxdService::instancesRefreshed);
        s->lxd->refreshInstances();
        QVERIFY(listed.wait(30000));
        const LxdResult lr = listed.first().at(2).value<LxdResult>();
        QVERIFY2(lr.ok(), qPrintable(lr.error));
        const auto list = listed.first().at(1).value<QList<Instance>>();
        QVERIFY(std::any_of(
            list.cbegin(), list.cend(), [&](const Instance &i) { return i.name == m_container; }));

        QSignalSpy streamState(s->lxd.get(), &LxdService::eventStreamChanged);
        s->lxd->watchEvents(u"lx"_s, true);
        QCOMPARE(s->lxd->eventStreamState(u"lx"_s), LxdEventStream::State::Polling);

        QSignalSpy updated(s->lxd.get(), &LxdService::instanceUpdated);
        LxdActionResult ar = act(*s->lxd, u"lx"_s, InstanceAction::Start);
        QVERIFY2(ar.result.ok(), qPrintable(ar.result.error));
        QCOMPARE(ar.operation.statusCode, 200);
        QCOMPARE(status(), u"RUNNING"_s);
        // no events over SSH: the action's end re-reads the instance
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(updated.cbegin(), updated.cend(),
                                     [&](const QList<QVariant> &a) {
                                         const Instance i = a.at(1).value<Instance>();
                                         return i.name == m_container && i.status == u"Running";
                                     }),
            20000);

        // a change made elsewhere reaches the list through the poll
        listed.clear();
        int rc = -1;
        lxc({ u"stop"_s, u"--force"_s, m_container }, &rc);
        QCOMPARE(rc, 0);
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(listed.cbegin(), listed.cend(),
                                     [&](const QList<QVariant> &a) {
                                         const auto l = a.at(1).value<QList<Instance>>();
                                         return std::any_of(l.cbegin(), l.cend(), [&](const Instance &i) {
                                             return i.name == m_container && i.status == u"Stopped";
                                         });
                                     }),
            20000);

        // and the poll backs off while nothing changes: few lists in 3 s, not a storm
        listed.clear();
        auto *client = s->lxd->client(u"lx"_s);
        QVERIFY(client && client->isSsh());
        const quint64 before = client->sshTransport()->channelsOpened();
        QTest::qWait(3000);
        const quint64 polls = client->sshTransport()->channelsOpened() - before;
        QVERIFY2(polls >= 1 && polls <= 5, qPrintable(QString::number(polls)));
        QVERIFY(listed.isEmpty()); // unchanged lists are not re-announced

        lxc({ u"start"_s, m_container }, &rc);
        QCOMPARE(rc, 0);
        ar = act(*s->lxd, u"lx"_s, InstanceAction::Stop, true);
        QVERIFY2(ar.result.ok(), qPrintable(ar.result.error));
        QCOMPARE(status(), u"STOPPED"_s);
    }

    // Hostile names travel percent-encoded and come back as plain, visible text.
    void hostileNamesOverSsh()
    {
        auto s = stack(host(u"lx"_s, m_socket), m_knownHosts);
        const QString hostile = u"../../1.0?x=1#\u001b[31m<b>evil</b>\u202e"_s;
        QSignalSpy failed(s->lxd.get(), &LxdService::instanceStateFailed);
        s->lxd->loadState(u"lx"_s, { hostile });
        QVERIFY(failed.wait(30000));
        const LxdResult r = failed.first().at(2).value<LxdResult>();
        QCOMPARE(r.kind, LxdResultKind::Failed);
        // LXD's own answer to a name it cannot have (400 invalid, or 404): an error of that host
        QVERIFY2(r.lxdErrorCode == 400 || r.lxdErrorCode == 404, qPrintable(r.error));
        qInfo("LXD said: %s", qPrintable(r.error));
        QCOMPARE(visibleText(r.error, 1000), r.error); // nothing left to escape
    }

    // A changed host key: refused before login, no channel, nothing run, container untouched.
    void changedHostKeyRefusedNothingSent()
    {
        int rc = -1;
        lxc({ u"start"_s, m_container }, &rc);
        QCOMPARE(rc, 0);
        QTemporaryDir keys;
        QProcess gen;
        gen.start(u"ssh-keygen"_s,
            { u"-q"_s, u"-t"_s, u"ed25519"_s, u"-N"_s, QString(), u"-f"_s, keys.filePath(u"k"_s) });
        QVERIFY(gen.waitForFinished(10000) && gen.exitCode() == 0);
        QFile pub(keys.filePath(u"k.pub"_s));
        QVERIFY(pub.open(QIODevice::ReadOnly));
        const QList<QByteArray> parts = pub.readAll().split(' ');
        QFile wrong(keys.filePath(u"known_hosts"_s));
        QVERIFY(wrong.open(QIODevice::WriteOnly));
        wrong.write(
            "[127.0.0.1]:" + QByteArray::number(m_port) + ' ' + parts.at(0) + ' ' + parts.at(1) + '\n');
        wrong.close();
        const QString pinnedFp = testbed::sshKeygenFingerprint(keys.filePath(u"k.pub"_s));

        auto s = stack(host(u"lx"_s, m_socket), keys.filePath(u"known_hosts"_s));
        const int loginsBefore = acceptedLogins();
        const LxdActionResult ar = act(*s->lxd, u"lx"_s, InstanceAction::Stop, true);
        QCOMPARE(ar.result.kind, LxdResultKind::RefusedTrust);
        QVERIFY2(ar.result.error.contains(u"REFUSED"_s) && ar.result.error.contains(pinnedFp),
            qPrintable(ar.result.error));
        auto *client = s->lxd->client(u"lx"_s);
        QCOMPARE(client->sshTransport()->channelsOpened(), quint64(0));
        QCOMPARE(acceptedLogins(), loginsBefore);
        QCOMPARE(status(), u"RUNNING"_s);
        lxc({ u"stop"_s, u"--force"_s, m_container }, &rc);
    }
};

QTEST_GUILESS_MAIN(TestLxdSsh)
#include "tst_lxdssh.moc"
