// SPDX-License-Identifier: GPL-3.0-or-later
// The device simulator: byte-exact output formats, the mini shell, state
// mutation and persistence, and the SSH server driven by a libssh client.
#include "SimCli.h"
#include "SimDevice.h"
#include "SimServer.h"
#include "SimShell.h"
#include "SimState.h"
#include "SimTable.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <libssh/libssh.h>
#include <memory>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace canyon::sim;

namespace {

const QDateTime kNow = QDateTime(QDate(2025, 3, 14), QTime(9, 51, 30), Qt::UTC);

RunContext at(const QDateTime &now, bool unicode = true)
{
    RunContext c;
    c.now = now;
    c.unicode = unicode;
    return c;
}

RunResult shellRun(SimDevice &device, const QByteArray &script, const QDateTime &now = kNow)
{
    SimShell shell(device, { { u"LANG"_s, u"C.UTF-8"_s } });
    return shell.run(script, at(now));
}

QByteArray sample(const QString &name)
{
    QFile file(QStringLiteral(CANYON_TEST_DATA_DIR) + u"/snappy-15.04/"_s + name);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

// The `snap changes` row of change `id`, columns collapsed to single spaces.
QByteArray changeRow(const QByteArray &table, int id)
{
    for (const QByteArray &line : table.split('\n')) {
        if (line.startsWith(QByteArray(QByteArray::number(id) + ' ')))
            return line.simplified();
    }
    return {};
}

const SimSnap *findRevision(const SimDevice &d, const QString &name, const QString &revision)
{
    for (const SimSnap &s : d.snaps) {
        if (s.name == name && s.revision == revision)
            return &s;
    }
    return nullptr;
}

// A libssh client session, closed on destruction.
struct Client
{
    ssh_session session = nullptr;
    ~Client()
    {
        if (session) {
            ssh_disconnect(session);
            ssh_free(session);
        }
    }
};

// One process run: what `snap` printed on a real sshd target.
struct Ran
{
    QByteArray out;
    QByteArray err;
    int exitCode = -1;
};

Ran runProcess(const QString &program, const QStringList &args, const QByteArray &lang = "C.UTF-8")
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"LC_ALL"_s);
    env.remove(u"LC_MESSAGES"_s);
    env.insert(u"LANG"_s, QString::fromLatin1(lang));
    p.setProcessEnvironment(env);
    p.start(program, args);
    if (!p.waitForFinished(20000) || p.exitStatus() != QProcess::NormalExit)
        return {};
    return { p.readAllStandardOutput(), p.readAllStandardError(), p.exitCode() };
}

struct ExecResult
{
    QByteArray out;
    QByteArray err;
    int exitStatus = -1;
    bool ok = false;
};

} // namespace

class TestFleetSim : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void table_data();
    void table();
    void snappySamples_data();
    void snappySamples();
    void snapOutput_data();
    void snapOutput();
    void shell_data();
    void shell();
    void consoleScript();
    void refreshAndRevert();
    void heldSnapNotRefreshed();
    void noWaitChange();
    void holdNeedsNewSnapd();
    void snappyUpdateRollbackReboot();
    void hostileOutput();
    void jsonRoundTrip_data();
    void jsonRoundTrip();
    void stateFiles();
    void seedIsDeterministic();
    void traits();
    void server();
    void serverFaults();
    void cliDaemon();

private:
    ExecResult exec(ssh_session session, const QByteArray &command, int timeoutMs = 10000);
    void writeClientKey(const QString &path);
    bool connectClient(
        Client &client, quint16 port, const QString &user, const QString &keyFile, QString *why = nullptr);
};

void TestFleetSim::initTestCase()
{
    ssh_init();
}

void TestFleetSim::table_data()
{
    QTest::addColumn<QList<TableRow>>("rows");
    QTest::addColumn<QByteArray>("expected");

    QTest::addRow("min width 5, last cell unpadded") << QList<TableRow> { { "ID", "Status", "Summary" },
        { "1", "Done", "x" } } << QByteArray("ID   Status  Summary\n1    Done    x\n");
    QTest::addRow("check mark counts one column") << QList<TableRow> { { "Publisher", "Notes" },
        { "canonical\xe2\x9c\x93", "-" } } << QByteArray("Publisher   Notes\ncanonical\xe2\x9c\x93  -\n");
    QTest::addRow("empty cell keeps its column") << QList<TableRow> { { "Part", "Installed", "Active" },
        { "docker", "", "*" } } << QByteArray("Part    Installed  Active\ndocker             *\n");
    QTest::addRow("invalid bytes count one each")
        << QList<TableRow> { { "N", "V" }, { "a\xff\xfe", "1" } } << QByteArray("N    V\na\xff\xfe  1\n");
}

void TestFleetSim::table()
{
    QFETCH(QList<TableRow>, rows);
    QFETCH(QByteArray, expected);
    QCOMPARE(formatTable(rows), expected);
}

void TestFleetSim::snappySamples_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("sampleFile");

    QTest::addRow("versions -a") << u"snappy versions -a"_s << u"versions-a.txt"_s;
    QTest::addRow("sudo versions -a") << u"sudo snappy versions -a"_s << u"versions-a.txt"_s;
    QTest::addRow("search webserver") << u"snappy search webserver"_s << u"search-webserver.txt"_s;
    QTest::addRow("install xkcd-webserver")
        << u"snappy install xkcd-webserver"_s << u"versions-a-after-install.txt"_s;
}

void TestFleetSim::snappySamples()
{
    QFETCH(QString, command);
    QFETCH(QString, sampleFile);
    const QByteArray expected = sample(sampleFile);
    QVERIFY2(!expected.isEmpty(), qPrintable(u"tests/data/snappy-15.04/"_s + sampleFile + u" is missing"_s));

    // Index 0 of the snappy dialect is the seed transcript's device.
    SimDevice device = SimDevice::seeded(0, Dialect::Snappy, kNow);
    const RunResult r = device.run(command.split(u' '), at(kNow));
    QCOMPARE(r.err, QByteArray());
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, expected);
}

