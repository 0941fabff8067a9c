// SPDX-License-Identifier: GPL-3.0-or-later
// Hostile remote data in the GUI (issue 7, QUALITY.md R5), through the real code path only:
// devices are our simulator (canyon-fleetsim serve --hostile-share, --hostile-list-rows) reached
// over SSH by FleetService; LXD hosts are loopback TLS responders (self-signed certificate made
// here, pinned like a real host) reached by LxdClient. The main window is shown offscreen and
// renders while the data arrives. Measured: every visible text (item DisplayRole and ToolTipRole,
// tooltips as QToolTip shows them, labels, buttons, combo boxes, tabs, the window title, the
// status bar, the details widgets, the viewer) is plain text with control characters made
// visible; HTML is never interpreted; RSS growth with a 100 MB LXD body and a > 16 MiB `snap
// list` stays bounded; the GUI thread (5 ms heartbeat) never stalls over 100 ms.
#include "ConfigLogsWidget.h"
#include "InstancesView.h"
#include "MainWindow.h"
#include "ProcStats.h"
#include "SimServer.h"
#include "SimulatorProcess.h"
#include "TextViewer.h"
#include "domain/PlainText.h"
#include "fleet/Config.h"
#include "fleet/FleetService.h"
#include "item/FleetTreeModel.h"
#include "item/InstancesTableModel.h"
#include "item/SnapsTableModel.h"
#include "lxd/LxdClientCertificate.h"
#include "lxd/LxdService.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QHelpEvent>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>
#include <QTextEdit>
#include <QThread>
#include <QTimer>
#include <QToolTip>
#include <QTreeView>
#include <algorithm>
#include <ctime>
#include <memory>

using namespace Qt::StringLiterals;
using namespace canyon;

namespace {

using testbed::procStatusKb;
using testbed::resetPeakRss;

constexpr qint64 MiB = 1024 * 1024;
constexpr qint64 HugeBytes = 100 * MiB;
constexpr double MaxStallMs = 100;

// ---- measurements --------------------------------------------------------------------------

double threadCpuMs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

// GUI-thread heartbeat: a 5 ms timer and the gaps between its ticks (wall clock), with the GUI
// thread's own CPU time in each gap: a stall is the event loop busy, not the shared 2-core
// machine running someone else.
class Heartbeat
{
public:
    Heartbeat()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] {
            const double wall = double(m_clock.nsecsElapsed()) / 1e6;
            m_clock.restart();
            const double cpu = threadCpuMs();
            m_gaps << wall;
            m_maxBusy = std::max(m_maxBusy, cpu - m_lastCpu);
            m_lastCpu = cpu;
        });
        m_clock.start();
        m_lastCpu = threadCpuMs();
        m_timer.start(5);
    }
    double maxGap() const { return m_gaps.isEmpty() ? 0 : *std::max_element(m_gaps.cbegin(), m_gaps.cend()); }
    double maxBusy() const { return m_maxBusy; }
    double p99() const
    {
        QList<double> g = m_gaps;
        std::sort(g.begin(), g.end());
        return g.isEmpty() ? 0 : g.at(qsizetype(double(g.size() - 1) * 0.99));
    }
    qsizetype ticks() const { return m_gaps.size(); }
    QString summary() const
    {
        return u"%1 ticks, max gap %2 ms (GUI thread busy %3 ms), p99 %4 ms"_s.arg(ticks())
            .arg(maxGap(), 0, 'f', 1)
            .arg(maxBusy(), 0, 'f', 1)
            .arg(p99(), 0, 'f', 1);
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    QList<double> m_gaps;
    double m_lastCpu = 0;
    double m_maxBusy = 0;
};

// ---- what "plain text" means, checked -------------------------------------------------------

// The first character that must never reach the screen raw: C0/C1 controls (newline allowed
// where the widget shows lines), DEL, bidi embeddings/overrides/isolates, zero-width marks.
qsizetype firstRawControl(const QString &s, bool newlines)
{
    for (qsizetype i = 0; i < s.size(); ++i) {
        const char16_t c = s.at(i).unicode();
        if (c == u'\n' && newlines)
            continue;
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || (c >= 0x200B && c <= 0x200F)
            || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF || c == 0x061C
            || c == 0xFFFC)
            return i;
    }
    return -1;
}

// Markup the hostile catalogues carry: if a text holding one of these is taken for rich text,
// the remote side paints.
bool hasRawMarkup(const QString &s)
{
    for (const QString &tag : { u"<b>"_s, u"<img"_s, u"<i>"_s, u"<script"_s, u"<a "_s })
        if (s.contains(tag, Qt::CaseInsensitive))
            return true;
    return false;
}

