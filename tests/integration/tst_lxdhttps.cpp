// SPDX-License-Identifier: GPL-3.0-or-later
// LxdClient's own HTTPS transport (LxdHttpsTransport, issue 7 / QUALITY.md R5): keep-alive,
// at most six connections, the pin checked before any request byte, too-large answers cut
// off, and real TCP back-pressure: while the client's thread does not read, the server cannot
// write more than the kernel's buffers hold. The server is our own loopback TLS responder on
// its own thread (pinned like a real host): the real LXD daemon cannot be made to send 100 MB.
#include "ProcStats.h"
#include "lxd/LxdClient.h"
#include "lxd/LxdClientCertificate.h"
#include "lxd/LxdJson.h"

#include <QAtomicInteger>
#include <QElapsedTimer>
#include <QFile>
#include <QSslServer>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <QUrlQuery>
#include <memory>

using namespace Qt::StringLiterals;
using namespace canyon;

namespace {

using testbed::procStatusKb;
using testbed::resetPeakRss;

constexpr qint64 MiB = 1024 * 1024;

// what a streamed answer starts with: its metadata is a string of "x" up to the closing "}
QByteArray streamPrefix()
{
    return R"({"type":"sync","status":"Success","status_code":200,"metadata":")";
}

// GET /1.0: a small answer. /slow: the same after 300 ms. /big?n=N: a JSON envelope of N bytes
// with Content-Length, written as the socket drains. /endless: without a length, until cut.
// /huge-announced: Content-Length 100 MB, then the same.
class Server : public QObject
{
public:
    QAtomicInteger<int> accepted = 0;
    QAtomicInteger<int> open = 0;
    QAtomicInteger<int> maxOpen = 0;
    QAtomicInteger<qint64> requestBytes = 0;
    QAtomicInteger<qint64> sent = 0;
    QAtomicInteger<int> closed = 0;

    bool listen(const LxdClientCertificate &id)
    {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.setLocalCertificate(id.certificate);
        ssl.setPrivateKey(id.key);
        ssl.setPeerVerifyMode(QSslSocket::VerifyNone);
        m_server->setSslConfiguration(ssl);
        connect(m_server, &QSslServer::pendingConnectionAvailable, this, [this] {
            while (QTcpSocket *s = m_server->nextPendingConnection())
                serve(static_cast<QSslSocket *>(s));
        });
        return m_server->listen(QHostAddress::LocalHost, 0);
    }
    quint16 port() const { return m_server->serverPort(); }

private:
    void serve(QSslSocket *s)
    {
        accepted.fetchAndAddRelaxed(1);
        const int now = open.fetchAndAddRelaxed(1) + 1;
        for (int m = maxOpen.loadRelaxed(); now > m && !maxOpen.testAndSetRelaxed(m, now);)
            m = maxOpen.loadRelaxed();
        connect(s, &QSslSocket::disconnected, s, [this, s] {
            open.fetchAndAddRelaxed(-1);
            closed.fetchAndAddRelaxed(1);
            s->deleteLater();
        });
        auto buffer = std::make_shared<QByteArray>();
        connect(s, &QSslSocket::readyRead, s, [this, s, buffer] {
            const QByteArray in = s->readAll();
            requestBytes.fetchAndAddRelaxed(in.size());
            *buffer += in;
            qsizetype end;
            while ((end = buffer->indexOf("\r\n\r\n")) >= 0) {
                const QByteArray head = buffer->left(end);
                buffer->remove(0, end + 4);
                answer(s, head.left(head.indexOf("\r\n")).split(' ').value(1));
            }
        });
    }
    static QByteArray small()
    {
        return R"({"type":"sync","status":"Success","status_code":200,"metadata":{"api_version":"1.0"}})";
    }
    static void reply(QSslSocket *s, const QByteArray &body)
    {
        s->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    }
    void answer(QSslSocket *s, const QByteArray &target)
    {
        const QUrl u(QString::fromLatin1("http://x" + target));
        if (u.path() == u"/slow"_s) {
            QTimer::singleShot(300, s, [s] { reply(s, small()); });
        } else if (u.path() == u"/big"_s) {
            stream(s, QUrlQuery(u).queryItemValue(u"n"_s).toLongLong(), true);
        } else if (u.path() == u"/endless"_s) {
            stream(s, 2048 * MiB, false);
        } else if (u.path() == u"/huge-announced"_s) {
            stream(s, 100 * MiB, true);
        } else {
            reply(s, small());
        }
    }
    // {"type":"sync",...,"metadata":"xxxx...x"} of total bytes, never buffered whole here
    void stream(QSslSocket *s, qint64 total, bool announce)
    {
        const QByteArray prefix = streamPrefix();
        s->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + (announce ? "Content-Length: " + QByteArray::number(total) + "\r\n\r\n"
                        : QByteArray("Connection: close\r\n\r\n"))
            + prefix);
        auto left = std::make_shared<qint64>(total - prefix.size() - 2); // the closing "}
        auto pump = [this, s, left] {
            static const QByteArray chunk(MiB, 'x');
            while (*left > 0 && s->state() == QAbstractSocket::ConnectedState
                && s->bytesToWrite() + s->encryptedBytesToWrite() < 2 * MiB) {
                const qint64 n = std::min<qint64>(*left, chunk.size());
                s->write(chunk.constData(), n);
                *left -= n;
                sent.fetchAndAddRelaxed(n);
            }
            if (*left == 0) {
                *left = -1;
                s->write("\"}");
            }
        };
        connect(s, &QSslSocket::encryptedBytesWritten, s, pump);
        pump();
    }

    QSslServer *m_server = new QSslServer(this);
};

