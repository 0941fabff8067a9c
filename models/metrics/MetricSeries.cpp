// SPDX-License-Identifier: GPL-3.0-or-later
#include "MetricSeries.h"

#include <algorithm>

namespace canyon {

MetricSeries::MetricSeries(qsizetype capacity)
    : m_ring(size_t(std::max<qsizetype>(capacity, 1)))
{
}

void MetricSeries::append(qint64 msecs, double value)
{
    m_ring[size_t(m_head)] = MetricSample { msecs, value };
    m_head = (m_head + 1) % capacity();
    if (m_size < capacity())
        ++m_size;
}

void MetricSeries::clear()
{
    m_head = 0;
    m_size = 0;
}

MetricSample MetricSeries::at(qsizetype i) const
{
    Q_ASSERT(i >= 0 && i < m_size);
    const qsizetype oldest = (m_head - m_size + capacity()) % capacity();
    return m_ring[size_t((oldest + i) % capacity())];
}

MetricSample MetricSeries::last() const
{
    Q_ASSERT(m_size > 0);
    return m_ring[size_t((m_head - 1 + capacity()) % capacity())];
}

QList<MetricSample> MetricSeries::samples() const
{
    QList<MetricSample> out;
    out.reserve(m_size);
    for (qsizetype i = 0; i < m_size; ++i)
        out << at(i);
    return out;
}

QList<MetricSample> MetricSeries::samplesSince(qint64 msecs) const
{
    // samples are in time order: binary search for the first one at or after msecs
    qsizetype lo = 0, hi = m_size;
    while (lo < hi) {
        const qsizetype mid = (lo + hi) / 2;
        if (at(mid).msecs < msecs)
            lo = mid + 1;
        else
            hi = mid;
    }
    QList<MetricSample> out;
    out.reserve(m_size - lo);
    for (qsizetype i = lo; i < m_size; ++i)
        out << at(i);
    return out;
}

double MetricSeries::maxValue() const
{
    double m = 0;
    for (qsizetype i = 0; i < m_size; ++i)
        m = i == 0 ? at(i).value : std::max(m, at(i).value);
    return m;
}

bool CounterRate::feed(qint64 msecs, qint64 counter, double *rate)
{
    const bool had = m_has;
    const qint64 dt = msecs - m_lastMsecs;
    const qint64 dv = counter - m_lastCounter;
    m_has = true;
    m_lastMsecs = msecs;
    m_lastCounter = counter;
    if (!had || dt <= 0 || dv < 0)
        return false;
    *rate = double(dv) * 1000.0 / double(dt) * m_scale;
    return true;
}

} // namespace canyon