// What a QLabel (QToolTip is one) shows for text in format.
QString rendered(const QString &text, Qt::TextFormat format)
{
    const bool rich = format == Qt::RichText || (format == Qt::AutoText && Qt::mightBeRichText(text));
    if (!rich)
        return text;
    QTextDocument doc;
    doc.setHtml(text);
    return doc.toPlainText();
}

struct Findings
{
    QStringList problems;
    int texts = 0;
    bool sawEscapedEsc = false; // "\x1b" made visible somewhere
    bool sawEscapedRtl = false; // "\u202e"
    bool sawMarkupLiterally = false; // "<b>" or "<img" shown as text

    void check(const QString &where, const QString &shown, bool newlines)
    {
        ++texts;
        const qsizetype bad = firstRawControl(shown, newlines);
        if (bad >= 0)
            problems << u"%1: raw U+%2 at %3 in \"%4\""_s.arg(where)
                            .arg(uint(shown.at(bad).unicode()), 4, 16, QLatin1Char('0'))
                            .arg(bad)
                            .arg(visibleText(shown, 160));
        sawEscapedEsc = sawEscapedEsc || shown.contains(u"\\x1b"_s);
        sawEscapedRtl = sawEscapedRtl || shown.contains(u"\\u202e"_s);
        sawMarkupLiterally = sawMarkupLiterally || hasRawMarkup(shown);
    }
    // A text a QLabel-like widget shows in format: what the user sees must be the text itself.
    void checkLabel(const QString &where, const QString &text, Qt::TextFormat format)
    {
        if (text.isEmpty())
            return;
        const QString shown = rendered(text, format);
        if (hasRawMarkup(text) && shown != text)
            problems << u"%1: markup interpreted (format %2): \"%3\""_s.arg(where)
                            .arg(int(format))
                            .arg(visibleText(text, 160));
        check(where, shown, true);
    }
    // Tooltips go through QToolTip, which guesses rich text: escaped on purpose ("<qt>&lt;...")
    // is fine, raw remote markup is not.
    void checkToolTip(const QString &where, const QString &tip) { checkLabel(where, tip, Qt::AutoText); }
};

QString nameOf(const QObject *o)
{
    return QString::fromLatin1(o->metaObject()->className()) + u'#' + o->objectName();
}

// Every text a window shows, except item views (checkModel) and the viewer's document.
void checkWidgets(QWidget *top, Findings &f)
{
    f.checkLabel(u"window title"_s, top->windowTitle(), Qt::PlainText);
    QList<QWidget *> widgets = top->findChildren<QWidget *>();
    widgets.prepend(top);
    for (QWidget *w : std::as_const(widgets)) {
        const QString where = nameOf(w);
        if (!w->toolTip().isEmpty())
            f.checkToolTip(where + u" tooltip"_s, w->toolTip());
        if (auto *l = qobject_cast<QLabel *>(w))
            f.checkLabel(where, l->text(), l->textFormat());
        else if (auto *b = qobject_cast<QAbstractButton *>(w))
            f.check(where, b->text(), false);
        else if (auto *c = qobject_cast<QComboBox *>(w))
            for (int i = 0; i < c->count(); ++i)
                f.check(where + u" item"_s, c->itemText(i), false);
        else if (auto *t = qobject_cast<QTabBar *>(w))
            for (int i = 0; i < t->count(); ++i) {
                f.check(where + u" tab"_s, t->tabText(i), false);
                f.checkToolTip(where + u" tab tooltip"_s, t->tabToolTip(i));
            }
        else if (auto *e = qobject_cast<QLineEdit *>(w))
            f.check(where, e->text(), false);
        else if (auto *s = qobject_cast<QStatusBar *>(w))
            f.check(where + u" message"_s, s->currentMessage(), false);
        else if (auto *p = qobject_cast<QPlainTextEdit *>(w))
            f.check(where, p->toPlainText(), true);
        else if (auto *te = qobject_cast<QTextEdit *>(w))
            f.check(where, te->toPlainText(), true);
    }
    for (QAction *a : top->findChildren<QAction *>()) {
        f.check(nameOf(a) + u" text"_s, a->text().remove(u'&'), false);
        f.checkToolTip(nameOf(a) + u" tooltip"_s, a->toolTip());
        f.check(nameOf(a) + u" status tip"_s, a->statusTip(), false);
    }
}

