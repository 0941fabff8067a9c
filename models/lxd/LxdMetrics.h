// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// LXD's GET /1.0/metrics (Prometheus text) summed up per instance, as `canyonctl metrics` shows it.

#include "metrics/PrometheusText.h"

#include <QList>
#include <QString>

namespace canyon {

struct LxdInstanceMetrics
{
    QString project;
    QString name; // remote text: show through visibleText()
    QString type; // container | virtual-machine
    double cpuSeconds = 0; // lxd_cpu_seconds_total summed over cpus and modes
    // lxd_memory_MemTotal_bytes - lxd_memory_MemFree_bytes: what LXD's state API (and `lxc info`,
    // "Memory (current)") calls memory usage, page cache included. MemAvailable would leave the
    // reclaimable cache out and read lower than LXD's own figure. -1 when LXD sent neither.
    qint64 memoryBytes = -1;
    qint64 rxBytes = 0; // lxd_network_receive_bytes_total over every device but "lo"
    qint64 txBytes = 0; // lxd_network_transmit_bytes_total, likewise
    qint64 processes = -1; // lxd_procs_total; -1 when not sent
};

// One entry per instance (project + name) in the order LXD first mentions them. Samples without
// a name label (LXD's own lxd_* daemon figures, if any) are not instances and are left out.
QList<LxdInstanceMetrics> lxdInstanceMetrics(const PrometheusText &metrics);

} // namespace canyon
