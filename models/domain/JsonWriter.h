// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QLatin1StringView>
#include <QString>
#include <QVarLengthArray>
#include <optional>

namespace canyon {

// Writes JSON text straight into a byte array, in the order the caller writes it. For the
// documents a short command prints and caches (a fleet's inventory): building them as
// QJsonObjects and serialising those cost more than reading the fleet's answers did.
// Strings are written as UTF-8 with '"', '\\' and every control character escaped, so any remote
// text stays one JSON string. Indented output uses four spaces, as QJsonDocument does.
class JsonWriter
{
public:
    explicit JsonWriter(QByteArray *out, bool indented = false);

    void beginObject();
    void endObject();
    void beginArray();
    void endArray();
    // The next value belongs to this key; keys are Canyon's own field names.
    JsonWriter &key(QLatin1StringView name);

    void value(QStringView text);
    void value(const QString &text) { value(QStringView(text)); }
    void value(bool b);
    void value(const std::optional<QString> &text);
    void null();

    static void appendString(QByteArray *out, QStringView text);

private:
    void beforeValue();
    void open(char bracket);
    void close(char bracket);
    void newline();

    QByteArray *m_out;
    bool m_indented;
    bool m_afterKey = false;
    // One entry per open container: whether it holds anything yet.
    QVarLengthArray<bool, 8> m_nonEmpty;
};

} // namespace canyon
