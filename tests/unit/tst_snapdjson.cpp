// SPDX-License-Identifier: GPL-3.0-or-later
// snapd REST JSON: /v2/snaps, /v2/find?select=refresh, /v2/system-info and error envelopes.
// Fixtures: tests/data/snapd-2.57.6 (real), tests/data/snapd-json (hand-made).
#include "ParserTestSupport.h"
#include "snap/SnapCliParser.h"
#include "snap/SnapdJson.h"
#include "snap/TextTable.h"

#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace canyon;

Q_DECLARE_METATYPE(canyon::DeviceSystem)
Q_DECLARE_METATYPE(canyon::RefreshCheck)
Q_DECLARE_METATYPE(canyon::SnapdError)

namespace {

Snap withSummary(Snap s, const QString &summary)
{
    s.summary = summary;
    return s;
}

QByteArray syncWith(const QByteArray &result)
{
    return R"({"type":"sync","status-code":200,"status":"OK","result":)" + result + '}';
}

const QString kCanonical = u"canonical"_s;
const QString kStoreDown
    = u"cannot list updates: Post \"https://api.snapcraft.io/v2/snaps/refresh\": dial tcp: lookup "
      "api.snapcraft.io: no such host"_s;

SnapList sampleDevice()
{
    return {
        withSummary(makeSnap(u"snapd"_s, u"0.0.1"_s, u"x1"_s, {}, {}, { u"snapd"_s }, u"snapd"_s),
            u"fake snapd snap for offline tests"_s),
        withSummary(
            makeSnap(u"tb-app"_s, u"0.1"_s, u"x1"_s, {}, {}, { u"devmode"_s }, u"app"_s), u"test app"_s),
        withSummary(
            makeSnap(u"tb-base"_s, u"1.1"_s, u"x2"_s, {}, {}, { u"base"_s }, u"base"_s), u"test base"_s),
    };
}

SnapList coreAll()
{
    const QString core22Summary = u"Runtime environment based on Ubuntu 22.04"_s;
    return {
        withSummary(makeSnap(u"core22"_s, u"20240111"_s, u"1122"_s, u"latest/stable"_s, kCanonical,
                        { u"base"_s }, u"base"_s),
            core22Summary),
        withSummary(makeSnap(u"core22"_s, u"20231123"_s, u"1033"_s, u"latest/stable"_s, kCanonical,
                        { u"base"_s, u"disabled"_s }, u"base"_s),
            core22Summary),
        withSummary(makeSnap(u"core"_s, u"16-2.61.2"_s, u"16574"_s, u"latest/stable"_s, kCanonical,
                        { u"core"_s }, u"os"_s),
            u"snapd runtime environment"_s),
        withSummary(makeSnap(u"pc"_s, u"22-0.3"_s, u"146"_s, u"22/stable"_s, kCanonical, { u"gadget"_s },
                        u"gadget"_s),
            u"PC gadget"_s),
        withSummary(makeSnap(u"pc-kernel"_s, u"5.15.0-91.101.1"_s, u"1606"_s, u"22/stable"_s, kCanonical,
                        { u"kernel"_s }, u"kernel"_s),
            u"The Ubuntu generic Linux kernel"_s),
        withSummary(makeSnap(u"hello"_s, u"2.10.1"_s, u"43"_s, u"latest/candidate"_s, kCanonical,
                        { u"held"_s }, u"app"_s),
            u"GNU Hello, the \"hello world\" snap"_s),
        withSummary(makeSnap(u"code"_s, u"1.85.1"_s, u"150"_s, u"latest/stable"_s, u"vscode"_s,
                        { u"classic"_s }, u"app"_s),
            u"Code editing. Redefined."_s),
        withSummary(
            makeSnap(u"jailed"_s, u"0.2"_s, u"x3"_s, {}, u"bob"_s, { u"jailmode"_s, u"try"_s }, u"app"_s),
            u"devmode snap forced into strict confinement"_s),
        makeSnap(u"broken-app"_s, u"1.0"_s, u"5"_s, {}, {},
            { u"private"_s, u"broken"_s, u"ignore-validation"_s }, u"app"_s),
    };
}

} // namespace

