// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "MetricChart.h"

#include <QList>

class QChart;
class QChartView;
class QDateTimeAxis;
class QLineSeries;
class QTimer;
class QValueAxis;

namespace canyon {

// MetricChart over QtCharts. Updates are batched: setSeries()/appendSample() only record,
// a timer applies everything with one replace() per series (no per-point appends, which
// cost a repaint each with many series).
class QtChartsMetricChart : public MetricChart
{
    Q_OBJECT
public:
    explicit QtChartsMetricChart(QWidget *parent = nullptr);
    ~QtChartsMetricChart() override;

    void setTitle(const QString &title) override;
    void setUnit(Unit unit) override;
    void setTimeWindow(qint64 spanMsecs) override;
    void setSeries(const QList<Series> &series) override;
    void appendSample(int index, qint64 msecs, double value) override;
    int seriesCount() const override { return int(m_data.size()); }
    int pointCount(int index) const override;

private:
    void flush();
    void scheduleFlush();

    QChart *m_chart = nullptr;
    QChartView *m_view = nullptr;
    QDateTimeAxis *m_axisX = nullptr;
    QValueAxis *m_axisY = nullptr;
    QList<QLineSeries *> m_lines;
    QList<Series> m_data; // what is shown after the next flush
    QTimer *m_flushTimer = nullptr;
    Unit m_unit = Unit::Percent;
    qint64 m_span = 5 * 60 * 1000;
    bool m_structureDirty = false;
    // A flush of many series is sliced over event-loop passes (FlushSliceMs each) so that the
    // window keeps painting and answering: the next series to redraw, and the running maximum.
    qsizetype m_flushNext = 0;
    double m_flushMaxY = 0;
};

} // namespace canyon