void TestFleetSim::snapOutput_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("dialect");
    QTest::addColumn<QString>("command");
    QTest::addColumn<bool>("unicode");
    QTest::addColumn<QByteArray>("out");
    QTest::addColumn<QByteArray>("err");
    QTest::addColumn<int>("exitCode");

    QTest::addRow("version on Core") << 1 << u"snap"_s << u"snap version"_s << true
                                     << QByteArray("snap          2.61.3\n"
                                                   "snapd         2.61.3\n"
                                                   "series        16\n"
                                                   "kernel        5.15.0-91-generic\n"
                                                   "architecture  amd64\n")
                                     << QByteArray() << 0;
    QTest::addRow("version on classic prints the OS line") << 3 << u"snap"_s << u"snap version"_s << true
                                                           << QByteArray("snap          2.61.3\n"
                                                                         "snapd         2.61.3\n"
                                                                         "series        16\n"
                                                                         "ubuntu        22.04\n"
                                                                         "kernel        5.15.0-91-generic\n"
                                                                         "architecture  amd64\n")
                                                           << QByteArray() << 0;
    QTest::addRow("list")
        << 1 << u"snap"_s << u"snap list"_s << true
        << QByteArray("Name       Version          Rev    Tracking       Publisher    Notes\n"
                      "core22     20240111         1122   latest/stable  canonical\xe2\x9c\x93   base\n"
                      "mosquitto  2.0.18           871    latest/stable  mosquitto    -\n"
                      "node-red   3.1.3            1115   latest/stable  nodered\xe2\x9c\x93     held\n"
                      "pc         22-0.3           148    22/stable      canonical\xe2\x9c\x93   gadget\n"
                      "pc-kernel  5.15.0-91.101.1  1606   22/stable      canonical\xe2\x9c\x93   kernel\n"
                      "snapd      2.61.3           21184  latest/stable  canonical\xe2\x9c\x93   snapd\n"
                      "telegraf   1.29.2           112    latest/stable  influxdata\xe2\x9c\x93  -\n")
        << QByteArray() << 0;
    QTest::addRow("list --all shows the disabled revision")
        << 2 << u"snap"_s << u"snap list --all mosquitto"_s << true
        << QByteArray("Name       Version  Rev  Tracking       Publisher  Notes\n"
                      "mosquitto  2.0.18   872  latest/stable  mosquitto  -\n"
                      "mosquitto  2.0.17   814  latest/stable  mosquitto  disabled\n")
        << QByteArray() << 0;
    QTest::addRow("no unicode: star")
        << 1 << u"snap"_s << u"snap list core22"_s << false
        << QByteArray("Name    Version   Rev   Tracking       Publisher   Notes\n"
                      "core22  20240111  1122  latest/stable  canonical*  base\n")
        << QByteArray() << 0;
    QTest::addRow("refresh --list") << 0 << u"snap"_s << u"snap refresh --list"_s << true
                                    << QByteArray("Name       Version  Rev   Size  Publisher  Notes\n"
                                                  "mosquitto  2.0.19   901   6MB   mosquitto  -\n"
                                                  "node-red   3.1.5    1130  58MB  nodered\xe2\x9c\x93   -\n")
                                    << QByteArray() << 0;
    QTest::addRow("refresh --list, nothing pending")
        << 11 << u"snap"_s << u"snap refresh --list"_s << true << QByteArray()
        << QByteArray("All snaps up to date.\n") << 0;
    QTest::addRow("refresh --list, store unreachable")
        << 7 << u"snap"_s << u"snap refresh --list"_s << true << QByteArray()
        << QByteArray("error: cannot list updates: persistent network error: Post "
                      "\"https://api.snapcraft.io/v2/snaps/refresh\": dial tcp: lookup api.snapcraft.io: "
                      "Temporary failure in name resolution\n")
        << 1;
    QTest::addRow("refresh, store unreachable")
        << 7 << u"snap"_s << u"sudo -n snap refresh"_s << true << QByteArray()
        << QByteArray("error: cannot refresh: persistent network error: Post "
                      "\"https://api.snapcraft.io/v2/snaps/refresh\": dial tcp: lookup api.snapcraft.io: "
                      "Temporary failure in name resolution\n")
        << 1;
    QTest::addRow("unknown command") << 1 << u"snap"_s << u"snap frobnicate"_s << true << QByteArray()
                                     << QByteArray(
                                            "error: unknown command \"frobnicate\", see 'snap help'.\n")
                                     << 1;
    QTest::addRow("unknown flag") << 1 << u"snap"_s << u"snap list --bogus"_s << true << QByteArray()
                                  << QByteArray("error: unknown flag `bogus'\n") << 1;
    QTest::addRow("not installed") << 1 << u"snap"_s << u"snap refresh nosuch"_s << true << QByteArray()
                                   << QByteArray("error: snap \"nosuch\" is not installed\n") << 1;
    QTest::addRow("nothing to revert to")
        << 1 << u"snap"_s << u"snap revert pc"_s << true << QByteArray()
        << QByteArray("error: cannot revert \"pc\": no revision to revert to\n") << 1;
    QTest::addRow("snappy device has no snap") << 4 << u"snappy"_s << u"snap list"_s << true << QByteArray()
                                               << QByteArray("sh: 1: snap: not found\n") << 127;
    QTest::addRow("snap device has no snappy") << 1 << u"snap"_s << u"snappy info"_s << true << QByteArray()
                                               << QByteArray("sh: 1: snappy: not found\n") << 127;
    QTest::addRow("info of a snap with a service")
        << 1 << u"snap"_s << u"snap info mosquitto"_s << true
        << QByteArray("name:      mosquitto\n"
                      "summary:   Eclipse Mosquitto MQTT broker\n"
                      "publisher: Mosquitto\n"
                      "license:   unset\n"
                      "description: |\n"
                      "  Eclipse Mosquitto MQTT broker\n"
                      "services:\n"
                      "  mosquitto.mosquitto: simple, enabled, active\n"
                      "snap-id:   7d1f5fe325866b74deed7de98e9e310f\n"
                      "tracking:  latest/stable\n"
                      "installed: 2.0.18 (871) 6MB -\n")
        << QByteArray() << 0;
    QTest::addRow("info of a base") << 1 << u"snap"_s << u"snap info core22"_s << false
                                    << QByteArray("name:      core22\n"
                                                  "summary:   Runtime environment based on Ubuntu 22.04\n"
                                                  "publisher: Canonical*\n"
                                                  "license:   unset\n"
                                                  "description: |\n"
                                                  "  Runtime environment based on Ubuntu 22.04\n"
                                                  "type:      base\n"
                                                  "snap-id:   2a4d60583bf737dd527404b0410f2f18\n"
                                                  "tracking:  latest/stable\n"
                                                  "installed: 20240111 (1122) 77MB base\n")
                                    << QByteArray() << 0;
    QTest::addRow("info of an unknown snap")
        << 1 << u"snap"_s << u"snap info nosuch"_s << true << QByteArray()
        << QByteArray("error: no snap found for \"nosuch\"\n") << 1;
    QTest::addRow("logs, last 3 lines")
        << 1 << u"snap"_s << u"snap logs mosquitto -n 3"_s << true
        << QByteArray(
               "2025-03-14T09:50:00Z mosquitto.mosquitto[1001]: Sending PINGRESP to sensor-8\n"
               "2025-03-14T09:50:30Z mosquitto.mosquitto[1001]: warning: slow consumer, 58 messages queued\n"
               "2025-03-14T09:51:00Z mosquitto.mosquitto[1001]: error: connection from 10.0.4.249 closed: "
               "timeout\n")
        << QByteArray() << 0;
    QTest::addRow("logs of a snap without services")
        << 1 << u"snap"_s << u"snap logs core22"_s << true << QByteArray()
        << QByteArray("error: snap \"core22\" has no services\n") << 1;
    QTest::addRow("logs, bad -n") << 1 << u"snap"_s << u"snap logs mosquitto -n x"_s << true << QByteArray()
                                  << QByteArray(
                                         "error: invalid argument for flag `-n': expected a non-negative "
                                         "integer argument, or \"all\"\n")
                                  << 1;
    QTest::addRow("snappy info") << 1 << u"snappy"_s << u"snappy info"_s << true
                                 << QByteArray("release: ubuntu-core/devel\narchitecture: amd64\n"
                                               "frameworks: docker\napps: \n")
                                 << QByteArray() << 0;
    QTest::addRow("snappy versions, 142 available")
        << 1 << u"snappy"_s << u"snappy versions"_s << true
        << QByteArray("Part         Tag   Installed  Available  Fingerprint     Active\n"
                      "ubuntu-core  edge  141        142        7f068cb4fa876c  *\n"
                      "docker       edge             -          b1f2f85e77adab  *\n")
        << QByteArray() << 0;
    QTest::addRow("snappy unknown command")
        << 1 << u"snappy"_s << u"snappy frob"_s << true << QByteArray()
        << QByteArray(
               "Unknown command `frob'. Please specify one command of: booted, build, info, install, purge, "
               "remove, rollback, search, update or versions\n")
        << 1;
}

