// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The bodies of the fuzz targets (QUALITY.md R5), one per parser in models/. Each takes the raw
// bytes a hostile device or server could send, runs them through the parser the console uses
// and checks the parser's own promises (sizes, plain text, output untouched on failure). A
// broken promise aborts, so libFuzzer reports it like a crash. The same functions run in the
// normal build over the seed corpora and tests/data/fuzz-regressions/ (tst_fuzzregressions),
// so every input that once crashed stays a test without clang.

#include "domain/JsonReader.h"
#include "domain/PlainText.h"
#include "fleet/InventoryJson.h"
#include "lxd/LxdJson.h"
#include "lxd/LxdMetrics.h"
#include "metrics/PrometheusText.h"
#include "snap/SnapCliParser.h"
#include "snap/SnapdJson.h"
#include "snap/SnappyParser.h"
#include "snap/TextTable.h"
#include "ssh/HttpMessage.h"
#include "ssh/KnownHosts.h"
#include "ssh/SshSession.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QString>
#include <QStringDecoder>
#include <QTemporaryFile>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <libssh/libssh.h>

namespace canyon::fuzz {

inline void check(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
        std::abort();
    }
}

inline QByteArray bytesOf(const uint8_t *data, size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
}

// visibleText's promise: nothing that can paint, hide or reorder text is left.
inline bool isPlain(const QString &s)
{
    for (const QChar c : s) {
        const char16_t u = c.unicode();
        if (u < 0x20 || (u >= 0x7f && u <= 0x9f) || (u >= 0x202a && u <= 0x202e)
            || (u >= 0x2066 && u <= 0x2069) || u == 0x200e || u == 0x200f || u == 0x061c)
            return false;
    }
    return true;
}

// TextTable + PlainText: the table cutter every CLI parser builds on.
inline void textTable(const uint8_t *data, size_t size)
{
    const QString text = decodeRemote(bytesOf(data, size));
    TextTable table;
    QString error;
    if (parseColumnTable(text, &table, &error)) {
        check(!table.headers.isEmpty() && table.headers.size() <= kMaxTableColumns, "header count");
        check(table.rows.size() <= kMaxTableRows, "row count");
        for (const QStringList &row : std::as_const(table.rows))
            check(row.size() == table.headers.size(), "row width == header width");
        for (int c = -1; c <= int(table.headers.size()); ++c)
            (void)TextTable::cell(table.rows.value(0), c);
    } else {
        check(!error.isEmpty(), "a failure has a reason");
    }
    TextTable required;
    (void)parseColumnTable(text, &required, &error, { QStringLiteral("Name"), QStringLiteral("Rev") });
    const QString snippet = remoteSnippet(text);
    check(snippet.size() <= 121 + 16, "remoteSnippet is bounded");
    check(isPlain(snippet), "remoteSnippet is plain text");
    const QString visible = visibleText(text, 200);
    check(isPlain(visible), "visibleText is plain text");
    check(boundedRemote(text, 50).size() <= 51 + 16, "boundedRemote is bounded");
}

// `snappy versions -a` and `snappy info` (2014 snappy, fleetsim and old devices).
inline void snappy(const uint8_t *data, size_t size)
{
    const QByteArray in = bytesOf(data, size);
    SnapList snaps { Snap {} };
    snaps.first().name = QStringLiteral("sentinel");
    QString error;
    if (parseSnappyVersions(in, &snaps, &error)) {
        for (const Snap &s : std::as_const(snaps))
            check(!s.name.isEmpty(), "every snappy part has a name");
    } else {
        check(snaps.size() == 1 && snaps.first().name == u"sentinel", "output untouched on failure");
        check(!error.isEmpty(), "a failure has a reason");
    }
    DeviceSystem system;
    system.kernel = QStringLiteral("sentinel");
    if (!parseSnappyInfo(in, &system, &error))
        check(!error.isEmpty(), "a failure has a reason");
    check(system.kernel == u"sentinel", "snappy info leaves other fields alone");
}

