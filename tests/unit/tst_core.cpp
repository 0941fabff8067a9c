// SPDX-License-Identifier: GPL-3.0-or-later
// Core pieces below the SSH transport: HTTP framing, script sections, inventory JSON, config.
#include "domain/Host.h"
#include "domain/JsonWriter.h"
#include "fleet/Config.h"
#include "fleet/InventoryJson.h"
#include "snap/DeviceProbe.h"
#include "ssh/HttpMessage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace canyon;

class TestCore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void http_data();
    void http();
    void httpByteByByte();
    void sections_data();
    void sections();
    void systemKey();
    void jsonWriterText_data();
    void jsonWriterText();
    void jsonWriterStructure();
    void inventoryJsonShape();
    void inventoryCacheReader();
    void configHosts();
    void configRejectsBrokenFile();
};

void TestCore::http_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<bool>("closeAtEnd");
    QTest::addColumn<bool>("complete");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");

    QTest::addRow("content-length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
                                    << false << true << 200 << QByteArray("hello");
    QTest::addRow("chunked") << QByteArray(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;x=y\r\n world\r\n0\r\n\r\n")
                             << false << true << 200 << QByteArray("hello world");
    QTest::addRow("until-close") << QByteArray("HTTP/1.0 404 Not Found\r\n\r\n{\"a\":1}") << true << true
                                 << 404 << QByteArray("{\"a\":1}");
    QTest::addRow("cut-short") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nhello") << true
                               << false << 200 << QByteArray();
    QTest::addRow("garbage") << QByteArray("SSH-2.0-OpenSSH\r\n") << false << false << 0 << QByteArray();
    QTest::addRow("bad-chunk") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
                               << false << false << 200 << QByteArray();
    QTest::addRow("negative-length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: -4\r\n\r\n") << false
                                     << false << 200 << QByteArray();
    QTest::addRow("huge-length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n")
                                 << false << false << 200 << QByteArray();
}

void TestCore::http()
{
    QFETCH(QByteArray, raw);
    QFETCH(bool, closeAtEnd);
    QFETCH(bool, complete);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    HttpResponseParser p;
    p.feed(raw);
    if (closeAtEnd)
        p.finish();
    QCOMPARE(p.isComplete(), complete);
    if (complete) {
        QCOMPARE(p.status(), status);
        QCOMPARE(p.body(), body);
    } else if (closeAtEnd || raw.startsWith("SSH") || raw.contains("zz") || raw.contains("-4")
        || raw.contains("9999")) {
        QVERIFY(p.hasError());
        QVERIFY(!p.error().isEmpty());
    }
}

void TestCore::httpByteByByte()
{
    const QByteArray raw = "HTTP/1.1 200 OK\r\ncontent-length: 11\r\nX: y\r\n\r\nhello world";
    HttpResponseParser p;
    for (char c : raw)
        p.feed(QByteArrayView(&c, 1));
    QVERIFY(p.isComplete());
    QCOMPARE(p.body(), QByteArray("hello world"));
    QCOMPARE(p.header("X"), QByteArray("y"));
}

void TestCore::sections_data()
{
    QTest::addColumn<QByteArray>("out");
    QTest::addColumn<int>("expected");
    QTest::addColumn<bool>("whole");
    QTest::addColumn<QList<int>>("codes");
    QTest::addColumn<QByteArray>("second");

    const QByteArray n = "@@canyon-abc ";
    QTest::addRow("three") << QByteArray(
        "v1\n" + n + "0\nlist\nrows\n" + n + "0\nAll snaps up to date.\n" + n + "0\n")
                           << 3 << true << QList<int> { 0, 0, 0 } << QByteArray("list\nrows\n");
    QTest::addRow("not-found") << QByteArray(n + "127\n" + n + "127\n") << 2 << true
                               << QList<int> { 127, 127 } << QByteArray();
    QTest::addRow("cut") << QByteArray("v1\n" + n + "0\nlist\nro") << 2 << false << QList<int> { 0 }
                         << QByteArray();
    // a marker that is not at the start of a line is data, not a section end
    QTest::addRow("embedded") << QByteArray("x " + n + "9\n" + n + "1\n" + n + "0\n") << 2 << true
                              << QList<int> { 1, 0 } << QByteArray();
}

void TestCore::sections()
{
    QFETCH(QByteArray, out);
    QFETCH(int, expected);
    QFETCH(bool, whole);
    QFETCH(QList<int>, codes);
    QFETCH(QByteArray, second);
    QList<ScriptSection> s;
    QCOMPARE(splitSections(out, "abc", expected, &s), whole);
    QCOMPARE(s.size(), codes.size());
    for (int i = 0; i < codes.size(); ++i)
        QCOMPARE(s.at(i).exitCode, codes.at(i));
    if (whole && s.size() > 1)
        QCOMPARE(s.at(1).output, second);
    QCOMPARE(buildSectionScript({ "a", "b 2>&1" }, "n1"),
        QByteArray("a; echo \"@@canyon-n1 $?\"; b 2>&1; echo \"@@canyon-n1 $?\""));
}

void TestCore::systemKey()
{
    auto snap = [](const char *name, const char *rev, QStringList notes, bool active = true) {
        Snap s;
        s.name = QString::fromLatin1(name);
        s.revision = QString::fromLatin1(rev);
        s.notes = notes;
        s.active = active;
        return s;
    };
    const SnapList before = { snap("snapd", "21184", { u"snapd"_s }),
        snap("pc-kernel", "1606", { u"kernel"_s }), snap("core22", "1122", { u"base"_s }),
        snap("mosquitto", "870", {}), snap("pc-kernel", "1500", { u"kernel"_s, u"disabled"_s }, false) };
    QCOMPARE(systemKeyOf(before), u"pc-kernel@1606,snapd@21184"_s);
    SnapList appRefreshed = before;
    appRefreshed[3].revision = u"901"_s;
    QCOMPARE(systemKeyOf(appRefreshed), systemKeyOf(before)); // an app refresh keeps the system facts
    SnapList snapdRefreshed = before;
    snapdRefreshed[0].revision = u"21759"_s;
    QVERIFY(systemKeyOf(snapdRefreshed) != systemKeyOf(before)); // a snapd refresh re-reads them
}

static DeviceInventory sampleInventory()
{
    DeviceInventory inv;
    inv.host = u"dev1"_s;
    inv.address = u"u@h:22"_s;
    inv.dialect = Dialect::SnapCli;
    inv.reachable = true;
    inv.status = DeviceStatus::Ok;
    inv.system.os = u"ubuntu-core"_s;
    inv.system.release = u"22"_s;
    inv.system.snapdVersion = u"2.61.3"_s;
    Snap core;
    core.name = u"core22"_s;
    core.version = u"20240111"_s;
    core.revision = u"1122"_s;
    core.channel = u"latest/stable"_s;
    core.publisher = u"canonical"_s;
    core.notes = { u"base"_s };
    core.updateKnowledge = UpdateKnowledge::Available;
    core.update = { u"20240201"_s, u"1200"_s };
    Snap old = core;
    old.revision = u"1033"_s;
    old.active = false;
    old.notes = { u"base"_s, u"disabled"_s };
    old.updateKnowledge = UpdateKnowledge::None;
    old.update = {};
    Snap unknown = core;
    unknown.name = u"\x1b[31mevil"_s;
    unknown.updateKnowledge = UpdateKnowledge::Unknown;
    unknown.update = {};
    unknown.summary = u"<b>bold</b>"_s;
    inv.snaps = { core, old, unknown };
    return inv;
}

void TestCore::jsonWriterText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // what a JSON reader must get back
    QTest::addRow("plain") << u"core22"_s << u"core22"_s;
    QTest::addRow("empty") << QString() << QString();
    QTest::addRow("quote and backslash") << u"a\"b\\c\\\""_s << u"a\"b\\c\\\""_s;
    QString controls;
    for (char16_t c = 0; c < 0x20; ++c)
        controls.append(QChar(c));
    controls.append(QChar(0x7f));
    QTest::addRow("every control character and NUL") << controls << controls;
    QTest::addRow("ANSI and OSC escapes")
        << u"\x1b[31mred\x1b]0;title\x07"_s << u"\x1b[31mred\x1b]0;title\x07"_s;
    QTest::addRow("RTL override, HTML") << u"abc\u202Etxt.exe <b>x</b>"_s << u"abc\u202Etxt.exe <b>x</b>"_s;
    QTest::addRow("non-ASCII and a surrogate pair")
        << u"Grüße 日本 \U0001F600"_s << u"Grüße 日本 \U0001F600"_s;
    const QString lone = u"a"_s + QChar(0xD800) + u"b"_s;
    QTest::addRow("lone surrogate") << lone << u"a?b"_s; // replaced, as QString::toUtf8 does
    QTest::addRow("10k characters") << QString(10000, u'x') << QString(10000, u'x');
}