void TestFleetSim::snapOutput()
{
    QFETCH(int, index);
    QFETCH(QString, dialect);
    QFETCH(QString, command);
    QFETCH(bool, unicode);
    QFETCH(QByteArray, out);
    QFETCH(QByteArray, err);
    QFETCH(int, exitCode);

    SimDevice device = SimDevice::seeded(index, *dialectFromName(dialect), kNow);
    const RunResult r = device.run(command.split(u' '), at(kNow, unicode));
    QCOMPARE(r.out, out);
    QCOMPARE(r.err, err);
    QCOMPARE(r.exitCode, exitCode);
}

void TestFleetSim::shell_data()
{
    QTest::addColumn<QString>("dialect");
    QTest::addColumn<QByteArray>("script");
    QTest::addColumn<QByteArray>("out");
    QTest::addColumn<QByteArray>("err");
    QTest::addColumn<int>("exitCode");

    QTest::addRow("status of true") << u"snap"_s << QByteArray("true; echo \"@@canyon $?\"")
                                    << QByteArray("@@canyon 0\n") << QByteArray() << 0;
    QTest::addRow("status of false") << u"snap"_s << QByteArray("false; echo $?") << QByteArray("1\n")
                                     << QByteArray() << 0;
    QTest::addRow("not found is 127")
        << u"snap"_s << QByteArray("nosuch --flag; echo \"rc=$?\"") << QByteArray("rc=127\n")
        << QByteArray("sh: 1: nosuch: not found\n") << 0;
    QTest::addRow("line numbers count") << u"snap"_s << QByteArray("true\n\nnosuch") << QByteArray()
                                        << QByteArray("sh: 3: nosuch: not found\n") << 127;
    QTest::addRow("2>&1 merges stderr")
        << u"snappy"_s << QByteArray("snap list 2>&1; echo \"@@canyon $?\"")
        << QByteArray("sh: 1: snap: not found\n@@canyon 127\n") << QByteArray() << 0;
    QTest::addRow("stderr stays apart without 2>&1")
        << u"snappy"_s << QByteArray("snap list; echo \"@@canyon $?\"") << QByteArray("@@canyon 127\n")
        << QByteArray("sh: 1: snap: not found\n") << 0;
    QTest::addRow("2>/dev/null") << u"snap"_s << QByteArray("snap nope 2>/dev/null; echo $?")
                                 << QByteArray("1\n") << QByteArray() << 0;
    QTest::addRow(">&2") << u"snap"_s << QByteArray("echo hi >&2") << QByteArray() << QByteArray("hi\n") << 0;
    QTest::addRow("quotes") << u"snap"_s << QByteArray("echo 'a;b $?' \"c  $?\" d\\ e")
                            << QByteArray("a;b $? c  0 d e\n") << QByteArray() << 0;
    QTest::addRow("&& and ||") << u"snap"_s << QByteArray("false && echo yes || echo no; true && echo yes")
                               << QByteArray("no\nyes\n") << QByteArray() << 0;
    QTest::addRow("exit stops") << u"snap"_s << QByteArray("echo a; exit 3; echo b") << QByteArray("a\n")
                                << QByteArray() << 3;
    QTest::addRow("assignments and export")
        << u"snap"_s << QByteArray("export X=1; FOO=bar; LANG=C.UTF-8 true; echo $FOO$X")
        << QByteArray("bar1\n") << QByteArray() << 0;
    QTest::addRow("command -v snap") << u"snap"_s << QByteArray("command -v snap; echo $?")
                                     << QByteArray("/usr/bin/snap\n0\n") << QByteArray() << 0;
    QTest::addRow("command -v missing")
        << u"snappy"_s << QByteArray("command -v snap; echo $?") << QByteArray("1\n") << QByteArray() << 0;
    QTest::addRow("sudo -n") << u"snappy"_s << QByteArray("sudo -n snappy info >/dev/null; echo $?")
                             << QByteArray("0\n") << QByteArray() << 0;
    QTest::addRow("LANG=C gives the ascii mark")
        << u"snap"_s << QByteArray("LANG=C snap list core22")
        << QByteArray("Name    Version   Rev   Tracking       Publisher   "
                      "Notes\ncore22  20240111  1122  latest/stable  "
                      "canonical*  base\n")
        << QByteArray() << 0;
    QTest::addRow("pipe into cat") << u"snap"_s << QByteArray("echo piped | cat") << QByteArray("piped\n")
                                   << QByteArray() << 0;
    QTest::addRow("unterminated quote")
        << u"snap"_s << QByteArray("echo \"oops") << QByteArray()
        << QByteArray("sh: 1: Syntax error: Unterminated quoted string\n") << 2;
    QTest::addRow("no files written")
        << u"snap"_s << QByteArray("echo x > /etc/passwd; echo $?") << QByteArray("2\n")
        << QByteArray("sh: 1: cannot create /etc/passwd: Read-only file system\n") << 0;
    QTest::addRow("no process is ever started")
        << u"snap"_s << QByteArray("/bin/sh -c id; rm -rf /") << QByteArray()
        << QByteArray("sh: 1: /bin/sh: not found\nsh: 1: rm: not found\n") << 127;
}

void TestFleetSim::shell()
{
    QFETCH(QString, dialect);
    QFETCH(QByteArray, script);
    QFETCH(QByteArray, out);
    QFETCH(QByteArray, err);
    QFETCH(int, exitCode);

    SimDevice device = SimDevice::seeded(1, *dialectFromName(dialect), kNow);
    const RunResult r = shellRun(device, script);
    QCOMPARE(r.out, out);
    QCOMPARE(r.err, err);
    QCOMPARE(r.exitCode, exitCode);
}

void TestFleetSim::consoleScript()
{
    // What the console sends, and the marker lines it splits the answer by.
    SimDevice device = SimDevice::seeded(0, Dialect::Snap, kNow);
    const RunResult r = shellRun(device,
        "snap version 2>&1; echo \"@@canyon $?\"; snap list --all 2>&1; "
        "echo \"@@canyon $?\"; snap refresh --list 2>&1; echo \"@@canyon $?\"");
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.err, QByteArray());
    const QList<QByteArray> parts = r.out.split('@');
    QCOMPARE(r.out.count("@@canyon 0\n"), 3);
    QVERIFY(r.out.startsWith("snap          2.61.3\n"));
    QVERIFY(r.out.contains("mosquitto  2.0.17           812    latest/stable  mosquitto   disabled\n"));
    QVERIFY(r.out.contains("Name       Version  Rev   Size  Publisher  Notes\n"));
    QVERIFY(parts.size() > 3);
}