// `snap list --all`, `snap refresh --list`, `snap version` (snap CLI over SSH).
inline void snapCli(const uint8_t *data, size_t size)
{
    const QByteArray in = bytesOf(data, size);
    SnapList snaps;
    QString error;
    const bool listed = parseSnapList(in, &snaps, &error);
    if (listed) {
        for (const Snap &s : std::as_const(snaps))
            check(!s.name.isEmpty() && s.revision.has_value(), "every snap has a name and revision");
    } else {
        check(snaps.isEmpty(), "output untouched on failure");
    }
    for (const int exitCode : { 0, 1 }) {
        const RefreshCheck refresh = parseSnapRefreshList(in, exitCode);
        if (exitCode != 0)
            check(!refresh.determined, "a failed command determines nothing");
        applyRefreshCheck(&snaps, refresh);
    }
    DeviceSystem system;
    (void)parseSnapVersion(in, &system, &error);
}

// snapd REST JSON (over the SSH-forwarded unix socket).
inline void snapdJson(const uint8_t *data, size_t size)
{
    const QByteArray in = bytesOf(data, size);
    SnapList snaps;
    QString error;
    if (parseSnapdSnaps(in, &snaps, &error)) {
        for (const Snap &s : std::as_const(snaps))
            check(!s.name.isEmpty() && s.revision.has_value(), "every snap has a name and revision");
    } else {
        check(snaps.isEmpty(), "output untouched on failure");
        check(!error.isEmpty(), "a failure has a reason");
    }
    const RefreshCheck refresh = parseSnapdFindRefresh(in);
    applyRefreshCheck(&snaps, refresh);
    DeviceSystem system;
    if (!parseSnapdSystemInfo(in, &system, &error))
        check(system == DeviceSystem {}, "output untouched on failure");
    SnapdError err;
    (void)snapdErrorOf(in, &err);
}

// LXD REST bodies and event messages.
inline void lxdJson(const uint8_t *data, size_t size)
{
    const QByteArray in = bytesOf(data, size);
    QString error;
    LxdEnvelope envelope;
    (void)parseLxdEnvelope(in, &envelope, &error);
    LxdServerInfo server;
    (void)parseLxdServer(in, &server, &error);
    QList<Instance> instances;
    QList<InstanceState> states;
    if (parseLxdInstances(in, &instances, &error, &states))
        check(states.size() == instances.size(), "one state per instance");
    else
        check(instances.isEmpty() && states.isEmpty(), "output untouched on failure");
    Instance instance;
    (void)parseLxdInstance(in, &instance, &error);
    InstanceState state;
    (void)parseLxdInstanceState(in, &state, &error);
    Operation operation;
    (void)parseLxdOperation(in, &operation, &error);
    LxdEvent event;
    (void)parseLxdEvent(in, &event, &error);
    // The URL and timestamp helpers see remote strings too.
    const QString text = decodeRemote(in.left(4096));
    (void)instanceNameFromUrl(text);
    (void)lxdTimestamp(text);
}

// HTTP/1.1 responses read from an SSH channel (snapd over its unix socket). The parser is
// incremental: the same bytes fed in one piece and in pieces cut where the input says must
// give the same answer.
inline void httpMessage(const uint8_t *data, size_t size)
{
    if (size < 1)
        return;
    const size_t step = 1 + data[0] % 17; // piece size for the second run
    const QByteArray in = bytesOf(data + 1, size - 1);

    HttpResponseParser whole(1024 * 1024);
    whole.feed(in);
    whole.finish();
    HttpResponseParser pieces(1024 * 1024);
    for (qsizetype i = 0; i < in.size() && !pieces.isComplete() && !pieces.hasError(); i += qsizetype(step))
        pieces.feed(QByteArrayView(in).sliced(i, qMin(qsizetype(step), in.size() - i)));
    pieces.finish();

    check(!(whole.isComplete() && whole.hasError()), "complete and failed at once");
    check(whole.body().size() <= 1024 * 1024, "body bounded by maxBody");
    if (whole.hasError())
        check(!whole.error().isEmpty(), "a failure has a reason");
    check(whole.isComplete() == pieces.isComplete(), "pieces and whole agree on completion");
    if (whole.isComplete()) {
        check(whole.status() == pieces.status(), "pieces and whole agree on the status");
        check(whole.body() == pieces.body(), "pieces and whole agree on the body");
        check(whole.header("Content-Type") == pieces.header("content-type"), "headers agree");
    }
}

