// SPDX-License-Identifier: GPL-3.0-or-later
#include "DeviceSummaryWidget.h"

#include "StatusDotDelegate.h"
#include "domain/PlainText.h"
#include "item/FleetTreeModel.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

constexpr qsizetype Limit = 512;

QLabel *plainLabel(QWidget *parent, const QString &objectName)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    label->setWordWrap(true);
    return label;
}

QString timeText(const QDateTime &t)
{
    return t.isValid() ? QLocale().toString(t.toLocalTime(), QLocale::ShortFormat) : QString();
}

} // namespace

DeviceSummaryWidget::DeviceSummaryWidget(QWidget *parent)
    : QWidget(parent)
{
    auto *outer = new QVBoxLayout(this);

    auto *header = new QHBoxLayout;
    m_dot = new QLabel(this);
    m_dot->setFixedSize(16, 16);
    m_title = plainLabel(this, u"summaryTitle"_s);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    m_title->setFont(titleFont);
    m_status = plainLabel(this, u"summaryStatus"_s);
    m_status->setWordWrap(false);
    header->addWidget(m_dot);
    header->addWidget(m_title, 1);
    header->addWidget(m_status);
    outer->addLayout(header);

    m_error = plainLabel(this, u"summaryError"_s);
    m_error->setStyleSheet(u"color: #b3261e;"_s);
    outer->addWidget(m_error);
    m_note = plainLabel(this, u"summaryNote"_s);
    outer->addWidget(m_note);

    m_fields = new QWidget(this);
    auto *columns = new QHBoxLayout(m_fields);
    columns->setContentsMargins(0, 0, 0, 0);
    auto *left = new QFormLayout;
    auto *right = new QFormLayout;
    columns->addLayout(left, 1);
    columns->addLayout(right, 1);
    m_address = addField(left, tr("Address:"), u"summaryAddress"_s);
    m_dialect = addField(left, tr("Dialect:"), u"summaryDialect"_s);
    m_system = addField(left, tr("System:"), u"summarySystem"_s);
    m_version = addField(left, tr("snapd:"), u"summaryVersion"_s);
    m_versionLabel = qobject_cast<QLabel *>(left->labelForField(m_version));
    m_fetched = addField(left, tr("Last inventory:"), u"summaryFetched"_s);
    m_kernel = addField(right, tr("Kernel:"), u"summaryKernel"_s);
    m_architecture = addField(right, tr("Architecture:"), u"summaryArchitecture"_s);
    m_hostname = addField(right, tr("Hostname:"), u"summaryHostname"_s);
    m_snapsRefreshed = addField(right, tr("Snaps refreshed:"), u"summarySnapsRefreshed"_s);
    outer->addWidget(m_fields);
    outer->addStretch(1);

    showNothing();
}

QLabel *DeviceSummaryWidget::addField(QFormLayout *form, const QString &label, const QString &objectName)
{
    QLabel *value = plainLabel(this, objectName);
    form->addRow(label, value);
    return value;
}

void DeviceSummaryWidget::setField(QLabel *label, const QString &text)
{
    label->setText(text.isEmpty() ? tr("—") : text);
}

void DeviceSummaryWidget::showNothing()
{
    m_dot->clear();
    m_title->setText(tr("No device selected"));
    m_status->clear();
    m_error->hide();
    m_note->setText(tr("Select a device in the fleet tree to see its system and snaps."));
    m_note->show();
    m_fields->hide();
}

void DeviceSummaryWidget::showGroup(const QString &displayName, int devices, int reachable)
{
    m_dot->clear();
    m_title->setText(displayName);
    m_status->setText(tr("%1/%2 reachable").arg(reachable).arg(devices));
    m_error->hide();
    m_note->setText(tr("A group of %n device(s). Select a device to see its snaps.", nullptr, devices));
    m_note->show();
    m_fields->hide();
}

void DeviceSummaryWidget::showDevice(
    const HostConfig &host, const DeviceInventory &inv, DeviceStatus status, int selectedDevices)
{
    m_dot->setPixmap(StatusDotDelegate::makeStatusIcon(status).pixmap(16, 16));
    m_dot->setToolTip(FleetTreeModel::statusText(status));
    m_title->setText(visibleText(host.name, Limit));
    m_status->setText(FleetTreeModel::statusText(status));

    QString error = visibleText(inv.error, 2048);
    if (inv.status == DeviceStatus::HostKeyChanged && !inv.hostKey.sha256.isEmpty()) {
        error += u'\n'
            + tr("Offered key: %1 %2")
                  .arg(visibleText(inv.hostKey.keyType, Limit), visibleText(inv.hostKey.sha256, Limit));
        if (!inv.hostKey.knownSha256.isEmpty())
            error += u'\n'
                + tr("Trusted key: %1 %2")
                      .arg(visibleText(inv.hostKey.knownKeyType, Limit),
                          visibleText(inv.hostKey.knownSha256, Limit));
        error += u'\n' + tr("Nothing was run on this host.");
    }
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());

    QStringList notes;
    if (selectedDevices > 1)
        notes << tr("%1 devices selected; showing the current one.").arg(selectedDevices);
    if (status == DeviceStatus::NotYetContacted)
        notes << tr("Not contacted yet.");
    else if (status != DeviceStatus::Ok && inv.lastOkAt.isValid())
        notes << tr("Snaps shown are the last known ones, read %1.").arg(timeText(inv.lastOkAt));
    if (!inv.system.refreshError.isEmpty())
        notes << tr("Updates could not be determined: %1").arg(visibleText(inv.system.refreshError, Limit));
    m_note->setText(notes.join(u'\n'));
    m_note->setVisible(!notes.isEmpty());

    const QString address = host.ssh.toString().isEmpty() ? inv.address : host.ssh.toString();
    setField(m_address, visibleText(address, Limit));
    QString dialect = inv.dialect != Dialect::Unknown ? dialectName(inv.dialect) : QString();
    if (!host.dialect.isEmpty())
        dialect = tr("%1 (forced)").arg(visibleText(host.dialect, Limit));
    setField(m_dialect, visibleText(dialect, Limit));

    QStringList system;
    if (!inv.system.os.isEmpty() || !inv.system.release.isEmpty())
        system << QString(inv.system.os + u' ' + inv.system.release).trimmed();
    if (!inv.system.series.isEmpty())
        system << tr("series %1").arg(inv.system.series);
    setField(m_system, visibleText(system.join(u", "_s), Limit));
    m_versionLabel->setText(inv.dialect == Dialect::Snappy ? tr("snappy:") : tr("snapd:"));
    setField(m_version, visibleText(inv.system.snapdVersion, Limit));
    setField(m_kernel, visibleText(inv.system.kernel, Limit));
    setField(m_architecture, visibleText(inv.system.architecture, Limit));
    setField(m_hostname, visibleText(inv.system.hostname, Limit));
    QString fetched = timeText(inv.fetchedAt);
    if (!fetched.isEmpty() && inv.elapsedMs > 0)
        fetched = tr("%1 (%2 ms)").arg(fetched).arg(inv.elapsedMs);
    setField(m_fetched, fetched);
    setField(m_snapsRefreshed, timeText(inv.system.lastRefresh));
    m_fields->show();
}

} // namespace canyon