void TestFleetSim::refreshAndRevert()
{
    SimDevice d = SimDevice::seeded(0, Dialect::Snap, kNow);
    const int changesBefore = int(d.changes.size());

    RunResult r = d.run({ u"snap"_s, u"refresh"_s, u"mosquitto"_s }, at(kNow));
    QCOMPARE(r.out, QByteArray("mosquitto 2.0.19 from Mosquitto refreshed\n"));
    QCOMPARE(r.exitCode, 0);
    QVERIFY(d.dirty);
    QVERIFY(findRevision(d, u"mosquitto"_s, u"901"_s)->active);
    QVERIFY(!findRevision(d, u"mosquitto"_s, u"870"_s)->active);
    QVERIFY(!d.updates.contains(u"mosquitto"_s));
    QCOMPARE(d.changes.size(), changesBefore + 1);
    QCOMPARE(d.changes.last().summary, u"Refresh \"mosquitto\" snap"_s);
    QCOMPARE(d.changes.last().kind, u"refresh-snap"_s);
    QCOMPARE(d.changes.last().status, u"Done"_s);

    r = d.run({ u"snap"_s, u"changes"_s, u"mosquitto"_s }, at(kNow));
    QCOMPARE(changeRow(r.out, d.changes.last().id),
        QByteArray::number(d.changes.last().id)
            + " Done today at 09:51 UTC today at 09:51 UTC Refresh \"mosquitto\" snap");

    // Nothing left to get; not an error.
    r = d.run({ u"snap"_s, u"refresh"_s, u"mosquitto"_s }, at(kNow));
    QCOMPARE(r.err, QByteArray("snap \"mosquitto\" has no updates available\n"));
    QCOMPARE(r.exitCode, 0);

    r = d.run({ u"sudo"_s, u"-n"_s, u"snap"_s, u"revert"_s, u"mosquitto"_s }, at(kNow));
    QCOMPARE(r.out, QByteArray("mosquitto reverted to 2.0.18\n"));
    QVERIFY(findRevision(d, u"mosquitto"_s, u"870"_s)->active);
    QVERIFY(!findRevision(d, u"mosquitto"_s, u"901"_s)->active);
    QCOMPARE(d.changes.last().kind, u"revert-snap"_s);

    // Core keeps three revisions: a further refresh drops the oldest.
    d.updates.insert(u"mosquitto"_s, SimUpdate { u"2.0.20"_s, u"950"_s, 1, {} });
    r = d.run({ u"snap"_s, u"refresh"_s, u"mosquitto"_s }, at(kNow));
    QCOMPARE(r.exitCode, 0);
    QVERIFY(findRevision(d, u"mosquitto"_s, u"950"_s)->active);
    QVERIFY(!findRevision(d, u"mosquitto"_s, u"812"_s));
}

void TestFleetSim::heldSnapNotRefreshed()
{
    // Device 1 holds node-red, which has an update; nothing else is pending.
    SimDevice d = SimDevice::seeded(1, Dialect::Snap, kNow);
    QVERIFY(d.held.contains(u"node-red"_s));
    QVERIFY(d.updates.contains(u"node-red"_s));

    RunResult r = d.run({ u"snap"_s, u"refresh"_s }, at(kNow));
    QCOMPARE(r.err, QByteArray("All snaps up to date.\n"));
    QCOMPARE(r.exitCode, 0);
    QVERIFY(findRevision(d, u"node-red"_s, u"1115"_s)->active);

    // A named refresh is not blocked by a general hold.
    r = d.run({ u"snap"_s, u"refresh"_s, u"node-red"_s }, at(kNow));
    QCOMPARE(r.out, QByteArray("node-red 3.1.5 from Node-RED (nodered\xe2\x9c\x93) refreshed\n"));
    QVERIFY(findRevision(d, u"node-red"_s, u"1131"_s)->active);

    r = d.run({ u"snap"_s, u"refresh"_s, u"--unhold"_s, u"node-red"_s }, at(kNow));
    QCOMPARE(r.out, QByteArray("Removed general refresh hold of \"node-red\"\n"));
    QVERIFY(!d.held.contains(u"node-red"_s));
    r = d.run({ u"snap"_s, u"refresh"_s, u"--hold"_s, u"mosquitto"_s }, at(kNow));
    QCOMPARE(r.out, QByteArray("General refreshes of \"mosquitto\" held indefinitely\n"));
    QVERIFY(d.held.contains(u"mosquitto"_s));
}

void TestFleetSim::noWaitChange()
{
    SimDevice d = SimDevice::seeded(0, Dialect::Snap, kNow);
    const int id = d.nextChangeId;
    RunResult r = d.run({ u"snap"_s, u"refresh"_s, u"--no-wait"_s, u"node-red"_s }, at(kNow));
    QCOMPARE(r.out, QByteArray::number(id) + '\n');
    QCOMPARE(r.exitCode, 0);

    r = d.run({ u"snap"_s, u"changes"_s, u"node-red"_s }, at(kNow.addSecs(1)));
    QCOMPARE(changeRow(r.out, id),
        QByteArray::number(id) + " Doing today at 09:51 UTC - Refresh \"node-red\" snap");
    r = d.run({ u"snap"_s, u"tasks"_s, QString::number(id) }, at(kNow.addSecs(1)));
    QVERIFY(r.out.contains("Doing"));
    QVERIFY(r.out.contains("Done "));

    // A second refresh while the first is in flight is refused, not queued.
    d.updates.insert(u"node-red"_s, SimUpdate { u"3.1.6"_s, u"1200"_s, 1, {} });
    r = d.run({ u"snap"_s, u"refresh"_s, u"node-red"_s }, at(kNow.addSecs(1)));
    QCOMPARE(r.err, QByteArray("error: snap \"node-red\" has \"refresh-snap\" change in progress\n"));
    QCOMPARE(r.exitCode, 1);

    r = d.run({ u"snap"_s, u"changes"_s, u"node-red"_s }, at(kNow.addSecs(10)));
    QCOMPARE(changeRow(r.out, id),
        QByteArray::number(id) + " Done today at 09:51 UTC today at 09:51 UTC Refresh \"node-red\" snap");
    QVERIFY(r.out.endsWith("\n\n"));
}

void TestFleetSim::holdNeedsNewSnapd()
{
    SimDevice d = SimDevice::seeded(5, Dialect::Snap, kNow);
    QCOMPARE(d.snapdVersion, u"2.57.6"_s);
    const RunResult r = d.run({ u"snap"_s, u"refresh"_s, u"--hold"_s, u"mosquitto"_s }, at(kNow));
    QCOMPARE(r.err, QByteArray("error: unknown flag `hold'\n"));
    QCOMPARE(r.exitCode, 1);
    QVERIFY(!d.held.contains(u"mosquitto"_s));
}

