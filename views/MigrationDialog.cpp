// SPDX-License-Identifier: GPL-3.0-or-later
#include "MigrationDialog.h"

#include "domain/PlainText.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPalette>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace canyon {

namespace {

constexpr qsizetype NameLimit = 128;
enum ListColumn { InstanceColumn, NewNameColumn, CheckColumn };

QString v(const QString &remote)
{
    return visibleText(remote, NameLimit);
}

QLabel *plainLabel(const QString &objectName, QWidget *parent)
{
    auto *l = new QLabel(parent);
    l->setObjectName(objectName);
    l->setTextFormat(Qt::PlainText);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}

bool isNameOrResourceProblem(MigrationProblem::Kind k)
{
    using K = MigrationProblem::Kind;
    return k == K::NameClash || k == K::MissingStoragePool || k == K::MissingProfile
        || k == K::MissingNetwork;
}

QString shortProblem(const MigrationProblem &p)
{
    using K = MigrationProblem::Kind;
    switch (p.kind) {
    case K::NameClash:
        return MigrationDialog::tr("name taken on the target");
    case K::MissingStoragePool:
        return MigrationDialog::tr("target lacks pool %1").arg(v(p.subject));
    case K::MissingProfile:
        return MigrationDialog::tr("target lacks profile %1").arg(v(p.subject));
    case K::MissingNetwork:
        return MigrationDialog::tr("target lacks network %1").arg(v(p.subject));
    case K::SourceMissing:
        return MigrationDialog::tr("gone from the source");
    case K::HostUnknown:
        return MigrationDialog::tr("unknown host");
    case K::Unreachable:
        return MigrationDialog::tr("host unreachable");
    case K::SameHost:
        return MigrationDialog::tr("already on that host");
    case K::LiveNotPossible:
        return MigrationDialog::tr("live not possible");
    case K::Busy:
        return MigrationDialog::tr("unfinished earlier move");
    case K::MissingMember:
        return MigrationDialog::tr("no cluster member %1").arg(v(p.subject));
    case K::AlreadyOnMember:
        return MigrationDialog::tr("already on member %1").arg(v(p.subject));
    case K::Other:
        break;
    }
    return MigrationDialog::tr("cannot move");
}

// "default ✓, gpu ✗ missing" from what is needed and what the target has.
QString haveList(const QStringList &needed, const QStringList &missing)
{
    if (needed.isEmpty())
        return MigrationDialog::tr("none needed");
    QStringList parts;
    for (const QString &n : needed)
        parts << (missing.contains(n) ? MigrationDialog::tr("%1 ✗ missing").arg(v(n))
                                      : MigrationDialog::tr("%1 ✓").arg(v(n)));
    return parts.join(u", "_s);
}

} // namespace

