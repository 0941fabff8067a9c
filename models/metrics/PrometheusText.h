// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The Prometheus text exposition format (version 0.0.4), as LXD serves it on GET /1.0/metrics.
// One pass over the bytes, no regular expressions, every size bounded: a hostile or broken
// server gets a clear error naming the line, never a crash or a stall.

#include <QByteArrayView>
#include <QHash>
#include <QList>
#include <QString>
#include <optional>
#include <utility>

namespace canyon {

// The caller caps the input (an LXD answer is at most kMaxLxdBodyBytes, also 64 MiB).
inline constexpr qsizetype kMaxPrometheusInputBytes = 64 * 1024 * 1024;
inline constexpr qsizetype kMaxPrometheusLineBytes = 64 * 1024; // without the '\n'
inline constexpr qsizetype kMaxPrometheusSamples = 1000000;
inline constexpr qsizetype kMaxPrometheusLabels = 64; // per sample

struct PrometheusSample
{
    QString name; // [a-zA-Z_:][a-zA-Z0-9_:]* (ASCII)
    QList<std::pair<QString, QString>> labels; // in the order sent; names unique and [a-zA-Z_][a-zA-Z0-9_]*
    double value = 0; // may be +-inf or NaN
    std::optional<qint64> timestampMs;

    // The value of a label, or a null QString when the sample has no such label.
    QString label(QStringView labelName) const;
};

struct PrometheusText
{
    QList<PrometheusSample> samples; // in the order sent
    QHash<QString, QString> types; // metric family -> counter | gauge | histogram | summary | untyped
    QHash<QString, QString> help; // metric family -> docstring (escapes resolved)
};

// Parses a whole exposition. Lines end in '\n'; a '\r' before it is tolerated (CRLF), the last
// line may lack its '\n'. Label values and HELP text must be valid UTF-8 and may hold only the
// escapes \\ \" \n (HELP: \\ \n). Values: decimal floats with exponents, +Inf, -Inf, NaN
// (case-insensitive, as Prometheus reads them); a number beyond double's range is an error.
// Timestamps: integer milliseconds. On failure *out is left unchanged and *error says why,
// starting with "line N:" when a line is at fault.
bool parsePrometheusText(QByteArrayView text, PrometheusText *out, QString *error);

} // namespace canyon