void TestFleetSim::snappyUpdateRollbackReboot()
{
    SimDevice d = SimDevice::seeded(1, Dialect::Snappy, kNow);
    RunResult r = shellRun(d, "sudo snappy update");
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out,
        QByteArray("Part         Tag   Installed  Available  Fingerprint     Active\n"
                   "ubuntu-core  edge  142        -          4c2b8d1e90af33  \n"
                   "Reboot to use the new ubuntu-core.\n"));
    QCOMPARE(d.pendingBoot.value(u"ubuntu-core"_s), u"142"_s);
    r = d.run({ u"snappy"_s, u"versions"_s, u"-a"_s }, at(kNow));
    QCOMPARE(r.out,
        QByteArray("Part         Tag   Installed  Available  Fingerprint     Active\n"
                   "ubuntu-core  edge  141        -          7f068cb4fa876c  *\n"
                   "ubuntu-core  edge  142        -          4c2b8d1e90af33  \n"
                   "docker       edge             -          b1f2f85e77adab  *\n"));

    r = shellRun(d, "sudo reboot; echo never");
    QVERIFY(r.reboot);
    QCOMPARE(r.out, QByteArray());
    QVERIFY(d.isDown(kNow));
    QVERIFY(!d.isDown(kNow.addSecs(60)));
    QVERIFY(findRevision(d, u"ubuntu-core"_s, u"142"_s)->active);
    QVERIFY(!findRevision(d, u"ubuntu-core"_s, u"141"_s)->active);

    r = d.run({ u"snappy"_s, u"rollback"_s, u"ubuntu-core"_s }, at(kNow.addSecs(60)));
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.startsWith("Setting ubuntu-core to version 141\n"));
    QCOMPARE(d.pendingBoot.value(u"ubuntu-core"_s), u"141"_s);
    d.reboot(kNow.addSecs(60), 0);
    QVERIFY(findRevision(d, u"ubuntu-core"_s, u"141"_s)->active);
}

void TestFleetSim::hostileOutput()
{
    SimDevice d = SimDevice::seeded(0, Dialect::Snap, kNow);
    d.hostile = true;
    for (const QString &command : { u"snap list --all"_s, u"snap refresh --list"_s, u"snap changes"_s }) {
        const RunResult r = d.run(command.split(u' '), at(kNow));
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains('\x1b'));
    }
    const RunResult r = d.run({ u"snap"_s, u"list"_s }, at(kNow));
    QVERIFY(r.out.contains(QByteArray(10000, 'a')));
    QVERIFY(r.out.contains("\xff\xfe"));
    QVERIFY(r.out.contains(QByteArray("nul\0name", 8)));
    QVERIFY(r.out.contains("<script>"));
    // The last row is cut short: two cells instead of six.
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QVERIFY(lines.last().startsWith("truncated-ro "));
    QVERIFY(lines.last().endsWith(" 1."));
}

void TestFleetSim::jsonRoundTrip_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("dialect");
    QTest::addColumn<QStringList>("mutation");
    for (int i : { 0, 1, 3, 4, 7 }) {
        QTest::addRow("snap %d", i) << i << u"snap"_s << QStringList();
        QTest::addRow("snappy %d", i) << i << u"snappy"_s << QStringList();
    }
    QTest::addRow("none") << 9 << u"none"_s << QStringList();
    QTest::addRow("after a --no-wait refresh")
        << 0 << u"snap"_s << QStringList { u"snap"_s, u"refresh"_s, u"--no-wait"_s };
    QTest::addRow("after a snappy update") << 1 << u"snappy"_s << QStringList { u"snappy"_s, u"update"_s };
}

void TestFleetSim::jsonRoundTrip()
{
    QFETCH(int, index);
    QFETCH(QString, dialect);
    QFETCH(QStringList, mutation);
    SimDevice d = SimDevice::seeded(index, *dialectFromName(dialect), kNow);
    if (!mutation.isEmpty()) {
        QCOMPARE(d.run(mutation, at(kNow)).exitCode, 0);
        QVERIFY(d.dirty);
        d.dirty = false;
    }
    const QByteArray json = QJsonDocument(d.toJson()).toJson();
    QString error;
    const auto back = SimDevice::fromJson(QJsonDocument::fromJson(json).object(), &error);
    QVERIFY2(back.has_value(), qPrintable(error));
    QVERIFY(*back == d);
    // And the same answers afterwards.
    SimDevice copy = *back;
    QCOMPARE(copy.run({ u"snap"_s, u"changes"_s }, at(kNow)).out,
        d.run({ u"snap"_s, u"changes"_s }, at(kNow)).out);
}

void TestFleetSim::stateFiles()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"dev0003.json"_s);
    SimDevice d = SimDevice::seeded(3, Dialect::Snap, kNow);
    QString error;
    QVERIFY2(saveDeviceState(d, path, &error), qPrintable(error));
    const auto loaded = loadDeviceState(path, &error);
    QVERIFY2(loaded.has_value(), qPrintable(error));
    QVERIFY(*loaded == d);

    {
        FileLock lock(path + u".lock"_s);
        QVERIFY2(lock.isLocked(), qPrintable(lock.errorString()));
    }

    QFile broken(dir.filePath(u"broken.json"_s));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("{\"format\": 1, \"dialect\": \"windows\"}");
    broken.close();
    QVERIFY(!loadDeviceState(broken.fileName(), &error));
    QVERIFY(error.contains(u"dialect"_s));
    QVERIFY(!loadDeviceState(dir.filePath(u"missing.json"_s)));
}

void TestFleetSim::seedIsDeterministic()
{
    QVERIFY(SimDevice::seeded(6, Dialect::Snap, kNow) == SimDevice::seeded(6, Dialect::Snap, kNow));
    QVERIFY(!(SimDevice::seeded(6, Dialect::Snap, kNow) == SimDevice::seeded(7, Dialect::Snap, kNow)));
    // The fleet is not uniform: some hold, some are classic, some are arm64, some offline.
    int held = 0, classic = 0, arm = 0, offline = 0, updates = 0;
    for (int i = 0; i < 20; ++i) {
        const SimDevice d = SimDevice::seeded(i, Dialect::Snap, kNow);
        held += d.held.isEmpty() ? 0 : 1;
        classic += d.onClassic ? 1 : 0;
        arm += d.architecture == u"arm64" ? 1 : 0;
        offline += d.storeReachable ? 0 : 1;
        updates += int(d.updates.size());
    }
    QVERIFY(held > 0 && held < 20);
    QVERIFY(classic > 0 && classic < 20);
    QVERIFY(arm > 0 && arm < 20);
    QVERIFY(offline > 0 && offline < 20);
    QVERIFY(updates > 10);
}

void TestFleetSim::traits()
{
    int snappy = 0;
    for (int i = 0; i < 1000; ++i)
        snappy += hasTrait(i, 20, Trait::Snappy) ? 1 : 0;
    QCOMPARE(snappy, 200);
    QVERIFY(!hasTrait(1, 20, Trait::Snappy));
    QVERIFY(hasTrait(4, 20, Trait::Snappy));
    QVERIFY(!hasTrait(3, 0, Trait::Drop));
    QVERIFY(hasTrait(3, 100, Trait::Drop));

    QCOMPARE(deviceIndexFromUser(u"dev0042"_s), 42);
    QCOMPARE(deviceIndexFromUser(u"dev12345"_s), 12345);
    QCOMPARE(deviceIndexFromUser(u"dev042"_s), -1);
    QCOMPARE(deviceIndexFromUser(u"dev00042"_s), -1);
    QCOMPARE(deviceIndexFromUser(u"root"_s), -1);
    QCOMPARE(userForDevice(7), u"dev0007"_s);
}