MigrationDialog::MigrationDialog(LxdMigrator *migrator, const QList<InstanceRef> &instances,
    const QStringList &lxdHosts, const QString &targetHost, QWidget *parent)
    : QDialog(parent)
    , m_migrator(migrator)
{
    setObjectName(u"migrationDialog"_s);
    setWindowTitle(tr("Move Instances"));
    for (const InstanceRef &r : instances) {
        Row row;
        row.ref = r;
        m_rows.push_back(row);
    }

    m_header = plainLabel(u"headerLabel"_s, this);
    m_header->setWordWrap(false);
    if (m_rows.size() == 1)
        m_header->setText(tr("Move %1 from %2").arg(v(instances.first().name), v(instances.first().host)));
    else
        m_header->setText(tr("Move %1 instances").arg(m_rows.size()));
    m_target = new QComboBox(this);
    m_target->setObjectName(u"targetCombo"_s);
    m_target->setToolTip(tr("The LXD host the instances move to"));
    QStringList sources;
    for (const Row &r : m_rows)
        sources << r.ref.host;
    for (const QString &h : lxdHosts)
        m_target->addItem(v(h), h);
    int pick = m_target->findData(targetHost);
    for (int i = 0; pick < 0 && i < m_target->count(); ++i)
        if (!sources.contains(m_target->itemData(i).toString()))
            pick = i;
    m_target->setCurrentIndex(qMax(0, pick));
    auto *targetLabel = new QLabel(tr("&to:"), this);
    targetLabel->setBuddy(m_target);
    auto *top = new QHBoxLayout;
    top->addWidget(m_header);
    top->addWidget(targetLabel);
    top->addWidget(m_target, 1);

    m_list = new QTreeWidget(this);
    m_list->setObjectName(u"instancesList"_s);
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setHeaderLabels({ tr("Instance"), tr("New name"), tr("Check") });
    m_list->header()->setStretchLastSection(true);
    for (const Row &r : m_rows)
        m_list->addTopLevelItem(
            new QTreeWidgetItem(QStringList { v(r.ref.host) + u" / "_s + v(r.ref.name) }));
    m_list->header()->resizeSection(InstanceColumn, 220);
    m_list->header()->resizeSection(NewNameColumn, 160);
    m_list->setVisible(m_rows.size() > 1);
    m_list->setMaximumHeight((fontMetrics().height() + 8) * 7);

    // --- the selected instance: its name on the target and what the target has
    m_instanceBox = new QGroupBox(this);
    m_name = new QLineEdit(m_instanceBox);
    m_name->setObjectName(u"nameEdit"_s);
    m_name->setToolTip(tr("The instance's name on the target host; leave it as is to keep the name"));
    m_nameStatus = plainLabel(u"nameStatusLabel"_s, m_instanceBox);
    m_targetInfo = plainLabel(u"targetInfoLabel"_s, m_instanceBox);
    m_problems = plainLabel(u"problemsLabel"_s, m_instanceBox);
    // Box layouts, not a form: wrapped labels get their height (QFormLayout clipped them).
    auto *nameLabel = new QLabel(tr("&New name:"), m_instanceBox);
    nameLabel->setBuddy(m_name);
    auto *nameRow = new QHBoxLayout;
    nameRow->addWidget(nameLabel);
    nameRow->addWidget(m_name, 1);
    auto *instanceLayout = new QVBoxLayout(m_instanceBox);
    instanceLayout->addLayout(nameRow);
    instanceLayout->addWidget(m_nameStatus);
    instanceLayout->addWidget(m_targetInfo);
    instanceLayout->addWidget(m_problems);

    // --- options for all of them
    auto *snapBox = new QGroupBox(tr("Snapshots"), this);
    m_keepSnapshots = new QRadioButton(tr("&Keep snapshots"), snapBox);
    m_keepSnapshots->setObjectName(u"keepSnapshotsRadio"_s);
    m_keepSnapshots->setChecked(true);
    m_instanceOnly = new QRadioButton(
        tr("Instance &only (snapshots stay behind and are deleted with the source)"), snapBox);
    m_instanceOnly->setObjectName(u"instanceOnlyRadio"_s);
    auto *snapLayout = new QVBoxLayout(snapBox);
    snapLayout->addWidget(m_keepSnapshots);
    snapLayout->addWidget(m_instanceOnly);

    m_runningBox = new QGroupBox(tr("Running instances"), this);
    m_runningBox->setObjectName(u"runningBox"_s);
    m_stateless = new QRadioButton(
        tr("&Stop → move → start (stateless: processes restart on the target)"), m_runningBox);
    m_stateless->setObjectName(u"statelessRadio"_s);
    m_stateless->setChecked(true);
    m_live = new QRadioButton(tr("&Live (stateful: memory state moves too)"), m_runningBox);
    m_live->setObjectName(u"liveRadio"_s);
    m_live->setEnabled(false);
    m_liveReason = plainLabel(u"liveReasonLabel"_s, m_runningBox);
    m_liveReason->setIndent(20);
    auto *runLayout = new QVBoxLayout(m_runningBox);
    runLayout->addWidget(m_stateless);
    runLayout->addWidget(m_live);
    runLayout->addWidget(m_liveReason);

    m_mode = new QComboBox(this);
    m_mode->setObjectName(u"modeCombo"_s);
    m_mode->addItem(tr("Automatic"), int(MigrationMode::Auto));
    m_mode->addItem(tr("Pull (the target fetches from the source)"), int(MigrationMode::Pull));
    m_mode->addItem(tr("Push (the source sends to the target)"), int(MigrationMode::Push));
    m_mode->addItem(tr("Relay (through this console)"), int(MigrationMode::Relay));
    m_modeReason = plainLabel(u"modeReasonLabel"_s, this);
    auto *modeLabel = new QLabel(tr("T&ransfer:"), this);
    modeLabel->setBuddy(m_mode);
    auto *modeRow = new QHBoxLayout;
    modeRow->addWidget(modeLabel);
    modeRow->addWidget(m_mode, 1);

    m_status = plainLabel(u"statusLabel"_s, this);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_move = buttons->addButton(tr("&Move"), QDialogButtonBox::AcceptRole);
    m_move->setObjectName(u"moveButton"_s);
    m_move->setDefault(true);
    m_move->setEnabled(false);

    auto *layout = new QVBoxLayout(this);
    layout->setSizeConstraint(QLayout::SetMinimumSize); // grows when the plans' details arrive
    layout->addLayout(top);
    layout->addWidget(m_list);
    layout->addWidget(m_instanceBox);
    layout->addWidget(snapBox);
    layout->addWidget(m_runningBox);
    layout->addLayout(modeRow);
    layout->addWidget(m_modeReason);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(400);
    connect(m_debounce, &QTimer::timeout, this, [this] {
        for (int i = 0; i < rowCount(); ++i)
            if (m_rows[std::size_t(i)].dirty)
                replan(i);
    });
    connect(m_name, &QLineEdit::textEdited, this, &MigrationDialog::nameEdited);
    connect(m_list, &QTreeWidget::currentItemChanged, this, [this] {
        m_current = qMax(0, m_list->indexOfTopLevelItem(m_list->currentItem()));
        showCurrent();
    });
    connect(m_target, &QComboBox::currentIndexChanged, this, &MigrationDialog::replanAll);
    connect(m_mode, &QComboBox::currentIndexChanged, this, &MigrationDialog::replanAll);
    connect(m_live, &QRadioButton::toggled, this, &MigrationDialog::replanAll);
    connect(m_instanceOnly, &QRadioButton::toggled, this, &MigrationDialog::replanAll);
    connect(buttons, &QDialogButtonBox::accepted, this, &MigrationDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &MigrationDialog::reject);

    m_list->setCurrentItem(m_list->topLevelItem(0));
    resize(640, sizeHint().height());
    replanAll();
    m_name->setFocus(Qt::OtherFocusReason);
}