// Whatever a device sends as a name, the writer keeps it one JSON string that reads back as
// the same text, with no raw control byte in the document.
void TestCore::jsonWriterText()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    for (bool indented : { false, true }) {
        QByteArray out;
        JsonWriter w(&out, indented);
        w.beginObject();
        w.key("name"_L1).value(text);
        w.key("list"_L1).beginArray();
        w.value(text);
        w.endArray();
        w.endObject();
        for (char c : out)
            QVERIFY2(static_cast<unsigned char>(c) >= 0x20 || (indented && c == '\n'), out.constData());
        QJsonParseError err;
        const QJsonDocument doc = QJsonDocument::fromJson(out, &err);
        QCOMPARE(err.error, QJsonParseError::NoError);
        QCOMPARE(doc.object().value(u"name"_s).toString(), expected);
        QCOMPARE(doc.object().value(u"list"_s).toArray().at(0).toString(), expected);
    }
}

void TestCore::jsonWriterStructure()
{
    const QJsonObject expected { { u"a"_s, QJsonArray() }, { u"b"_s, QJsonObject() },
        { u"c"_s, QJsonArray { QJsonObject { { u"d"_s, QJsonValue::Null }, { u"e"_s, true } }, false } },
        { u"f"_s, QJsonValue::Null }, { u"g"_s, u"1200"_s } };
    for (bool indented : { false, true }) {
        QByteArray out;
        JsonWriter w(&out, indented);
        w.beginObject();
        w.key("a"_L1).beginArray();
        w.endArray();
        w.key("b"_L1).beginObject();
        w.endObject();
        w.key("c"_L1).beginArray();
        w.beginObject();
        w.key("d"_L1).null();
        w.key("e"_L1).value(true);
        w.endObject();
        w.value(false);
        w.endArray();
        w.key("f"_L1).value(std::optional<QString>());
        w.key("g"_L1).value(std::optional<QString>(u"1200"_s));
        w.endObject();
        QJsonParseError err;
        const QJsonDocument doc = QJsonDocument::fromJson(out, &err);
        QCOMPARE(err.error, QJsonParseError::NoError);
        QCOMPARE(doc.object(), expected);
        // Keys written in sorted order come out as Qt's own writer lays them out (indented, it
        // breaks the lines of empty containers, which this writer does not).
        if (!indented)
            QCOMPARE(out, QJsonDocument(expected).toJson(QJsonDocument::Compact));
    }
}

