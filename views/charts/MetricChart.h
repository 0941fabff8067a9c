// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QPointF>
#include <QWidget>

namespace canyon {

// One time-series chart. The only chart interface views use: QtCharts is deprecated from
// Qt 6.10, so its use stays behind this and a replacement touches one file.
// Points: x = milliseconds since the epoch, y = value in unit(). Implementations batch
// appended samples and redraw at most a few times a second.
class MetricChart : public QWidget
{
    Q_OBJECT
public:
    enum class Unit { Percent, Bytes, BytesPerSecond };

    struct Series
    {
        QString name; // legend text (may hold remote text: implementations show it escaped)
        QList<QPointF> points; // oldest first
    };

    using QWidget::QWidget;

    virtual void setTitle(const QString &title) = 0;
    virtual void setUnit(Unit unit) = 0;
    virtual void setTimeWindow(qint64 spanMsecs) = 0; // x axis: [now - span, now]
    // Replaces every series (count and content): a full redraw, batched to the next frame.
    virtual void setSeries(const QList<Series> &series) = 0;
    // Appends one sample to series `index` (< series count); shown on the next batch.
    virtual void appendSample(int index, qint64 msecs, double value) = 0;
    virtual int seriesCount() const = 0;
    virtual int pointCount(int index) const = 0; // what the chart holds, pending included

    // The implementation this build uses.
    static MetricChart *create(QWidget *parent = nullptr);
};

} // namespace canyon