MigrationDialog::~MigrationDialog() = default;

void MigrationDialog::setDebounceMs(int ms)
{
    m_debounce->setInterval(ms);
}

void MigrationDialog::setCurrentRow(int row)
{
    if (QTreeWidgetItem *it = m_list->topLevelItem(row))
        m_list->setCurrentItem(it);
}

QString MigrationDialog::targetHost() const
{
    return m_target->currentData().toString();
}

QString MigrationDialog::targetMember() const
{
    return targetHost() == m_targetMemberHost ? m_targetMember : QString();
}

void MigrationDialog::setTargetMember(const QString &member)
{
    if (m_plainHeader.isEmpty()) {
        m_plainHeader = m_header->text();
        connect(m_target, &QComboBox::currentIndexChanged, this, [this] {
            const QString m = targetMember();
            m_header->setText(m.isEmpty()
                    ? m_plainHeader
                    : tr("%1 to member %2 of %3").arg(m_plainHeader, v(m), v(targetHost())));
            updateMemberMove();
        });
    }
    m_targetMember = member;
    m_targetMemberHost = targetHost();
    m_header->setText(member.isEmpty()
            ? m_plainHeader
            : tr("%1 to member %2 of %3").arg(m_plainHeader, v(member), v(m_targetMemberHost)));
    updateMemberMove();
    replanAll();
}

bool MigrationDialog::memberMove() const
{
    if (targetMember().isEmpty() || m_rows.empty())
        return false;
    for (const Row &r : m_rows)
        if (r.ref.host != targetHost())
            return false;
    return true;
}

void MigrationDialog::updateMemberMove()
{
    // LXD moves the one instance inside its cluster: it keeps its name and snapshots, and there
    // is no transfer to choose.
    const bool mm = memberMove();
    m_name->setEnabled(!mm);
    m_instanceOnly->setEnabled(!mm);
    if (mm)
        m_keepSnapshots->setChecked(true);
    m_mode->setEnabled(!mm);
    if (m_current >= 0) {
        m_shown = -1;
        showCurrent();
    }
    updateMoveButton();
}