void TestCore::inventoryJsonShape()
{
    const QJsonObject o = inventoryToJson(sampleInventory());
    for (const char *k : { "host", "address", "dialect", "reachable", "status", "error", "system", "snaps" })
        QVERIFY2(o.contains(QLatin1StringView(k)), k);
    QCOMPARE(o.value(u"dialect"_s).toString(), u"snap"_s);
    QVERIFY(o.value(u"error"_s).isNull());
    const QJsonArray snaps = o.value(u"snaps"_s).toArray();
    QCOMPARE(snaps.size(), 3);
    QCOMPARE(snaps.at(0).toObject().value(u"revision"_s).toString(), u"1122"_s); // a string, not a number
    QCOMPARE(snaps.at(0).toObject().value(u"update"_s).toObject().value(u"revision"_s).toString(), u"1200"_s);
    QVERIFY(snaps.at(1).toObject().value(u"update"_s).isNull()); // none: null
    QVERIFY(!snaps.at(2).toObject().contains(u"update"_s)); // unknown: absent
    QCOMPARE(snaps.at(1).toObject().value(u"active"_s).toBool(), false);
    // control characters are escaped by the JSON writer, never raw
    QByteArray text;
    JsonWriter w(&text, true);
    writeInventoryJson(w, sampleInventory());
    QVERIFY(!text.contains('\x1b'));
    QVERIFY(text.contains("\\u001b"));
    DeviceInventory failed;
    failed.host = u"x"_s;
    failed.status = DeviceStatus::HostKeyChanged;
    failed.error = u"REFUSED"_s;
    const QJsonObject f = inventoryToJson(failed);
    QCOMPARE(f.value(u"status"_s).toString(), u"host-key-changed"_s);
    QCOMPARE(f.value(u"error"_s).toString(), u"REFUSED"_s);
    QCOMPARE(f.value(u"reachable"_s).toBool(), false);
}

