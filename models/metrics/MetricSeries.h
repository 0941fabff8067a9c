// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QMetaType>
#include <vector>

namespace canyon {

struct MetricSample
{
    qint64 msecs = 0; // ms since the epoch
    double value = 0;
    bool operator==(const MetricSample &) const = default;
};

// A fixed-capacity time series: appending past the capacity drops the oldest sample, so a
// chart over "the last hour" costs the same memory after a day. O(1) append, no allocation
// after construction. Samples are kept in append order (callers append in time order).
class MetricSeries
{
public:
    explicit MetricSeries(qsizetype capacity = 3600);

    void append(qint64 msecs, double value);
    void clear();
    qsizetype size() const { return m_size; }
    qsizetype capacity() const { return qsizetype(m_ring.size()); }
    bool isEmpty() const { return m_size == 0; }
    MetricSample at(qsizetype i) const; // 0 = oldest; i must be < size()
    MetricSample last() const; // size() must be > 0
    QList<MetricSample> samples() const; // oldest first
    QList<MetricSample> samplesSince(qint64 msecs) const; // msecs >= the given time, oldest first
    double maxValue() const; // 0 when empty

private:
    std::vector<MetricSample> m_ring;
    qsizetype m_head = 0; // where the next sample goes
    qsizetype m_size = 0;
};

// Turns a cumulative counter (CPU ns, bytes) into a rate per second times a scale:
// bytes -> B/s with scale 1; CPU ns -> % of one CPU with scale cpuPercentScale.
// A counter that goes down (the instance restarted, the interface was recreated) or a time
// that does not advance yields no rate and restarts from the new value.
class CounterRate
{
public:
    static constexpr double cpuPercentScale = 100.0 / 1e9; // ns per second -> % of one CPU

    explicit CounterRate(double scale = 1.0)
        : m_scale(scale)
    {
    }
    // Returns true and sets *rate when a rate is known from the previous sample.
    bool feed(qint64 msecs, qint64 counter, double *rate);
    void reset() { m_has = false; }

private:
    double m_scale;
    qint64 m_lastMsecs = 0;
    qint64 m_lastCounter = 0;
    bool m_has = false;
};

} // namespace canyon

Q_DECLARE_METATYPE(canyon::MetricSample)
