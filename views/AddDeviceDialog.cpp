// SPDX-License-Identifier: GPL-3.0-or-later
#include "AddDeviceDialog.h"

#include "HostKeyDialog.h"
#include "KeychainSecrets.h"
#include "domain/PlainText.h"
#include "item/FleetTreeModel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSet>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

constexpr qsizetype Limit = 512;

QString expandHome(const QString &path)
{
    if (path == u"~")
        return QDir::homePath();
    if (path.startsWith(u"~/"_s))
        return QDir::homePath() + path.mid(1);
    return path;
}

} // namespace

AddDeviceDialog::AddDeviceDialog(FleetService *service, QWidget *parent)
    : QDialog(parent)
    , m_service(service)
{
    setWindowTitle(tr("Add device"));
    auto *outer = new QVBoxLayout(this);
    m_form = new QFormLayout;
    outer->addLayout(m_form);

    m_name = new QLineEdit(this);
    m_name->setObjectName(u"nameEdit"_s);
    m_name->setPlaceholderText(tr("e.g. kiosk-12"));
    m_form->addRow(tr("&Name:"), m_name);

    m_target = new QLineEdit(this);
    m_target->setObjectName(u"targetEdit"_s);
    m_target->setPlaceholderText(tr("user@host[:port] or an ~/.ssh/config alias"));
    m_form->addRow(tr("&Target:"), m_target);

    m_group = new QComboBox(this);
    m_group->setObjectName(u"groupCombo"_s);
    m_group->setEditable(true);
    m_group->setInsertPolicy(QComboBox::NoInsert);
    {
        QStringList groups;
        QSet<QString> seen;
        for (const HostConfig &h : m_service->hosts()) {
            if (!h.group.isEmpty() && !seen.contains(h.group)) {
                seen.insert(h.group);
                groups << h.group;
            }
        }
        groups.sort(Qt::CaseInsensitive);
        m_group->addItem(QString());
        for (const QString &g : std::as_const(groups))
            m_group->addItem(visibleText(g, Limit), g);
    }
    m_group->lineEdit()->setPlaceholderText(FleetTreeModel::ungroupedName());
    m_form->addRow(tr("&Group:"), m_group);

    m_auth = new QComboBox(this);
    m_auth->setObjectName(u"authCombo"_s);
    m_auth->addItem(tr("SSH agent and default keys"), AgentAuth);
    m_auth->addItem(tr("Key file"), KeyFileAuth);
    m_auth->addItem(tr("Password"), PasswordAuth);
    m_form->addRow(tr("&Authentication:"), m_auth);

    m_keyRow = new QWidget(this);
    auto *keyLayout = new QHBoxLayout(m_keyRow);
    keyLayout->setContentsMargins(0, 0, 0, 0);
    m_keyFile = new QLineEdit(m_keyRow);
    m_keyFile->setObjectName(u"keyFileEdit"_s);
    m_keyFile->setPlaceholderText(tr("~/.ssh/id_ed25519"));
    auto *browse = new QPushButton(tr("&Browse…"), m_keyRow);
    browse->setObjectName(u"browseButton"_s);
    browse->setAutoDefault(false);
    keyLayout->addWidget(m_keyFile, 1);
    keyLayout->addWidget(browse);
    m_form->addRow(tr("&Key file:"), m_keyRow);

    m_passphrase = new QLineEdit(this);
    m_passphrase->setObjectName(u"passphraseEdit"_s);
    m_passphrase->setEchoMode(QLineEdit::Password);
    m_passphrase->setPlaceholderText(tr("only if the key is encrypted"));
    m_form->addRow(tr("Pass&phrase:"), m_passphrase);

    m_password = new QLineEdit(this);
    m_password->setObjectName(u"passwordEdit"_s);
    m_password->setEchoMode(QLineEdit::Password);
    m_form->addRow(tr("Pass&word:"), m_password);

    m_remember = new QCheckBox(tr("&Remember in the keychain"), this);
    m_remember->setObjectName(u"rememberCheck"_s);
    m_form->addRow(QString(), m_remember);

    auto *progressRow = new QHBoxLayout;
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(u"probeProgress"_s);
    m_progress->setRange(0, 0); // busy: a probe has no measurable steps
    m_progress->setTextVisible(false);
    m_stop = new QPushButton(tr("&Stop"), this);
    m_stop->setObjectName(u"stopButton"_s);
    m_stop->setAutoDefault(false);
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_stop);
    outer->addLayout(progressRow);

    m_message = new QLabel(this);
    m_message->setObjectName(u"messageLabel"_s);
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    outer->addWidget(m_message);
    outer->addStretch(1);

    m_buttons = new QDialogButtonBox(this);
    m_connect = m_buttons->addButton(tr("&Connect"), QDialogButtonBox::ActionRole);
    m_connect->setObjectName(u"connectButton"_s);
    m_add = m_buttons->addButton(tr("&Add device"), QDialogButtonBox::AcceptRole);
    m_add->setObjectName(u"addButton"_s);
    m_add->setEnabled(false);
    QPushButton *cancel = m_buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setObjectName(u"cancelButton"_s);
    outer->addWidget(m_buttons);
    m_connect->setDefault(true);

    connect(m_auth, &QComboBox::currentIndexChanged, this, &AddDeviceDialog::updateAuthRows);
    connect(browse, &QPushButton::clicked, this, &AddDeviceDialog::browseKeyFile);
    for (QLineEdit *edit : { m_name, m_target, m_keyFile, m_passphrase, m_password })
        connect(edit, &QLineEdit::textChanged, this, &AddDeviceDialog::inputsChanged);
    connect(m_group, &QComboBox::currentTextChanged, this, &AddDeviceDialog::inputsChanged);
    connect(m_auth, &QComboBox::currentIndexChanged, this, &AddDeviceDialog::inputsChanged);
    connect(m_connect, &QPushButton::clicked, this, &AddDeviceDialog::connectToDevice);
    connect(m_stop, &QPushButton::clicked, this, &AddDeviceDialog::stopProbe);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &AddDeviceDialog::addDevice);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_service, &FleetService::connectProbed, this, &AddDeviceDialog::probed);

    updateAuthRows();
    setBusy(false);
    setMessage(tr("Enter the device's address, then Connect to check it before adding it."));
    resize(520, sizeHint().height());
}

