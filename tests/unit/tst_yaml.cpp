// SPDX-License-Identifier: GPL-3.0-or-later
// The YAML emitter of the viewer (domain/Yaml.h): exact output for the cases that need care, and
// every output read back by an independent YAML reader (PyYAML, YAML 1.1: the strictest about
// what a plain scalar means) as the same JSON.
#include "domain/Yaml.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace canyon;

namespace {

QJsonValue json(const char *text)
{
    // wrapped, so scalars parse too
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray("[") + text + "]");
    Q_ASSERT(doc.isArray());
    return doc.array().at(0);
}

// Strings that look like something else, or need escapes, for the round trip.
QJsonArray trickyStrings()
{
    QJsonArray a;
    const char *const texts[] = { "", " ", "a", "true", "True", "yes", "No", "on", "OFF", "y", "n", "null",
        "Null", "~", "0", "-1", "+1", "1.35", ".5", "1e3", "0x1f", "0o17", "017", "0b101", "1_000", "1:20",
        "190:20:30", "2001-12-14", "2001-12-14t21:59:43.10-05:00", ".inf", "-.Inf", ".NaN", "._", "...",
        "---", "-", "- a", "-a", "?", "? a", ":", ":a", "a:", "a: b", "a:b", "http://x:80/y", "a #b", "a#b",
        "#c", "[1]", "{a}", "*x", "&x", "!x", "|", ">", "%x", "@x", "`x", "'q'", "\"q\"", "it's", "<<", "=",
        " lead", "trail ", "tab\there", "cr\rlf", "nul\u0000x", "esc\u001b[31mred", "del\u007f", "nel\u0085x",
        "ls\u2028x", "ps\u2029x", "bidi\u202eevil", "zw\u200bsp", "bom\ufeffx", "nb\u00a0sp", "ünïcödé",
        "emoji \U0001F600", "nonchar\uffff", "one\nline", "two\nlines\n", "keep\n\n", "  indented\nblock\n",
        "\nleading blank\n", "trailing space \nx", "only\n\n\n", "\n", "\n\n", "back\\slash",
        "00:16:3e:27:a3:1e", "[{\"Isuid\":true}]", "x86_64", "busybox" };
    for (const char *t : texts)
        a.append(QString::fromUtf8(t));
    return a;
}

} // namespace

class TestYaml : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void scalars_data();
    void scalars();
    void documents_data();
    void documents();
    void instanceConfig();
    void roundTripThroughPyYaml_data();
    void roundTripThroughPyYaml();
};

void TestYaml::scalars_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("yaml");
    QTest::addRow("plain word") << u"busybox"_s << u"busybox"_s;
    QTest::addRow("plain with colon") << u"http://x:80/y"_s << u"http://x:80/y"_s;
    QTest::addRow("empty") << QString() << u"''"_s;
    QTest::addRow("boolean word") << u"yes"_s << u"'yes'"_s;
    QTest::addRow("null word") << u"null"_s << u"'null'"_s;
    QTest::addRow("version") << u"1.35"_s << u"'1.35'"_s;
    QTest::addRow("MAC address") << u"00:16:3e:27:a3:1e"_s << u"'00:16:3e:27:a3:1e'"_s;
    QTest::addRow("JSON text") << u"[{\"Isuid\":true}]"_s << u"'[{\"Isuid\":true}]'"_s;
    QTest::addRow("apostrophe") << u"'q'"_s << u"'''q'''"_s;
    QTest::addRow("comment inside") << u"a #b"_s << u"'a #b'"_s;
    QTest::addRow("mapping inside") << u"a: b"_s << u"'a: b'"_s;
    QTest::addRow("leading space") << u" x"_s << u"' x'"_s;
    QTest::addRow("tab") << u"a\tb"_s << u"\"a\\tb\""_s;
    QTest::addRow("escape sequence") << u"\u001b[31m"_s << u"\"\\e[31m\""_s;
    QTest::addRow("bidi override") << u"a\u202eb"_s << u"\"a\\u202eb\""_s;
    QTest::addRow("newline, one line") << u"a\nb"_s << u"\"a\\nb\""_s;
    QTest::addRow("quote and backslash") << u"\"\\\n"_s << u"\"\\\"\\\\\\n\""_s;
    QTest::addRow("non-BMP kept") << u"\U0001F600"_s << u"\U0001F600"_s;
    QTest::addRow("lone surrogate") << QString(QChar(0xd800)) + u"x"_s << u"\"\\ud800x\""_s;
}