// Every DisplayRole and ToolTipRole of a model (as the delegate paints it: plain), all levels.
void checkModel(
    const QAbstractItemModel *m, const QString &where, Findings &f, const QModelIndex &parent = {})
{
    for (int r = 0; r < m->rowCount(parent); ++r) {
        for (int c = 0; c < m->columnCount(parent); ++c) {
            const QModelIndex i = m->index(r, c, parent);
            f.check(where, i.data(Qt::DisplayRole).toString(), false);
            f.check(where + u" tooltip role"_s, i.data(Qt::ToolTipRole).toString(), true);
        }
        if (m->hasChildren(m->index(r, 0, parent)))
            checkModel(m, where, f, m->index(r, 0, parent));
    }
}

// The tooltip QToolTip really shows for an index (through the view's delegate).
QString shownToolTip(QAbstractItemView *view, const QModelIndex &index)
{
    view->scrollTo(index);
    const QRect rect = view->visualRect(index);
    if (!rect.isValid())
        return {};
    QToolTip::hideText();
    QHelpEvent ev(QEvent::ToolTip, rect.center(), view->viewport()->mapToGlobal(rect.center()));
    QApplication::sendEvent(view->viewport(), &ev);
    return QToolTip::text();
}

void checkShownToolTips(QAbstractItemView *view, const QString &where, Findings &f, int rows)
{
    QAbstractItemModel *m = view->model();
    int checked = 0;
    for (int r = 0; r < m->rowCount() && checked < rows; ++r) {
        const QModelIndex i = m->index(r, 0);
        if (i.data(Qt::ToolTipRole).toString().isEmpty())
            continue;
        const QString tip = shownToolTip(view, i);
        if (tip.isEmpty()) {
            f.problems << where + u": no tooltip shown for row %1"_s.arg(r);
            continue;
        }
        f.checkToolTip(where + u" shown tooltip"_s, tip);
        // what the user reads is exactly the model's plain text
        if (rendered(tip, Qt::AutoText) != i.data(Qt::ToolTipRole).toString())
            f.problems << where
                    + u": tooltip shown differs from its text: \"%1\""_s.arg(visibleText(tip, 160));
        ++checked;
    }
    QToolTip::hideText();
}

// Runs the event loop until pred() or timeoutMs; returns pred(). Not QTest::qWait/QTRY_*: they
// sleep between event rounds, and the heartbeat would count those sleeps as stalls.
template<class Pred> bool spinUntil(Pred pred, int timeoutMs)
{
    if (pred())
        return true;
    QElapsedTimer t;
    t.start();
    QEventLoop loop;
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
        if (pred() || t.elapsed() >= timeoutMs)
            loop.quit();
    });
    tick.start(5);
    loop.exec();
    return pred();
}

void spin(int ms)
{
    spinUntil([] { return false; }, ms);
}

// ---- the LXD responder: loopback TLS, our certificate, served on its own thread ----------------

QByteArray syncEnvelope(const QByteArray &metadata)
{
    return R"({"type":"sync","status":"Success","status_code":200,"operation":"","error_code":0,"error":"","metadata":)"
        + metadata + '}';
}

QJsonObject instanceJson(const QString &name, const QString &decoration)
{
    return QJsonObject { { u"name"_s, name }, { u"type"_s, u"container"_s }, { u"status"_s, u"Running"_s },
        { u"status_code"_s, 103 }, { u"location"_s, u"none"_s }, { u"project"_s, u"default"_s },
        { u"description"_s, decoration }, { u"profiles"_s, QJsonArray { u"default"_s, decoration } },
        { u"config"_s, QJsonObject { { u"image.description"_s, decoration } } },
        { u"created_at"_s, u"2024-05-01T10:00:00.123456789Z"_s } };
}

// The catalogue of QUALITY.md R5 for LXD names (invalid UTF-8 spliced in as bytes below).
QStringList hostileInstanceNames()
{
    return { u"osc\x1b]0;title\x07"_s, u"sgr\x1b[31mred\x1b[0m"_s, u"rtl\u202Egnp.exe"_s,
        QString(u"nul"_s + QChar(0) + u"byte"_s), u"<b>bold</b><img src=x>"_s, QString(10000, u'W'),
        u"INVALIDUTF8"_s };
}

