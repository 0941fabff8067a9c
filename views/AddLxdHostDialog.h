// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "lxd/LxdClientCertificate.h"

#include <QDialog>
#include <QUrl>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace canyon {

class FleetService;
class LxdClient;
struct LxdResult;

// Add one LXD host over HTTPS: "Connect" fetches the server certificate and shows its SHA256;
// once the user confirms it, "Add host" pins it, has Canyon's client certificate trusted with
// the trust password or token (POST /1.0/certificates), checks that the server now trusts it,
// and saves the host. A certificate that changes in between is refused with both fingerprints.
// Use open(); lxdHostAdded() is emitted just before the dialog accepts.
class AddLxdHostDialog : public QDialog
{
    Q_OBJECT
public:
    explicit AddLxdHostDialog(FleetService *fleet, QWidget *parent = nullptr);
    ~AddLxdHostDialog() override;

    QString shownSha256() const { return m_sha256; } // "" until Connect saw a certificate
    static bool parseUrl(const QString &text, QUrl *out, QString *error);

Q_SIGNALS:
    void lxdHostAdded(const QString &name);

private:
    void inputsChanged();
    void connectToHost();
    void addHost();
    void finishAdd(const QString &version);
    void fail(const LxdResult &result);
    void setBusy(bool busy);
    void setMessage(const QString &text, bool error = false);
    bool ensureIdentity();
    void updateButtons();

    FleetService *m_fleet;
    LxdClientCertificate m_identity;
    bool m_haveIdentity = false;
    LxdClient *m_client = nullptr; // the request in flight (deleted with the next one)
    QUrl m_url; // what the fingerprint belongs to
    QString m_sha256;

    QLineEdit *m_name = nullptr;
    QLineEdit *m_urlEdit = nullptr;
    QLineEdit *m_secret = nullptr;
    QPushButton *m_connect = nullptr;
    QLabel *m_fingerprint = nullptr;
    QCheckBox *m_accept = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_message = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_add = nullptr;
    bool m_busy = false;
};

} // namespace canyon
