// SPDX-License-Identifier: GPL-3.0-or-later
#include "PasswordDialog.h"

#include "KeychainSecrets.h"
#include "domain/PlainText.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace canyon {

PasswordDialog::PasswordDialog(const QString &device, Kind kind, KeychainSecrets *keychain, QWidget *parent)
    : QDialog(parent)
    , m_device(device)
    , m_kind(kind)
    , m_keychain(keychain)
{
    setObjectName(u"passwordDialog"_s);
    setWindowTitle(kind == Kind::Password ? tr("Password") : tr("Key passphrase"));
    auto *layout = new QVBoxLayout(this);
    auto *prompt = new QLabel(this);
    prompt->setTextFormat(Qt::PlainText);
    prompt->setWordWrap(true);
    const QString name = visibleText(device, 256);
    prompt->setText(kind == Kind::Password ? tr("Password for the device %1:").arg(name)
                                           : tr("Passphrase of the key file of the device %1:").arg(name));
    layout->addWidget(prompt);
    m_secret = new QLineEdit(this);
    m_secret->setObjectName(u"secretEdit"_s);
    m_secret->setEchoMode(QLineEdit::Password);
    prompt->setBuddy(m_secret);
    layout->addWidget(m_secret);
    m_remember = new QCheckBox(tr("&Remember in the keychain"), this);
    m_remember->setObjectName(u"rememberCheck"_s);
    layout->addWidget(m_remember);
    m_reason = new QLabel(this);
    m_reason->setObjectName(u"rememberReason"_s);
    m_reason->setTextFormat(Qt::PlainText);
    m_reason->setWordWrap(true);
    m_reason->setEnabled(false); // shown greyed, like a hint
    layout->addWidget(m_reason);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Connect"));
    buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    layout->addWidget(buttons);
    connect(m_secret, &QLineEdit::textChanged, this, [buttons](const QString &text) {
        buttons->button(QDialogButtonBox::Ok)->setEnabled(!text.isEmpty());
    });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    if (m_keychain)
        connect(m_keychain, &KeychainSecrets::availabilityChanged, this, &PasswordDialog::updateRemember);
    updateRemember();
    resize(420, sizeHint().height());
}

void PasswordDialog::updateRemember()
{
    const bool available = m_keychain && m_keychain->isAvailable();
    m_remember->setEnabled(available);
    if (!available)
        m_remember->setChecked(false);
    const QString reason = m_keychain
        ? m_keychain->unavailableReason()
        : tr("No keychain is available: the secret is kept for this session only.");
    m_reason->setText(reason);
    m_reason->setVisible(!reason.isEmpty());
    m_remember->setToolTip(reason);
}

QString PasswordDialog::secret() const
{
    return m_secret->text();
}

bool PasswordDialog::remember() const
{
    return m_remember->isEnabled() && m_remember->isChecked();
}

} // namespace canyon