class TestSnapdJson : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void snaps_data();
    void snaps();
    void snapsErrors_data();
    void snapsErrors();
    void cliAndRestAgree();

    void findRefresh_data();
    void findRefresh();
    void applyFindRefresh();

    void systemInfo_data();
    void systemInfo();
    void systemInfoErrors_data();
    void systemInfoErrors();

    void errorOf_data();
    void errorOf();
};

void TestSnapdJson::snaps_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<SnapList>("expected");

    QTest::addRow("snapd 2.57.6 device (real)")
        << testData("snapd-2.57.6/snapd-v2-snaps.json") << sampleDevice();
    QTest::addRow("select=all on Core: notes, channels, publishers")
        << testData("snapd-json/snaps-core-all.json") << coreAll();
    QTest::addRow("nothing installed") << syncWith("[]") << SnapList();
    QTest::addRow("hostile values are kept as they are") << syncWith(
        R"([{"name":"\u001b[31mred\u001b]0;pwned\u0007","version":"1\u0000","revision":"1","status":"active"},
                       {"name":"<img src=x onerror=alert(1)>","version":"2","revision":"2","status":"active",
                        "tracking-channel":"rtl\u202etxt","publisher":{"username":"\ud83d\ude00"}}])")
                                                         << SnapList { makeSnap(
                                                                           u"\x1b[31mred\x1b]0;pwned\x07"_s,
                                                                           u"1\0"_s, u"1"_s, {}, {}, {}),
                                                                makeSnap(u"<img src=x onerror=alert(1)>"_s,
                                                                    u"2"_s, u"2"_s, u"rtl\u202etxt"_s,
                                                                    u"\U0001F600"_s, {}) };
    QTest::addRow("invalid UTF-8 becomes U+FFFD") << syncWith(
        "[{\"name\":\"bad\xff\xfe\",\"version\":\"\xe2\x9c\",\"revision\":\"1\",\"status\":\"active\"}]")
                                                  << SnapList { makeSnap(u"bad\ufffd\ufffd"_s,
                                                         u"\ufffd\ufffd"_s, u"1"_s, {}, {}, {}) };
    QTest::addRow("10,000-character name")
        << syncWith(R"([{"name":")" + QByteArray(10000, 'n')
               + R"(","version":"1","revision":"1","status":"active"}])")
        << SnapList { makeSnap(QString(10000, u'n'), u"1"_s, u"1"_s, {}, {}, {}) };
    QTest::addRow("nulls count as absent, unknown fields ignored") << syncWith(
        R"([{"name":"a","version":null,"revision":"7","status":"active","publisher":null,"developer":"dev",
                        "channel":"stable","tracking-channel":null,"apps":[{"name":"x"}],"future":{"x":1}}])")
                                                                   << SnapList { makeSnap(u"a"_s, {}, u"7"_s,
                                                                          u"stable"_s, u"dev"_s, {}) };
    QTest::addRow("any status other than active is disabled")
        << syncWith(R"([{"name":"a","version":"1","revision":"7","status":"installed"},
                       {"name":"b","version":"1","revision":"8"}])")
        << SnapList { makeSnap(u"a"_s, u"1"_s, u"7"_s, {}, {}, { u"disabled"_s }),
               makeSnap(u"b"_s, u"1"_s, u"8"_s, {}, {}, { u"disabled"_s }) };
}

void TestSnapdJson::snaps()
{
    QFETCH(QByteArray, body);
    QFETCH(SnapList, expected);

    SnapList snaps { makeSnap(u"stale"_s, {}, {}, {}, {}, {}) };
    QString error;
    QVERIFY2(parseSnapdSnaps(body, &snaps, &error), qPrintable(error));
    QCOMPARE(snaps, expected);
}

