// SPDX-License-Identifier: GPL-3.0-or-later
#include "AddLxdHostDialog.h"

#include "domain/PlainText.h"
#include "fleet/FleetService.h"
#include "lxd/LxdClient.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

// 64 hex digits as 8 groups of 8, two lines: easy to compare with `lxc info` by eye.
QString groupedSha(const QString &sha)
{
    QStringList groups;
    for (qsizetype i = 0; i < sha.size(); i += 8)
        groups << sha.mid(i, 8);
    return groups.mid(0, 4).join(u' ') + u'\n' + groups.mid(4).join(u' ');
}

} // namespace

bool AddLxdHostDialog::parseUrl(const QString &input, QUrl *out, QString *error)
{
    QString text = input.trimmed();
    if (!text.contains(u"://"_s))
        text.prepend(u"https://"_s);
    QUrl u(text, QUrl::StrictMode);
    if (!u.isValid() || u.scheme() != u"https" || u.host().isEmpty() || !u.userInfo().isEmpty()
        || (!u.path().isEmpty() && u.path() != u"/") || u.hasQuery() || u.hasFragment()) {
        *error = tr("Enter the address as https://HOST[:PORT]");
        return false;
    }
    QUrl clean;
    clean.setScheme(u"https"_s);
    clean.setHost(u.host());
    clean.setPort(u.port(8443));
    *out = clean;
    return true;
}

AddLxdHostDialog::AddLxdHostDialog(FleetService *fleet, QWidget *parent)
    : QDialog(parent)
    , m_fleet(fleet)
{
    setWindowTitle(tr("Add LXD Host"));
    setObjectName(u"addLxdHostDialog"_s);

    m_name = new QLineEdit(this);
    m_name->setObjectName(u"nameEdit"_s);
    m_name->setPlaceholderText(tr("e.g. lab-lxd"));
    m_urlEdit = new QLineEdit(this);
    m_urlEdit->setObjectName(u"urlEdit"_s);
    m_urlEdit->setPlaceholderText(tr("https://host:8443"));
    m_secret = new QLineEdit(this);
    m_secret->setObjectName(u"secretEdit"_s);
    m_secret->setEchoMode(QLineEdit::Password);
    m_secret->setPlaceholderText(tr("Only needed when the server does not trust Canyon yet"));
    m_secret->setToolTip(
        tr("The server's core.trust_password, or a token from “lxc config trust add” on the server. "
           "Kept for this request only."));
    m_connect = new QPushButton(tr("&Connect"), this);
    m_connect->setObjectName(u"connectButton"_s);
    m_connect->setToolTip(tr("Fetch the server certificate (nothing is sent but the TLS handshake)"));

    m_fingerprint = new QLabel(this);
    m_fingerprint->setObjectName(u"fingerprintLabel"_s);
    m_fingerprint->setTextFormat(Qt::PlainText);
    m_fingerprint->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_fingerprint->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_fingerprint->setText(tr("(not connected yet)"));
    m_accept = new QCheckBox(tr("I have checked this fingerprint against the server's: pin it"), this);
    m_accept->setObjectName(u"acceptCertificateCheck"_s);
    m_accept->setToolTip(tr("On the server: lxc info | grep certificate_fingerprint"));
    m_accept->setEnabled(false);

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    auto *urlRow = new QHBoxLayout;
    urlRow->addWidget(m_urlEdit, 1);
    urlRow->addWidget(m_connect);
    form->addRow(tr("&Address:"), urlRow);
    form->addRow(tr("Server certificate SHA256:"), m_fingerprint);
    form->addRow(QString(), m_accept);
    form->addRow(tr("&Trust password or token:"), m_secret);

    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 0);
    m_progress->setMaximumHeight(10);
    m_progress->setTextVisible(false);
    m_progress->hide();
    m_message = new QLabel(this);
    m_message->setObjectName(u"messageLabel"_s);
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_add = m_buttons->addButton(tr("&Add Host"), QDialogButtonBox::AcceptRole);
    m_add->setObjectName(u"addButton"_s);
    connect(m_add, &QPushButton::clicked, this, &AddLxdHostDialog::addHost);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_progress);
    layout->addWidget(m_message);
    layout->addStretch(1);
    layout->addWidget(m_buttons);

    connect(m_name, &QLineEdit::textChanged, this, &AddLxdHostDialog::updateButtons);
    connect(m_urlEdit, &QLineEdit::textChanged, this, &AddLxdHostDialog::inputsChanged);
    connect(m_urlEdit, &QLineEdit::returnPressed, this, &AddLxdHostDialog::connectToHost);
    connect(m_connect, &QPushButton::clicked, this, &AddLxdHostDialog::connectToHost);
    connect(m_accept, &QCheckBox::toggled, this, &AddLxdHostDialog::updateButtons);
    resize(560, sizeHint().height());
    updateButtons();
}

AddLxdHostDialog::~AddLxdHostDialog() = default;

void AddLxdHostDialog::inputsChanged()
{
    // the fingerprint belongs to the address it was fetched from
    QUrl url;
    QString error;
    if (!m_sha256.isEmpty() && (!parseUrl(m_urlEdit->text(), &url, &error) || url != m_url)) {
        m_sha256.clear();
        m_fingerprint->setText(tr("(not connected yet)"));
        m_accept->setChecked(false);
        m_accept->setEnabled(false);
    }
    updateButtons();
}