void TestYaml::scalars()
{
    QFETCH(QString, text);
    QFETCH(QString, yaml);
    QCOMPARE(yamlScalar(text), yaml);
}

void TestYaml::documents_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("yaml");
    QTest::addRow("empty object") << u"{}"_s << u"{}\n"_s;
    QTest::addRow("empty array") << u"[]"_s << u"[]\n"_s;
    QTest::addRow("scalars")
        << u"{\"b\":true,\"i\":42,\"n\":null,\"f\":1.5,\"e\":1e20,\"s\":\"x\"}"_s
        << u"b: true\ne: 1.0e+20\nf: 1.5\ni: 42\n'n': null\ns: x\n"_s; // n: YAML 1.1's "no"
    QTest::addRow("nested") << u"{\"devices\":{\"eth0\":{\"type\":\"nic\"},\"none\":{}}}"_s
                            << u"devices:\n  eth0:\n    type: nic\n  none: {}\n"_s;
    QTest::addRow("sequence under key")
        << u"{\"profiles\":[\"default\",\"1\"],\"x\":[]}"_s << u"profiles:\n- default\n- '1'\nx: []\n"_s;
    QTest::addRow("sequence of mappings")
        << u"[{\"a\":1,\"b\":[2,3]},[4,[5]],{}]"_s << u"- a: 1\n  b:\n  - 2\n  - 3\n- - 4\n  - - 5\n- {}\n"_s;
    QTest::addRow("literal block clip")
        << u"{\"raw.lxc\":\"a=1\\nb=2\\n\"}"_s << u"raw.lxc: |\n  a=1\n  b=2\n"_s;
    QTest::addRow("literal block strip") << u"{\"k\":\"a\\n\\nb\"}"_s << u"k: |-\n  a\n\n  b\n"_s;
    QTest::addRow("literal block keep") << u"{\"k\":\"a\\n\\n\"}"_s << u"k: |+\n  a\n\n"_s;
    QTest::addRow("literal block indented first line")
        << u"{\"k\":{\"j\":\"  a\\nb\\n\"}}"_s << u"k:\n  j: |2\n      a\n    b\n"_s;
    QTest::addRow("literal block in sequence") << u"[\"a\\nb\"]"_s << u"- |-\n  a\n  b\n"_s;
    QTest::addRow("trailing blank: quoted") << u"{\"k\":\"a \\nb\"}"_s << u"k: \"a \\nb\"\n"_s;
    QTest::addRow("quoted keys") << u"{\"\":1,\"yes\":2,\"a: b\":3,\"t\\tab\":4}"_s
                                 << u"'': 1\n'a: b': 3\n\"t\\tab\": 4\n'yes': 2\n"_s;
}

void TestYaml::documents()
{
    QFETCH(QString, json);
    QFETCH(QString, yaml);
    const QJsonDocument doc = QJsonDocument::fromJson(json.toUtf8());
    QVERIFY(!doc.isNull());
    QCOMPARE(toYaml(doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array())), yaml);
}