void AddDeviceDialog::updateAuthRows()
{
    const int method = m_auth->currentData().toInt();
    m_form->setRowVisible(m_keyRow, method == KeyFileAuth);
    m_form->setRowVisible(m_passphrase, method == KeyFileAuth);
    m_form->setRowVisible(m_password, method == PasswordAuth);
    m_form->setRowVisible(m_remember, method != AgentAuth);
    updateRemember();
}

void AddDeviceDialog::setKeychain(KeychainSecrets *keychain)
{
    m_keychain = keychain;
    if (m_keychain)
        connect(m_keychain, &KeychainSecrets::availabilityChanged, this, &AddDeviceDialog::updateRemember);
    updateRemember();
}

void AddDeviceDialog::updateRemember()
{
    const bool available = m_keychain && m_keychain->isAvailable();
    const bool busy = isProbing();
    m_remember->setEnabled(available && !busy);
    if (!available)
        m_remember->setChecked(false);
    m_remember->setToolTip(m_keychain
            ? m_keychain->unavailableReason()
            : tr("No keychain is available: the secret is kept for this session only."));
    if (available)
        m_remember->setText(tr("&Remember in the keychain"));
    else if (m_keychain && m_keychain->isChecking())
        m_remember->setText(tr("&Remember in the keychain (looking for one…)"));
    else
        m_remember->setText(tr("&Remember in the keychain (none available: asked each time)"));
}

void AddDeviceDialog::browseKeyFile()
{
    // open() rather than getOpenFileName(): no nested event loop
    auto *dialog = new QFileDialog(this, tr("Choose a private key"), QDir::homePath() + u"/.ssh"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setFilter(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    connect(dialog, &QFileDialog::fileSelected, m_keyFile, &QLineEdit::setText);
    dialog->open();
}

void AddDeviceDialog::inputsChanged()
{
    if (m_verified) {
        m_verified.reset();
        m_add->setEnabled(false);
        m_connect->setDefault(true);
        setMessage(tr("The settings changed: connect again to check them."));
    }
}

AuthSecrets AddDeviceDialog::secrets() const
{
    AuthSecrets s;
    const int method = m_auth->currentData().toInt();
    if (method == KeyFileAuth)
        s.keyPassphrase = m_passphrase->text();
    else if (method == PasswordAuth)
        s.password = m_password->text();
    return s;
}

bool AddDeviceDialog::buildHost(HostConfig *host, QString *error) const
{
    HostConfig h;
    h.name = m_name->text().trimmed();
    if (h.name.isEmpty()) {
        *error = tr("Give the device a name.");
        return false;
    }
    if (m_service->host(h.name)) {
        *error = tr("A device named \"%1\" already exists.").arg(visibleText(h.name, Limit));
        return false;
    }
    QString parseError;
    if (!SshTarget::parse(m_target->text(), &h.ssh, &parseError)) {
        *error = tr("The target is not valid: %1").arg(visibleText(parseError, Limit));
        return false;
    }
    h.kind = HostKind::Device;
    const int groupIndex = m_group->findText(m_group->currentText());
    h.group = groupIndex >= 0 && m_group->itemData(groupIndex).isValid()
        ? m_group->itemData(groupIndex).toString()
        : m_group->currentText().trimmed();
    const int method = m_auth->currentData().toInt();
    if (method == KeyFileAuth) {
        const QString path = expandHome(m_keyFile->text().trimmed());
        if (path.isEmpty()) {
            *error = tr("Choose the private key file.");
            return false;
        }
        const QFileInfo info(path);
        if (!info.isFile() || !info.isReadable()) {
            *error = tr("The key file %1 cannot be read.").arg(path);
            return false;
        }
        h.identityFile = info.absoluteFilePath();
    } else if (method == PasswordAuth && m_password->text().isEmpty()) {
        *error = tr("Enter the password.");
        return false;
    }
    *host = h;
    return true;
}

void AddDeviceDialog::connectToDevice()
{
    if (isProbing())
        return;
    HostConfig host;
    QString error;
    if (!buildHost(&host, &error)) {
        setMessage(error, true);
        return;
    }
    m_probingHost = host;
    startProbe(false);
}

void AddDeviceDialog::startProbe(bool acceptNewHostKey)
{
    m_verified.reset();
    m_add->setEnabled(false);
    setBusy(true);
    setMessage(tr("Connecting to %1…").arg(visibleText(m_probingHost.ssh.toString(), Limit)));
    m_requestId = m_service->probe(m_probingHost, secrets(), acceptNewHostKey);
}

void AddDeviceDialog::stopProbe()
{
    // FleetService cannot abort a probe yet: its answer is ignored when it comes.
    m_requestId = 0;
    setBusy(false);
    setMessage(tr("Stopped. Nothing was added."));
}

void AddDeviceDialog::setBusy(bool busy)
{
    m_progress->setVisible(busy);
    m_stop->setVisible(busy);
    m_connect->setEnabled(!busy);
    for (QWidget *w : { static_cast<QWidget *>(m_name), static_cast<QWidget *>(m_target),
             static_cast<QWidget *>(m_group), static_cast<QWidget *>(m_auth), m_keyRow,
             static_cast<QWidget *>(m_passphrase), static_cast<QWidget *>(m_password) })
        w->setEnabled(!busy);
    updateRemember();
}

void AddDeviceDialog::setMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? u"color: #b3261e;"_s : QString());
}

