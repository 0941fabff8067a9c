// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/FleetService.h"

#include <QDialog>
#include <optional>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace canyon {

class KeychainSecrets;

// Add one SSH device: name, target, group, authentication. "Connect" probes the device
// asynchronously (host key, auth, dialect); an unknown host key is asked about once, a changed
// one is refused. "Add device" is possible only after a successful probe of exactly these inputs.
// Use open(); deviceAdded() is emitted just before the dialog accepts.
class AddDeviceDialog : public QDialog
{
    Q_OBJECT
public:
    enum AuthMethod { AgentAuth, KeyFileAuth, PasswordAuth };

    explicit AddDeviceDialog(FleetService *service, QWidget *parent = nullptr);

    bool isProbing() const { return m_requestId != 0; }
    // Offers "Remember in the keychain" for the password or passphrase (enabled only when the
    // keychain answers); without one the secret is kept for this run only.
    void setKeychain(KeychainSecrets *keychain);

Q_SIGNALS:
    void deviceAdded(const QString &name);

private:
    void updateAuthRows();
    void inputsChanged();
    void connectToDevice();
    void startProbe(bool acceptNewHostKey);
    void stopProbe();
    void probed(int requestId, const canyon::ConnectProbe &probe);
    void addDevice();
    void browseKeyFile();
    bool buildHost(HostConfig *host, QString *error) const;
    AuthSecrets secrets() const;
    void setBusy(bool busy);
    void setMessage(const QString &text, bool error = false);
    void updateRemember();

    FleetService *m_service;
    QFormLayout *m_form = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_target = nullptr;
    QComboBox *m_group = nullptr;
    QComboBox *m_auth = nullptr;
    QWidget *m_keyRow = nullptr;
    QLineEdit *m_keyFile = nullptr;
    QLineEdit *m_passphrase = nullptr;
    QLineEdit *m_password = nullptr;
    QCheckBox *m_remember = nullptr;
    KeychainSecrets *m_keychain = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_stop = nullptr;
    QLabel *m_message = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_connect = nullptr;
    QPushButton *m_add = nullptr;

    int m_requestId = 0; // the probe in flight (0: none); answers to others are dropped
    HostConfig m_probingHost;
    std::optional<ConnectProbe> m_verified; // probed OK with the current inputs
};

} // namespace canyon