// The cache is read with JsonReader (inventoriesFromJson): what the writer wrote comes back
// whole, fields of another type read as QJsonValue converts them, a bad document gives nothing.
void TestCore::inventoryCacheReader()
{
    DeviceInventory full = sampleInventory();
    full.hostKey = { u"ssh-ed25519"_s, u"SHA256:abc"_s, QString(), QString() };
    full.system.lastRefresh = QDateTime::fromString(u"2026-11-02T03:04:05Z"_s, Qt::ISODate);
    full.system.refreshError = u"store \"down\"\n\u202eevil"_s;
    full.fetchedAt = QDateTime::fromString(u"2026-11-30T01:02:03.456Z"_s, Qt::ISODateWithMs);
    full.lastOkAt = full.fetchedAt;
    DeviceInventory failed;
    failed.host = u"gone"_s;
    failed.status = DeviceStatus::Unreachable;
    failed.error = u"no route "_s + QChar(0) + u"\U0001F600"_s;
    failed.snaps = full.snaps; // kept from before, written for the cache only
    for (const bool indented : { false, true }) {
        QByteArray text;
        JsonWriter w(&text, indented);
        w.beginArray();
        writeInventoryJson(w, full, true);
        writeInventoryJson(w, failed, true);
        w.endArray();
        bool ok = false;
        const QList<DeviceInventory> back = inventoriesFromJson(text, &ok);
        QVERIFY(ok);
        QCOMPARE(back.size(), 2);
        for (const auto &[got, want] : { std::pair { back.at(0), full }, std::pair { back.at(1), failed } }) {
            QCOMPARE(got.host, want.host);
            QCOMPARE(got.status, want.status);
            QCOMPARE(got.error, want.status == DeviceStatus::Ok ? QString() : want.error);
            QCOMPARE(got.dialect, want.dialect);
            QCOMPARE(got.reachable, want.reachable);
            QCOMPARE(got.system, want.system);
            QCOMPARE(got.hostKey, want.hostKey);
            QCOMPARE(got.fetchedAt, want.fetchedAt);
            QCOMPARE(got.lastOkAt, want.lastOkAt);
            QCOMPARE(got.snaps, want.snaps);
        }
    }

    // Types other than written: as QJsonValue's conversions give them; unknown keys skipped.
    bool ok = false;
    const QList<DeviceInventory> odd = inventoriesFromJson(
        R"([{"host":7,"reachable":"yes","status":"weird","dialect":null,"extra":{"a":[1,{"b":null}]},
            "system":[1,2],"snaps":[{"name":"a","active":0,"notes":["x",5,null],"revision":29,"update":false},
            {"name":"b","update":{"version":"2","revision":"3"}},"not an object"]},
           "not an object", {"host":"h","host":"last wins"}])",
        &ok);
    QVERIFY(ok);
    QCOMPARE(odd.size(), 3);
    QCOMPARE(odd.at(0).host, QString());
    QCOMPARE(odd.at(0).reachable, false);
    QCOMPARE(odd.at(0).status, DeviceStatus::Error);
    QCOMPARE(odd.at(0).system, DeviceSystem {});
    QCOMPARE(odd.at(0).snaps.size(), 3);
    const Snap a = odd.at(0).snaps.at(0);
    QCOMPARE(a.active, true);
    QCOMPARE(a.notes, QStringList({ u"x"_s, QString(), QString() }));
    QCOMPARE(a.revision, std::nullopt);
    QCOMPARE(a.updateKnowledge, UpdateKnowledge::None);
    QCOMPARE(odd.at(0).snaps.at(1).updateKnowledge, UpdateKnowledge::Available);
    QCOMPARE(odd.at(0).snaps.at(1).update, (SnapUpdate { u"2"_s, u"3"_s }));
    QCOMPARE(odd.at(0).snaps.at(2).name, QString());
    QCOMPARE(odd.at(0).snaps.at(2).updateKnowledge, UpdateKnowledge::Unknown);
    QCOMPARE(odd.at(1).host, QString());
    QCOMPARE(odd.at(2).host, u"last wins"_s);

    for (const QByteArray &bad : { QByteArray(), QByteArray("{}"), QByteArray("[{\"host\":\"a\"},]"),
             QByteArray("[{\"host\":\"a\"}] x"), QByteArray("[{\"host\":\"a\\u00\"}]"),
             QByteArray("[{\"host\":\"a\tb\"}]"), QByteArray("[01]"), QByteArray("[1.]"),
             QByteArray("[{\"host\":tru}]"), QByteArray(4000, '['), QByteArray("[\"a\0b\"]", 7) }) {
        const QList<DeviceInventory> none = inventoriesFromJson(bad, &ok);
        QVERIFY2(!ok, bad.left(40).constData());
        QVERIFY(none.isEmpty());
    }
}