// known_hosts files, as libssh writes them for Canyon's own file and as ~/.ssh/known_hosts
// holds them (plain, "[host]:port", hashed "|1|salt|hash", @cert-authority / @revoked), through
// checkKnownHost's index and knownKeyFor. libssh's own parser, line by line, is the reference:
// a host one of its lines holds a key for is never Unknown to the index.
inline void knownHosts(const uint8_t *data, size_t size)
{
    const QByteArray in = bytesOf(data, size);
    static QTemporaryFile file; // removed at exit
    static const bool opened = file.open();
    static ssh_key serverKey = [] {
        ssh_key k = nullptr;
        ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &k);
        return k;
    }();
    check(opened && file.resize(0) && file.seek(0) && file.write(in) == in.size() && file.flush(),
        "temp file written");
    const QString path = file.fileName();
    const QList<QByteArray> lines = in.split('\n');
    for (const QByteArray &host : { QByteArrayLiteral("127.0.0.1"), QByteArrayLiteral("[127.0.0.1]:25700"),
             QByteArrayLiteral("device-1.example") }) {
        bool libsshKnows = false;
        int parsed = 0;
        for (const QByteArray &line : lines) {
            if (++parsed > 64) // enough variety per input
                break;
            // as libssh reads a file: comments, blank and marker lines skipped, C strings
            const QByteArray t = line.trimmed();
            if (t.isEmpty() || t.startsWith('#') || t.startsWith('@') || line.contains('\0'))
                continue;
            ssh_knownhosts_entry *e = nullptr;
            if (ssh_known_hosts_parse_line(host.constData(), line.constData(), &e) == SSH_OK && e) {
                libsshKnows = libsshKnows || e->publickey;
                ssh_knownhosts_entry_free(e);
            }
        }
        HostKeyInfo known;
        QString error;
        const KnownHostVerdict v = checkKnownHost(host, serverKey, { path }, &known, &error);
        check(v != KnownHostVerdict::Error || !error.isEmpty(), "an error has a reason");
        if (v == KnownHostVerdict::Changed || v == KnownHostVerdict::OtherType)
            check(known.knownSha256.startsWith(u"SHA256:") && !known.knownKeyType.isEmpty(),
                "a refusal names the known key");
        else
            check(known == HostKeyInfo {}, "no known key reported otherwise");
        if (libsshKnows && !in.contains('\0'))
            check(v != KnownHostVerdict::Unknown, "the index finds what libssh's parser finds");
        HostKeyInfo first;
        check(knownKeyFor(host, { path }, &first)
                == (v == KnownHostVerdict::Changed || v == KnownHostVerdict::OtherType),
            "knownKeyFor finds a key exactly when one is trusted for the host");
    }
}

// Any JSON value through JsonReader, as a QJsonValue (to compare with QJsonDocument).
inline QJsonValue readAny(JsonReader &r)
{
    switch (r.peek()) {
    case JsonReader::Type::Object: {
        QJsonObject o;
        r.beginObject();
        QByteArrayView key;
        while (r.nextKey(&key)) {
            // as JsonReader decodes text: a leading U+FEFF is part of it
            QStringDecoder utf8(QStringDecoder::Utf8,
                QStringDecoder::Flag::Stateless | QStringDecoder::Flag::ConvertInitialBom);
            const QString k = utf8.decode(key);
            o.insert(k, readAny(r));
        }
        return o;
    }
    case JsonReader::Type::Array: {
        QJsonArray a;
        r.beginArray();
        while (r.nextElement())
            a.append(readAny(r));
        return a;
    }
    case JsonReader::Type::String:
        return r.readString();
    case JsonReader::Type::Number:
        return r.readNumber();
    case JsonReader::Type::Bool:
        return r.readBool();
    case JsonReader::Type::Null:
        r.readNull();
        return QJsonValue::Null;
    case JsonReader::Type::Invalid:
        break;
    }
    r.skipValue();
    return QJsonValue::Undefined;
}

