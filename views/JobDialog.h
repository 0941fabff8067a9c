// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/FleetJob.h"
#include "snap/SnapActions.h"

#include <QDialog>
#include <QPointer>
#include <QStringList>

class QCheckBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableView;
class QTimer;
class QWidget;

namespace canyon {

class FleetService;
class JobItemsModel;

// Update / Roll back / Hold / Release hold / Install / Remove / reattach on a set of devices
// (issue 4), non-modal. First the plan (which
// devices, which snaps, from which revision to which, in which batches) with the rollout
// controls; Start runs a FleetJob; then per device×snap progress, status and errors, an overall
// progress bar, Pause / Resume / Cancel, and a result that can be copied or saved as CSV/JSON.
// While the job runs the dialog cannot be closed (Cancel first); the GUI thread never waits.
class JobDialog : public QDialog
{
    Q_OBJECT
public:
    struct Request
    {
        // Refresh (Update), Revert (Roll back), Hold / Unhold (refreshes), Install, Remove
        SnapAction action = SnapAction::Refresh;
        QStringList devices; // in rollout order
        // Refresh: empty = every snap; Revert and Install: exactly one; Hold, Unhold, Remove:
        // at least one (editable in the dialog, except for Revert)
        QStringList snaps;
        bool reattach = false; // follow the open journal entries of a killed job (FleetJob)
    };

    JobDialog(FleetService *fleet, const Request &request, QWidget *parent = nullptr);
    ~JobDialog() override;

    FleetJob *job() const { return m_job; } // null until started (reattach: created at once)
    JobItemsModel *itemsModel() const { return m_model; }
    bool isRunning() const;
    bool saveReport(const QString &path, QString *error) const; // .json: JSON, else CSV
    QString reportText() const;

public Q_SLOTS:
    void start();
    void togglePause();
    void cancelJob();
    void copyReport();
    void saveReportAs(); // asks for a file (non-modal)
    void reject() override; // refused while the job runs

Q_SIGNALS:
    void jobStarted(canyon::FleetJob *job); // the job runs (the operations dock follows it)
    void jobFinished();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    bool buildSpec(JobSpec *spec, QString *error) const;
    void rebuildPlan();
    void jobDone();
    void updateProgress();
    void updateButtons();

    FleetService *m_fleet;
    Request m_request;
    JobItemsModel *m_model = nullptr;
    QPointer<FleetJob> m_job;
    bool m_finished = false;
    bool m_planValid = false;

    QLabel *m_header = nullptr;
    QWidget *m_controls = nullptr;
    QLineEdit *m_snapsEdit = nullptr;
    QLineEdit *m_channelEdit = nullptr;
    QLineEdit *m_fileEdit = nullptr; // Install: a .snap file already on the devices
    QCheckBox *m_devmodeCheck = nullptr; // Install from a file: --devmode
    QLineEdit *m_batchesEdit = nullptr;
    QSpinBox *m_maxFailSpin = nullptr;
    QSpinBox *m_concurrencySpin = nullptr;
    QLabel *m_planLabel = nullptr;
    QTableView *m_view = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_statusLabel = nullptr;
    QPushButton *m_startButton = nullptr;
    QPushButton *m_pauseButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QPushButton *m_copyButton = nullptr;
    QPushButton *m_saveButton = nullptr;
    QPushButton *m_closeButton = nullptr;
    QTimer *m_planTimer = nullptr; // coalesces inventory arrivals into one re-plan
    QTimer *m_progressTimer = nullptr; // coalesces item changes into one progress update
};

} // namespace canyon
