// SPDX-License-Identifier: GPL-3.0-or-later
// `canyonctl metrics` against the REAL LXD 5.0.2 daemon of tests/testbed/up.sh, over HTTPS
// (trusted client certificate) and over SSH to its unix socket: a container that burnt CPU is
// listed, and its figures agree with LXD's own state API (what `lxc info` shows). An untrusted
// client gets refused-trust (LXD's 403 envelope), not a parse error.
#include "CtlAndLxc.h"
#include "TestbedEnv.h"
#include "lxd/LxdClientCertificate.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>

using namespace canyon;
using namespace Qt::StringLiterals;
using testbed::CtlRun;
using testbed::runCtl;

namespace {

QString lxc(const QStringList &args, int *exitCode = nullptr)
{
    return testbed::lxcIn(testbed::env("CANYON_LXD_DIR"), args, exitCode);
}

} // namespace

class TestLxdMetrics : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_container;
    QString m_url;
    QString m_sha;

    // The row of m_container in `metrics HOST NAME --json` (empty when absent).
    static QJsonObject rowOf(const CtlRun &r, const QString &name)
    {
        const QJsonArray rows = QJsonDocument::fromJson(r.out.toUtf8()).array();
        for (const QJsonValue &v : rows)
            if (v.toObject().value(u"instance"_s).toString() == name)
                return v.toObject();
        return {};
    }

    // `metrics ... --json` until m_container is listed with CPU time: LXD 5.0 caches /1.0/metrics
    // for about 8 s, so an instance started within that window shows up only when it expires.
    CtlRun pollMetrics(const QStringList &args) const
    {
        QDeadlineTimer deadline(30000);
        CtlRun r;
        do {
            r = runCtl(args);
            if (r.code == 0 && rowOf(r, m_container).value(u"cpu_seconds"_s).toDouble() > 0)
                return r;
            QTest::qWait(1000);
        } while (!deadline.hasExpired());
        return r;
    }

    // LXD's own view of the container (GET .../state through the lxc CLI): what `lxc info` shows.
    QJsonObject state() const
    {
        int rc = -1;
        const QString out = lxc({ u"query"_s, u"/1.0/instances/%1/state"_s.arg(m_container) }, &rc);
        return rc == 0 ? QJsonDocument::fromJson(out.toUtf8()).object() : QJsonObject {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        CANYON_NEED_ENV("CANYON_LXD_HTTPS");
        CANYON_NEED_ENV("CANYON_LXD_DIR");
        CANYON_NEED_ENV("CANYON_LXD_IMAGE");
        CANYON_NEED_ENV("CANYON_LXD_TRUST_PASSWORD");
        QVERIFY(m_dir.isValid());
        m_url = u"https://"_s + testbed::env("CANYON_LXD_HTTPS");
        const auto certs = QSslCertificate::fromPath(testbed::env("CANYON_LXD_DIR") + u"/server.crt"_s);
        QCOMPARE(certs.size(), 1);
        m_sha = certificateSha256(certs.first());
        // Launched last: cleanupTestCase deletes it whatever happens after.
        m_container = u"canyon-metrics-%1"_s.arg(QCoreApplication::applicationPid());
        int rc = -1;
        lxc({ u"launch"_s, testbed::env("CANYON_LXD_IMAGE"), m_container }, &rc);
        QCOMPARE(rc, 0);
        // About 0.2-0.5 s of CPU inside the container, finished before any metrics are read (LXD
        // caches /1.0/metrics for a few seconds: the first read then sees all of it).
        lxc({ u"exec"_s, m_container, u"--"_s, u"sh"_s, u"-c"_s,
                u"i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done"_s },
            &rc);
        QCOMPARE(rc, 0);
    }

    void cleanupTestCase()
    {
        if (!m_container.isEmpty())
            lxc({ u"delete"_s, u"--force"_s, m_container });
    }

    void overHttpsAgreesWithLxd()
    {
        const QString cfg = m_dir.filePath(u"https"_s);
        CtlRun r = runCtl(
            { u"--config"_s, cfg, u"hosts"_s, u"add"_s, u"h1"_s, u"--lxd"_s, m_url, u"--accept-certificate"_s,
                m_sha, u"--trust-password"_s, testbed::env("CANYON_LXD_TRUST_PASSWORD") });
        QVERIFY2(r.code == 0, qPrintable(r.err));

        r = pollMetrics({ u"--config"_s, cfg, u"metrics"_s, u"h1"_s, m_container, u"--json"_s });
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        const QJsonObject row = rowOf(r, m_container);
        QVERIFY2(!row.isEmpty(), qPrintable(r.out));
        QCOMPARE(row.value(u"host"_s).toString(), u"h1"_s);
        const double cpu = row.value(u"cpu_seconds"_s).toDouble();
        const double memory = row.value(u"memory_bytes"_s).toDouble();
        const double rx = row.value(u"rx_bytes"_s).toDouble();
        const double tx = row.value(u"tx_bytes"_s).toDouble();
        const int procs = row.value(u"processes"_s).toInt(-1);
        QVERIFY2(cpu > 0, qPrintable(r.out));
        QVERIFY2(memory > 0, qPrintable(r.out));
        QVERIFY(rx >= 0 && tx >= 0);
        QVERIFY(procs >= 1);

        // LXD's own figures, read after: the container is idle now, so they barely moved.
        const QJsonObject st = state(); // lxc query prints the metadata itself
        QVERIFY(!st.isEmpty());
        const double stateCpu = st.value(u"cpu"_s).toObject().value(u"usage"_s).toDouble() / 1e9;
        const double stateMemory = st.value(u"memory"_s).toObject().value(u"usage"_s).toDouble();
        const QJsonObject eth0
            = st.value(u"network"_s).toObject().value(u"eth0"_s).toObject().value(u"counters"_s).toObject();
        qInfo("metrics: cpu %.3f s, memory %.0f, rx %.0f, tx %.0f, procs %d; state API: cpu %.3f s, memory "
              "%.0f, "
              "eth0 rx %.0f tx %.0f, procs %d",
            cpu, memory, rx, tx, procs, stateCpu, stateMemory, eth0.value(u"bytes_received"_s).toDouble(),
            eth0.value(u"bytes_sent"_s).toDouble(), st.value(u"processes"_s).toInt());
        // cpu: metrics count USER_HZ ticks of cpu.stat, the state API nanoseconds of cpuacct.usage.
        QVERIFY2(
            std::abs(cpu - stateCpu) <= std::max(0.15, stateCpu * 0.25), "cpu_seconds disagrees with LXD");
        // memory: MemTotal - MemFree is LXD's memory.usage (cgroup memory.current); a few seconds apart.
        QVERIFY2(std::abs(memory - stateMemory) <= std::max(4.0 * 1024 * 1024, stateMemory * 0.25),
            "memory_bytes disagrees with LXD");
        // network: counters only grow, and the metrics may be a few seconds older.
        QVERIFY(rx <= eth0.value(u"bytes_received"_s).toDouble());
        QVERIFY(tx <= eth0.value(u"bytes_sent"_s).toDouble());
        QVERIFY(std::abs(procs - st.value(u"processes"_s).toInt()) <= 1);

        // Every instance when none is named; plain text with a header line.
        r = runCtl({ u"--config"_s, cfg, u"metrics"_s, u"h1"_s });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.startsWith(u"HOST "_s));
        QVERIFY2(r.out.contains(u"h1 "_s) && r.out.contains(m_container), qPrintable(r.out));

        // A name LXD has no figures for: listed as such, exit 1. Usage errors: exit 2.
        r = runCtl(
            { u"--config"_s, cfg, u"metrics"_s, u"h1"_s, m_container, u"no-such-instance"_s, u"--json"_s });
        QCOMPARE(r.code, 1);
        QVERIFY(!rowOf(r, m_container).isEmpty());
        QVERIFY(rowOf(r, u"no-such-instance"_s).value(u"error"_s).toString().contains(u"no metrics"_s));
        QCOMPARE(runCtl({ u"--config"_s, cfg, u"metrics"_s }).code, 2);
        QCOMPARE(runCtl({ u"--config"_s, cfg, u"metrics"_s, u"nope"_s }).code, 2);
        QCOMPARE(runCtl({ u"--config"_s, cfg, u"metrics"_s, u"h1"_s, u"--bogus"_s }).code, 2);
    }

    void untrustedClientIsRefused()
    {
        // A fresh identity the daemon never trusted, the server certificate pinned: LXD answers
        // 403 with an error envelope, which must be classified, not parsed as metrics.
        const QString cfg = m_dir.filePath(u"untrusted"_s);
        CtlRun r = runCtl({ u"--config"_s, cfg, u"hosts"_s, u"add"_s, u"u1"_s, u"--lxd"_s, m_url,
            u"--accept-certificate"_s, m_sha, u"--offline"_s });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = runCtl({ u"--config"_s, cfg, u"metrics"_s, u"u1"_s, u"--json"_s });
        QCOMPARE(r.code, 1);
        const QJsonArray rows = QJsonDocument::fromJson(r.out.toUtf8()).array();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().toObject().value(u"status"_s).toString(), u"refused-trust"_s);
        QVERIFY2(rows.first().toObject().value(u"error"_s).toString().contains(u"403"_s), qPrintable(r.out));
    }

    void overSsh()
    {
        CANYON_NEED_ENV("CANYON_SSHD_DIR");
        CANYON_NEED_ENV("CANYON_LXD_SOCKET");
        CANYON_NEED_ENV("CANYON_LXD_SOCKET_USER");
        QFile f(testbed::env("CANYON_SSHD_DIR") + u"/targets.txt"_s);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString target = QString::fromLatin1(f.readLine().simplified().split(' ').value(0));
        QVERIFY(target.startsWith(testbed::env("CANYON_LXD_SOCKET_USER") + u'@'));
        const QStringList base = { u"--config"_s, m_dir.filePath(u"ssh"_s), u"--ssh-config"_s, u"none"_s,
            u"--known-hosts"_s, testbed::env("CANYON_SSHD_KNOWN_HOSTS") };
        CtlRun r = runCtl(base
            + QStringList { u"hosts"_s, u"add"_s, u"lxs"_s, u"--lxd-ssh"_s, target, u"--lxd-socket"_s,
                testbed::env("CANYON_LXD_SOCKET"), u"--identity"_s, testbed::env("CANYON_SSHD_KEY") });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = pollMetrics(base + QStringList { u"metrics"_s, u"lxs"_s, m_container, u"--json"_s });
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        const QJsonObject row = rowOf(r, m_container);
        QVERIFY2(row.value(u"cpu_seconds"_s).toDouble() > 0, qPrintable(r.out));
        QVERIFY2(row.value(u"memory_bytes"_s).toDouble() > 0, qPrintable(r.out));
    }
};

QTEST_GUILESS_MAIN(TestLxdMetrics)
#include "tst_lxdmetrics.moc"
