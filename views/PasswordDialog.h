// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;

namespace canyon {

class KeychainSecrets;

// Asks for a device's password (or its key's passphrase) when it is needed and not remembered:
// from the device's context menu "Enter Password…". "Remember in the keychain" is offered only
// when a keychain answers; otherwise it is disabled with the reason. Use open().
class PasswordDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Kind { Password, KeyPassphrase };

    PasswordDialog(const QString &device, Kind kind, KeychainSecrets *keychain, QWidget *parent = nullptr);

    Kind kind() const { return m_kind; }
    QString device() const { return m_device; }
    QString secret() const;
    bool remember() const; // checked and possible

private:
    void updateRemember();

    QString m_device;
    Kind m_kind;
    KeychainSecrets *m_keychain;
    QLineEdit *m_secret = nullptr;
    QCheckBox *m_remember = nullptr;
    QLabel *m_reason = nullptr;
};

} // namespace canyon
