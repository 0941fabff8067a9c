// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "domain/Instance.h"

#include <QObject>
#include <QSslConfiguration>
#include <QTimer>
#include <QUrl>

class QWebSocket;

namespace canyon {

// The /1.0/events websocket of one LXD server (operation and lifecycle events), with the same
// certificate pin as LxdClient. It reconnects after a drop (or a sleep: a missed pong counts as
// a drop) with exponential backoff, 1 s doubling to 60 s; a refused certificate stops it for good.
// After every reconnect, reconnected() tells the owner to re-list what it missed meanwhile.
class LxdEventStream : public QObject
{
    Q_OBJECT
public:
    // Polling: a host without a websocket (over SSH); the owner lists it on pollDue().
    enum class State { Stopped, Connecting, Connected, Waiting, RefusedTrust, Polling };
    Q_ENUM(State)

    LxdEventStream(const QUrl &serverUrl, const QString &pinnedSha256, const QSslConfiguration &ssl,
        QObject *parent = nullptr);
    // A stream without a websocket: start() enters Polling and pollDue() asks the owner for one
    // list of the host, first after firstMs; pollFinished() sets the next round (back to firstMs
    // when something changed, else doubling up to maxMs). One round at a time.
    LxdEventStream(int firstPollMs, int maxPollMs, QObject *parent = nullptr);
    ~LxdEventStream() override;
    bool isPolling() const { return m_polling; }
    void pollFinished(bool changed);
    void pollSoon(); // something happened (an action ended): the next round at firstMs

    void start();
    void stop();
    State state() const { return m_state; }
    int nextBackoffMs() const { return m_backoffMs; }
    void setBackoffLimits(int firstMs, int maxMs); // tests
    void setPingIntervalMs(int ms); // default 30 s; a pong must arrive within the next interval

Q_SIGNALS:
    void eventReceived(const canyon::LxdEvent &event);
    void stateChanged(canyon::LxdEventStream::State state, const QString &reason);
    void reconnected(); // connected again after a drop: events may have been missed
    void pollDue(); // polling streams: list the host now, then call pollFinished()

private:
    void open();
    void onDisconnected();
    void setState(State s, const QString &reason = {});
    void scheduleReconnect(const QString &reason);

    QUrl m_url;
    QString m_pin;
    QSslConfiguration m_ssl;
    QWebSocket *m_socket = nullptr;
    QTimer m_retry;
    QTimer m_ping;
    State m_state = State::Stopped;
    bool m_refused = false;
    bool m_everConnected = false;
    bool m_awaitingPong = false;
    int m_firstBackoffMs = 1000;
    int m_maxBackoffMs = 60000;
    int m_backoffMs = 1000;
    QString m_seenSha256;
    bool m_polling = false;
    bool m_pollInFlight = false;
};

} // namespace canyon