bool MigrationDialog::validName(const QString &name)
{
    // LXD's rule for instance names: a hostname label
    static const QRegularExpression re(u"^[A-Za-z][A-Za-z0-9-]{0,62}$"_s);
    return re.match(name).hasMatch() && !name.endsWith(u'-');
}

MigrationRequest MigrationDialog::request(const Row &row) const
{
    MigrationRequest q;
    q.sourceHost = row.ref.host;
    q.instance = row.ref.name;
    q.targetHost = targetHost();
    q.targetName = row.newName == row.ref.name ? QString() : row.newName;
    q.mode = MigrationMode(m_mode->currentData().toInt());
    q.live = m_live->isEnabled() && m_live->isChecked();
    q.stateless = !q.live;
    q.instanceOnly = m_instanceOnly->isChecked();
    q.targetMember = targetMember();
    if (q.isMemberMove()) { // LXD moves it inside the cluster: no transfer mode, no snapshot choice
        q.mode = MigrationMode::Auto;
        q.instanceOnly = false;
    }
    return q;
}

QList<MigrationRequest> MigrationDialog::requests() const
{
    QList<MigrationRequest> out;
    for (const Row &r : m_rows)
        out << request(r);
    return out;
}

bool MigrationDialog::isPlanning() const
{
    return std::any_of(m_rows.cbegin(), m_rows.cend(), [](const Row &r) { return r.pending; });
}

std::optional<MigrationPlan> MigrationDialog::plan(int row) const
{
    if (row < 0 || row >= rowCount())
        return std::nullopt;
    return m_rows[std::size_t(row)].plan;
}

void MigrationDialog::replanAll()
{
    for (int i = 0; i < rowCount(); ++i)
        replan(i);
}

void MigrationDialog::replan(int row)
{
    Row &r = m_rows[std::size_t(row)];
    const quint64 generation = ++r.generation;
    r.pending = true;
    r.dirty = false;
    updateRowItem(row);
    updateMoveButton();
    if (row == m_current)
        showCurrent();
    if (!validName(effectiveName(row))) {
        r.pending = false; // nothing to ask: the name itself is wrong
        updateRowItem(row);
        updateMoveButton();
        if (row == m_current)
            showCurrent();
        return;
    }
    QPointer<MigrationDialog> self(this);
    m_migrator->plan(request(r), [self, row, generation](const MigrationPlan &plan) {
        if (self)
            self->planArrived(row, generation, plan);
    });
}

void MigrationDialog::planArrived(int row, quint64 generation, const MigrationPlan &plan)
{
    Row &r = m_rows[std::size_t(row)];
    if (generation != r.generation)
        return; // superseded by a later edit or choice
    r.plan = plan;
    r.pending = false;
    updateRowItem(row);
    updateOptions();
    updateMoveButton();
    if (row == m_current)
        showCurrent();
    if (!isPlanning())
        Q_EMIT plansReady();
}

void MigrationDialog::nameEdited(const QString &text)
{
    Row &r = m_rows[std::size_t(m_current)];
    r.newName = text.trimmed() == r.ref.name ? QString() : text.trimmed();
    ++r.generation; // a plan in flight is for the old name
    r.dirty = validName(effectiveName(m_current));
    r.pending = r.dirty;
    if (r.dirty)
        m_debounce->start();
    for (int i = 0; i < rowCount(); ++i) // a duplicate name within the move may come or go
        updateRowItem(i);
    updateMoveButton();
    showCurrent();
}

QString MigrationDialog::effectiveName(int row) const
{
    const Row &r = m_rows[std::size_t(row)];
    return r.newName.isEmpty() ? r.ref.name : r.newName;
}

bool MigrationDialog::planIsCurrent(int row) const
{
    const Row &r = m_rows[std::size_t(row)];
    return r.plan && !r.pending && !r.dirty && r.plan->request == request(r);
}

QStringList MigrationDialog::blockingProblems(int row) const
{
    QStringList out;
    const QString name = effectiveName(row);
    if (!validName(name))
        out << tr("not a valid instance name");
    for (int i = 0; i < rowCount(); ++i)
        if (i != row && effectiveName(i) == name) {
            out << tr("another instance of this move gets the same name");
            break;
        }
    if (planIsCurrent(row))
        for (const MigrationProblem &p : m_rows[std::size_t(row)].plan->problems)
            if (p.kind != MigrationProblem::Kind::Busy) // resolved by start() itself
                out << shortProblem(p);
    return out;
}