ExecResult TestFleetSim::exec(ssh_session session, const QByteArray &command, int timeoutMs)
{
    ExecResult result;
    ssh_channel channel = ssh_channel_new(session);
    if (!channel)
        return result;
    if (ssh_channel_open_session(channel) != SSH_OK
        || ssh_channel_request_exec(channel, command.constData()) != SSH_OK) {
        ssh_channel_free(channel);
        return result;
    }
    char buffer[4096];
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        const int n = ssh_channel_read_timeout(channel, buffer, sizeof buffer, 0, 100);
        if (n > 0)
            result.out.append(buffer, n);
        const int m = ssh_channel_read_nonblocking(channel, buffer, sizeof buffer, 1);
        if (m > 0)
            result.err.append(buffer, m);
        if (n == SSH_ERROR || m == SSH_ERROR)
            break;
        if (n <= 0 && m <= 0 && ssh_channel_is_eof(channel))
            break;
    }
    result.ok = !deadline.hasExpired() && ssh_channel_is_eof(channel);
    result.exitStatus = result.ok ? ssh_channel_get_exit_status(channel) : -1;
    ssh_channel_send_eof(channel);
    ssh_channel_close(channel);
    ssh_channel_free(channel);
    return result;
}

bool TestFleetSim::connectClient(
    Client &client, quint16 port, const QString &user, const QString &keyFile, QString *why)
{
    client.session = ssh_new();
    const unsigned int p = port;
    const QByteArray userBytes = user.toUtf8();
    const long timeout = 10;
    const int nodelay = 1;
    ssh_options_set(client.session, SSH_OPTIONS_HOST, "127.0.0.1");
    ssh_options_set(client.session, SSH_OPTIONS_PORT, &p);
    ssh_options_set(client.session, SSH_OPTIONS_USER, userBytes.constData());
    ssh_options_set(client.session, SSH_OPTIONS_TIMEOUT, &timeout);
    ssh_options_set(client.session, SSH_OPTIONS_NODELAY, &nodelay);
    ssh_options_set(client.session, SSH_OPTIONS_KEY_EXCHANGE, "curve25519-sha256");
    ssh_options_set(client.session, SSH_OPTIONS_KNOWNHOSTS, "/dev/null");
    ssh_options_set(client.session, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null");
    if (ssh_connect(client.session) != SSH_OK) {
        if (why)
            *why = QString::fromUtf8(ssh_get_error(client.session));
        return false;
    }
    ssh_key key = nullptr;
    if (ssh_pki_import_privkey_file(QFile::encodeName(keyFile).constData(), nullptr, nullptr, nullptr, &key)
        != SSH_OK)
        return false;
    const int rc = ssh_userauth_publickey(client.session, nullptr, key);
    ssh_key_free(key);
    if (rc != SSH_AUTH_SUCCESS && why)
        *why = u"auth: %1 %2"_s.arg(rc).arg(QString::fromUtf8(ssh_get_error(client.session)));
    return rc == SSH_AUTH_SUCCESS;
}

// The `snap` of a sshd target is canyon-simsnap asking `canyon-fleetsim clid`:
// it must answer exactly what `canyon-fleetsim cli` answers, fall back to it
// when no daemon listens, serialise commands on one device, and survive junk.
void TestFleetSim::cliDaemon()
{
    const QString fleetsim = QStringLiteral(CANYON_FLEETSIM_BIN);
    const QString simsnap = QStringLiteral(CANYON_SIMSNAP_BIN);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString socket = dir.filePath(u"sock"_s);
    auto startDaemon = [&](QProcess &daemon) {
        daemon.start(fleetsim, { u"clid"_s, u"--socket"_s, socket });
        QDeadlineTimer deadline(10000);
        while (!daemon.canReadLine() && !deadline.hasExpired())
            daemon.waitForReadyRead(100);
        return daemon.readLine().startsWith("READY ");
    };
    auto viaDaemon
        = [&](const QString &state, const QStringList &command, const QByteArray &lang = "C.UTF-8") {
              return runProcess(simsnap,
                  QStringList { socket, fleetsim, u"--state"_s, state, u"--init"_s, u"snap"_s, u"--index"_s,
                      u"3"_s, u"--"_s }
                      + command,
                  lang);
          };
    auto direct = [&](const QString &state, const QStringList &command, const QByteArray &lang = "C.UTF-8") {
        return runProcess(fleetsim,
            QStringList {
                u"cli"_s, u"--state"_s, state, u"--init"_s, u"snap"_s, u"--index"_s, u"3"_s, u"--"_s }
                + command,
            lang);
    };

    QProcess daemon;
    QVERIFY(startDaemon(daemon));
    struct stat info
    {
    };
    QCOMPARE(::stat(QFile::encodeName(socket).constData(), &info), 0);
    QCOMPARE(info.st_mode & 077, 0u); // only the test user's wrappers may ask

    // Twin devices: one served by the daemon, one by the direct cli.
    const QString a = dir.filePath(u"a.json"_s);
    const QString b = dir.filePath(u"b.json"_s);
    const QList<QPair<QStringList, QByteArray>> script {
        { { u"snap"_s, u"list"_s, u"--all"_s }, "C.UTF-8" },
        { { u"snap"_s, u"list"_s }, "C" }, // '*' instead of the check mark
        { { u"snap"_s, u"version"_s }, "C.UTF-8" },
        { { u"snap"_s, u"refresh"_s, u"--list"_s }, "C.UTF-8" },
        { { u"sudo"_s, u"-n"_s, u"snap"_s, u"refresh"_s, u"--no-wait"_s, u"node-red"_s }, "C.UTF-8" },
        { { u"snap"_s, u"refresh"_s, u"--no-wait"_s, u"node-red"_s }, "C.UTF-8" }, // change in progress
        { { u"snap"_s, u"bogus"_s }, "C.UTF-8" },
        { { u"snappy"_s, u"info"_s }, "C.UTF-8" }, // 127: no such CLI on a snap device
        { { u"snap"_s, u"list"_s, u"--all"_s }, "C.UTF-8" },
    };
    for (const auto &[command, lang] : script) {
        const Ran d = viaDaemon(a, command, lang);
        const Ran c = direct(b, command, lang);
        const QByteArray what = command.join(u' ').toUtf8();
        QVERIFY2(c.exitCode >= 0, what.constData());
        QCOMPARE(d.out, c.out);
        QCOMPARE(d.err, c.err);
        QCOMPARE(d.exitCode, c.exitCode);
        if (command == QStringList { u"snap"_s, u"list"_s }) // the caller's locale reached the daemon
            QVERIFY2(d.out.contains("canonical*") && !d.out.contains("✓"), d.out.constData());
        else if (command.startsWith(u"snap"_s) && command.value(1) == u"list"_s)
            QVERIFY2(d.out.contains("canonical✓"), d.out.constData());
    }
    QCOMPARE(viaDaemon(a, { u"snap"_s, u"refresh"_s, u"--no-wait"_s, u"node-red"_s }).exitCode, 1);
    QCOMPARE(viaDaemon(a, { u"snappy"_s, u"info"_s }).exitCode, 127);
    // A usage error comes back as the cli's: exit 2 and the reason.
    const Ran usage = runProcess(simsnap, { socket, fleetsim, u"--index"_s, u"x"_s, u"--"_s, u"snap"_s });
    QCOMPARE(usage.exitCode, 2);
    QVERIFY2(usage.err.contains("--state is required"), usage.err.constData());

    // Junk on the socket: a clear refusal, and the daemon still serves.
    {
        const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un address {};
        address.sun_family = AF_UNIX;
        const QByteArray native = QFile::encodeName(socket);
        std::memcpy(address.sun_path, native.constData(), size_t(native.size()));
        QCOMPARE(::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address), 0);
        const char junk[] = "GET / HTTP/1.1\r\n\r\n";
        QCOMPARE(::write(fd, junk, sizeof junk), ssize_t(sizeof junk));
        ::shutdown(fd, SHUT_WR);
        QByteArray answer;
        char buffer[4096];
        for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;)
            answer.append(buffer, n);
        ::close(fd);
        QVERIFY2(answer.contains("not a canyon-simsnap request"), answer.constData());
        QCOMPARE(viaDaemon(a, { u"snap"_s, u"version"_s }).exitCode, 0);
    }

    // Commands on one device are serialised: of 8 refreshes at once, exactly one starts a change.
    const QString c = dir.filePath(u"c.json"_s);
    QCOMPARE(viaDaemon(c, { u"snap"_s, u"list"_s }).exitCode, 0);
    std::vector<std::unique_ptr<QProcess>> racers;
    for (int i = 0; i < 8; ++i) {
        racers.push_back(std::make_unique<QProcess>());
        racers.back()->start(simsnap,
            { socket, fleetsim, u"--state"_s, c, u"--"_s, u"snap"_s, u"refresh"_s, u"--no-wait"_s,
                u"node-red"_s });
    }
    int started = 0;
    int refused = 0;
    for (auto &p : racers) {
        QVERIFY(p->waitForFinished(20000));
        if (p->exitCode() == 0)
            ++started;
        else if (p->readAllStandardError().contains("change in progress"))
            ++refused;
    }
    QCOMPARE(started, 1);
    QCOMPARE(refused, 7);

    // Linked as a device's `snap`: simsnap.conf of $CANYON_SIM_DEVICE says which device, and
    // the command goes to the device's calls log.
    {
        QDir device(dir.filePath(u"dev3"_s));
        QVERIFY(device.mkpath(u"bin"_s));
        QVERIFY(QFile::link(simsnap, device.filePath(u"bin/snap"_s)));
        QFile conf(device.filePath(u"simsnap.conf"_s));
        QVERIFY(conf.open(QIODevice::WriteOnly));
        conf.write(QStringList { socket, fleetsim, device.filePath(u"calls.log"_s), u"--state"_s,
                       device.filePath(u"state.json"_s), u"--init"_s, u"snap"_s, u"--index"_s, u"3"_s }
                       .join(u'\n')
                       .toUtf8()
            + '\n');
        conf.close();
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"LANG"_s, u"C.UTF-8"_s);
        env.remove(u"LC_ALL"_s);
        env.remove(u"LC_MESSAGES"_s);
        p.setProcessEnvironment(env);
        p.start(device.filePath(u"bin/snap"_s), { u"list"_s, u"--all"_s });
        QVERIFY(p.waitForFinished(20000));
        QVERIFY(p.readAllStandardError().contains("without CANYON_SIM_DEVICE")); // refused, nothing run
        QCOMPARE(p.exitCode(), 70);
        env.insert(u"CANYON_SIM_DEVICE"_s, device.absolutePath());
        p.setProcessEnvironment(env);
        p.start(device.filePath(u"bin/snap"_s), { u"list"_s, u"--all"_s });
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitCode(), 0);
        QCOMPARE(p.readAllStandardOutput(),
            direct(dir.filePath(u"d.json"_s), { u"snap"_s, u"list"_s, u"--all"_s }).out);
        QFile calls(device.filePath(u"calls.log"_s));
        QVERIFY(calls.open(QIODevice::ReadOnly));
        QCOMPARE(calls.readAll(), QByteArray("snap list --all\n"));
    }

    // Stopped: the socket is gone and the client runs the cli itself, with the same answer.
    daemon.terminate();
    QVERIFY(daemon.waitForFinished(10000));
    QCOMPARE(daemon.exitCode(), 0);
    QVERIFY(!QFileInfo::exists(socket));
    const Ran fallback = viaDaemon(a, { u"snap"_s, u"list"_s, u"--all"_s });
    QCOMPARE(fallback.exitCode, 0);
    QCOMPARE(fallback.out, direct(b, { u"snap"_s, u"list"_s, u"--all"_s }).out);

    // A socket file left by a killed daemon is replaced; a live daemon is not displaced.
    QProcess first;
    QVERIFY(startDaemon(first));
    QProcess second;
    second.start(fleetsim, { u"clid"_s, u"--socket"_s, socket });
    QVERIFY(second.waitForFinished(10000));
    QCOMPARE(second.exitCode(), 1);
    QVERIFY(second.readAllStandardError().contains("already serves"));
    first.kill();
    QVERIFY(first.waitForFinished(10000));
    QVERIFY(QFileInfo::exists(socket)); // SIGKILL leaves it behind
    QProcess third;
    QVERIFY(startDaemon(third));
    QCOMPARE(viaDaemon(a, { u"snap"_s, u"version"_s }).exitCode, 0);
    third.terminate();
    QVERIFY(third.waitForFinished(10000));
}