class LxdResponder : public QTcpServer
{
public:
    enum class Mode { Hostile, Huge, HugeAnnounced, Deep };
    LxdResponder(Mode mode, const LxdClientCertificate &id)
        : m_mode(mode)
    {
        m_ssl = QSslConfiguration::defaultConfiguration();
        m_ssl.setLocalCertificate(id.certificate);
        m_ssl.setPrivateKey(id.key);
        m_ssl.setPeerVerifyMode(QSslSocket::VerifyNone);
    }
    qint64 sent() const { return m_sent.loadRelaxed(); }
    qint64 mostInOneAnswer() const { return m_mostInOne.loadRelaxed(); } // of the 100 MB streams
    int lists() const { return m_lists.loadRelaxed(); }

protected:
    void incomingConnection(qintptr fd) override
    {
        auto *s = new QSslSocket(this);
        s->setSslConfiguration(m_ssl);
        if (!s->setSocketDescriptor(fd)) {
            delete s;
            return;
        }
        connect(s, &QSslSocket::disconnected, s, &QObject::deleteLater);
        auto buffer = std::make_shared<QByteArray>();
        connect(s, &QSslSocket::readyRead, s, [this, s, buffer] {
            *buffer += s->readAll();
            qsizetype end;
            while ((end = buffer->indexOf("\r\n\r\n")) >= 0) {
                const QByteArray head = buffer->left(end);
                buffer->remove(0, end + 4);
                answer(s, head.left(head.indexOf("\r\n")).split(' ').value(1));
            }
        });
        s->startServerEncryption();
    }

private:
    static void reply(QSslSocket *s, const QByteArray &body, const QByteArray &status = "200 OK")
    {
        s->write("HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    }
    void answer(QSslSocket *s, const QByteArray &path)
    {
        if (path == "/1.0" || path.startsWith("/1.0?"))
            return reply(s, syncEnvelope(R"({"auth":"trusted","api_extensions":[],"environment":{}})"));
        if (!path.startsWith("/1.0/instances?")) {
            // every other resource (events, state, ...): an LXD error with a hostile message
            const QJsonObject e { { u"type"_s, u"error"_s }, { u"error_code"_s, 404 },
                { u"error"_s, u"not found \x1b]0;pwned\x07 <img src=x> \u202Eevil"_s } };
            return reply(s, QJsonDocument(e).toJson(QJsonDocument::Compact), "404 Not Found");
        }
        m_lists.fetchAndAddRelaxed(1);
        switch (m_mode) {
        case Mode::Hostile: {
            QJsonArray a;
            for (const QString &n : hostileInstanceNames())
                a.append(instanceJson(n, u"<i>it</i>\x1b[2J\u202E"_s));
            QByteArray body = syncEnvelope(QJsonDocument(a).toJson(QJsonDocument::Compact));
            body.replace("INVALIDUTF8", "bad\xff\xfeutf8\xc3\x28");
            return reply(s, body);
        }
        case Mode::Deep:
            return reply(s, syncEnvelope(QByteArray(10000, '[') + QByteArray(10000, ']')));
        case Mode::Huge:
        case Mode::HugeAnnounced:
            return stream(s, m_mode == Mode::HugeAnnounced);
        }
    }
    // 100 MB of an instance list, written as the socket drains (never buffered whole here).
    void stream(QSslSocket *s, bool announce)
    {
        static const QByteArray chunk = [] {
            const QByteArray one
                = QJsonDocument(instanceJson(u"bulk\x1b[31m"_s, u"<b>x</b>"_s)).toJson(QJsonDocument::Compact)
                + ',';
            QByteArray c;
            while (c.size() < MiB)
                c += one;
            return c;
        }();
        s->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + (announce ? "Content-Length: " + QByteArray::number(HugeBytes) + "\r\n\r\n"
                        : QByteArray("Connection: close\r\n\r\n")));
        const QByteArray prefix = R"({"type":"sync","status":"Success","status_code":200,"metadata":[)";
        s->write(prefix);
        auto left = std::make_shared<qint64>(HugeBytes - prefix.size());
        // At most ~1 MiB waits here: this process's peak RSS is the client's measure.
        auto pump = [this, s, left] {
            while (*left > 0 && s->state() == QAbstractSocket::ConnectedState
                && s->bytesToWrite() + s->encryptedBytesToWrite() < MiB) {
                const qint64 n = std::min<qint64>(*left, chunk.size());
                s->write(chunk.constData(), n);
                *left -= n;
                m_sent.fetchAndAddRelaxed(n);
            }
            const qint64 written = HugeBytes - *left; // this answer's bytes so far (with the prefix)
            for (qint64 m = m_mostInOne.loadRelaxed();
                 written > m && !m_mostInOne.testAndSetRelaxed(m, written);)
                m = m_mostInOne.loadRelaxed();
            if (*left == 0)
                s->disconnectFromHost();
        };
        connect(s, &QSslSocket::encryptedBytesWritten, s, pump);
        pump();
    }

    Mode m_mode;
    QSslConfiguration m_ssl;
    QAtomicInteger<qint64> m_sent = 0;
    QAtomicInteger<qint64> m_mostInOne = 0;
    QAtomicInteger<int> m_lists = 0;
};

// The responders live on their own thread: writing 100 MB never runs on the GUI thread measured.
class ResponderThread
{
public:
    ResponderThread() { m_thread.start(); }
    ~ResponderThread()
    {
        QMetaObject::invokeMethod(
            m_context, [this] { m_servers.clear(); }, Qt::BlockingQueuedConnection);
        m_context->deleteLater();
        m_thread.quit();
        m_thread.wait();
    }
    quint16 add(LxdResponder::Mode mode, const LxdClientCertificate &id)
    {
        quint16 port = 0;
        QMetaObject::invokeMethod(
            m_context,
            [&] {
                auto s = std::make_unique<LxdResponder>(mode, id);
                if (s->listen(QHostAddress::LocalHost, 0))
                    port = s->serverPort();
                m_servers.push_back(std::move(s));
            },
            Qt::BlockingQueuedConnection);
        return port;
    }
    qint64 sent(int i) const { return m_servers.at(size_t(i))->sent(); }
    qint64 mostInOneAnswer(int i) const { return m_servers.at(size_t(i))->mostInOneAnswer(); }
    int lists(int i) const { return m_servers.at(size_t(i))->lists(); }

private:
    QThread m_thread;
    QObject *m_context = [this] {
        auto *o = new QObject;
        o->moveToThread(&m_thread);
        return o;
    }();
    std::vector<std::unique_ptr<LxdResponder>> m_servers;
};

QModelIndex proxyIndex(QTreeView *tree, const QModelIndex &source)
{
    auto *proxy = qobject_cast<QSortFilterProxyModel *>(tree->model());
    return proxy ? proxy->mapFromSource(source) : QModelIndex();
}

void select(QTreeView *tree, const QModelIndex &source)
{
    const QModelIndex idx = proxyIndex(tree, source);
    QVERIFY(idx.isValid());
    tree->selectionModel()->setCurrentIndex(
        idx, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void report(const QString &line)
{
    qInfo("%s", qPrintable(line));
}

} // namespace

class TestHostileGui : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void hostileDevicesArePlainText(); // simulator: escapes, markup, 10k names, NUL, bad UTF-8, 20k rows
    void snapListOverTheCap(); // simulator: a `snap list` of more than 16 MiB
    void hostileLxdHosts(); // TLS responders: hostile names, 100 MB bodies, 10k-deep JSON

private:
    std::unique_ptr<FleetService> fleetFor(const QString &configDir, int devices);
    QTemporaryDir m_keys;
    QTemporaryDir m_settings;
    QProcess m_sim;
    int m_port = 0;
};

void TestHostileGui::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_settings.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settings.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());
    QVERIFY(m_keys.isValid());
    QVERIFY(testsupport::makeSimulatorKeys(m_keys.path()));
    QVERIFY2(QFileInfo(QStringLiteral(CANYON_BINARY_DIR "/app/fleetsim/canyon-fleetsim")).isExecutable(),
        "canyon-fleetsim is not built");
}