void MigrationDialog::updateRowItem(int row)
{
    QTreeWidgetItem *it = m_list->topLevelItem(row);
    it->setText(NewNameColumn, v(effectiveName(row)));
    const QStringList blocking = blockingProblems(row);
    QString check;
    if (!blocking.isEmpty())
        check = blocking.join(u"; "_s);
    else if (!planIsCurrent(row))
        check = tr("checking…");
    else
        check = tr("ready");
    it->setText(CheckColumn, check);
    it->setToolTip(CheckColumn, check);
}

void MigrationDialog::updateOptions()
{
    int snapshots = 0;
    bool anyRunning = false;
    bool allLive = true;
    QString liveWhy;
    QString okWhy;
    for (const Row &r : m_rows) {
        if (!r.plan)
            continue;
        snapshots += r.plan->snapshotCount;
        if (!r.plan->sourceRunning)
            continue;
        anyRunning = true;
        if (okWhy.isEmpty())
            okWhy = v(r.plan->liveReason);
        if (!r.plan->livePossible) {
            allLive = false;
            if (liveWhy.isEmpty())
                liveWhy = m_rows.size() > 1 ? v(r.ref.name) + u": "_s + v(r.plan->liveReason)
                                            : v(r.plan->liveReason);
        }
    }
    m_keepSnapshots->setText(
        snapshots > 0 ? tr("&Keep snapshots (%1)").arg(snapshots) : tr("&Keep snapshots (there are none)"));
    m_runningBox->setEnabled(anyRunning);
    if (!anyRunning) {
        m_liveReason->setText(m_rows.size() > 1
                ? tr("None of these instances is running: they move as they are.")
                : tr("The instance is not running: it moves as it is."));
        return;
    }
    if (!allLive && m_live->isChecked()) {
        // the target changed under a live choice: back to the honest default, and re-plan it
        const QSignalBlocker block(m_live);
        m_stateless->setChecked(true);
        QTimer::singleShot(0, this, &MigrationDialog::replanAll);
    }
    m_live->setEnabled(allLive);
    m_liveReason->setText(allLive ? tr("Live: %1").arg(okWhy) : tr("Live is not possible: %1").arg(liveWhy));
    m_live->setToolTip(m_liveReason->text());
}

