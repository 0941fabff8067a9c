// SPDX-License-Identifier: GPL-3.0-or-later
#include "HostKeyDialog.h"

#include "domain/PlainText.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

constexpr qsizetype Limit = 512;

QLabel *plainLabel(const QString &text, QWidget *parent, const QString &objectName = {})
{
    auto *label = new QLabel(text, parent);
    label->setObjectName(objectName);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return label;
}

QLabel *fingerprintLabel(
    const QString &keyType, const QString &sha256, QWidget *parent, const QString &objectName)
{
    const QString text = sha256.isEmpty()
        ? HostKeyDialog::tr("(not recorded)")
        : QString(visibleText(keyType, Limit) + u' ' + visibleText(sha256, Limit)).trimmed();
    QLabel *label = plainLabel(text, parent, objectName);
    label->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    label->setWordWrap(false);
    return label;
}

} // namespace

HostKeyDialog::HostKeyDialog(
    Mode mode, const QString &host, const HostKeyInfo &key, QWidget *parent, const QString &knownHostsFile)
    : QDialog(parent)
    , m_mode(mode)
{
    const QString shownHost = visibleText(host, Limit);
    auto *outer = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    auto *icon = new QLabel(this);
    const QStyle::StandardPixmap which
        = mode == Mode::Unknown ? QStyle::SP_MessageBoxQuestion : QStyle::SP_MessageBoxCritical;
    const int iconSize = style()->pixelMetric(QStyle::PM_MessageBoxIconSize, nullptr, this);
    icon->setPixmap(style()->standardIcon(which, nullptr, this).pixmap(iconSize, iconSize));
    icon->setAlignment(Qt::AlignTop);
    top->addWidget(icon);
    auto *text = new QVBoxLayout;
    top->addLayout(text, 1);
    outer->addLayout(top);

    auto *form = new QFormLayout;
    auto *buttons = new QDialogButtonBox(this);

    if (mode == Mode::Unknown) {
        setWindowTitle(tr("Unknown host key"));
        QLabel *heading = plainLabel(
            tr("Canyon has never connected to %1 before.").arg(shownHost), this, u"hostKeyHeading"_s);
        QFont bold = heading->font();
        bold.setBold(true);
        heading->setFont(bold);
        text->addWidget(heading);
        text->addWidget(
            plainLabel(tr("Compare this fingerprint with the one the device itself shows "
                          "(for example: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on "
                          "the device) before you trust it. Nothing has been run on the host yet."),
                this));
        form->addRow(tr("Host:"), plainLabel(shownHost, this, u"hostKeyHost"_s));
        form->addRow(tr("Key type:"), plainLabel(visibleText(key.keyType, Limit), this, u"hostKeyType"_s));
        QLabel *fp = fingerprintLabel(QString(), key.sha256, this, u"hostKeyFingerprint"_s);
        form->addRow(tr("Fingerprint:"), fp);
        m_trust = buttons->addButton(tr("Trust and connect"), QDialogButtonBox::AcceptRole);
        m_trust->setObjectName(u"trustButton"_s);
        m_trust->setAutoDefault(false);
        QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
        cancel->setObjectName(u"cancelButton"_s);
        cancel->setDefault(true);
        cancel->setFocus();
    } else {
        // A key marked @revoked is refused like a changed one, but removing an old entry would
        // not help: the device needs a new key.
        setWindowTitle(key.revoked ? tr("Host key revoked: connection refused")
                                   : tr("Host key changed: connection refused"));
        QLabel *heading = plainLabel(key.revoked
                ? tr(
                    "The host key of %1 is marked @revoked in a known_hosts file. Canyon refused to connect.")
                      .arg(shownHost)
                : tr("The host key of %1 has changed. Canyon refused to connect.").arg(shownHost),
            this, u"hostKeyHeading"_s);
        QFont bold = heading->font();
        bold.setBold(true);
        heading->setFont(bold);
        text->addWidget(heading);
        text->addWidget(
            plainLabel(tr("This can mean that someone is intercepting the connection, or that the "
                          "device was reinstalled."),
                this));
        form->addRow(tr("Host:"), plainLabel(shownHost, this, u"hostKeyHost"_s));
        if (!key.revoked)
            form->addRow(tr("Trusted key:"),
                fingerprintLabel(key.knownKeyType, key.knownSha256, this, u"hostKeyKnownFingerprint"_s));
        form->addRow(
            tr("Offered key:"), fingerprintLabel(key.keyType, key.sha256, this, u"hostKeyFingerprint"_s));
        QString advice = key.revoked
            ? tr("Nothing was run on this host. A revoked key is never accepted: the device needs a "
                 "new host key, which is then trusted like a new device's.")
            : tr("Nothing was run on this host. If the change is expected, remove the old key from "
                 "the known_hosts file and try again.");
        if (!knownHostsFile.isEmpty())
            advice += u"\n\n"_s + tr("Canyon's known_hosts file: %1").arg(knownHostsFile);
        outer->addLayout(form);
        outer->addWidget(plainLabel(advice, this, u"hostKeyAdvice"_s));
        QPushButton *close = buttons->addButton(QDialogButtonBox::Close);
        close->setObjectName(u"closeButton"_s);
        close->setDefault(true);
        outer->addWidget(buttons);
        setMinimumWidth(560);
        connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
        return;
    }
    outer->addLayout(form);
    outer->addWidget(buttons);
    setMinimumWidth(560);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

} // namespace canyon