void TestFleetSim::writeClientKey(const QString &path)
{
    ssh_key key = nullptr;
    QCOMPARE(ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key), SSH_OK);
    QCOMPARE(ssh_pki_export_privkey_file(key, nullptr, nullptr, nullptr, QFile::encodeName(path).constData()),
        SSH_OK);
    char *b64 = nullptr;
    QCOMPARE(ssh_pki_export_pubkey_base64(key, &b64), SSH_OK);
    QFile pub(path + u".pub"_s);
    QVERIFY(pub.open(QIODevice::WriteOnly));
    pub.write(QByteArray("ssh-ed25519 ") + b64 + " test@canyon\n");
    ssh_string_free_char(b64);
    ssh_key_free(key);
}

void TestFleetSim::server()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString clientKey = dir.filePath(u"client"_s);
    const QString strangerKey = dir.filePath(u"stranger"_s);
    writeClientKey(clientKey);
    writeClientKey(strangerKey);

    ServerConfig config;
    config.devices = 10;
    config.snappyShare = 20;
    config.hostKeyFile = dir.filePath(u"host_ed25519"_s);
    config.authorizedKeyFile = clientKey + u".pub"_s;
    config.stateDir = dir.filePath(u"state"_s);

    // Non-loopback addresses are refused before anything listens.
    {
        ServerConfig outside = config;
        outside.listenAddress = u"0.0.0.0"_s;
        SimServer refused(outside);
        QString error;
        QVERIFY(!refused.start(&error));
        QVERIFY2(error.contains(u"loopback"_s), qPrintable(error));
    }

    SimServer server(config);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    QVERIFY(server.port() != 0);
    QVERIFY(QFile::exists(config.hostKeyFile + u".pub"_s));

    int snappyIndex = -1;
    for (int i = 0; i < config.devices && snappyIndex < 0; ++i) {
        if (server.dialectOf(i) == Dialect::Snappy)
            snappyIndex = i;
    }
    QVERIFY(snappyIndex > 0);
    QCOMPARE(server.dialectOf(1), Dialect::Snap);

    {
        Client client;
        QString why;
        QVERIFY2(connectClient(client, server.port(), u"dev0001"_s, clientKey, &why), qPrintable(why));
        ExecResult r = exec(client.session, "snap list");
        QVERIFY(r.ok);
        SimDevice local = SimDevice::seeded(1, Dialect::Snap);
        QCOMPARE(r.out, local.run({ u"snap"_s, u"list"_s }, RunContext {}).out);
        QCOMPARE(r.err, QByteArray());
        QCOMPARE(r.exitStatus, 0);

        // A forward to snapd's socket is refused, like a device without one...
        ssh_channel forward = ssh_channel_new(client.session);
        QVERIFY(ssh_channel_open_forward_unix(forward, "/run/snapd.socket", "127.0.0.1", 0) != SSH_OK);
        ssh_channel_free(forward);
        // ...and the session carries on.
        r = exec(client.session, "snap nope; echo \"@@canyon $?\"");
        QCOMPARE(r.out, QByteArray("@@canyon 1\n"));
        QCOMPARE(r.err, QByteArray("error: unknown command \"nope\", see 'snap help'.\n"));
        r = exec(client.session, "exit 7");
        QCOMPARE(r.exitStatus, 7);
    }
    {
        Client client;
        const QString user = userForDevice(snappyIndex);
        QString why;
        QVERIFY2(connectClient(client, server.port(), user, clientKey, &why), qPrintable(why));
        const ExecResult r = exec(client.session, "sudo -n snappy versions -a");
        SimDevice local = SimDevice::seeded(snappyIndex, Dialect::Snappy);
        QCOMPARE(r.out, local.run({ u"snappy"_s, u"versions"_s, u"-a"_s }, RunContext {}).out);
        QVERIFY(r.out.startsWith("Part "));
        QVERIFY(r.out.contains("ubuntu-core "));
        QCOMPARE(r.exitStatus, 0);
        const ExecResult missing = exec(client.session, "snap version");
        QCOMPARE(missing.exitStatus, 127);
        QCOMPARE(missing.err, QByteArray("sh: 1: snap: not found\n"));
    }
    {
        // A mutation over SSH lands in the device's state file.
        Client client;
        QVERIFY(connectClient(client, server.port(), u"dev0000"_s, clientKey));
        const ExecResult r = exec(client.session, "sudo -n snap refresh --no-wait mosquitto");
        QCOMPARE(r.exitStatus, 0);
        QVERIFY(r.out.endsWith('\n'));
        const auto saved = loadDeviceState(QDir(config.stateDir).filePath(u"dev0000.json"_s), &error);
        QVERIFY2(saved.has_value(), qPrintable(error));
        QVERIFY(findRevision(*saved, u"mosquitto"_s, u"901"_s)->active);
        QCOMPARE(QByteArray::number(saved->changes.last().id) + '\n', r.out);
    }
    {
        // Unknown devices and unknown keys do not get in.
        Client wrongUser;
        QVERIFY(!connectClient(wrongUser, server.port(), u"dev0010"_s, clientKey));
        Client root;
        QVERIFY(!connectClient(root, server.port(), u"root"_s, clientKey));
        Client stranger;
        QVERIFY(!connectClient(stranger, server.port(), u"dev0001"_s, strangerKey));
    }
    {
        // A client that vanishes mid-session does not take the server down.
        Client rude;
        QVERIFY(connectClient(rude, server.port(), u"dev0002"_s, clientKey));
        ssh_channel channel = ssh_channel_new(rude.session);
        QCOMPARE(ssh_channel_open_session(channel), SSH_OK);
        QCOMPARE(ssh_channel_request_exec(channel, "snap list"), SSH_OK);
        ::shutdown(ssh_get_fd(rude.session), SHUT_RDWR);
        ssh_channel_free(channel);
        Client polite;
        QVERIFY(connectClient(polite, server.port(), u"dev0002"_s, clientKey));
        QCOMPARE(exec(polite.session, "true").exitStatus, 0);
    }

    server.stop();
    QCOMPARE(server.activeSessions(), 0);
}