void MigrationDialog::showCurrent()
{
    if (m_current < 0 || m_current >= rowCount())
        return;
    const Row &r = m_rows[std::size_t(m_current)];
    const QString name = effectiveName(m_current);
    const QString target = v(targetHost());
    const bool mm = memberMove();
    m_instanceBox->setTitle(mm
            ? tr("%1 / %2 → member %3").arg(v(r.ref.host), v(r.ref.name), v(targetMember()))
            : tr("%1 / %2 → %3").arg(v(r.ref.host), v(r.ref.name), target));
    if (m_shown != m_current) {
        m_shown = m_current;
        m_name->setText(name); // LXD names are hostname labels: nothing to escape
    }

    QString nameText;
    bool bad = true;
    const QStringList blocking = blockingProblems(m_current);
    if (mm) {
        nameText = tr("A member move keeps the instance and its name: LXD moves it inside the cluster.");
        bad = false;
    } else if (!validName(name)) {
        nameText = tr("✗ Not a valid instance name: letters, digits and “-”, starting with a letter, at "
                      "most 63 characters.");
    } else if (blocking.contains(tr("another instance of this move gets the same name"))) {
        nameText = tr("✗ Another instance of this move gets the name %1: choose another name.").arg(v(name));
    } else if (!planIsCurrent(m_current)) {
        nameText = tr("Checking whether %1 is free on %2…").arg(v(name), target);
        bad = false;
    } else {
        bad = false;
        for (const MigrationProblem &p : r.plan->problems)
            if (p.kind == MigrationProblem::Kind::NameClash) {
                nameText
                    = tr("✗ %1 already has an instance named %2: choose another name.").arg(target, v(name));
                bad = true;
            }
        if (!bad)
            nameText = tr("✓ %1 is free on %2.").arg(v(name), target);
    }
    m_nameStatus->setText(nameText);
    QPalette pal = palette();
    if (bad)
        pal.setColor(QPalette::WindowText, QColor(0xb0, 0x10, 0x10));
    m_nameStatus->setPalette(pal);

    if (!r.plan) {
        m_targetInfo->setText(tr("checking…"));
        m_problems->clear();
        m_problems->hide();
        m_modeReason->setText(tr("checking…"));
        return;
    }
    const MigrationPlan &p = *r.plan;
    QStringList missPools, missProfiles, missNets, others;
    for (const MigrationProblem &pr : p.problems) {
        switch (pr.kind) {
        case MigrationProblem::Kind::MissingStoragePool:
            missPools << pr.subject;
            break;
        case MigrationProblem::Kind::MissingProfile:
            missProfiles << pr.subject;
            break;
        case MigrationProblem::Kind::MissingNetwork:
            missNets << pr.subject;
            break;
        case MigrationProblem::Kind::Busy:
            others << tr("• %1 (Move resolves it first)").arg(v(pr.message));
            break;
        default:
            if (!isNameOrResourceProblem(pr.kind))
                others << u"• "_s + v(pr.message);
        }
    }
    QStringList info { mm ? tr("On member %1 now; the cluster's storage pools, profiles and networks serve "
                               "every member.")
                                .arg(p.sourceMember.isEmpty() ? tr("(unknown)") : v(p.sourceMember))
                          : tr("What the target has and misses:") };
    if (!p.instanceType.isEmpty()) {
        const QString kind = p.instanceType == u"virtual-machine" ? tr("virtual machine") : tr("container");
        const QString snaps = p.snapshotCount == 0 ? tr("no snapshots")
            : p.snapshotCount == 1                 ? tr("1 snapshot")
                                                   : tr("%1 snapshots").arg(p.snapshotCount);
        info.prepend(
            tr("A %1, %2, with %3.").arg(kind, p.sourceRunning ? tr("running") : tr("stopped"), snaps));
    }
    if (!mm) {
        info << tr("  Storage pools: %1").arg(haveList(p.storagePools, missPools));
        info << tr("  Profiles: %1").arg(haveList(p.profiles, missProfiles));
        info << tr("  Networks: %1").arg(haveList(p.networks, missNets));
    }
    if (!mm && (!p.targetPools.isEmpty() || !p.targetProfiles.isEmpty()))
        info << tr("  (%1 has pools: %2; profiles: %3)")
                    .arg(target, v(p.targetPools.join(u", "_s)), v(p.targetProfiles.join(u", "_s)));
    m_targetInfo->setText(info.join(u'\n'));
    m_problems->setText(others.join(u'\n'));
    m_problems->setVisible(!others.isEmpty());
    const auto mode = MigrationMode(m_mode->currentData().toInt());
    m_modeReason->setText(
        mode == MigrationMode::Auto ? tr("Automatic: %1").arg(v(p.modeReason)) : v(p.modeReason));
}

void MigrationDialog::updateMoveButton()
{
    int blocked = 0;
    bool pending = false;
    for (int i = 0; i < rowCount(); ++i) {
        if (!blockingProblems(i).isEmpty())
            ++blocked;
        else if (!planIsCurrent(i))
            pending = true;
    }
    m_move->setEnabled(!m_started && !pending && blocked == 0 && rowCount() > 0);
    if (blocked > 0)
        m_status->setText(rowCount() == 1 ? tr("Resolve the problem above to move the instance.")
                                          : tr("%1 of %2 instances cannot move yet: select them to see why.")
                                                .arg(blocked)
                                                .arg(rowCount()));
    else if (pending)
        m_status->setText(tr("Checking both hosts…"));
    else if (memberMove())
        m_status->setText(tr("Ready. LXD moves the instance to member %1 itself: one copy, nothing is "
                             "copied or deleted by Canyon; a running instance is stopped first and started "
                             "again. Progress is in the Operations dock.")
                              .arg(v(targetMember())));
    else
        m_status->setText(tr("Ready. Move copies, verifies the copy, then deletes the source: the source "
                             "is deleted only after the copy was verified. Progress is in the Operations "
                             "dock."));
}

void MigrationDialog::accept()
{
    if (!m_move->isEnabled())
        return;
    m_started = true;
    QList<LxdMigration *> started;
    for (const Row &r : m_rows)
        started << m_migrator->start(request(r));
    Q_EMIT migrationsStarted(started);
    QDialog::accept();
}

} // namespace canyon