void TestYaml::instanceConfig()
{
    // a real answer of LXD 5.0.2 (GET /1.0/instances/c1)
    QFile f(QStringLiteral(CANYON_TEST_DATA_DIR "/lxd-5.0.2/instance-c1.json"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject metadata
        = QJsonDocument::fromJson(f.readAll()).object().value(u"metadata"_s).toObject();
    QVERIFY(!metadata.isEmpty());
    const QString yaml = lxdInstanceConfigYaml(metadata);
    // lxc's order: architecture, config, devices, ephemeral, profiles, stateful, description
    QVERIFY2(yaml.startsWith(u"architecture: x86_64\nconfig:\n  image.architecture: x86_64\n"_s),
        qPrintable(yaml));
    QVERIFY(yaml.contains(u"\n  image.release: '1.35'\n"_s));
    QVERIFY(yaml.contains(u"\n  volatile.eth0.hwaddr: '00:16:3e:27:a3:1e'\n"_s));
    QVERIFY(yaml.contains(u"\n  volatile.idmap.base: '0'\n"_s));
    QVERIFY(yaml.contains(
        u"\ndevices:\n  eth0:\n    name: eth0\n    network: tbr0\n    type: nic\n  root:\n    path: /\n"_s));
    QVERIFY(yaml.endsWith(u"ephemeral: false\nprofiles:\n- default\nstateful: false\ndescription: ''\n"_s));
    QVERIFY(yaml.indexOf(u"\nconfig:"_s) < yaml.indexOf(u"\ndevices:"_s));
    // the expanded view, not the local one: the image.* keys come from expanded_config
    QVERIFY(!yaml.contains(u"expanded"_s));
}

void TestYaml::roundTripThroughPyYaml_data()
{
    QTest::addColumn<QJsonValue>("value");
    QJsonObject asKeys;
    QJsonObject asValues;
    const QJsonArray strings = trickyStrings();
    for (qsizetype i = 0; i < strings.size(); ++i) {
        asKeys.insert(strings.at(i).toString(), i);
        asValues.insert(u"k%1"_s.arg(qlonglong(i), 3, 10, QChar(u'0')), strings.at(i));
    }
    QTest::addRow("tricky strings as values") << QJsonValue(asValues);
    QTest::addRow("tricky strings as keys") << QJsonValue(asKeys);
    QTest::addRow("tricky strings in a sequence") << QJsonValue(strings);
    QTest::addRow("long key") << QJsonValue(QJsonObject { { QString(1500, u'k'), u"v"_s } });
    QTest::addRow("nesting") << json(
        R"({"a":[{"b":[[],{},[1,[2,{"c":"d\ne"}]]],"x":{"y":{"z":[null,true,-0.5]}}}]})");
    QTest::addRow("numbers") << json(R"([0, -7, 9007199254740993, 1.5, 1e-7, 1e300, -2.5e-300, 123456.789])");
    QFile f(QStringLiteral(CANYON_TEST_DATA_DIR "/lxd-5.0.2/instance-c1.json"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QTest::addRow("real LXD instance") << QJsonValue(QJsonDocument::fromJson(f.readAll()).object());
}

void TestYaml::roundTripThroughPyYaml()
{
    QFETCH(QJsonValue, value);
    const QString python = QStandardPaths::findExecutable(u"python3"_s);
    if (python.isEmpty())
        QSKIP("python3 not found: the round trip through an independent YAML reader cannot run");
    // PyYAML reads the YAML; Python's json compares it with the JSON (ints and floats as numbers).
    const QString script = uR"(
import json, sys, yaml
data = sys.stdin.buffer.read().decode('utf-8')
src, doc = data.split('\0', 1)
want = json.loads(src)
got = yaml.load(doc, Loader=yaml.SafeLoader)
if got != want:
    print('MISMATCH', repr(want)[:2000], repr(got)[:2000], sep='\n')
    sys.exit(1)
print('same')
)"_s;
    QProcess p;
    p.start(python, { u"-c"_s, script });
    QVERIFY(p.waitForStarted());
    const QString yaml = toYaml(value);
    const QByteArray jsonText = value.isObject() ? QJsonDocument(value.toObject()).toJson()
                                                 : QJsonDocument(value.toArray()).toJson();
    QByteArray input = jsonText;
    input += '\0';
    input += yaml.toUtf8();
    p.write(input);
    p.closeWriteChannel();
    QVERIFY(p.waitForFinished(30000));
    const QString err = QString::fromUtf8(p.readAllStandardError());
    if (err.contains(u"No module named 'yaml'"_s))
        QSKIP("PyYAML (python3-yaml) is not installed: the round trip cannot run");
    QVERIFY2(p.exitCode() == 0,
        qPrintable(u"%1\n%2\n--- YAML ---\n%3"_s.arg(
            QString::fromUtf8(p.readAllStandardOutput()), err, yaml.left(4000))));
}

QTEST_GUILESS_MAIN(TestYaml)
#include "tst_yaml.moc"