void TestSnapdJson::snapsErrors_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("error");
    QTest::addColumn<bool>("prefixOnly"); // the rest is Qt's own wording

    const QString malformed = u"/v2/snaps: malformed snapd JSON: "_s;
    QTest::addRow("empty body") << QByteArray() << malformed << true;
    QTest::addRow("cut JSON") << testData("snapd-2.57.6/snapd-v2-snaps.json").left(700) << malformed << true;
    QTest::addRow("HTML instead of JSON")
        << QByteArray("<html><body>502 Bad Gateway</body></html>") << malformed << true;
    QTest::addRow("array nesting bomb") << QByteArray(100000, '[') << malformed << true;
    QByteArray objects;
    for (int i = 0; i < 10000; ++i)
        objects += "{\"a\":";
    QTest::addRow("object nesting bomb") << objects << malformed << true;
    QTest::addRow("deep but closed nesting")
        << syncWith(QByteArray(5000, '[') + QByteArray(5000, ']')) << malformed << true;
    QTest::addRow("too large") << QByteArray(kMaxParserInputBytes + 1, ' ')
                               << u"/v2/snaps: snapd response too large (16777217 bytes)"_s << false;
    QTest::addRow("not an object") << QByteArray("[]")
                                   << u"/v2/snaps: malformed snapd response: not a JSON object"_s << false;
    QTest::addRow("no type") << QByteArray(R"({"status-code":200,"result":[]})")
                             << u"/v2/snaps: malformed snapd response: no \"type\" string"_s << false;
    QTest::addRow("status-code not a number")
        << QByteArray(R"({"type":"sync","status-code":"200","result":[]})")
        << u"/v2/snaps: malformed snapd response: \"status-code\" is not a number"_s << false;
    QTest::addRow("async") << QByteArray(R"({"type":"async","status-code":202,"change":"5","result":null})")
                           << u"/v2/snaps: unexpected snapd response type \"async\""_s << false;
    QTest::addRow("error envelope") << QByteArray(
        R"({"type":"error","status-code":401,"status":"Unauthorized",
                                                     "result":{"message":"access denied","kind":"login-required"}})")
                                    << u"/v2/snaps: access denied [login-required]"_s << false;
    QTest::addRow("sync with an error status")
        << QByteArray(R"({"type":"sync","status-code":404,"status":"Not Found",
                                                                "result":{"message":"not found"}})")
        << u"/v2/snaps: not found"_s << false;
    QTest::addRow("error without a result object")
        << QByteArray(R"({"type":"error","status-code":500,"status":"Internal Server Error","result":null})")
        << u"/v2/snaps: Internal Server Error"_s << false;
    QTest::addRow("error with nothing")
        << QByteArray(R"({"type":"error"})") << u"/v2/snaps: snapd error"_s << false;
    QTest::addRow("result not a list") << syncWith("{}") << u"/v2/snaps: \"result\" is not a list"_s << false;
    QTest::addRow("entry not an object")
        << syncWith("[1]") << u"/v2/snaps: entry 1 is not an object"_s << false;
    QTest::addRow("revision as a number") << syncWith(R"([{"name":"a","revision":29,"status":"active"}])")
                                          << u"/v2/snaps entry 1: \"revision\" is not a string"_s << false;
    QTest::addRow("devmode as a string") << syncWith(R"([{"name":"a","revision":"1","devmode":"yes"}])")
                                         << u"/v2/snaps entry 1: \"devmode\" is not a boolean"_s << false;
    QTest::addRow("publisher as a string")
        << syncWith(R"([{"name":"a","revision":"1","publisher":"canonical"}])")
        << u"/v2/snaps entry 1: \"publisher\" is not an object"_s << false;
    QTest::addRow("name as an array, second entry")
        << syncWith(R"([{"name":"a","revision":"1"},{"name":["b"],"revision":"1"}])")
        << u"/v2/snaps entry 2: \"name\" is not a string"_s << false;
    QTest::addRow("no name") << syncWith(R"([{"revision":"1"}])")
                             << u"/v2/snaps: entry 1 has no name or revision"_s << false;
    QTest::addRow("no revision") << syncWith(R"([{"name":"a"}])")
                                 << u"/v2/snaps: entry 1 has no name or revision"_s << false;
}

void TestSnapdJson::snapsErrors()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, error);
    QFETCH(bool, prefixOnly);

    const SnapList before { makeSnap(u"stale"_s, {}, {}, {}, {}, {}) };
    SnapList snaps = before;
    QString why;
    QVERIFY(!parseSnapdSnaps(body, &snaps, &why));
    if (prefixOnly)
        QVERIFY2(why.startsWith(error) && why.size() > error.size(), qPrintable(why));
    else
        QCOMPARE(why, error);
    QCOMPARE(snaps, before);
}

