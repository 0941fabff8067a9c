// SPDX-License-Identifier: GPL-3.0-or-later
#include "InstanceChartsView.h"

#include "LxdConsole.h"
#include "domain/PlainText.h"
#include "lxd/LxdService.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QTimer>
#include <QVBoxLayout>
#include <map>

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
    m_perHost = new QCheckBox(tr("Per host (sum)"), this);
    m_perHost->setObjectName(u"chartsPerHost"_s);
    m_perHost->setToolTip(tr("One series per LXD host: the sum of its charted instances"));
    connect(m_perHost, &QCheckBox::toggled, this, &InstanceChartsView::updateNow);
    auto *top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    top->addWidget(m_perHost);
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
    m_disk = MetricChart::create(this);
    m_disk->setObjectName(u"diskChart"_s);
    m_disk->setTitle(tr("Disk used (root device)"));
    m_disk->setUnit(MetricChart::Unit::Bytes);
    m_diskNote = new QLabel(tr("Disk usage: not reported by the storage backend of these instances "
                               "(LXD's dir pool reports none)."),
        this);
    m_diskNote->setObjectName(u"diskNote"_s);
    m_diskNote->setTextFormat(Qt::PlainText);
    m_diskNote->setWordWrap(true);
    m_diskNote->hide();
    auto *diskBox = new QVBoxLayout;
    diskBox->addWidget(m_diskNote);
    diskBox->addWidget(m_disk, 1);
    auto *grid = new QGridLayout;
    grid->addWidget(m_cpu, 0, 0);
    grid->addWidget(m_memory, 0, 1);
    grid->addWidget(m_rx, 1, 0);
    grid->addWidget(m_tx, 1, 1);
    grid->addLayout(diskBox, 2, 0, 1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addLayout(grid, 1);

    m_tick = new QTimer(this);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, &InstanceChartsView::updateNow);
    connect(m_window, &QComboBox::currentIndexChanged, this, [this] {
        const qint64 span = m_window->currentData().toLongLong();
        for (MetricChart *c : { m_cpu, m_memory, m_rx, m_tx, m_disk })
            c->setTimeWindow(span);
        updateNow();
    });
    for (MetricChart *c : { m_cpu, m_memory, m_rx, m_tx, m_disk })
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

void InstanceChartsView::setSumPerHost(bool on)
{
    m_perHost->setChecked(on); // toggled() updates
}

bool InstanceChartsView::sumPerHost() const
{
    return m_perHost->isChecked();
}

QList<QPointF> InstanceChartsView::sumSeries(const QList<QList<QPointF>> &series, qint64 bucketMs)
{
    // bucket -> per series: its last value in that bucket
    std::map<qint64, QHash<int, double>> buckets;
    for (int i = 0; i < series.size(); ++i)
        for (const QPointF &p : series.at(i))
            buckets[qint64(p.x()) / bucketMs][i] = p.y();
    QList<QPointF> out;
    QHash<int, std::pair<qint64, double>> last; // series -> (bucket, value) last seen
    for (const auto &[bucket, values] : buckets) {
        for (auto it = values.cbegin(); it != values.cend(); ++it)
            last.insert(it.key(), { bucket, it.value() });
        double sum = 0;
        for (auto it = last.cbegin(); it != last.cend(); ++it)
            if (bucket - it.value().first <= 1) // carried forward one bucket at most
                sum += it.value().second;
        out.append(QPointF(double(bucket * bucketMs), sum));
    }
    return out;
}

void InstanceChartsView::updateNow()
{
    const qint64 since = QDateTime::currentMSecsSinceEpoch() - m_window->currentData().toLongLong();
    QList<MetricChart::Series> cpu, mem, rx, tx, disk;
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
    bool anyDisk = false;
    if (m_perHost->isChecked()) {
        // one series per host, in the order the hosts first appear
        QStringList hosts;
        for (const Key &k : std::as_const(m_targets))
            if (!hosts.contains(k.first))
                hosts << k.first;
        constexpr qint64 bucketMs = 2000; // the console loads charted states every 2 s
        for (const QString &h : std::as_const(hosts)) {
            QList<QList<QPointF>> c, m, r, t, d;
            int count = 0;
            for (const Key &k : std::as_const(m_targets)) {
                if (k.first != h)
                    continue;
                ++count;
                if (const InstanceMetrics *x = m_service->metrics(k.first, k.second)) {
                    c << points(x->cpuPercent);
                    m << points(x->memoryBytes);
                    r << points(x->rxBytesPerSec);
                    t << points(x->txBytesPerSec);
                    if (!x->diskBytes.isEmpty())
                        d << points(x->diskBytes);
                }
            }
            const QString name = tr("%1 (%n instance(s))", nullptr, count).arg(visibleText(h, 128));
            cpu << MetricChart::Series { name, sumSeries(c, bucketMs) };
            mem << MetricChart::Series { name, sumSeries(m, bucketMs) };
            rx << MetricChart::Series { name, sumSeries(r, bucketMs) };
            tx << MetricChart::Series { name, sumSeries(t, bucketMs) };
            anyDisk = anyDisk || !d.isEmpty();
            disk << MetricChart::Series { d.isEmpty() ? name + u" — "_s + tr("not reported") : name,
                sumSeries(d, bucketMs) };
        }
    } else {
        for (const Key &k : std::as_const(m_targets)) {
            const QString name = severalHosts ? k.first + u'/' + k.second : k.second;
            const InstanceMetrics *m = m_service->metrics(k.first, k.second);
            if (!m) {
                cpu << MetricChart::Series { name, {} };
                mem << MetricChart::Series { name, {} };
                rx << MetricChart::Series { name, {} };
                tx << MetricChart::Series { name, {} };
                disk << MetricChart::Series { name, {} };
                continue;
            }
            cpu << MetricChart::Series { name, points(m->cpuPercent) };
            mem << MetricChart::Series { name, points(m->memoryBytes) };
            rx << MetricChart::Series { name, points(m->rxBytesPerSec) };
            tx << MetricChart::Series { name, points(m->txBytesPerSec) };
            // a state was sampled but it carried no disk usage: say so, draw nothing
            const bool reported = !m->diskBytes.isEmpty();
            const bool sampled = !m->memoryBytes.isEmpty();
            anyDisk = anyDisk || reported;
            disk << MetricChart::Series { sampled && !reported ? name + u" — "_s + tr("not reported") : name,
                points(m->diskBytes) };
        }
    }
    // the note once states were sampled and none of them reported disk usage
    const bool sampledAny = std::any_of(m_targets.cbegin(), m_targets.cend(), [this](const Key &k) {
        const InstanceMetrics *m = m_service->metrics(k.first, k.second);
        return m && !m->memoryBytes.isEmpty();
    });
    m_diskNote->setVisible(sampledAny && !anyDisk);
    m_cpu->setSeries(cpu);
    m_memory->setSeries(mem);
    m_rx->setSeries(rx);
    m_tx->setSeries(tx);
    m_disk->setSeries(disk);
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