void AddLxdHostDialog::updateButtons()
{
    m_connect->setEnabled(!m_busy && !m_urlEdit->text().trimmed().isEmpty());
    m_add->setEnabled(
        !m_busy && !m_name->text().trimmed().isEmpty() && !m_sha256.isEmpty() && m_accept->isChecked());
    m_name->setEnabled(!m_busy);
    m_urlEdit->setEnabled(!m_busy);
    m_secret->setEnabled(!m_busy);
}

void AddLxdHostDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_progress->setVisible(busy);
    updateButtons();
}

void AddLxdHostDialog::setMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? u"color: #b00020;"_s : QString());
}

bool AddLxdHostDialog::ensureIdentity()
{
    if (m_haveIdentity)
        return true;
    QString error;
    if (!LxdClientCertificate::ensure(m_fleet->config().configDir(), &m_identity, &error)) {
        setMessage(tr("Canyon's client certificate cannot be created: %1").arg(error), true);
        return false;
    }
    m_haveIdentity = true;
    return true;
}

void AddLxdHostDialog::connectToHost()
{
    if (m_busy)
        return;
    QUrl url;
    QString error;
    if (!parseUrl(m_urlEdit->text(), &url, &error))
        return setMessage(error, true);
    if (!ensureIdentity())
        return;
    m_url = url;
    m_sha256.clear();
    m_accept->setChecked(false);
    m_accept->setEnabled(false);
    delete m_client;
    // no pin: the handshake is aborted before any HTTP byte, and tells the certificate seen
    m_client = new LxdClient(url, QString(), m_identity, this);
    setBusy(true);
    setMessage(tr("Connecting to %1…").arg(url.toString()));
    m_client->fetchServer([this](const LxdResult &r, const LxdServerInfo &) {
        setBusy(false);
        if (r.certificateNotPinned && !r.serverSha256.isEmpty()) {
            m_sha256 = r.serverSha256;
            m_fingerprint->setText(groupedSha(m_sha256));
            m_accept->setEnabled(true);
            setMessage(tr("Compare the fingerprint with the server's own (lxc info), then confirm it to add "
                          "the host."));
            updateButtons();
            return;
        }
        fail(r);
    });
}

void AddLxdHostDialog::fail(const LxdResult &r)
{
    setBusy(false);
    if (r.certificateMismatch) {
        setMessage(tr("REFUSED: the server now presents a different certificate.\nShown and confirmed: "
                      "%1\nPresented now:       %2\n"
                      "Nothing was sent to it. Connect again only if you know why it changed.")
                       .arg(m_sha256, visibleText(r.serverSha256, 100)),
            true);
        m_sha256.clear();
        m_fingerprint->setText(tr("(refused: certificate changed)"));
        m_accept->setChecked(false);
        m_accept->setEnabled(false);
        updateButtons();
        return;
    }
    setMessage(tr("%1: %2").arg(lxdResultKindName(r.kind), visibleText(r.error, 1000)), true);
}

void AddLxdHostDialog::addHost()
{
    if (m_busy || m_sha256.isEmpty() || !m_accept->isChecked())
        return;
    const QString name = m_name->text().trimmed();
    if (m_fleet->host(name))
        return setMessage(tr("A host named %1 exists already.").arg(visibleText(name, 128)), true);
    delete m_client;
    m_client = new LxdClient(m_url, m_sha256, m_identity, this);
    setBusy(true);
    setMessage(tr("Checking the server with the pinned certificate…"));
    const QString secret = m_secret->text();
    LxdClient *client = m_client;
    client->fetchServer([this, client, secret](const LxdResult &r, const LxdServerInfo &info) {
        if (!r.ok())
            return fail(r);
        if (info.trusted)
            return finishAdd(info.serverVersion);
        if (secret.isEmpty()) {
            setBusy(false);
            return setMessage(
                tr("The server does not trust Canyon yet: enter its trust password or a trust token."), true);
        }
        setMessage(tr("Asking the server to trust Canyon's client certificate…"));
        client->trust(secret, [this, client](const LxdResult &tr2) {
            if (!tr2.ok())
                return fail(tr2);
            client->fetchServer([this](const LxdResult &r2, const LxdServerInfo &info2) {
                if (!r2.ok())
                    return fail(r2);
                if (!info2.trusted) {
                    setBusy(false);
                    return setMessage(
                        tr("The server accepted the trust request but still reports Canyon as untrusted."),
                        true);
                }
                finishAdd(info2.serverVersion);
            });
        });
    });
}

void AddLxdHostDialog::finishAdd(const QString &version)
{
    HostConfig h;
    h.name = m_name->text().trimmed();
    h.kind = HostKind::Lxd;
    h.lxdUrl = m_url.toString();
    h.lxdCertificateSha256 = m_sha256;
    QString error;
    setBusy(false);
    if (!m_fleet->addHost(h, &error))
        return setMessage(visibleText(error, 1000), true);
    setMessage(tr("Added (LXD %1).").arg(visibleText(version, 40)));
    Q_EMIT lxdHostAdded(h.name);
    accept();
}

} // namespace canyon
