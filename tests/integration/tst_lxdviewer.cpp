// SPDX-License-Identifier: GPL-3.0-or-later
// An instance's configuration and log files from the testbed's REAL LXD 5.0.2 daemon
// (tests/testbed/up.sh): the YAML of the expanded config reads back as what `lxc config show
// --expanded` says, the log list is the daemon's log directory, a log file streams in pieces
// byte for byte, pausing holds the stream, cancelling and bad names are reported.
#include "TestbedEnv.h"
#include "domain/Yaml.h"
#include "lxd/LxdClient.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace canyon;
using namespace Qt::StringLiterals;

namespace {

QString lxc(const QStringList &args, int *exitCode = nullptr)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"LXD_DIR"_s, testbed::env("CANYON_LXD_DIR"));
    p.setProcessEnvironment(env);
    p.start(u"lxc"_s, args);
    p.closeWriteChannel();
    const bool finished = p.waitForFinished(60000);
    if (exitCode)
        *exitCode = finished && p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return QString::fromUtf8(p.readAllStandardOutput());
}

// Both YAML texts through PyYAML: the same data, or the difference.
QString sameYaml(const QString &a, const QString &b)
{
    QProcess p;
    p.start(u"python3"_s, { u"-c"_s, uR"(import sys, yaml
a, b = sys.stdin.buffer.read().decode('utf-8').split('\0', 1)
A = yaml.safe_load(a); B = yaml.safe_load(b)
if A != B:
    print('ours:', A); print('lxc: ', B); sys.exit(1)
)"_s });
    if (!p.waitForStarted())
        return u"python3 did not start"_s;
    p.write(a.toUtf8() + '\0' + b.toUtf8());
    p.closeWriteChannel();
    p.waitForFinished(30000);
    if (p.exitCode() == 0)
        return {};
    return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
}

struct Streamed
{
    QByteArray bytes;
    int chunks = 0;
    LxdResult result;
    bool done = false;
};

} // namespace

class TestLxdViewer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void configIsLxcConfigShowExpanded();
    void logListIsTheLogDirectory();
    void logFileStreamsByteForByte();
    void bigLogStreamsInPiecesAndPauses();
    void cancelStopsTheStream();
    void missingAndBadNames();
    void cleanupTestCase();

private:
    std::unique_ptr<LxdClient> m_client;
    QTemporaryDir m_dir;
    QString m_container;
    QString m_logDir;

    Streamed stream(const QString &file, const std::function<void(quint64, Streamed &)> &onChunk = {})
    {
        Streamed s;
        quint64 id = 0;
        id = m_client->streamInstanceLog(
            m_container, file,
            [&](const QByteArray &b) {
                s.bytes += b;
                ++s.chunks;
                if (onChunk)
                    onChunk(id, s);
            },
            [&](const LxdResult &r) {
                s.result = r;
                s.done = true;
            });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(s.done, 120000); }();
        return s;
    }
};

