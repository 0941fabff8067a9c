// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QVarLengthArray>

namespace canyon {

// Reads JSON text value by value, straight into the caller's structures. For documents Canyon
// wrote itself and reads back on every start (the inventory cache): QJsonDocument first builds a
// whole tree of them, which a short command pays for in full. The grammar is RFC 8259's (no raw
// control characters in strings, no trailing commas, nothing after the value); text decodes as
// QString::fromUtf8 would (an invalid sequence becomes U+FFFD) and a lone surrogate escape
// stays in the QString, as QJsonDocument keeps it. The first error stops the reader (ok() turns false and
// every later call returns an empty value), so a caller checks ok() at the end and drops what it read from a
// bad document.
class JsonReader
{
public:
    enum class Type { Object, Array, String, Number, Bool, Null, Invalid };

    // The reader only views text: it must outlive the reader (a temporary would not).
    explicit JsonReader(QByteArrayView text);
    explicit JsonReader(QByteArray &&) = delete;
    explicit JsonReader(const QByteArray &&) = delete;

    // The type of the next value, without reading it.
    Type peek();

    // Enters an object; nextKey then gives its keys in order, each followed by its value (read
    // or skipped by the caller), and false after the last, having left the object.
    bool beginObject();
    // A key is valid until the next call.
    bool nextKey(QByteArrayView *key);
    // Enters an array; nextElement says whether another value follows (false: array left).
    bool beginArray();
    bool nextElement();

    QString readString();
    bool readBool();
    double readNumber();
    void readNull();
    void skipValue();

    bool ok() const { return m_ok; }
    // The whole text was one value, read without error.
    bool finished();

private:
    bool fail();
    bool enter(char bracket);
    bool next(char closing);
    void skipSpace();
    bool expect(char c);
    bool readKey(QByteArrayView *key);
    bool readLiteral(const char *word);

    QByteArrayView m_text;
    qsizetype m_pos = 0;
    QByteArray m_key; // a key that had escapes, decoded
    bool m_ok = true;
    // One entry per open object or array: whether a value has been read in it yet.
    QVarLengthArray<bool, 16> m_started;
};

} // namespace canyon
