// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "MetricChart.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QTimer;

namespace canyon {

class LxdConsole;
class LxdService;

// The Charts tab: CPU %, memory, network rx and tx and disk of the charted instances over the
// last minutes, drawn from LxdService's ring buffers. Every tick replaces each series once (the
// charts batch further); while shown, the charted instances get their state loaded.
// Disk is the root device's usage where the storage backend reports it; where it does not (the
// dir pool) the series stays empty and is named "not reported", and a note says so: never a 0.
// "Per host" sums the charted instances of each host into one series per host (disk over the
// instances that report it).
class InstanceChartsView : public QWidget
{
    Q_OBJECT
public:
    using Key = std::pair<QString, QString>; // host, instance
    static constexpr int MaxSeries = 200;

    explicit InstanceChartsView(LxdConsole *console, QWidget *parent = nullptr);

    void setTargets(const QList<Key> &instances, const QString &title);
    QList<Key> targets() const { return m_targets; }
    MetricChart *cpuChart() const { return m_cpu; }
    MetricChart *memoryChart() const { return m_memory; }
    MetricChart *rxChart() const { return m_rx; }
    MetricChart *txChart() const { return m_tx; }
    MetricChart *diskChart() const { return m_disk; }
    QLabel *diskNote() const { return m_diskNote; } // shown while no charted instance reports disk
    void setSumPerHost(bool on);
    bool sumPerHost() const;
    void updateNow();

    // One host's sum of several series: samples bucketed by bucketMs, each series carrying its
    // last value forward for at most one missing bucket (so a late sample does not dip the sum).
    static QList<QPointF> sumSeries(const QList<QList<QPointF>> &series, qint64 bucketMs);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    LxdConsole *m_console;
    LxdService *m_service;
    QList<Key> m_targets;
    QLabel *m_title = nullptr;
    QComboBox *m_window = nullptr;
    MetricChart *m_cpu = nullptr;
    MetricChart *m_memory = nullptr;
    MetricChart *m_rx = nullptr;
    MetricChart *m_tx = nullptr;
    MetricChart *m_disk = nullptr;
    QLabel *m_diskNote = nullptr;
    QCheckBox *m_perHost = nullptr;
    QTimer *m_tick = nullptr;
};

} // namespace canyon