void TestLxdViewer::initTestCase()
{
    CANYON_NEED_ENV("CANYON_LXD_HTTPS");
    CANYON_NEED_ENV("CANYON_LXD_DIR");
    CANYON_NEED_ENV("CANYON_LXD_IMAGE");
    CANYON_NEED_ENV("CANYON_LXD_TRUST_PASSWORD");
    QVERIFY(m_dir.isValid());
    const auto certs = QSslCertificate::fromPath(testbed::env("CANYON_LXD_DIR") + u"/server.crt"_s);
    QCOMPARE(certs.size(), 1);
    LxdClientCertificate identity;
    QString error;
    QVERIFY2(LxdClientCertificate::ensure(m_dir.path(), &identity, &error), qPrintable(error));
    m_client = std::make_unique<LxdClient>(
        QUrl(u"https://"_s + testbed::env("CANYON_LXD_HTTPS")), certificateSha256(certs.first()), identity);
    bool trusted = false;
    LxdResult tr;
    m_client->trust(testbed::env("CANYON_LXD_TRUST_PASSWORD"), [&](const LxdResult &r) {
        tr = r;
        trusted = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(trusted, 20000);
    QVERIFY2(tr.ok(), qPrintable(tr.error));

    // a started busybox container has lxc.log and lxc.conf
    m_container = u"canyon-viewer-%1"_s.arg(QCoreApplication::applicationPid());
    int rc = -1;
    lxc({ u"launch"_s, testbed::env("CANYON_LXD_IMAGE"), m_container, u"-c"_s, u"user.canyon.note=a: b #c"_s,
            u"-c"_s, u"user.canyon.version=1.35"_s },
        &rc);
    QCOMPARE(rc, 0);
    m_logDir = testbed::env("CANYON_LXD_DIR") + u"/logs/"_s + m_container;
    QVERIFY(QFileInfo(m_logDir + u"/lxc.log"_s).isFile());
}

void TestLxdViewer::cleanupTestCase()
{
    if (!m_container.isEmpty())
        lxc({ u"delete"_s, u"--force"_s, m_container });
}

void TestLxdViewer::configIsLxcConfigShowExpanded()
{
    bool arrived = false;
    LxdResult result;
    QJsonObject instance;
    m_client->fetchInstanceJson(m_container, [&](const LxdResult &r, const QJsonObject &o) {
        result = r;
        instance = o;
        arrived = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(arrived, 20000);
    QVERIFY2(result.ok(), qPrintable(result.error));
    const QString ours = lxdInstanceConfigYaml(instance);
    QVERIFY2(ours.contains(u"\n  user.canyon.note: 'a: b #c'\n"_s), qPrintable(ours));
    QVERIFY2(ours.contains(u"\n  user.canyon.version: '1.35'\n"_s), qPrintable(ours));
    QVERIFY(ours.contains(u"\ndevices:\n"_s));
    int rc = -1;
    const QString theirs = lxc({ u"config"_s, u"show"_s, u"--expanded"_s, m_container }, &rc);
    QCOMPARE(rc, 0);
    if (QStandardPaths::findExecutable(u"python3"_s).isEmpty())
        QSKIP("python3 (with PyYAML) is needed to compare with lxc's YAML");
    const QString diff = sameYaml(ours, theirs);
    QVERIFY2(diff.isEmpty(), qPrintable(diff + u"\n--- ours ---\n"_s + ours + u"\n--- lxc ---\n"_s + theirs));
}

void TestLxdViewer::logListIsTheLogDirectory()
{
    QFile marker(m_logDir + u"/exec_canyon-list.stdout"_s);
    QVERIFY(marker.open(QIODevice::WriteOnly));
    marker.write("listed\n");
    marker.close();
    bool arrived = false;
    LxdResult result;
    QStringList files;
    m_client->fetchInstanceLogs(m_container, [&](const LxdResult &r, const QStringList &f) {
        result = r;
        files = f;
        arrived = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(arrived, 20000);
    QVERIFY2(result.ok(), qPrintable(result.error));
    QVERIFY2(files.contains(u"lxc.log"_s) && files.contains(u"lxc.conf"_s)
            && files.contains(u"exec_canyon-list.stdout"_s),
        qPrintable(files.join(u", "_s)));
    // every listed file is in the daemon's log directory
    const QStringList onDisk = QDir(m_logDir).entryList(QDir::Files);
    for (const QString &f : std::as_const(files))
        QVERIFY2(onDisk.contains(f), qPrintable(f));
}

void TestLxdViewer::logFileStreamsByteForByte()
{
    // lxc.conf does not change while the container runs: byte for byte
    QFile conf(m_logDir + u"/lxc.conf"_s);
    QVERIFY(conf.open(QIODevice::ReadOnly));
    const QByteArray confOnDisk = conf.readAll();
    QVERIFY(!confOnDisk.isEmpty());
    const Streamed s = stream(u"lxc.conf"_s);
    QVERIFY2(s.result.ok(), qPrintable(s.result.error));
    QCOMPARE(s.result.httpStatus, 200);
    QCOMPARE(s.bytes, confOnDisk);
    // lxc.log may grow meanwhile: what was on disk before comes first
    QFile log(m_logDir + u"/lxc.log"_s);
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QByteArray logOnDisk = log.readAll();
    const Streamed l = stream(u"lxc.log"_s);
    QVERIFY2(l.result.ok(), qPrintable(l.result.error));
    QVERIFY(!logOnDisk.isEmpty());
    QVERIFY(l.bytes.startsWith(logOnDisk));
}

void TestLxdViewer::bigLogStreamsInPiecesAndPauses()
{
    // 8 MB through the real daemon: it comes in many chunks, and a pause holds it
    QFile big(m_logDir + u"/exec_canyon-big.stdout"_s);
    QVERIFY(big.open(QIODevice::WriteOnly));
    QCryptographicHash sha(QCryptographicHash::Sha256);
    for (int i = 0; i < 80000; ++i) {
        const QByteArray line
            = QByteArray::number(i).rightJustified(8, '0') + ' ' + QByteArray(90, 'x') + '\n';
        big.write(line);
        sha.addData(line);
    }
    big.close();
    const QByteArray want = sha.result();

    bool paused = false;
    int chunksWhilePaused = -1;
    const Streamed s = stream(u"exec_canyon-big.stdout"_s, [&](quint64 id, Streamed &st) {
        if (paused || st.chunks != 2)
            return;
        paused = true;
        m_client->setStreamPaused(id, true);
        const int at = st.chunks;
        QTimer::singleShot(700, m_client.get(), [&, id, at] {
            chunksWhilePaused = st.chunks - at;
            m_client->setStreamPaused(id, false);
        });
    });
    QVERIFY2(s.result.ok(), qPrintable(s.result.error));
    QCOMPARE(s.bytes.size(), qsizetype(80000 * 100));
    QCOMPARE(QCryptographicHash::hash(s.bytes, QCryptographicHash::Sha256), want);
    QVERIFY2(s.chunks > 4, qPrintable(u"%1 chunks"_s.arg(s.chunks))); // streamed, not one piece
    QVERIFY(paused);
    QCOMPARE(chunksWhilePaused, 0);
    qInfo("8 MB in %d chunks", s.chunks);
}

void TestLxdViewer::cancelStopsTheStream()
{
    QFile big(m_logDir + u"/exec_canyon-cancel.stdout"_s);
    QVERIFY(big.open(QIODevice::WriteOnly));
    for (int i = 0; i < 200; ++i)
        big.write(QByteArray(100 * 1024, 'c'));
    big.close();
    const Streamed s = stream(u"exec_canyon-cancel.stdout"_s, [&](quint64 id, Streamed &st) {
        if (st.chunks == 1)
            m_client->cancelStream(id);
    });
    QCOMPARE(s.result.kind, LxdResultKind::Cancelled);
    QVERIFY(s.bytes.size() < 200 * 100 * 1024);
}

void TestLxdViewer::missingAndBadNames()
{
    // a name LXD would serve, but no such file: LXD 5.0.2 answers 500 "open PATH: no such file"
    const Streamed missing = stream(u"exec_canyon-none.stdout"_s);
    QCOMPARE(missing.result.kind, LxdResultKind::Failed);
    QVERIFY2(missing.result.lxdErrorCode >= 400, qPrintable(missing.result.error));
    QVERIFY2(missing.result.error.contains(u"no such file"_s), qPrintable(missing.result.error));
    QVERIFY(missing.bytes.isEmpty());
    // a path is refused before anything is sent
    const Streamed bad = stream(u"../../server.key"_s);
    QCOMPARE(bad.result.kind, LxdResultKind::Failed);
    QVERIFY(bad.bytes.isEmpty());
    QVERIFY(!LxdClient::isValidLogFileName(u".."_s));
    QVERIFY(!LxdClient::isValidLogFileName(u"a/b"_s));
    QVERIFY(!LxdClient::isValidLogFileName(QString()));
    QVERIFY(LxdClient::isValidLogFileName(u"exec_99faf89f-4941-48d1-865d-9f3ae25c2f99.stderr"_s));
    // an instance that does not exist
    bool arrived = false;
    LxdResult result;
    m_client->fetchInstanceLogs(u"canyon-no-such-instance"_s, [&](const LxdResult &r, const QStringList &) {
        result = r;
        arrived = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(arrived, 20000);
    QCOMPARE(result.kind, LxdResultKind::Failed);
    QCOMPARE(result.lxdErrorCode, 404);
}

QTEST_GUILESS_MAIN(TestLxdViewer)
#include "tst_lxdviewer.moc"
