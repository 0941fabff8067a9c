// SPDX-License-Identifier: GPL-3.0-or-later
#include "QtChartsMetricChart.h"

#include "domain/PlainText.h"

#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QElapsedTimer>
#include <QGraphicsLayout>
#include <QLineSeries>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {
constexpr qsizetype PointBudget = 12000; // per chart, all series together
constexpr qint64 FlushSliceMs = 8; // GUI-thread time one flush pass may take (QUALITY.md P5)
} // namespace

MetricChart *MetricChart::create(QWidget *parent)
{
    return new QtChartsMetricChart(parent);
}

QtChartsMetricChart::QtChartsMetricChart(QWidget *parent)
    : MetricChart(parent)
{
    m_chart = new QChart;
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->layout()->setContentsMargins(0, 0, 0, 0);
    m_axisX = new QDateTimeAxis(m_chart);
    m_axisX->setFormat(u"HH:mm"_s);
    m_axisX->setTickCount(5);
    {
        const QDateTime now = QDateTime::currentDateTime();
        m_axisX->setRange(now.addMSecs(-m_span), now);
    }
    m_axisY = new QValueAxis(m_chart);
    m_axisY->setLabelFormat(u"%g"_s);
    m_axisY->setTickCount(5);
    m_axisY->setMin(0);
    m_chart->addAxis(m_axisX, Qt::AlignBottom);
    m_chart->addAxis(m_axisY, Qt::AlignLeft);
    m_view = new QChartView(m_chart, this);
    m_view->setRenderHint(QPainter::Antialiasing, false);
    m_view->setMinimumHeight(80);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    m_flushTimer = new QTimer(this);
    m_flushTimer->setSingleShot(true);
    m_flushTimer->setInterval(100); // at most ~10 redraws a second, whatever the sample rate
    connect(m_flushTimer, &QTimer::timeout, this, &QtChartsMetricChart::flush);
    setTimeWindow(m_span);
}

QtChartsMetricChart::~QtChartsMetricChart() = default;

void QtChartsMetricChart::setTitle(const QString &title)
{
    m_chart->setTitle(title);
}

void QtChartsMetricChart::setUnit(Unit unit)
{
    m_unit = unit;
    switch (unit) {
    case Unit::Percent:
        m_axisY->setTitleText(tr("%"));
        break;
    case Unit::Bytes:
        m_axisY->setTitleText(tr("MiB"));
        break;
    case Unit::BytesPerSecond:
        m_axisY->setTitleText(tr("KiB/s"));
        break;
    }
    m_structureDirty = true;
    scheduleFlush();
}

void QtChartsMetricChart::setTimeWindow(qint64 spanMsecs)
{
    m_span = qMax<qint64>(10000, spanMsecs);
    m_axisX->setFormat(m_span > 10 * 60 * 1000 ? u"HH:mm"_s : u"HH:mm:ss"_s);
    scheduleFlush();
}

void QtChartsMetricChart::setSeries(const QList<Series> &series)
{
    if (series.size() != m_data.size())
        m_structureDirty = true;
    else
        for (qsizetype i = 0; i < series.size(); ++i)
            if (series.at(i).name != m_data.at(i).name)
                m_structureDirty = true;
    m_data = series;
    scheduleFlush();
}

void QtChartsMetricChart::appendSample(int index, qint64 msecs, double value)
{
    if (index < 0 || index >= m_data.size())
        return;
    m_data[index].points.append(QPointF(double(msecs), value));
    scheduleFlush();
}

int QtChartsMetricChart::pointCount(int index) const
{
    return index >= 0 && index < m_data.size() ? int(m_data.at(index).points.size()) : 0;
}

void QtChartsMetricChart::scheduleFlush()
{
    if (m_flushNext > 0) // a sliced flush is under way: it restarts from the first series
        m_flushNext = 0;
    if (!m_flushTimer->isActive())
        m_flushTimer->start(100);
}

void QtChartsMetricChart::flush()
{
    const double scale = m_unit == Unit::Bytes ? 1.0 / (1024.0 * 1024.0)
        : m_unit == Unit::BytesPerSecond       ? 1.0 / 1024.0
                                               : 1.0;
    if (m_structureDirty) {
        m_structureDirty = false;
        for (QLineSeries *l : std::as_const(m_lines)) {
            m_chart->removeSeries(l);
            delete l;
        }
        m_lines.clear();
        for (const Series &s : std::as_const(m_data)) {
            auto *line = new QLineSeries(m_chart);
            line->setName(visibleText(s.name, 64));
            m_chart->addSeries(line);
            line->attachAxis(m_axisX);
            line->attachAxis(m_axisY);
            m_lines << line;
        }
        m_chart->legend()->setVisible(m_lines.size() > 1 && m_lines.size() <= 12);
        m_flushNext = 0;
    }
    QElapsedTimer slice;
    slice.start();
    if (m_flushNext == 0)
        m_flushMaxY = 0;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const double from = double(now - m_span);
    double maxY = m_flushMaxY;
    for (qsizetype i = m_flushNext; i < m_data.size(); ++i) {
        if (i > m_flushNext && slice.elapsed() >= FlushSliceMs) {
            // the rest in the next pass: the window paints and answers in between
            m_flushNext = i;
            m_flushMaxY = maxY;
            m_flushTimer->start(0);
            return;
        }
        Series &s = m_data[i];
        // drop what scrolled out of the window, keep one point before it so the line enters
        auto firstIn = std::lower_bound(
            s.points.begin(), s.points.end(), from, [](const QPointF &p, double x) { return p.x() < x; });
        if (firstIn != s.points.begin())
            s.points.erase(s.points.begin(), firstIn - 1);
        // QtCharts' cost grows with the points of all series together (every point is stroked
        // and hit-tested): with many series, each keeps the peak of every bucket only
        const qsizetype budget = std::max<qsizetype>(60, PointBudget / std::max<qsizetype>(1, m_data.size()));
        const qsizetype bucket = (s.points.size() + budget - 1) / budget;
        QList<QPointF> scaled;
        scaled.reserve(s.points.size() / std::max<qsizetype>(1, bucket) + 1);
        for (qsizetype k = 0; k < s.points.size(); k += std::max<qsizetype>(1, bucket)) {
            QPointF peak = s.points.at(k);
            for (qsizetype j = k + 1; j < std::min(k + bucket, s.points.size()); ++j)
                if (s.points.at(j).y() > peak.y())
                    peak = s.points.at(j);
            scaled.append(QPointF(peak.x(), peak.y() * scale));
            maxY = std::max(maxY, peak.y() * scale);
        }
        m_lines.at(i)->replace(scaled);
    }
    m_flushNext = 0;
    // a young history fills the chart (at least the last minute) instead of a sliver at its edge
    double oldest = double(now);
    for (const Series &ser : std::as_const(m_data))
        if (!ser.points.isEmpty())
            oldest = std::min(oldest, ser.points.first().x());
    const qint64 left = std::max(now - m_span, std::min(qint64(oldest), now - 60 * 1000));
    m_axisX->setRange(QDateTime::fromMSecsSinceEpoch(left), QDateTime::fromMSecsSinceEpoch(now));
    // a "nice" ceiling so the axis does not jitter with every sample
    double top = 4.0; // 4 * 2^k: five ticks on round numbers
    while (top < maxY * 1.1)
        top *= 2;
    m_axisY->setRange(0, top);
}

} // namespace canyon
