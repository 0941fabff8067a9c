// SPDX-License-Identifier: GPL-3.0-or-later
// The Prometheus text parser over a real LXD 5.0.2 GET /1.0/metrics answer (our own capture from
// the testbed daemon with three running containers, tests/data/lxd-5.0.2/metrics.txt), the
// format's corners, and hostile input: every bound gives a clear error naming the line.
#include "ParserTestSupport.h"
#include "lxd/LxdMetrics.h"
#include "metrics/PrometheusText.h"

#include <QElapsedTimer>
#include <QTest>
#include <cmath>

using namespace canyon;
using namespace Qt::StringLiterals;

using Labels = QList<std::pair<QString, QString>>;

class TestPrometheus : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void realLxdSample()
    {
        const QByteArray text = testData("lxd-5.0.2/metrics.txt");
        PrometheusText m;
        QString error;
        QVERIFY2(parsePrometheusText(text, &m, &error), qPrintable(error));
        QCOMPARE(m.samples.size(), 123);
        QCOMPARE(m.types.size(), 30);
        QCOMPARE(m.types.value(u"lxd_cpu_seconds_total"_s), u"counter"_s);
        QCOMPARE(m.types.value(u"lxd_memory_MemTotal_bytes"_s), u"gauge"_s);
        QCOMPARE(
            m.help.value(u"lxd_cpu_seconds_total"_s), u"The total number of CPU time used in seconds."_s);
        const PrometheusSample &first = m.samples.first();
        QCOMPARE(first.name, u"lxd_cpu_seconds_total"_s);
        QCOMPARE(first.labels,
            (Labels { { u"cpu"_s, u"0"_s }, { u"mode"_s, u"system"_s }, { u"name"_s, u"m-c2"_s },
                { u"project"_s, u"default"_s }, { u"type"_s, u"container"_s } }));
        QCOMPARE(first.label(u"mode"), u"system"_s);
        QVERIFY(first.label(u"nope").isNull());
        QVERIFY(!first.timestampMs);

        const QList<LxdInstanceMetrics> list = lxdInstanceMetrics(m);
        QCOMPARE(list.size(), 3);
        QCOMPARE(list.at(0).name, u"m-c2"_s);
        QCOMPARE(list.at(1).name, u"snapd1"_s);
        QCOMPARE(list.at(2).name, u"m-c1"_s);
        const LxdInstanceMetrics &c2 = list.at(0);
        QCOMPARE(c2.project, u"default"_s);
        QCOMPARE(c2.type, u"container"_s);
        QVERIFY(std::abs(c2.cpuSeconds - 0.244) < 1e-9);
        QCOMPARE(c2.memoryBytes, qint64(24684084000LL - 24661924640LL)); // = LXD state memory.usage then
        QCOMPARE(c2.rxBytes, 934);
        QCOMPARE(c2.txBytes, 1038);
        QCOMPARE(c2.processes, 2);
        const LxdInstanceMetrics &snapd = list.at(1);
        QVERIFY(std::abs(snapd.cpuSeconds - 3.471947012) < 1e-9);
        QCOMPARE(snapd.rxBytes, 582); // lo (58648) left out
        QCOMPARE(snapd.txBytes, 796);
        QCOMPARE(snapd.processes, 23);
        QCOMPARE(list.at(2).memoryBytes, 520192);

        // Cut anywhere, the answer either parses or fails with a line number: never a crash.
        for (qsizetype cut = 0; cut < text.size(); cut += 97) {
            PrometheusText part;
            if (!parsePrometheusText(QByteArrayView(text).first(cut), &part, &error))
                QVERIFY2(error.startsWith(u"line "), qPrintable(error));
        }
    }

    void valid_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("name");
        QTest::addColumn<Labels>("labels");
        QTest::addColumn<double>("value");
        QTest::addColumn<qint64>("timestamp"); // -1: none

        QTest::newRow("plain") << "up 1\n"_ba << u"up"_s << Labels {} << 1.0 << qint64(-1);
        QTest::newRow("no final newline") << "up 1"_ba << u"up"_s << Labels {} << 1.0 << qint64(-1);
        QTest::newRow("CRLF") << "up 2\r\n"_ba << u"up"_s << Labels {} << 2.0 << qint64(-1);
        QTest::newRow("colon name") << "job:rate5m 0.5\n"_ba << u"job:rate5m"_s << Labels {} << 0.5
                                    << qint64(-1);
        QTest::newRow("exponent") << "a 2.4684084e+10\n"_ba << u"a"_s << Labels {} << 2.4684084e10
                                  << qint64(-1);
        QTest::newRow("negative exponent")
            << "a -1.5E-3\n"_ba << u"a"_s << Labels {} << -1.5e-3 << qint64(-1);
        QTest::newRow("leading dot") << "a .5\n"_ba << u"a"_s << Labels {} << 0.5 << qint64(-1);
        QTest::newRow("+Inf") << "a +Inf\n"_ba << u"a"_s << Labels {} << qInf() << qint64(-1);
        QTest::newRow("-Inf") << "a -Inf\n"_ba << u"a"_s << Labels {} << -qInf() << qint64(-1);
        QTest::newRow("inf lower") << "a inf\n"_ba << u"a"_s << Labels {} << qInf() << qint64(-1);
        QTest::newRow("timestamp") << "a 3 1395066363000\n"_ba << u"a"_s << Labels {} << 3.0
                                   << qint64(1395066363000);
        QTest::newRow("negative timestamp")
            << "a 3 -10\n"_ba << u"a"_s << Labels {} << 3.0 << qint64(-10); // allowed by the format
        QTest::newRow("empty labels") << "a{} 1\n"_ba << u"a"_s << Labels {} << 1.0 << qint64(-1);
        QTest::newRow("trailing comma")
            << "a{x=\"1\",} 1\n"_ba << u"a"_s << Labels { { u"x"_s, u"1"_s } } << 1.0 << qint64(-1);
        QTest::newRow("blanks everywhere")
            << "  a { x = \"1\" , y=\"2\" }\t 7 \t\n"_ba << u"a"_s
            << Labels { { u"x"_s, u"1"_s }, { u"y"_s, u"2"_s } } << 7.0 << qint64(-1);
        QTest::newRow("escapes") << "a{p=\"C:\\\\dir\\\\\",q=\"say \\\"hi\\\"\",r=\"two\\nlines\"} 1\n"_ba
                                 << u"a"_s
                                 << Labels { { u"p"_s, u"C:\\dir\\"_s }, { u"q"_s, u"say \"hi\""_s },
                                        { u"r"_s, u"two\nlines"_s } }
                                 << 1.0 << qint64(-1);
        QTest::newRow("braces and hash in a value")
            << "a{x=\"}{ # ,=\"} 1\n"_ba << u"a"_s << Labels { { u"x"_s, u"}{ # ,="_s } } << 1.0
            << qint64(-1);
        QTest::newRow("UTF-8 value") << "a{x=\"Grüße ☃\"} 1\n"_ba << u"a"_s
                                     << Labels { { u"x"_s, u"Grüße ☃"_s } } << 1.0 << qint64(-1);
        QTest::newRow("NUL in a value: kept, shown through visibleText")
            << QByteArray("a{x=\"a\0b\"} 1\n", 13) << u"a"_s
            << Labels { { u"x"_s, QStringView(u"a\0b", 3).toString() } } << 1.0 << qint64(-1);
        QTest::newRow("comments and blank lines")
            << "# just a comment\n\n   \n#HELP\n# TYPE \n# TYPE a gauge\n# HELP a some \\\\ help\\n\na 4\n"_ba
            << u"a"_s << Labels {} << 4.0 << qint64(-1);
        QTest::newRow("10k-char name") << QByteArray(QByteArray(10000, 'n') + " 1\n") << QString(10000, u'n')
                                       << Labels {} << 1.0 << qint64(-1);
        QTest::newRow("huge but finite")
            << "a 1.7976931348623157e308\n"_ba << u"a"_s << Labels {} << 1.7976931348623157e308 << qint64(-1);
    }

    void valid()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, name);
        QFETCH(Labels, labels);
        QFETCH(double, value);
        QFETCH(qint64, timestamp);
        PrometheusText m;
        QString error;
        QVERIFY2(parsePrometheusText(input, &m, &error), qPrintable(error));
        QCOMPARE(m.samples.size(), 1);
        const PrometheusSample &s = m.samples.first();
        QCOMPARE(s.name, name);
        QCOMPARE(s.labels, labels);
        QCOMPARE(s.value, value);
        QCOMPARE(s.timestampMs.value_or(-1), timestamp);
    }

    void nan()
    {
        PrometheusText m;
        QString error;
        QVERIFY2(parsePrometheusText("a NaN\nb nan\n", &m, &error), qPrintable(error));
        QCOMPARE(m.samples.size(), 2);
        QVERIFY(std::isnan(m.samples.at(0).value) && std::isnan(m.samples.at(1).value));
        // LXD's summary treats NaN and infinities as nothing rather than poisoning the sums.
        QVERIFY(parsePrometheusText(
            "lxd_cpu_seconds_total{name=\"c\"} NaN\nlxd_cpu_seconds_total{name=\"c\"} 1\n"
            "lxd_procs_total{name=\"c\"} +Inf\nlxd_network_receive_bytes_total{name=\"c\","
            "device=\"eth0\"} 1e300\nlxd_network_receive_bytes_total{name=\"c\","
            "device=\"eth1\"} 1e300\n",
            &m, &error));
        const QList<LxdInstanceMetrics> list = lxdInstanceMetrics(m);
        QCOMPARE(list.size(), 1);
        QCOMPARE(list.first().cpuSeconds, 1.0);
        QCOMPARE(list.first().processes, 0);
        QVERIFY(list.first().rxBytes > 0); // saturated, not wrapped round
        QCOMPARE(list.first().memoryBytes, -1);
    }

    void hostile_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("error"); // the start of the expected error

        QTest::newRow("missing value") << "a\n"_ba << u"line 1: the sample has no value"_s;
        QTest::newRow("missing value after labels")
            << "ok 1\na{x=\"1\"}\n"_ba << u"line 2: the sample has no value"_s;
        QTest::newRow("truncated in labels") << "a{x=\"1\"\n"_ba << u"line 1: expected , or }"_s;
        QTest::newRow("truncated in a value")
            << "a{x=\"1\n"_ba << u"line 1: a label value has no closing quote"_s;
        QTest::newRow("truncated after brace")
            << "a{\n"_ba << u"line 1: the label set has no closing brace"_s;
        QTest::newRow("truncated after =") << "a{x=\n"_ba << u"line 1: expected a quoted value"_s;
        QTest::newRow("bad escape") << "a{x=\"\\t\"} 1\n"_ba << u"line 1: invalid escape sequence \\t"_s;
        QTest::newRow("escape of a control byte")
            << "a{x=\"\\\x01\"} 1\n"_ba << u"line 1: invalid escape sequence \\x01"_s;
        QTest::newRow("backslash at the end") << "a{x=\"\\"_ba << u"line 1: a backslash ends the line"_s;
        QTest::newRow("bad HELP escape") << "# HELP a x\\\"y\n"_ba << u"line 1: invalid escape sequence"_s;
        QTest::newRow("unquoted value") << "a{x=1} 1\n"_ba << u"line 1: expected a quoted value"_s;
        QTest::newRow("NUL in a name") << QByteArray("a\0b 1\n", 6) << u"line 1: unexpected character"_s;
        QTest::newRow("NUL alone") << QByteArray("\0", 1) << u"line 1: expected a metric name"_s;
        QTest::newRow("invalid UTF-8 in a value")
            << "a{x=\"\xff\xfe\"} 1\n"_ba << u"line 1: the value of the label x is not valid UTF-8"_s;
        QTest::newRow("overlong UTF-8")
            << "a{x=\"\xc0\xaf\"} 1\n"_ba << u"line 1: the value of the label x is not valid UTF-8"_s;
        QTest::newRow("invalid UTF-8 in HELP")
            << "# HELP a \xed\xa0\x80\n"_ba << u"line 1: the help text is not valid UTF-8"_s;
        QTest::newRow("UTF-8 in a name") << "é 1\n"_ba << u"line 1: expected a metric name"_s;
        QTest::newRow("digit first") << "1a 1\n"_ba << u"line 1: expected a metric name"_s;
        QTest::newRow("duplicate labels")
            << "a{x=\"1\",y=\"2\",x=\"3\"} 1\n"_ba << u"line 1: the label x appears twice"_s;
        QTest::newRow("huge number") << "a 1e400\n"_ba
                                     << u"line 1: the value is beyond the range of a double"_s;
        QTest::newRow("10k-digit number") << QByteArray("a 1" + QByteArray(10000, '0') + "\n")
                                          << u"line 1: the value is beyond the range of a double"_s;
        QTest::newRow("tiny number") << "a 1e-400\n"_ba
                                     << u"line 1: the value is beyond the range of a double"_s;
        QTest::newRow("not a number") << "a 1x\n"_ba << u"line 1: the value is not a number"_s;
        QTest::newRow("hex") << "a 0x10\n"_ba << u"line 1: the value is not a number"_s;
        QTest::newRow("double sign") << "a --1\n"_ba << u"line 1: the value is not a number"_s;
        QTest::newRow("signed NaN") << "a -NaN\n"_ba << u"line 1: the value is not a number"_s;
        QTest::newRow("lone dot") << "a .\n"_ba << u"line 1: the value is not a number"_s;
        QTest::newRow("empty exponent") << "a 1e\n"_ba << u"line 1: the value is not a number"_s;
        QTest::newRow("float timestamp") << "a 1 1.5\n"_ba << u"line 1: the timestamp is not an integer"_s;
        QTest::newRow("huge timestamp")
            << "a 1 99999999999999999999\n"_ba << u"line 1: the timestamp is not an integer"_s;
        QTest::newRow("text after timestamp")
            << "a 1 2 3\n"_ba << u"line 1: unexpected text after the timestamp"_s;
        QTest::newRow("CR inside a line") << "a 1\r2\n"_ba << u"line 1: the value is not a number"_s;
        QTest::newRow("unknown TYPE") << "# TYPE a bogus\n"_ba << u"line 1: unknown metric type for a"_s;
        QTest::newRow("TYPE without type") << "# TYPE a\n"_ba << u"line 1: unknown metric type for a"_s;
        QTest::newRow("TYPE without name") << "# TYPE {\n"_ba << u"line 1: # TYPE needs a metric name"_s;
        QTest::newRow("second TYPE") << "# TYPE a gauge\na 1\n# TYPE a counter\n"_ba
                                     << u"line 3: a second # TYPE line for a"_s;
        QTest::newRow("second HELP") << "# HELP a x\n# HELP a y\n"_ba
                                     << u"line 2: a second # HELP line for a"_s;
        QTest::newRow("line number after CRLF lines")
            << "a 1\r\nb 2\r\nc\r\n"_ba << u"line 3: the sample has no value"_s;
    }

    void hostile()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, error);
        PrometheusText m;
        m.types.insert(u"sentinel"_s, u"gauge"_s);
        QString why;
        QVERIFY(!parsePrometheusText(input, &m, &why));
        QVERIFY2(why.startsWith(error), qPrintable(why));
        // Untouched on failure.
        QCOMPARE(m.types.size(), 1);
        QVERIFY(m.samples.isEmpty());
    }

    void bounds()
    {
        PrometheusText m;
        QString error;
        // A line of exactly 64 KiB parses; one byte more is refused by number.
        QByteArray line = QByteArray(kMaxPrometheusLineBytes - 2, 'a') + " 1";
        QVERIFY2(parsePrometheusText(QByteArray("ok 1\n" + line + '\n'), &m, &error), qPrintable(error));
        QCOMPARE(m.samples.last().name.size(), kMaxPrometheusLineBytes - 2);
        line.prepend('a');
        QVERIFY(!parsePrometheusText(QByteArray("ok 1\n" + line + '\n'), &m, &error));
        QCOMPARE(error, u"line 2: longer than 65536 bytes"_s);
        // The same for a line without its newline, and for a comment.
        QVERIFY(
            !parsePrometheusText(QByteArray("# " + QByteArray(kMaxPrometheusLineBytes, 'x')), &m, &error));
        QCOMPARE(error, u"line 1: longer than 65536 bytes"_s);

        // 64 labels parse, 65 do not.
        auto labels = [](int n) {
            QByteArray b = "a{";
            for (int i = 0; i < n; ++i)
                b += QByteArray("l" + QByteArray::number(i) + "=\"v\",");
            return QByteArray(b + "} 1\n");
        };
        QVERIFY2(parsePrometheusText(labels(64), &m, &error), qPrintable(error));
        QCOMPARE(m.samples.first().labels.size(), 64);
        QVERIFY(!parsePrometheusText(labels(65), &m, &error));
        QCOMPARE(error, u"line 1: more than 64 labels"_s);

        // The input cap (the caller's cap, checked again here).
        const QByteArray big(kMaxPrometheusInputBytes + 1, '\n');
        QVERIFY(!parsePrometheusText(big, &m, &error));
        QCOMPARE(error, u"the metrics text is larger than 64 MiB"_s);
    }

    void sampleCountAndSpeed()
    {
        // 1,000,000 samples parse; one more is an error naming its line. Time is reported, and
        // doubling the input must not much more than double it (no quadratic path).
        QByteArray text;
        text.reserve(kMaxPrometheusSamples * 4 + 8);
        for (qsizetype i = 0; i < kMaxPrometheusSamples; ++i)
            text += "a 1\n";
        PrometheusText m;
        QString error;
        QElapsedTimer t;
        t.start();
        QVERIFY2(parsePrometheusText(text, &m, &error), qPrintable(error));
        QCOMPARE(m.samples.size(), kMaxPrometheusSamples);
        qInfo("1,000,000 short samples: %lld ms", qlonglong(t.elapsed()));
        m = {};
        QVERIFY(!parsePrometheusText(QByteArray(text + "b 2\n"), &m, &error));
        QCOMPARE(error, u"line 1000001: more than 1000000 samples"_s);

        // LXD-shaped lines (five labels): 10k and 40k samples.
        const QByteArray lxdLine
            = "lxd_cpu_seconds_total{cpu=\"1\",mode=\"user\",name=\"c1\",project=\"default\","
              "type=\"container\"} 1.499973791\n";
        auto timeOf = [&](int lines) {
            const QByteArray in = lxdLine.repeated(lines);
            QElapsedTimer timer;
            timer.start();
            PrometheusText out;
            QString why;
            if (!parsePrometheusText(in, &out, &why) || out.samples.size() != lines)
                return qint64(-1);
            return qMax<qint64>(1, timer.nsecsElapsed() / 1000);
        };
        (void)timeOf(10000); // warm-up
        const qint64 small = timeOf(40000);
        const qint64 large = timeOf(160000);
        QVERIFY(small > 0 && large > 0);
        qInfo("LXD-shaped samples: 40k in %lld us, 160k in %lld us (%.1f MB/s)", qlonglong(small),
            qlonglong(large), double(lxdLine.size()) * 160000 / double(large));
        QVERIFY2(large < small * 12, "4x the input took more than 12x the time");
    }
};

QTEST_GUILESS_MAIN(TestPrometheus)
#include "tst_prometheus.moc"