// The same device through both dialects: the inventory must not depend on the dialect
// (summary and the "app" type are only known over REST).
void TestSnapdJson::cliAndRestAgree()
{
    SnapList rest;
    SnapList cli;
    QString error;
    QVERIFY2(parseSnapdSnaps(testData("snapd-2.57.6/snapd-v2-snaps.json"), &rest, &error), qPrintable(error));
    QVERIFY2(parseSnapList(testData("snapd-2.57.6/snap-list.txt"), &cli, &error), qPrintable(error));
    for (Snap &s : rest) {
        s.summary.clear();
        if (s.type == u"app")
            s.type.clear();
    }
    QCOMPARE(cli, rest);
}

void TestSnapdJson::findRefresh_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<RefreshCheck>("expected");

    QTest::addRow("two updates") << testData("snapd-json/find-refresh.json")
                                 << determined({ { u"core22"_s, { u"20240215"_s, u"1380"_s } },
                                        { u"hello"_s, { u"2.10.2"_s, u"44"_s } } });
    QTest::addRow("none") << testData("snapd-json/find-refresh-none.json") << determined();
    QTest::addRow("store unreachable")
        << testData("snapd-json/find-refresh-store-error.json") << undetermined(kStoreDown);
    QTest::addRow("network timeout kind")
        << testData("snapd-json/find-refresh-timeout.json")
        << undetermined(u"unable to contact snap store [network-timeout]"_s);
    QTest::addRow("status 500 without type error")
        << QByteArray(R"({"type":"sync","status-code":500,"status":"Internal Server Error"})")
        << undetermined(u"Internal Server Error"_s);
    QTest::addRow("not JSON") << QByteArray("Service Unavailable")
                              << undetermined(u"/v2/find: malformed snapd JSON: illegal value at offset 1"_s);
    QTest::addRow("entry without revision") << syncWith(R"([{"name":"a","version":"1"}])")
                                            << undetermined(u"/v2/find: entry 1 has no name or revision"_s);
    QTest::addRow("revision as a number")
        << syncWith(R"([{"name":"a","version":"1","revision":2}])")
        << undetermined(u"/v2/find entry 1: \"revision\" is not a string"_s);
    QTest::addRow("result not a list")
        << syncWith("null") << undetermined(u"/v2/find: \"result\" is not a list"_s);
}

void TestSnapdJson::findRefresh()
{
    QFETCH(QByteArray, body);
    QFETCH(RefreshCheck, expected);

    QCOMPARE(parseSnapdFindRefresh(body), expected);
}

void TestSnapdJson::applyFindRefresh()
{
    SnapList snaps;
    QString error;
    QVERIFY(parseSnapdSnaps(testData("snapd-json/snaps-core-all.json"), &snaps, &error));
    applyRefreshCheck(&snaps, parseSnapdFindRefresh(testData("snapd-json/find-refresh.json")));
    SnapList expected = coreAll();
    for (Snap &s : expected) {
        s.updateKnowledge = UpdateKnowledge::None;
        if (s.active && s.name == u"core22") {
            s.updateKnowledge = UpdateKnowledge::Available;
            s.update = { u"20240215"_s, u"1380"_s };
        } else if (s.name == u"hello") {
            s.updateKnowledge = UpdateKnowledge::Available;
            s.update = { u"2.10.2"_s, u"44"_s };
        }
    }
    QCOMPARE(snaps, expected);

    applyRefreshCheck(&snaps, parseSnapdFindRefresh(testData("snapd-json/find-refresh-store-error.json")));
    for (Snap &s : expected) {
        s.updateKnowledge = UpdateKnowledge::Unknown;
        s.update = {};
    }
    QCOMPARE(snaps, expected);
}

void TestSnapdJson::systemInfo_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<DeviceSystem>("expected");

    QTest::addRow("Debian 12, snapd 2.57.6 (real)")
        << testData("snapd-2.57.6/snapd-v2-system-info.json")
        << system(u"debian"_s, u"12"_s, u"16"_s, u"2.57.6-1+deb12u1+b2"_s, u"6.18.44-fc-v657"_s, u"amd64"_s);
    QTest::addRow("Ubuntu Core 22 with refresh.last")
        << testData("snapd-json/system-info-core22.json")
        << system(u"ubuntu-core"_s, u"22"_s, u"16"_s, u"2.61.3"_s, u"5.15.0-1045-raspi"_s, u"arm64"_s,
               QDateTime(QDate(2024, 1, 20), QTime(8, 41, 12, 123), QTimeZone::utc()));
    QTest::addRow("unreadable refresh.last is left unknown")
        << syncWith(R"({"version":"2.61","refresh":{"last":"yesterday"}})")
        << system({}, {}, {}, u"2.61"_s, {}, {});
}

