// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>

namespace canyon {

// Incremental HTTP/1.1 response parser for answers read from an SSH channel: status line,
// headers, then a body framed by Content-Length, chunked encoding, or the end of the stream.
// Bounded: headers ≤ 64 KiB, body ≤ maxBody; anything malformed is an error, never a crash.
class HttpResponseParser
{
public:
    explicit HttpResponseParser(qsizetype maxBody = 64 * 1024 * 1024);

    void feed(QByteArrayView data);
    void finish(); // the peer closed the stream
    bool isComplete() const { return m_state == State::Done; }
    bool hasError() const { return m_state == State::Failed; }
    QString error() const { return m_error; }
    int status() const { return m_status; }
    QByteArray body() const { return m_body; }
    QByteArray header(QByteArrayView name) const; // case-insensitive, first match
    // Room for the body, allocated once (large blocks are mapped lazily: only what arrives is
    // resident), so that a body growing to the cap is not copied while it grows.
    void reserveBody(qsizetype bytes) { m_body.reserve(bytes); }

private:
    enum class State {
        StatusLine,
        Headers,
        Body,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailers,
        Done,
        Failed
    };
    void fail(const QString &why);
    bool takeLine(QByteArray *line);
    void process();

    State m_state = State::StatusLine;
    QByteArray m_buffer;
    QByteArray m_body;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    QString m_error;
    qsizetype m_maxBody;
    qsizetype m_headerBytes = 0;
    qint64 m_contentLength = -1;
    qint64 m_chunkLeft = 0;
    bool m_chunked = false;
    int m_status = 0;
};

} // namespace canyon