void AddDeviceDialog::probed(int requestId, const ConnectProbe &probe)
{
    if (requestId == 0 || requestId != m_requestId)
        return;
    m_requestId = 0;
    setBusy(false);
    const QString target = visibleText(m_probingHost.ssh.toString(), Limit);

    switch (probe.status) {
    case DeviceStatus::Ok: {
        m_verified = probe;
        m_verified->host = m_probingHost;
        const QString dialect = dialectName(probe.dialect);
        setMessage(dialect.isEmpty()
                ? tr("Connected to %1.").arg(target)
                : tr("Connected to %1 (dialect: %2). Add it to the fleet?").arg(target, dialect));
        m_add->setEnabled(true);
        m_add->setDefault(true);
        m_add->setFocus();
        return;
    }
    case DeviceStatus::HostKeyUnknown: {
        setMessage(tr("The host key of %1 is not known yet.").arg(target));
        auto *dialog = new HostKeyDialog(
            HostKeyDialog::Mode::Unknown, m_probingHost.ssh.toString(), probe.hostKey, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QDialog::accepted, this, [this] { startProbe(true); });
        connect(dialog, &QDialog::rejected, this, [this] {
            setMessage(tr("The host key was not trusted. Nothing was run and nothing was added."));
        });
        dialog->open();
        return;
    }
    case DeviceStatus::HostKeyChanged: {
        setMessage(
            tr("Refused: the host key of %1 has changed. Nothing was run on this host.").arg(target), true);
        auto *dialog = new HostKeyDialog(HostKeyDialog::Mode::Changed, m_probingHost.ssh.toString(),
            probe.hostKey, this, m_service->config().knownHostsFile());
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
        return;
    }
    default:
        break;
    }

    if (probe.needsPassphrase) {
        m_auth->setCurrentIndex(m_auth->findData(KeyFileAuth));
        setMessage(m_passphrase->text().isEmpty()
                ? tr("The key file is encrypted: enter its passphrase and connect again.")
                : tr("The passphrase was not accepted: enter it again and connect."),
            true);
        m_passphrase->selectAll();
        m_passphrase->setFocus();
        return;
    }
    QString text = tr("Could not connect to %1: %2.").arg(target, FleetTreeModel::statusText(probe.status));
    if (!probe.error.isEmpty())
        text += u'\n' + visibleText(probe.error, 2048);
    setMessage(text, true);
}

void AddDeviceDialog::addDevice()
{
    if (!m_verified || isProbing())
        return;
    const HostConfig host = m_verified->host;
    QString error;
    if (!m_service->addHost(host, &error)) {
        setMessage(tr("The device could not be added: %1").arg(visibleText(error, 2048)), true);
        return;
    }
    const AuthSecrets s = secrets();
    if (!s.password.isEmpty() || !s.keyPassphrase.isEmpty()) {
        m_service->setSecrets(host.name, s);
        if (m_keychain && m_keychain->isAvailable() && m_remember->isChecked())
            m_keychain->remember(host.name, s); // asynchronous; the index is written once stored
    }
    // What the probe just read is the device's inventory: no second round trip to show it.
    if (m_verified->inventory.status == DeviceStatus::Ok) {
        DeviceInventory inv = m_verified->inventory;
        inv.host = host.name;
        m_service->rememberInventory(inv);
    }
    Q_EMIT deviceAdded(host.name);
    accept();
}

} // namespace canyon