void TestCore::configHosts()
{
    QTemporaryDir dir;
    const Config c = Config::fromDirectory(dir.path() + u"/cfg"_s);
    QList<HostConfig> hosts;
    QString error;
    QVERIFY(c.loadHosts(&hosts, &error)); // missing file: empty
    QVERIFY(hosts.isEmpty());
    HostConfig a;
    a.name = u"a"_s;
    QVERIFY(SshTarget::parse(u"ubuntu@10.0.0.5:2222"_s, &a.ssh, &error));
    a.group = u"lab"_s;
    a.identityFile = u"/k"_s;
    HostConfig b;
    b.name = u"b"_s;
    QVERIFY(SshTarget::parse(u"myalias"_s, &b.ssh, &error));
    QVERIFY2(c.saveHosts({ a, b }, &error), qPrintable(error));
    QVERIFY(c.loadHosts(&hosts, &error));
    QCOMPARE(hosts.size(), 2);
    QCOMPARE(hosts.at(0), a);
    QCOMPARE(hosts.at(1), b);
    QCOMPARE(hosts.at(0).ssh.port, 2222);
    QCOMPARE(c.knownHostsFile(), dir.path() + u"/cfg/known_hosts"_s);
    // --config moves everything, journals and cache included
    QVERIFY(c.inventoryCacheFile().startsWith(dir.path() + u"/cfg/"_s));
}

void TestCore::configRejectsBrokenFile()
{
    QTemporaryDir dir;
    const Config c = Config::fromDirectory(dir.path());
    QFile f(c.hostsFile());
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{\"hosts\": [");
    f.close();
    QList<HostConfig> hosts;
    QString error;
    QVERIFY(!c.loadHosts(&hosts, &error));
    QVERIFY(error.contains(u"hosts.json"_s));
}

QTEST_GUILESS_MAIN(TestCore)
#include "tst_core.moc"