// The inventory cache (inventoriesFromJson) and JsonReader under it. Whatever the bytes: no
// crash, nothing kept from a bad document; what QJsonDocument reads, the reader reads, to the
// same values but for the few cases listed where they are compared.
inline void cacheJson(const uint8_t *data, size_t size)
{
    const QByteArray in = bytesOf(data, size);
    bool ok = false;
    const QList<DeviceInventory> list = inventoriesFromJson(in, &ok);
    if (!ok)
        check(list.isEmpty(), "nothing kept from a bad document");
    QJsonParseError e {};
    const QJsonDocument doc = QJsonDocument::fromJson(in, &e);
    if (e.error != QJsonParseError::NoError)
        return;
    const QJsonValue qt = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    // Not compared: lone surrogate escapes (a key's UTF-8 cannot hold one), integers past double
    // precision and exponents (Qt's conversion may round the last bit unlike from_chars), and
    // NULs and U+FEFF (QJsonDocument keeps duplicates of keys holding a NUL; it drops a U+FEFF
    // that starts a string, as if a byte order mark, which the reader keeps as text, and a key
    // made equal to another that way stays a duplicate too).
    static const QRegularExpression inexact(
        QStringLiteral("\\\\u[dD][89a-fA-F]|[0-9]{16}|[0-9][eE]|\\\\u0000"));
    const bool exact = !in.contains('\0') && !in.contains("\xEF\xBB\xBF");
    // What QJsonDocument writes (strict JSON) the reader reads, to the same values.
    const QByteArray canonical = doc.toJson(QJsonDocument::Compact);
    JsonReader strict(canonical);
    const QJsonValue fromCanonical = readAny(strict);
    check(strict.finished(), "QJsonDocument's own JSON is valid to the reader");
    if (exact && !QString::fromUtf8(canonical).contains(inexact))
        check(fromCanonical == qt, "the reader reads QJsonDocument's JSON to the same values");
    // The input itself, when the reader takes it too (QJsonDocument also lets raw control
    // characters stand in strings, which RFC 8259 and the reader do not).
    JsonReader raw(in);
    const QJsonValue fromRaw = readAny(raw);
    if (!raw.finished())
        return;
    if (exact && !QString::fromUtf8(in).contains(inexact))
        check(fromRaw == qt, "the reader reads the values QJsonDocument reads");
    if (doc.isArray()) {
        check(ok, "a valid JSON array is a readable cache");
        check(list.size() == doc.array().size(), "one inventory per element");
    }
}

// Prometheus text (LXD GET /1.0/metrics) and LXD's per-instance summary of it.
inline void prometheus(const uint8_t *data, size_t size)
{
    const QByteArrayView in(reinterpret_cast<const char *>(data), qsizetype(size));
    PrometheusText m;
    m.types.insert(QStringLiteral("sentinel"), QStringLiteral("gauge"));
    QString error;
    if (!parsePrometheusText(in, &m, &error)) {
        check(error.startsWith(u"line "), "a failure names its line");
        check(m.samples.isEmpty() && m.types.size() == 1, "output untouched on failure");
        return;
    }
    check(m.samples.size() <= kMaxPrometheusSamples, "sample count bounded");
    auto validName = [](const QString &n, bool colon) {
        if (n.isEmpty() || (n.front() >= u'0' && n.front() <= u'9'))
            return false;
        for (const QChar c : n) {
            const char16_t u = c.unicode();
            if (!((u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9')
                    || u == u'_' || (colon && u == u':')))
                return false;
        }
        return true;
    };
    for (const PrometheusSample &s : std::as_const(m.samples)) {
        check(validName(s.name, true), "metric names are [a-zA-Z_:][a-zA-Z0-9_:]*");
        check(s.labels.size() <= kMaxPrometheusLabels, "label count bounded");
        for (qsizetype i = 0; i < s.labels.size(); ++i) {
            check(validName(s.labels.at(i).first, false), "label names are [a-zA-Z_][a-zA-Z0-9_]*");
            for (qsizetype k = 0; k < i; ++k)
                check(s.labels.at(k).first != s.labels.at(i).first, "label names unique");
            check(isPlain(visibleText(s.labels.at(i).second, 200)), "label values show as plain text");
        }
    }
    for (auto it = m.types.cbegin(); it != m.types.cend(); ++it)
        check(it.key() == u"sentinel" || validName(it.key(), true), "typed families have metric names");
    const QList<LxdInstanceMetrics> list = lxdInstanceMetrics(m);
    for (const LxdInstanceMetrics &x : list) {
        check(!x.name.isEmpty(), "every instance has a name");
        check(std::isfinite(x.cpuSeconds) && x.cpuSeconds >= 0, "cpu seconds finite, not negative");
        check(x.memoryBytes >= -1 && x.processes >= -1 && x.rxBytes >= 0 && x.txBytes >= 0,
            "no negative counts");
    }
}

} // namespace canyon::fuzz