void TestFleetSim::serverFaults()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString clientKey = dir.filePath(u"client"_s);
    writeClientKey(clientKey);
    ServerConfig base;
    base.devices = 4;
    base.snappyShare = 0;
    base.hostKeyFile = dir.filePath(u"host_ed25519"_s);
    base.authorizedKeyFile = clientKey + u".pub"_s;

    {
        // Slow devices answer late, but answer.
        ServerConfig config = base;
        config.slowShare = 100;
        config.slowMs = 400;
        SimServer server(config);
        QVERIFY(server.start(nullptr));
        Client client;
        QVERIFY(connectClient(client, server.port(), u"dev0001"_s, clientKey));
        QElapsedTimer timer;
        timer.start();
        const ExecResult r = exec(client.session, "echo late");
        QVERIFY(timer.elapsed() >= 390);
        QCOMPARE(r.out, QByteArray("late\n"));
    }
    {
        // Dropping devices cut the connection half way through the output.
        ServerConfig config = base;
        config.dropShare = 100;
        SimServer server(config);
        QVERIFY(server.start(nullptr));
        Client client;
        QVERIFY(connectClient(client, server.port(), u"dev0001"_s, clientKey));
        const ExecResult r = exec(client.session, "snap list", 3000);
        const QByteArray whole
            = SimDevice::seeded(1, Dialect::Snap).run({ u"snap"_s, u"list"_s }, RunContext {}).out;
        QVERIFY(!r.ok);
        QCOMPARE(r.exitStatus, -1);
        QVERIFY(whole.startsWith(r.out));
        QVERIFY(r.out.size() < whole.size());
        QVERIFY(!ssh_is_connected(client.session) || ssh_get_status(client.session) != 0);
    }
    {
        // Silent devices take the exec and never answer it.
        ServerConfig config = base;
        config.silentShare = 100;
        SimServer server(config);
        QVERIFY(server.start(nullptr));
        Client client;
        QVERIFY(connectClient(client, server.port(), u"dev0001"_s, clientKey));
        const ExecResult r = exec(client.session, "echo hello", 700);
        QVERIFY(!r.ok);
        QCOMPARE(r.out, QByteArray());
    }
    {
        // A reboot takes the device away for a while.
        ServerConfig config = base;
        config.rebootMs = 800;
        SimServer server(config);
        QVERIFY(server.start(nullptr));
        {
            Client client;
            QVERIFY(connectClient(client, server.port(), u"dev0002"_s, clientKey));
            exec(client.session, "sudo reboot", 2000);
        }
        Client whileDown;
        QVERIFY(!connectClient(whileDown, server.port(), u"dev0002"_s, clientKey));
        Client other;
        QVERIFY(connectClient(other, server.port(), u"dev0003"_s, clientKey));
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                Client again;
                return connectClient(again, server.port(), u"dev0002"_s, clientKey);
            }(),
            5000);
    }
}

QTEST_APPLESS_MAIN(TestFleetSim)
#include "tst_fleetsim.moc"
