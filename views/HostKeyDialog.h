// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "domain/Device.h"

#include <QDialog>

class QPushButton;

namespace canyon {

// Asks once about an unknown SSH host key (Trust and connect / Cancel, Cancel is the default),
// or refuses a changed one loudly with the old and new fingerprints and no way to accept it.
// Use open(): accepted() means "trust this key" and is only possible for an unknown key.
class HostKeyDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Mode { Unknown, Changed };

    HostKeyDialog(Mode mode, const QString &host, const HostKeyInfo &key, QWidget *parent = nullptr,
        const QString &knownHostsFile = {});

    Mode mode() const { return m_mode; }
    QPushButton *trustButton() const { return m_trust; } // null for a changed key

private:
    Mode m_mode;
    QPushButton *m_trust = nullptr;
};

} // namespace canyon
