// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "MetricChart.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QTimer;

namespace canyon {

class LxdConsole;
class LxdService;

// The Charts tab: CPU %, memory, network rx and tx of the charted instances over the last
// minutes, drawn from LxdService's ring buffers. Every tick replaces each series once (the
// charts batch further); while shown, the charted instances get their state loaded.
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
    void updateNow();

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
    QTimer *m_tick = nullptr;
};

} // namespace canyon