void TestHostileGui::cleanup()
{
    testsupport::stopSimulator(m_sim);
    QToolTip::hideText();
}

std::unique_ptr<FleetService> TestHostileGui::fleetFor(const QString &configDir, int devices)
{
    if (!testsupport::trustSimulator(m_keys.path(), m_port, configDir + u"/known_hosts"_s))
        return {};
    Config config = Config::fromDirectory(configDir);
    QList<HostConfig> hosts;
    for (int i = 0; i < devices; ++i) {
        HostConfig h;
        h.name = sim::userForDevice(i);
        h.ssh = { h.name, u"127.0.0.1"_s, m_port };
        h.identityFile = m_keys.filePath(u"client"_s);
        h.group = u"hostile"_s;
        hosts << h;
    }
    QString error;
    if (!config.saveHosts(hosts, &error))
        return {};
    auto fleet = std::make_unique<FleetService>(config);
    fleet->setSshConfigFile(u"none"_s);
    fleet->setUserKnownHostsFile(configDir + u"/none"_s);
    fleet->setTimeoutMs(30000);
    if (!fleet->load(&error))
        return {};
    return fleet;
}

void TestHostileGui::hostileDevicesArePlainText()
{
    // every device hostile; their `snap list` parses and carries 1,000 hostile rows besides
    // the catalogue (ANSI/OSC, <b>/<script>, a 10,000-char name, invalid UTF-8, NUL, U+202E)
    constexpr int Rows = 1000; // ~10 MB per device: each row is padded to the 10,000-char name
    m_port = testsupport::startSimulator(m_sim, m_keys.path(),
        { u"--devices"_s, u"3"_s, u"--snappy-share"_s, u"0"_s, u"--hostile-share"_s, u"100"_s,
            u"--hostile-list-rows"_s, QString::number(Rows) });
    QVERIFY(m_port > 0);
    QTemporaryDir cfg;
    auto fleet = fleetFor(cfg.path(), 3);
    QVERIFY(fleet);
    MainWindow w(fleet.get(), MainWindow::Options { false });
    w.resize(1200, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto *tree = w.findChild<QTreeView *>(u"fleetTree"_s);
    auto *table = w.findChild<QTableView *>(u"snapsTable"_s);
    QVERIFY(tree && table);
    QAbstractItemModelTester treeTester(
        w.fleetModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester snapsTester(
        w.snapsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    select(tree, w.fleetModel()->indexForDevice(u"dev0001"_s)); // shown while its data arrives

    const qint64 rssBefore = procStatusKb("VmRSS");
    QVERIFY(resetPeakRss());
    Heartbeat beat;
    w.refreshAll();
    QVERIFY(spinUntil([&] { return !fleet->isRefreshing(); }, 60000));
    QVERIFY(spinUntil([&] { return w.snapsModel()->rowCount() > Rows; }, 5000));
    // paint: every device in turn, the table scrolled through
    for (const QString &dev : { u"dev0000"_s, u"dev0002"_s, u"dev0001"_s }) {
        select(tree, w.fleetModel()->indexForDevice(dev));
        spin(100);
        table->scrollToBottom();
        spin(50);
        table->scrollToTop();
        spin(50);
    }
    const qint64 rssPeak = procStatusKb("VmHWM");
    report(u"devices: "_s + beat.summary());
    report(u"devices: RSS %1 MiB before, peak +%2 MiB"_s.arg(rssBefore / 1024)
               .arg((rssPeak - rssBefore) / 1024));

    for (const QString &dev : { u"dev0000"_s, u"dev0001"_s, u"dev0002"_s }) {
        const DeviceInventory inv = fleet->inventory(dev);
        QVERIFY2(inv.status == DeviceStatus::Ok, qPrintable(dev + u": "_s + inv.error));
        QVERIFY2(inv.snaps.size() > Rows, qPrintable(dev));
    }
    QCOMPARE(w.currentDevice(), u"dev0001"_s);
    const int snaps = w.snapsModel()->rowCount();
    QVERIFY(snaps > Rows);

    Findings f;
    checkModel(w.fleetModel(), u"fleet tree"_s, f);
    checkModel(table->model(), u"snaps table"_s, f);
    // the catalogue's rows, by their visible names
    bool longName = false;
    for (int r = 0; r < snaps; ++r) {
        const QString name = w.snapsModel()->index(r, SnapsTableModel::NameColumn).data().toString();
        longName = longName || name.startsWith(QString(200, u'a'));
        QVERIFY2(name.size() <= 2100, qPrintable(u"%1 chars shown"_s.arg(name.size())));
    }
    QVERIFY(longName);
    checkShownToolTips(tree, u"fleet tree"_s, f, 5);
    // rows with tooltips in the snaps table: the Update column says why; a name's summary
    QVERIFY(
        !w.snapsModel()->index(0, SnapsTableModel::UpdateColumn).data(Qt::ToolTipRole).toString().isEmpty());

    // select hostile snaps: the Update / Roll Back actions name them in their tooltips
    auto *proxy = table->model();
    for (int r = 0; r < proxy->rowCount(); ++r) {
        const QString name = proxy->index(r, SnapsTableModel::NameColumn).data().toString();
        if (name.contains(u"<b>"_s) || name.contains(u"<img"_s)) {
            table->selectionModel()->select(
                proxy->index(r, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            break;
        }
    }
    spin(200); // the actions follow the selection after 50 ms
    auto *update = w.findChild<QAction *>(u"actionUpdate"_s);
    QVERIFY(update);
    QVERIFY2(hasRawMarkup(rendered(update->toolTip(), Qt::AutoText)), qPrintable(update->toolTip()));

    // the viewer: `snap changes` of a hostile device (its hostile change row)
    auto *tabs = w.findChild<QTabWidget *>(u"detailTabs"_s);
    auto *logs = w.findChild<ConfigLogsWidget *>();
    QVERIFY(tabs && logs);
    tabs->setCurrentWidget(logs->parentWidget());
    QSignalSpy fetched(logs, &ConfigLogsWidget::fetched);
    QTest::mouseClick(logs->findChild<QPushButton *>(u"configLogsChanges"_s), Qt::LeftButton);
    QVERIFY(spinUntil([&] { return fetched.size() == 1; }, 20000));
    QVERIFY(spinUntil([&] { return logs->viewer()->pendingLines() == 0; }, 5000));
    spin(50);
    const QString viewer = logs->viewer()->editor()->toPlainText();
    QVERIFY2(viewer.contains(u"\\x1b[5m"_s) && viewer.contains(u"\\u202e"_s), qPrintable(viewer));

    checkWidgets(&w, f);
    report(u"devices: %1 texts checked"_s.arg(f.texts));
    QVERIFY2(f.problems.isEmpty(), qPrintable(f.problems.mid(0, 20).join(u'\n')));
    QVERIFY(f.sawEscapedEsc && f.sawEscapedRtl && f.sawMarkupLiterally);

    QVERIFY2(beat.maxBusy() <= MaxStallMs, qPrintable(beat.summary()));
    QVERIFY(beat.ticks() > 100);
    w.close();
}

void TestHostileGui::snapListOverTheCap()
{
    // 2,000 rows padded to the 10,000-char name: ~20 MB of `snap list`, over SshSession's 16 MiB cap
    m_port = testsupport::startSimulator(m_sim, m_keys.path(),
        { u"--devices"_s, u"1"_s, u"--snappy-share"_s, u"0"_s, u"--hostile-share"_s, u"100"_s,
            u"--hostile-list-rows"_s, u"2000"_s });
    QVERIFY(m_port > 0);
    QTemporaryDir cfg;
    auto fleet = fleetFor(cfg.path(), 1);
    QVERIFY(fleet);
    MainWindow w(fleet.get(), MainWindow::Options { false });
    w.resize(1200, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto *tree = w.findChild<QTreeView *>(u"fleetTree"_s);
    select(tree, w.fleetModel()->indexForDevice(u"dev0000"_s));

    const qint64 rssBefore = procStatusKb("VmRSS");
    QVERIFY(resetPeakRss());
    Heartbeat beat;
    w.refreshAll();
    QVERIFY(spinUntil([&] { return !fleet->isRefreshing(); }, 90000));
    spin(200);
    const qint64 growthKb = procStatusKb("VmHWM") - rssBefore;
    const DeviceInventory inv = fleet->inventory(u"dev0000"_s);
    report(u"snap list over the cap: "_s + beat.summary());
    report(u"snap list over the cap: peak RSS +%1 MiB; status %2: %3"_s.arg(growthKb / 1024)
               .arg(FleetTreeModel::statusText(inv.status), visibleText(inv.error, 200)));
    QVERIFY2(inv.status != DeviceStatus::Ok, qPrintable(inv.error));
    QVERIFY2(inv.error.contains(u"16 MiB"_s), qPrintable(inv.error));
    // the output is read once, up to the cap: not held several times
    QVERIFY2(growthKb < 3 * 16 * 1024, qPrintable(u"%1 MiB"_s.arg(growthKb / 1024)));

    Findings f;
    checkModel(w.fleetModel(), u"fleet tree"_s, f);
    checkWidgets(&w, f);
    QVERIFY2(f.problems.isEmpty(), qPrintable(f.problems.mid(0, 20).join(u'\n')));
    auto *error = w.findChild<QLabel *>(u"summaryError"_s);
    QVERIFY(error && error->isVisible());
    QCOMPARE(error->textFormat(), Qt::PlainText);
    QVERIFY2(beat.maxBusy() <= MaxStallMs, qPrintable(beat.summary()));
    w.close();
}

void TestHostileGui::hostileLxdHosts()
{
    QTemporaryDir dir;
    LxdClientCertificate serverId;
    QString error;
    QVERIFY2(LxdClientCertificate::ensure(dir.filePath(u"server"_s), &serverId, &error), qPrintable(error));
    const QString sha = certificateSha256(serverId.certificate);
    QCOMPARE(sha.size(), 64);

    using Mode = LxdResponder::Mode;
    const QList<std::pair<QString, Mode>> specs { { u"hostile"_s, Mode::Hostile }, { u"huge"_s, Mode::Huge },
        { u"huge-announced"_s, Mode::HugeAnnounced }, { u"deep"_s, Mode::Deep } };
    ResponderThread responders;
    QTemporaryDir cfg;
    Config config = Config::fromDirectory(cfg.path());
    QList<HostConfig> hosts;
    for (const auto &[name, mode] : specs) {
        const quint16 port = responders.add(mode, serverId);
        QVERIFY(port > 0);
        HostConfig h;
        h.name = name;
        h.kind = HostKind::Lxd;
        h.lxdUrl = u"https://127.0.0.1:%1"_s.arg(port);
        h.lxdCertificateSha256 = sha; // pinned, as after "Add LXD host"
        hosts << h;
    }
    QVERIFY(config.saveHosts(hosts, &error));
    FleetService fleet(config);
    QVERIFY2(fleet.load(&error), qPrintable(error));

    MainWindow w(&fleet, MainWindow::Options { false });
    w.resize(1200, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto *lxd = w.findChild<LxdService *>();
    QVERIFY(lxd);
    lxd->setTimeoutMs(60000);
    auto *tree = w.findChild<QTreeView *>(u"fleetTree"_s);
    QVERIFY(tree);
    QAbstractItemModelTester treeTester(
        w.fleetModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy listed(lxd, &LxdService::instancesRefreshed);

    const qint64 rssBefore = procStatusKb("VmRSS");
    QVERIFY(resetPeakRss());
    Heartbeat beat;
    w.findChild<QAction *>(u"actionRefresh"_s)->trigger();
    QSet<QString> answered;
    QElapsedTimer t;
    t.start();
    while (answered.size() < specs.size() && t.elapsed() < 90000) {
        spin(20);
        for (const QList<QVariant> &args : std::as_const(listed))
            answered.insert(args.at(0).toString());
    }
    QCOMPARE(answered.size(), specs.size());
    select(tree, w.fleetModel()->indexForLxdHost(u"hostile"_s)); // the instances tab shows them
    spin(300);
    auto *instances = w.findChild<QTableView *>(u"instancesTable"_s);
    QVERIFY(instances);
    QVERIFY(spinUntil([&] { return instances->model()->rowCount() > 0; }, 5000));
    instances->scrollToBottom();
    spin(100);
    const qint64 growthKb = procStatusKb("VmHWM") - rssBefore;
    report(u"lxd: "_s + beat.summary());
    report(
        u"lxd: RSS %1 MiB before, peak +%2 MiB; 100 MB bodies: %3 / %4 bytes written before the cut (%5 / %6 lists; at most %7 / %8 in one answer)"_s
            .arg(rssBefore / 1024)
            .arg(growthKb / 1024)
            .arg(responders.sent(1))
            .arg(responders.sent(2))
            .arg(responders.lists(1))
            .arg(responders.lists(2))
            .arg(responders.mostInOneAnswer(1))
            .arg(responders.mostInOneAnswer(2)));

    QHash<QString, LxdResult> results;
    for (const QList<QVariant> &args : std::as_const(listed))
        results.insert(args.at(0).toString(), args.at(2).value<LxdResult>());
    QVERIFY2(results.value(u"hostile"_s).ok(), qPrintable(results.value(u"hostile"_s).error));
    for (const QString &bad : { u"huge"_s, u"huge-announced"_s, u"deep"_s }) {
        report(u"lxd %1: %2"_s.arg(bad, visibleText(results.value(bad).error, 200)));
        QVERIFY2(!results.value(bad).ok(), qPrintable(bad));
        QVERIFY(!results.value(bad).error.isEmpty());
    }
    QVERIFY2(
        results.value(u"huge"_s).error.contains(u"too large"_s), qPrintable(results.value(u"huge"_s).error));
    // the client cuts a body off at kMaxLxdBodyBytes (64 MiB): the 100 MB body must never be
    // held whole, let alone several times (QNetworkAccessManager's HTTP thread used to read all
    // 100 MB, every time, before the cut: +225..299 MiB). The bytes the server got to write are
    // reported, not judged: with this kernel's TCP buffers (up to 32 + 4 MiB on the machine this
    // was written on) they may approach 100 MB even when nothing is read ahead; tst_lxdhttps
    // proves the stall itself (backPressureWhileTheThreadIsBusy).
    QVERIFY2(growthKb < 96 * 1024, qPrintable(u"%1 MiB"_s.arg(growthKb / 1024)));

    QCOMPARE(lxd->instances(u"hostile"_s).size(), hostileInstanceNames().size());
    Findings f;
    checkModel(w.fleetModel(), u"fleet tree"_s, f);
    checkModel(instances->model(), u"instances table"_s, f);
    checkShownToolTips(instances, u"instances table"_s, f, 10);
    checkShownToolTips(tree, u"fleet tree"_s, f, 10);
    for (QWidget *top : QApplication::topLevelWidgets())
        if (top->isVisible())
            checkWidgets(top, f);
    report(u"lxd: %1 texts checked"_s.arg(f.texts));
    QVERIFY2(f.problems.isEmpty(), qPrintable(f.problems.mid(0, 20).join(u'\n')));
    QVERIFY(f.sawEscapedEsc && f.sawEscapedRtl && f.sawMarkupLiterally);
    QVERIFY2(beat.maxBusy() <= MaxStallMs, qPrintable(beat.summary()));
    w.close();
}

QTEST_MAIN(TestHostileGui)
#include "tst_hostilegui.moc"
