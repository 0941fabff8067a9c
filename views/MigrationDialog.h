// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "item/InstanceDrag.h"
#include "lxd/LxdMigration.h"

#include <QDialog>
#include <optional>
#include <vector>

class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QTimer;
class QTreeWidget;

namespace canyon {

// Confirms moving instances to another LXD host (issue 5): source → target, the new name (a
// clash on the target keeps Move disabled until the name is free; edits are re-planned after a
// short pause), what the target has and misses, snapshots or instance only, for running
// instances stop → move → start or live (greyed out with the reason), and the transfer mode
// with the reason for it. Every check is LxdMigrator::plan(), asynchronous: nothing blocks.
// Move starts the migrations on the migrator; their progress is in the operations dock.
class MigrationDialog : public QDialog
{
    Q_OBJECT
public:
    MigrationDialog(LxdMigrator *migrator, const QList<InstanceRef> &instances, const QStringList &lxdHosts,
        const QString &targetHost, QWidget *parent = nullptr);
    ~MigrationDialog() override;

    QString targetHost() const;
    // A cluster member of the target host (a drop on a member node): instances of that host then
    // move to the member inside the cluster; others are placed on it. Changing the target host
    // in the dialog drops the member.
    void setTargetMember(const QString &member);
    QString targetMember() const; // "" when none (or the target host was changed)
    QList<MigrationRequest> requests() const; // what Move starts
    bool isPlanning() const; // a check is pending or running
    std::optional<MigrationPlan> plan(int row) const; // the current plan of a row, if any
    int rowCount() const { return int(m_rows.size()); }
    void setCurrentRow(int row);
    void setDebounceMs(int ms);

    void accept() override; // starts the migrations (only when Move is enabled)

Q_SIGNALS:
    void plansReady(); // every row has a plan for the current choices
    void migrationsStarted(const QList<canyon::LxdMigration *> &migrations);

private:
    bool memberMove() const; // every instance moves to another member of its own cluster
    void updateMemberMove(); // what a member move has no choice of (name, snapshots, transfer)
    struct Row
    {
        InstanceRef ref;
        QString newName; // "" = the same name
        std::optional<MigrationPlan> plan;
        quint64 generation = 0;
        bool pending = false; // a plan was asked for (or an edit waits for its debounce)
        bool dirty = false; // the name was edited: re-plan when the debounce fires
    };
    MigrationRequest request(const Row &row) const;
    void replanAll();
    void replan(int row);
    void planArrived(int row, quint64 generation, const MigrationPlan &plan);
    void nameEdited(const QString &text);
    void showCurrent();
    void updateRowItem(int row);
    void updateOptions();
    void updateMoveButton();
    QStringList blockingProblems(int row) const; // why this row cannot move now ("" = none)
    bool planIsCurrent(int row) const; // a plan for exactly what Move would start
    QString effectiveName(int row) const;
    static bool validName(const QString &name);

    LxdMigrator *m_migrator;
    std::vector<Row> m_rows;
    int m_current = 0;
    int m_shown = -1; // the row whose name is in the editor
    bool m_started = false;

    QLabel *m_header = nullptr;
    QComboBox *m_target = nullptr;
    QString m_targetMember, m_targetMemberHost; // the member applies to that target host only
    QString m_plainHeader; // the header without a member
    QTreeWidget *m_list = nullptr;
    QGroupBox *m_instanceBox = nullptr;
    QLineEdit *m_name = nullptr;
    QLabel *m_nameStatus = nullptr;
    QLabel *m_targetInfo = nullptr;
    QLabel *m_problems = nullptr;
    QRadioButton *m_keepSnapshots = nullptr;
    QRadioButton *m_instanceOnly = nullptr;
    QGroupBox *m_runningBox = nullptr;
    QRadioButton *m_stateless = nullptr;
    QRadioButton *m_live = nullptr;
    QLabel *m_liveReason = nullptr;
    QComboBox *m_mode = nullptr;
    QLabel *m_modeReason = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_move = nullptr;
    QTimer *m_debounce = nullptr;
};

} // namespace canyon