class ServerThread
{
public:
    explicit ServerThread(const LxdClientCertificate &id)
    {
        m_server = new Server;
        m_server->moveToThread(&m_thread);
        m_thread.start();
        QMetaObject::invokeMethod(
            m_server, [&] { m_listening = m_server->listen(id); }, Qt::BlockingQueuedConnection);
    }
    ~ServerThread()
    {
        QMetaObject::invokeMethod(
            m_server, [this] { delete m_server; }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
    bool listening() const { return m_listening; }
    Server *operator->() const { return m_server; }
    QUrl url() const { return QUrl(u"https://127.0.0.1:%1"_s.arg(m_server->port())); }

private:
    QThread m_thread;
    Server *m_server = nullptr;
    bool m_listening = false;
};

struct Outcome
{
    bool done = false;
    LxdResult result;
    QJsonObject envelope;
};

std::shared_ptr<Outcome> get(LxdClient &client, const QString &path)
{
    auto o = std::make_shared<Outcome>();
    client.request("GET", path, {}, [o](const LxdResult &r, const QJsonObject &env) {
        QVERIFY(!o->done); // exactly once
        o->done = true;
        o->result = r;
        o->envelope = env;
    });
    return o;
}

} // namespace

class TestLxdHttps : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(
            LxdClientCertificate::ensure(m_dir.filePath(u"server"_s), &m_server, &error), qPrintable(error));
        QVERIFY2(
            LxdClientCertificate::ensure(m_dir.filePath(u"client"_s), &m_client, &error), qPrintable(error));
        m_sha = certificateSha256(m_server.certificate);
    }

    void keepAliveReusesOneConnection()
    {
        ServerThread server(m_server);
        QVERIFY(server.listening());
        LxdClient client(server.url(), m_sha, m_client);
        for (int i = 0; i < 5; ++i) {
            const auto o = get(client, u"/1.0"_s);
            QTRY_VERIFY_WITH_TIMEOUT(o->done, 10000);
            QVERIFY2(o->result.ok(), qPrintable(o->result.error));
            QCOMPARE(o->result.serverSha256, m_sha);
            QCOMPARE(
                o->envelope.value(u"metadata"_s).toObject().value(u"api_version"_s).toString(), u"1.0"_s);
        }
        QCOMPARE(server->accepted.loadRelaxed(), 1);
    }

    void atMostSixConnectionsTheRestQueue()
    {
        ServerThread server(m_server);
        QVERIFY(server.listening());
        LxdClient client(server.url(), m_sha, m_client);
        QList<std::shared_ptr<Outcome>> all;
        for (int i = 0; i < 14; ++i)
            all << get(client, u"/slow"_s);
        const auto allDone
            = [&] { return std::all_of(all.cbegin(), all.cend(), [](const auto &o) { return o->done; }); };
        QTRY_VERIFY_WITH_TIMEOUT(allDone(), 20000);
        for (const auto &o : std::as_const(all))
            QVERIFY2(o->result.ok(), qPrintable(o->result.error));
        QCOMPARE(server->maxOpen.loadRelaxed(), LxdHttpsTransport::MaxConnections);
        QCOMPARE(server->accepted.loadRelaxed(), LxdHttpsTransport::MaxConnections); // all reused
    }

    void wrongPinSendsNoByte()
    {
        ServerThread server(m_server);
        QVERIFY(server.listening());
        for (const QString &pin : { QString(), QString(64, u'a') }) {
            LxdClient client(server.url(), pin, m_client);
            const auto o = get(client, u"/1.0"_s);
            QTRY_VERIFY_WITH_TIMEOUT(o->done, 10000);
            QCOMPARE(o->result.kind, LxdResultKind::RefusedTrust);
            QCOMPARE(o->result.certificateNotPinned, pin.isEmpty());
            QCOMPARE(o->result.certificateMismatch, !pin.isEmpty());
            QCOMPARE(o->result.serverSha256, m_sha);
        }
        // the handshakes took place (serverSha256 above), and not one request byte followed
        QCOMPARE(server->requestBytes.loadRelaxed(), 0);
    }

    void tooLargeIsCutOff_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addRow("announced") << u"/huge-announced"_s;
        QTest::addRow("streamed") << u"/endless"_s;
    }
    void tooLargeIsCutOff()
    {
        QFETCH(QString, path);
        ServerThread server(m_server);
        QVERIFY(server.listening());
        LxdClient client(server.url(), m_sha, m_client);
        const qint64 rssBefore = procStatusKb("VmRSS");
        QVERIFY(resetPeakRss());
        const auto o = get(client, path);
        QTRY_VERIFY_WITH_TIMEOUT(o->done, 60000);
        const qint64 growthKb = procStatusKb("VmHWM") - rssBefore;
        QCOMPARE(o->result.kind, LxdResultKind::Failed);
        QVERIFY2(o->result.error.contains(u"too large"_s), qPrintable(o->result.error));
        QTRY_COMPARE_WITH_TIMEOUT(server->closed.loadRelaxed(), 1, 5000); // the connection is closed
        const qint64 sent = server->sent.loadRelaxed();
        qInfo("%s: %lld bytes written by the server, peak RSS +%lld MiB (client and server)",
            qPrintable(path), sent, growthKb / 1024);
        // the answer up to the cap, once; plus the server's and the kernel's buffers
        QVERIFY2(growthKb < 96 * 1024, qPrintable(u"%1 MiB"_s.arg(growthKb / 1024)));
        QVERIFY(testbed::kernelTcpBuffersMaxBytes() > 0);
        if (path == u"/huge-announced"_s)
            QVERIFY2(sent <= testbed::kernelTcpBuffersMaxBytes() + 4 * MiB,
                qPrintable(QString::number(sent))); // never read: only the kernel's buffers
        else
            QVERIFY2(sent <= kMaxLxdBodyBytes + testbed::kernelTcpBuffersMaxBytes() + 4 * MiB,
                qPrintable(QString::number(sent))); // what was read up to the cut + the buffers
        // and the client still works, on a new connection
        const auto again = get(client, u"/1.0"_s);
        QTRY_VERIFY_WITH_TIMEOUT(again->done, 10000);
        QVERIFY2(again->result.ok(), qPrintable(again->result.error));
    }

    // The defect QNetworkAccessManager had: its HTTP thread read everything while the client's
    // thread was busy. Here nothing is read while this thread does not run its event loop.
    void backPressureWhileTheThreadIsBusy()
    {
        ServerThread server(m_server);
        QVERIFY(server.listening());
        LxdClient client(server.url(), m_sha, m_client);
        const qint64 size = 48 * MiB;
        const auto o = get(client, u"/big?n=%1"_s.arg(size));
        QTRY_VERIFY_WITH_TIMEOUT(server->sent.loadRelaxed() > 0, 10000);
        // busy: no event loop, nothing read. (What was written before this point the client may
        // have read while QTRY ran the event loop: only what comes after counts.)
        const qint64 before = server->sent.loadRelaxed();
        QThread::msleep(750);
        const qint64 mid = server->sent.loadRelaxed();
        QThread::msleep(750);
        const qint64 after = server->sent.loadRelaxed();
        qInfo("written by the server while the client did not read: %lld bytes in the first 0.75 s, "
              "%lld in the next (of %lld)",
            mid - before, after - mid, size);
        // the buffers on the way fill, then the server stalls
        QVERIFY2(after - before < 24 * MiB, qPrintable(QString::number(after - before)));
        QVERIFY2(after - mid < MiB, qPrintable(QString::number(after - mid)));
        QTRY_VERIFY_WITH_TIMEOUT(o->done, 60000);
        QVERIFY2(o->result.ok(), qPrintable(o->result.error));
        QCOMPARE(o->envelope.value(u"metadata"_s).toString().size(), size - streamPrefix().size() - 2);
    }

    void cancelClosesTheConnection()
    {
        ServerThread server(m_server);
        QVERIFY(server.listening());
        LxdClient client(server.url(), m_sha, m_client);
        auto o = std::make_shared<Outcome>();
        const quint64 id
            = client.request("GET", u"/slow"_s, {}, [o](const LxdResult &r, const QJsonObject &) {
                  o->done = true;
                  o->result = r;
              });
        QTRY_COMPARE_WITH_TIMEOUT(server->requestBytes.loadRelaxed() > 0, true, 10000);
        client.cancel(id);
        QVERIFY(o->done);
        QCOMPARE(o->result.kind, LxdResultKind::Cancelled);
        QTRY_COMPARE_WITH_TIMEOUT(server->closed.loadRelaxed(), 1, 5000);
    }

private:
    QTemporaryDir m_dir;
    LxdClientCertificate m_server;
    LxdClientCertificate m_client;
    QString m_sha;
};

QTEST_GUILESS_MAIN(TestLxdHttps)
#include "tst_lxdhttps.moc"
