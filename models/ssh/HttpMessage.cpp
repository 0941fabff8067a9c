// SPDX-License-Identifier: GPL-3.0-or-later
#include "HttpMessage.h"

using namespace Qt::StringLiterals;

namespace canyon {

static constexpr qsizetype kMaxHeaderBytes = 64 * 1024;

HttpResponseParser::HttpResponseParser(qsizetype maxBody)
    : m_maxBody(maxBody)
{
}

void HttpResponseParser::fail(const QString &why)
{
    m_state = State::Failed;
    m_error = why;
    m_buffer.clear();
}

QByteArray HttpResponseParser::header(QByteArrayView name) const
{
    for (const auto &h : m_headers)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    return {};
}

bool HttpResponseParser::takeLine(QByteArray *line)
{
    const qsizetype nl = m_buffer.indexOf('\n');
    if (nl < 0) {
        if (m_buffer.size() > kMaxHeaderBytes)
            fail(u"HTTP line longer than 64 KiB"_s);
        return false;
    }
    *line = m_buffer.left(nl);
    if (line->endsWith('\r'))
        line->chop(1);
    m_buffer.remove(0, nl + 1);
    return true;
}

void HttpResponseParser::feed(QByteArrayView data)
{
    if (m_state == State::Done || m_state == State::Failed)
        return;
    m_buffer.append(data);
    process();
}

void HttpResponseParser::process()
{
    QByteArray line;
    while (m_state != State::Done && m_state != State::Failed) {
        switch (m_state) {
        case State::StatusLine: {
            if (!takeLine(&line))
                return;
            // "HTTP/1.1 200 OK"
            const QList<QByteArray> parts = line.split(' ');
            bool ok = false;
            m_status = parts.size() >= 2 ? parts.at(1).toInt(&ok) : 0;
            if (!line.startsWith("HTTP/1.") || !ok || m_status < 100 || m_status > 999)
                return fail(u"not an HTTP response"_s);
            m_state = State::Headers;
            break;
        }
        case State::Headers: {
            if (!takeLine(&line))
                return;
            m_headerBytes += line.size();
            if (m_headerBytes > kMaxHeaderBytes)
                return fail(u"HTTP headers larger than 64 KiB"_s);
            if (line.isEmpty()) {
                const QByteArray te = header("Transfer-Encoding");
                const QByteArray cl = header("Content-Length");
                if (te.toLower().contains("chunked")) {
                    m_chunked = true;
                    m_state = State::ChunkSize;
                } else if (!cl.isEmpty()) {
                    bool ok = false;
                    m_contentLength = cl.trimmed().toLongLong(&ok);
                    if (!ok || m_contentLength < 0)
                        return fail(u"invalid Content-Length"_s);
                    if (m_contentLength > m_maxBody)
                        return fail(u"HTTP body too large (%1 bytes)"_s.arg(m_contentLength));
                    m_state = State::Body;
                } else if (m_status == 204 || m_status == 304 || m_status < 200) {
                    m_state = State::Done;
                } else {
                    m_state = State::Body; // until the stream ends
                }
                break;
            }
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                return fail(u"malformed HTTP header"_s);
            m_headers.append({ line.left(colon).trimmed(), line.mid(colon + 1).trimmed() });
            break;
        }
        case State::Body: {
            if (m_contentLength >= 0) {
                const qsizetype take = qMin<qint64>(m_buffer.size(), m_contentLength - m_body.size());
                m_body.append(m_buffer.left(take));
                m_buffer.remove(0, take);
                if (m_body.size() == m_contentLength)
                    m_state = State::Done;
                return;
            }
            m_body.append(m_buffer);
            m_buffer.clear();
            if (m_body.size() > m_maxBody)
                return fail(u"HTTP body too large"_s);
            return;
        }
        case State::ChunkSize: {
            if (!takeLine(&line))
                return;
            const qsizetype semi = line.indexOf(';');
            bool ok = false;
            m_chunkLeft = (semi < 0 ? line : line.left(semi)).trimmed().toLongLong(&ok, 16);
            if (!ok || m_chunkLeft < 0)
                return fail(u"malformed chunk size"_s);
            if (m_body.size() + m_chunkLeft > m_maxBody)
                return fail(u"HTTP body too large"_s);
            m_state = m_chunkLeft == 0 ? State::Trailers : State::ChunkData;
            break;
        }
        case State::ChunkData: {
            const qsizetype take = qMin<qint64>(m_buffer.size(), m_chunkLeft);
            m_body.append(m_buffer.left(take));
            m_buffer.remove(0, take);
            m_chunkLeft -= take;
            if (m_chunkLeft > 0)
                return;
            m_state = State::ChunkDataEnd;
            break;
        }
        case State::ChunkDataEnd:
            if (!takeLine(&line))
                return;
            if (!line.isEmpty())
                return fail(u"malformed chunk end"_s);
            m_state = State::ChunkSize;
            break;
        case State::Trailers:
            if (!takeLine(&line))
                return;
            if (line.isEmpty())
                m_state = State::Done;
            break;
        case State::Done:
        case State::Failed:
            return;
        }
    }
}

void HttpResponseParser::finish()
{
    if (m_state == State::Body && m_contentLength < 0 && !m_chunked) {
        m_state = State::Done;
        return;
    }
    if (m_state != State::Done && m_state != State::Failed)
        fail(u"the HTTP response was cut short"_s);
}

} // namespace canyon
