// SPDX-License-Identifier: GPL-3.0-or-later
#include "metrics/MetricSeries.h"

#include <QTest>

using namespace canyon;

class TestMetrics : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void ringKeepsNewestInOrder()
    {
        MetricSeries s(3);
        QVERIFY(s.isEmpty());
        QCOMPARE(s.maxValue(), 0.0);
        for (int i = 1; i <= 5; ++i)
            s.append(i * 1000, i * 10.0);
        QCOMPARE(s.size(), 3);
        QCOMPARE(s.capacity(), 3);
        QCOMPARE(s.at(0), (MetricSample { 3000, 30 }));
        QCOMPARE(s.at(2), (MetricSample { 5000, 50 }));
        QCOMPARE(s.last(), (MetricSample { 5000, 50 }));
        QCOMPARE(s.samples(), (QList<MetricSample> { { 3000, 30 }, { 4000, 40 }, { 5000, 50 } }));
        QCOMPARE(s.maxValue(), 50.0);
        s.clear();
        QCOMPARE(s.size(), 0);
        s.append(9, 1);
        QCOMPARE(s.samples(), (QList<MetricSample> { { 9, 1 } }));
    }
    void samplesSince_data()
    {
        QTest::addColumn<qint64>("since");
        QTest::addColumn<int>("count");
        QTest::addRow("before all") << qint64(0) << 4;
        QTest::addRow("exact") << qint64(4000) << 3;
        QTest::addRow("between") << qint64(4500) << 2;
        QTest::addRow("after all") << qint64(99999) << 0;
    }
    void samplesSince()
    {
        QFETCH(qint64, since);
        QFETCH(int, count);
        MetricSeries s(4);
        for (int i = 1; i <= 6; ++i) // keeps 3000..6000 after wrapping
            s.append(i * 1000, i);
        const QList<MetricSample> got = s.samplesSince(since);
        QCOMPARE(got.size(), count);
        if (count > 0)
            QCOMPARE(got.last().msecs, 6000);
    }
    void capacityIsAtLeastOne()
    {
        MetricSeries s(0);
        s.append(1, 1);
        s.append(2, 2);
        QCOMPARE(s.samples(), (QList<MetricSample> { { 2, 2 } }));
    }
    void counterToRate_data()
    {
        QTest::addColumn<double>("scale");
        QTest::addColumn<QList<qint64>>("times");
        QTest::addColumn<QList<qint64>>("counters");
        QTest::addColumn<QList<double>>("rates"); // -1 = no rate for that sample
        // bytes -> B/s
        QTest::addRow("bytes") << 1.0 << QList<qint64> { 0, 1000, 3000 } << QList<qint64> { 100, 1100, 2100 }
                               << QList<double> { -1, 1000, 500 };
        // 0.5 s of CPU in 1 s = 50 % of one CPU; 2 CPUs busy = 200 %
        QTest::addRow("cpu ns") << CounterRate::cpuPercentScale << QList<qint64> { 0, 1000, 2000 }
                                << QList<qint64> { 0, 500000000, 2500000000 }
                                << QList<double> { -1, 50, 200 };
        // a restart resets the counter: no negative rate, then rates resume from the new base
        QTest::addRow("counter reset")
            << 1.0 << QList<qint64> { 0, 1000, 2000, 3000 } << QList<qint64> { 5000, 6000, 10, 1010 }
            << QList<double> { -1, 1000, -1, 1000 };
        QTest::addRow("time not advancing")
            << 1.0 << QList<qint64> { 1000, 1000, 2000 } << QList<qint64> { 0, 10, 1010 }
            << QList<double> { -1, -1, 1000 };
    }
    void counterToRate()
    {
        QFETCH(double, scale);
        QFETCH(QList<qint64>, times);
        QFETCH(QList<qint64>, counters);
        QFETCH(QList<double>, rates);
        CounterRate r(scale);
        for (qsizetype i = 0; i < times.size(); ++i) {
            double rate = -1;
            const bool known = r.feed(times.at(i), counters.at(i), &rate);
            QCOMPARE(known, rates.at(i) >= 0);
            if (known)
                QVERIFY2(qAbs(rate - rates.at(i)) < 1e-9, qPrintable(QString::number(rate)));
        }
    }
};

QTEST_APPLESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
