// SPDX-License-Identifier: GPL-3.0-or-later
#include "InstanceChartsView.h"

#include "LxdConsole.h"
#include "domain/PlainText.h"
#include "lxd/LxdService.h"

#include <QComboBox>
#include <QDateTime>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace canyon {

InstanceChartsView::InstanceChartsView(LxdConsole *console, QWidget *parent)
    : QWidget(parent)
    , m_console(console)
    , m_service(console->service())
{
    setObjectName(u"chartsView"_s);
    m_title = new QLabel(this);
    m_title->setObjectName(u"chartsTitle"_s);
    m_title->setTextFormat(Qt::PlainText);
    m_window = new QComboBox(this);
    m_window->setObjectName(u"chartsWindow"_s);
    m_window->addItem(tr("Last 5 minutes"), 5 * 60 * 1000);
    m_window->addItem(tr("Last 15 minutes"), 15 * 60 * 1000);
    m_window->addItem(tr("Last hour"), 60 * 60 * 1000);
    auto *top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    top->addWidget(m_window);

    m_cpu = MetricChart::create(this);
    m_cpu->setObjectName(u"cpuChart"_s);
    m_cpu->setTitle(tr("CPU (% of one core)"));
    m_cpu->setUnit(MetricChart::Unit::Percent);
    m_memory = MetricChart::create(this);
    m_memory->setObjectName(u"memoryChart"_s);
    m_memory->setTitle(tr("Memory"));
    m_memory->setUnit(MetricChart::Unit::Bytes);
    m_rx = MetricChart::create(this);
    m_rx->setObjectName(u"rxChart"_s);
    m_rx->setTitle(tr("Network received"));
    m_rx->setUnit(MetricChart::Unit::BytesPerSecond);
    m_tx = MetricChart::create(this);
    m_tx->setObjectName(u"txChart"_s);
    m_tx->setTitle(tr("Network sent"));
    m_tx->setUnit(MetricChart::Unit::BytesPerSecond);
    auto *grid = new QGridLayout;
    grid->addWidget(m_cpu, 0, 0);
    grid->addWidget(m_memory, 0, 1);
    grid->addWidget(m_rx, 1, 0);
    grid->addWidget(m_tx, 1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addLayout(grid, 1);

    m_tick = new QTimer(this);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, &InstanceChartsView::updateNow);
    connect(m_window, &QComboBox::currentIndexChanged, this, [this] {
        const qint64 span = m_window->currentData().toLongLong();
        for (MetricChart *c : { m_cpu, m_memory, m_rx, m_tx })
            c->setTimeWindow(span);
        updateNow();
    });
    for (MetricChart *c : { m_cpu, m_memory, m_rx, m_tx })
        c->setTimeWindow(m_window->currentData().toLongLong());
    setTargets({}, {});
}

void InstanceChartsView::setTargets(const QList<Key> &instances, const QString &title)
{
    m_targets = instances.mid(0, MaxSeries);
    if (m_targets.isEmpty())
        m_title->setText(tr("Select LXD instances or a host to chart them."));
    else
        m_title->setText(title);
    if (isVisible())
        m_console->setChartedInstances(m_targets);
    updateNow();
}

void InstanceChartsView::updateNow()
{
    const qint64 since = QDateTime::currentMSecsSinceEpoch() - m_window->currentData().toLongLong();
    QList<MetricChart::Series> cpu, mem, rx, tx;
    const bool severalHosts = std::any_of(m_targets.cbegin(), m_targets.cend(),
        [this](const Key &k) { return k.first != m_targets.first().first; });
    auto points = [since](const MetricSeries &s) {
        QList<QPointF> out;
        const QList<MetricSample> samples = s.samplesSince(since);
        out.reserve(samples.size());
        for (const MetricSample &m : samples)
            out.append(QPointF(double(m.msecs), m.value));
        return out;
    };
    for (const Key &k : std::as_const(m_targets)) {
        const QString name = severalHosts ? k.first + u'/' + k.second : k.second;
        const InstanceMetrics *m = m_service->metrics(k.first, k.second);
        if (!m) {
            cpu << MetricChart::Series { name, {} };
            mem << MetricChart::Series { name, {} };
            rx << MetricChart::Series { name, {} };
            tx << MetricChart::Series { name, {} };
            continue;
        }
        cpu << MetricChart::Series { name, points(m->cpuPercent) };
        mem << MetricChart::Series { name, points(m->memoryBytes) };
        rx << MetricChart::Series { name, points(m->rxBytesPerSec) };
        tx << MetricChart::Series { name, points(m->txBytesPerSec) };
    }
    m_cpu->setSeries(cpu);
    m_memory->setSeries(mem);
    m_rx->setSeries(rx);
    m_tx->setSeries(tx);
}

void InstanceChartsView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_console->setChartedInstances(m_targets);
    m_tick->start();
    updateNow();
}

void InstanceChartsView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_tick->stop();
    m_console->setChartedInstances({});
}

} // namespace canyon
