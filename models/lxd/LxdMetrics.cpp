// SPDX-License-Identifier: GPL-3.0-or-later
#include "LxdMetrics.h"

#include <QHash>
#include <QtNumeric>
#include <cmath>
#include <limits>

namespace canyon {

namespace {

// A remote double as a byte count: non-finite or negative values count as nothing, and a
// hostile 1e300 is held at qint64's end instead of overflowing.
qint64 count(double v)
{
    if (!std::isfinite(v) || v <= 0)
        return 0;
    if (v >= 9.2e18)
        return std::numeric_limits<qint64>::max() / 4;
    return qint64(std::llround(v));
}

qint64 saturatingAdd(qint64 a, qint64 b)
{
    qint64 sum = 0;
    return qAddOverflow(a, b, &sum) ? std::numeric_limits<qint64>::max() : sum;
}

} // namespace

QList<LxdInstanceMetrics> lxdInstanceMetrics(const PrometheusText &metrics)
{
    QList<LxdInstanceMetrics> out;
    QHash<std::pair<QString, QString>, qsizetype> index; // (project, name) -> position in out
    struct Memory
    {
        double total = NAN;
        double free = NAN;
    };
    QList<Memory> memory;
    for (const PrometheusSample &s : metrics.samples) {
        if (!s.name.startsWith(u"lxd_"))
            continue;
        const QString name = s.label(u"name");
        if (name.isEmpty())
            continue;
        const QString project = s.label(u"project");
        const auto key = std::make_pair(project, name);
        qsizetype i = index.value(key, -1);
        if (i < 0) {
            i = out.size();
            index.insert(key, i);
            LxdInstanceMetrics m;
            m.project = project;
            m.name = name;
            m.type = s.label(u"type");
            out << m;
            memory << Memory {};
        }
        LxdInstanceMetrics &m = out[i];
        const QStringView metric = QStringView(s.name).sliced(4);
        if (metric == u"cpu_seconds_total") {
            if (std::isfinite(s.value) && s.value > 0)
                m.cpuSeconds += s.value;
        } else if (metric == u"memory_MemTotal_bytes") {
            memory[i].total = s.value;
        } else if (metric == u"memory_MemFree_bytes") {
            memory[i].free = s.value;
        } else if (metric == u"network_receive_bytes_total" || metric == u"network_transmit_bytes_total") {
            if (s.label(u"device") == u"lo")
                continue;
            qint64 &sum = metric == u"network_receive_bytes_total" ? m.rxBytes : m.txBytes;
            sum = saturatingAdd(sum, count(s.value));
        } else if (metric == u"procs_total") {
            m.processes = count(s.value);
        }
    }
    for (qsizetype i = 0; i < out.size(); ++i)
        if (std::isfinite(memory.at(i).total) && std::isfinite(memory.at(i).free))
            out[i].memoryBytes = qMax<qint64>(0, count(memory.at(i).total) - count(memory.at(i).free));
    return out;
}

} // namespace canyon