void TestSnapdJson::systemInfo()
{
    QFETCH(QByteArray, body);
    QFETCH(DeviceSystem, expected);

    DeviceSystem sys;
    sys.hostname = u"dev1"_s; // not in system-info: kept
    expected.hostname = u"dev1"_s;
    QString error;
    QVERIFY2(parseSnapdSystemInfo(body, &sys, &error), qPrintable(error));
    QCOMPARE(sys, expected);
}

void TestSnapdJson::systemInfoErrors_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("error");
    QTest::addColumn<bool>("prefixOnly"); // the rest is Qt's own wording

    QTest::addRow("error envelope") << QByteArray(
        R"({"type":"error","status-code":403,"result":{"message":"access denied","kind":""}})")
                                    << u"/v2/system-info: access denied"_s << false;
    QTest::addRow("result not an object")
        << syncWith("[]") << u"/v2/system-info: \"result\" is not an object"_s << false;
    QTest::addRow("os-release not an object")
        << syncWith(R"({"version":"2.61","os-release":"debian"})")
        << u"/v2/system-info: \"os-release\" is not an object"_s << false;
    QTest::addRow("kernel-version a number")
        << syncWith(R"({"version":"2.61","kernel-version":5})")
        << u"/v2/system-info: \"kernel-version\" is not a string"_s << false;
    QTest::addRow("refresh.last a number") << syncWith(R"({"version":"2.61","refresh":{"last":1}})")
                                           << u"/v2/system-info: \"last\" is not a string"_s << false;
    QTest::addRow("no version") << syncWith(R"({"series":"16"})")
                                << u"/v2/system-info: no snapd \"version\""_s << false;
    QTest::addRow("array document") << QByteArray("[{}]")
                                    << u"/v2/system-info: malformed snapd response: not a JSON object"_s
                                    << false;
    QTest::addRow("scalar document") << QByteArray("42") << u"/v2/system-info: malformed snapd JSON: "_s
                                     << true;
}

void TestSnapdJson::systemInfoErrors()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, error);
    QFETCH(bool, prefixOnly);

    DeviceSystem sys;
    sys.os = u"untouched"_s;
    QString why;
    QVERIFY(!parseSnapdSystemInfo(body, &sys, &why));
    if (prefixOnly)
        QVERIFY2(why.startsWith(error) && why.size() > error.size(), qPrintable(why));
    else
        QCOMPARE(why, error);
    QCOMPARE(sys.os, u"untouched"_s);
}

void TestSnapdJson::errorOf_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("isError");
    QTest::addColumn<SnapdError>("expected");

    QTest::addRow("store unreachable")
        << testData("snapd-json/find-refresh-store-error.json") << true << SnapdError { 500, {}, kStoreDown };
    QTest::addRow("network timeout") << testData("snapd-json/find-refresh-timeout.json") << true
                                     << SnapdError { 400, u"network-timeout"_s,
                                            u"unable to contact snap store"_s };
    QTest::addRow("sync with status 404")
        << QByteArray(R"({"type":"sync","status-code":404,"result":{"message":"nope"}})") << true
        << SnapdError { 404, {}, u"nope"_s };
    QTest::addRow("kind and message of wrong types")
        << QByteArray(R"({"type":"error","status-code":400,"result":{"kind":1,"message":["x"]}})") << true
        << SnapdError { 400, {}, u"snapd error (HTTP 400)"_s };
    QTest::addRow("sync") << testData("snapd-2.57.6/snapd-v2-system-info.json") << false
                          << SnapdError { 7, {}, {} };
    QTest::addRow("malformed") << QByteArray("{") << false << SnapdError { 7, {}, {} };
}

void TestSnapdJson::errorOf()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, isError);
    QFETCH(SnapdError, expected);

    SnapdError e { 7, {}, {} }; // untouched unless it is an error envelope
    QCOMPARE(snapdErrorOf(body, &e), isError);
    QCOMPARE(e.statusCode, expected.statusCode);
    QCOMPARE(e.kind, expected.kind);
    QCOMPARE(e.message, expected.message);
}

QTEST_APPLESS_MAIN(TestSnapdJson)
#include "tst_snapdjson.moc"
