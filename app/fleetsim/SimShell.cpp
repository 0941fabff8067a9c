// SPDX-License-Identifier: GPL-3.0-or-later
#include "SimShell.h"

#include <QRegularExpression>
#include <functional>

using namespace Qt::StringLiterals;

namespace canyon::sim {

namespace {

constexpr int kMaxStatements = 2000;
constexpr int kMaxDepth = 4;

struct Statement
{
    QString text;
    QString connector; // what joins it to the previous one: ";", "&&", "||"
    int line = 1;
};

struct SyntaxError
{
    QString message;
    int line = 1;
};

bool isSpace(QChar c)
{
    return c == u' ' || c == u'\t';
}

// Splits a script into and-or list items, honouring quotes, backslashes and
// comments. Pipes stay inside a statement.
std::optional<SyntaxError> splitStatements(const QString &script, QList<Statement> &out)
{
    Statement cur;
    int line = 1;
    cur.connector = u";"_s;
    cur.line = 1;
    QChar quote;
    auto finish = [&](const QString &next, bool hardOperator) -> std::optional<SyntaxError> {
        const bool empty = cur.text.trimmed().isEmpty();
        if (empty && (hardOperator || cur.connector != u";"))
            return SyntaxError {
                u"Syntax error: \"%1\" unexpected"_s.arg(hardOperator ? next : cur.connector), line
            };
        if (!empty)
            out.append(cur);
        cur = Statement {};
        cur.connector = next == u"\n" ? u";"_s : next;
        cur.line = line;
        return std::nullopt;
    };
    const qsizetype n = script.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = script[i];
        if (!quote.isNull()) {
            cur.text += c;
            if (c == u'\n')
                ++line;
            if (quote == u'"' && c == u'\\' && i + 1 < n) {
                cur.text += script[++i];
                continue;
            }
            if (c == quote)
                quote = QChar();
            continue;
        }
        if (c == u'\'' || c == u'"') {
            quote = c;
            cur.text += c;
            continue;
        }
        if (c == u'\\' && i + 1 < n) {
            if (script[i + 1] == u'\n') {
                ++i;
                ++line;
                continue;
            }
            cur.text += c;
            cur.text += script[++i];
            continue;
        }
        if (c == u'#' && (cur.text.isEmpty() || isSpace(cur.text.back()) || cur.text.back() == u'\n')) {
            while (i + 1 < n && script[i + 1] != u'\n')
                ++i;
            continue;
        }
        if (c == u'\n') {
            if (auto e = finish(u"\n"_s, false))
                return e;
            ++line;
            cur.line = line;
            continue;
        }
        if (c == u';') {
            if (auto e = finish(u";"_s, i + 1 < n && script[i + 1] == u';'))
                return e;
            continue;
        }
        if (c == u'&' && i + 1 < n && script[i + 1] == u'&') {
            ++i;
            if (auto e = finish(u"&&"_s, cur.text.trimmed().isEmpty()))
                return e;
            continue;
        }
        if (c == u'|' && i + 1 < n && script[i + 1] == u'|') {
            ++i;
            if (auto e = finish(u"||"_s, cur.text.trimmed().isEmpty()))
                return e;
            continue;
        }
        // A lone & (background) runs in the foreground here; >& and <& are redirections.
        if (c == u'&' && !(cur.text.endsWith(u'>') || cur.text.endsWith(u'<'))) {
            if (auto e = finish(u";"_s, cur.text.trimmed().isEmpty()))
                return e;
            continue;
        }
        cur.text += c;
        if (out.size() > kMaxStatements)
            return SyntaxError { u"Syntax error: script too long"_s, line };
    }
    if (!quote.isNull())
        return SyntaxError { u"Syntax error: Unterminated quoted string"_s, line };
    if (cur.text.trimmed().isEmpty() && cur.connector != u";")
        return SyntaxError { u"Syntax error: end of file unexpected"_s, line };
    if (!cur.text.trimmed().isEmpty())
        out.append(cur);
    return std::nullopt;
}

// Splits a statement into pipeline stages on unquoted `|`.
QStringList splitPipes(const QString &text)
{
    QStringList stages;
    QString cur;
    QChar quote;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (!quote.isNull()) {
            cur += c;
            if (quote == u'"' && c == u'\\' && i + 1 < text.size())
                cur += text[++i];
            else if (c == quote)
                quote = QChar();
            continue;
        }
        if (c == u'\\' && i + 1 < text.size()) {
            cur += c;
            cur += text[++i];
            continue;
        }
        if (c == u'\'' || c == u'"')
            quote = c;
        if (c == u'|') {
            stages.append(cur);
            cur.clear();
            continue;
        }
        cur += c;
    }
    stages.append(cur);
    return stages;
}

struct Redirect
{
    int fd = 1;
    bool dup = false; // n>&m
    bool input = false; // n<file
    QString target; // file name, or the fd number / "-" for dup
};

struct Lexed
{
    QStringList words;
    QList<bool> assignable; // word starts with an unquoted NAME=
    QList<Redirect> redirects;
};

// Reads words with quote removal and parameter expansion.
class Lexer
{
public:
    Lexer(const QString &text, std::function<QString(const QString &)> expand)
        : m_s(text)
        , m_expand(std::move(expand))
    {
    }

    Lexed lex()
    {
        Lexed out;
        const qsizetype n = m_s.size();
        while (m_i < n) {
            const QChar c = m_s[m_i];
            if (isSpace(c) || c == u'\n') {
                ++m_i;
                continue;
            }
            const bool fdDigit = c.isDigit() && m_i + 1 < n && (m_s[m_i + 1] == u'>' || m_s[m_i + 1] == u'<');
            if (c == u'>' || c == u'<' || fdDigit) {
                out.redirects.append(readRedirect());
                continue;
            }
            QString word;
            qsizetype firstQuoted = -1;
            readWord(word, firstQuoted);
            static const QRegularExpression assignment(u"^[A-Za-z_][A-Za-z0-9_]*="_s);
            const auto m = assignment.match(word);
            out.assignable.append(m.hasMatch() && (firstQuoted < 0 || firstQuoted >= m.capturedLength()));
            out.words.append(word);
        }
        return out;
    }

private:
    Redirect readRedirect()
    {
        Redirect r;
        if (m_s[m_i].isDigit()) {
            r.fd = m_s[m_i].digitValue();
            ++m_i;
        } else {
            r.fd = m_s[m_i] == u'<' ? 0 : 1;
        }
        r.input = m_s[m_i] == u'<';
        ++m_i;
        if (m_i < m_s.size() && (m_s[m_i] == u'>' || m_s[m_i] == u'|'))
            ++m_i; // >> and >| write like > here
        if (m_i < m_s.size() && m_s[m_i] == u'&') {
            r.dup = true;
            ++m_i;
        }
        while (m_i < m_s.size() && isSpace(m_s[m_i]))
            ++m_i;
        qsizetype firstQuoted = -1;
        readWord(r.target, firstQuoted);
        return r;
    }

    void readWord(QString &word, qsizetype &firstQuoted)
    {
        const qsizetype n = m_s.size();
        while (m_i < n) {
            const QChar c = m_s[m_i];
            if (isSpace(c) || c == u'\n' || c == u'>' || c == u'<')
                return;
            if (c == u'\'') {
                if (firstQuoted < 0)
                    firstQuoted = word.size();
                const qsizetype end = m_s.indexOf(u'\'', m_i + 1);
                const qsizetype stop = end < 0 ? n : end;
                word += m_s.mid(m_i + 1, stop - m_i - 1);
                m_i = stop + 1;
                continue;
            }
            if (c == u'"') {
                if (firstQuoted < 0)
                    firstQuoted = word.size();
                ++m_i;
                while (m_i < n && m_s[m_i] != u'"') {
                    const QChar d = m_s[m_i];
                    if (d == u'\\' && m_i + 1 < n && QStringView(u"$`\"\\\n").contains(m_s[m_i + 1])) {
                        if (m_s[m_i + 1] != u'\n')
                            word += m_s[m_i + 1];
                        m_i += 2;
                        continue;
                    }
                    if (d == u'$') {
                        word += readParameter();
                        continue;
                    }
                    word += d;
                    ++m_i;
                }
                ++m_i;
                continue;
            }
            if (c == u'\\' && m_i + 1 < n) {
                if (firstQuoted < 0)
                    firstQuoted = word.size();
                word += m_s[m_i + 1];
                m_i += 2;
                continue;
            }
            if (c == u'$') {
                if (firstQuoted < 0)
                    firstQuoted = word.size();
                word += readParameter();
                continue;
            }
            word += c;
            ++m_i;
        }
    }

    // At a '$': returns the expansion and advances past the parameter.
    QString readParameter()
    {
        const qsizetype n = m_s.size();
        ++m_i;
        if (m_i >= n)
            return u"$"_s;
        const QChar c = m_s[m_i];
        if (c == u'{') {
            const qsizetype end = m_s.indexOf(u'}', m_i);
            if (end < 0)
                return u"${"_s;
            const QString name = m_s.mid(m_i + 1, end - m_i - 1);
            m_i = end + 1;
            return m_expand(name);
        }
        if (QStringView(u"?$#!@*-0123456789").contains(c)) {
            ++m_i;
            return m_expand(QString(c));
        }
        if (c.isLetter() || c == u'_') {
            const qsizetype start = m_i;
            while (m_i < n && (m_s[m_i].isLetterOrNumber() || m_s[m_i] == u'_'))
                ++m_i;
            return m_expand(m_s.mid(start, m_i - start));
        }
        return u"$"_s; // "$(" and friends stay literal: no command substitution here
    }

    const QString &m_s;
    std::function<QString(const QString &)> m_expand;
    qsizetype m_i = 0;
};

// dash's echo: backslash escapes always on, \c stops output.
QByteArray echoText(const QStringList &args)
{
    QStringList parts = args;
    bool newline = true;
    if (!parts.isEmpty() && parts.first() == u"-n") {
        newline = false;
        parts.removeFirst();
    }
    const QString text = parts.join(u' ');
    QString out;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] != u'\\' || i + 1 >= text.size()) {
            out += text[i];
            continue;
        }
        const QChar e = text[++i];
        switch (e.unicode()) {
        case 'n':
            out += u'\n';
            break;
        case 't':
            out += u'\t';
            break;
        case 'r':
            out += u'\r';
            break;
        case 'a':
            out += u'\a';
            break;
        case 'b':
            out += u'\b';
            break;
        case 'f':
            out += u'\f';
            break;
        case 'v':
            out += u'\v';
            break;
        case '\\':
            out += u'\\';
            break;
        case 'c':
            return out.toUtf8();
        case '0': {
            int value = 0;
            int digits = 0;
            while (digits < 3 && i + 1 < text.size() && text[i + 1] >= u'0' && text[i + 1] <= u'7') {
                value = value * 8 + text[++i].digitValue();
                ++digits;
            }
            out += QChar(value);
            break;
        }
        default:
            out += u'\\';
            out += e;
        }
    }
    if (newline)
        out += u'\n';
    return out.toUtf8();
}

QString printfEscapes(const QString &s)
{
    QString out;
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (s[i] == u'\\' && i + 1 < s.size()) {
            const QChar e = s[++i];
            if (e == u'n')
                out += u'\n';
            else if (e == u't')
                out += u'\t';
            else if (e == u'\\')
                out += u'\\';
            else {
                out += u'\\';
                out += e;
            }
        } else {
            out += s[i];
        }
    }
    return out;
}

QByteArray printfText(const QStringList &args)
{
    if (args.isEmpty())
        return {};
    const QString format = printfEscapes(args.first());
    const QStringList values = args.mid(1);
    QString out;
    qsizetype next = 0;
    // The format is reused while arguments remain, as printf(1) does.
    do {
        for (qsizetype i = 0; i < format.size(); ++i) {
            if (format[i] != u'%' || i + 1 >= format.size()) {
                out += format[i];
                continue;
            }
            const QChar conv = format[++i];
            if (conv == u'%') {
                out += u'%';
            } else if (conv == u's' || conv == u'b') {
                const QString v = values.value(next++);
                out += conv == u'b' ? printfEscapes(v) : v;
            } else if (conv == u'd' || conv == u'i') {
                out += QString::number(values.value(next++).toLongLong());
            } else {
                out += u'%';
                out += conv;
            }
        }
    } while (next > 0 && next < values.size());
    return out.toUtf8();
}

QByteArray osRelease(const SimDevice &d)
{
    if (d.dialect == Dialect::Snappy) {
        return QByteArrayLiteral(
            "NAME=\"Ubuntu\"\nVERSION=\"15.04 (Vivid Vervet)\"\nID=ubuntu\nID_LIKE=debian\n"
            "PRETTY_NAME=\"Ubuntu Vivid Vervet (development branch)\"\nVERSION_ID=\"15.04\"\n");
    }
    if (d.osId == u"ubuntu-core") {
        return u"NAME=\"Ubuntu Core\"\nVERSION=\"%1\"\nID=ubuntu-core\nPRETTY_NAME=\"Ubuntu Core %1\"\n"
               u"VERSION_ID=\"%1\"\nHOME_URL=\"https://snapcraft.io/\"\n"
               u"BUG_REPORT_URL=\"https://bugs.launchpad.net/snappy/\"\n"_s.arg(d.osVersion)
                   .toUtf8();
    }
    if (d.osId == u"ubuntu") {
        return u"PRETTY_NAME=\"Ubuntu %1 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"%1\"\nVERSION=\"%1 LTS (Jammy "
               u"Jellyfish)\"\n"
               u"VERSION_CODENAME=jammy\nID=ubuntu\nID_LIKE=debian\n"_s.arg(d.osVersion)
                   .toUtf8();
    }
    return QByteArrayLiteral(
        "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
        "VERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\n");
}

QByteArray unameText(const SimDevice &d, const QStringList &args)
{
    const QString machine = d.architecture == u"arm64" ? u"aarch64"_s : u"x86_64"_s;
    QString flags;
    for (const QString &a : args) {
        if (a == u"--all")
            flags += u'a';
        else if (a.startsWith(u'-'))
            flags += a.mid(1);
    }
    if (flags.isEmpty())
        flags = u"s"_s;
    if (flags.contains(u'a'))
        flags = u"snrvmo"_s;
    const QString version = u"#101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023"_s;
    QStringList fields;
    if (flags.contains(u's'))
        fields << u"Linux"_s;
    if (flags.contains(u'n'))
        fields << d.hostname;
    if (flags.contains(u'r'))
        fields << d.kernel;
    if (flags.contains(u'v'))
        fields << version;
    if (flags.contains(u'm'))
        fields << machine;
    if (flags.contains(u'o'))
        fields << u"GNU/Linux"_s;
    return (fields.join(u' ') + u'\n').toUtf8();
}

const QStringList &builtins()
{
    static const QStringList names { u"echo"_s, u"printf"_s, u"true"_s, u"false"_s, u":"_s, u"exit"_s,
        u"export"_s, u"unset"_s, u"cd"_s, u"command"_s, u"env"_s };
    return names;
}

} // namespace

SimShell::SimShell(SimDevice &device, QMap<QString, QString> environment)
    : m_device(device)
    , m_env(std::move(environment))
{
}

QString SimShell::variable(const QString &name) const
{
    if (name == u"?")
        return QString::number(m_status);
    if (name == u"$")
        return u"4242"_s;
    if (name == u"0")
        return u"sh"_s;
    if (name == u"#")
        return u"0"_s;
    if (name == u"HOSTNAME")
        return m_device.hostname;
    if (m_vars.contains(name))
        return m_vars.value(name);
    return m_env.value(name);
}

bool SimShell::unicodeFor(const QMap<QString, QString> &assignments) const
{
    // snapd's canUnicode(): the first non-empty of these decides.
    for (const QString &key : { u"LC_MESSAGES"_s, u"LC_ALL"_s, u"LANG"_s }) {
        const QString value = assignments.contains(key) ? assignments.value(key) : variable(key);
        if (value.isEmpty())
            continue;
        const QString upper = value.toUpper();
        return upper.contains(u"UTF-8") || upper.contains(u"UTF8");
    }
    return false;
}

RunResult SimShell::run(const QByteArray &script, const RunContext &contextIn)
{
    RunContext context = contextIn;
    if (!context.now.isValid())
        context.now = QDateTime::currentDateTimeUtc();

    RunResult result;
    if (script.size() > MaxScriptBytes) {
        result.err = "sh: 1: Syntax error: script too long\n";
        result.exitCode = 2;
        return result;
    }
    QList<Statement> statements;
    if (auto e = splitStatements(QString::fromUtf8(script), statements)) {
        result.err = u"sh: %1: %2\n"_s.arg(e->line).arg(e->message).toUtf8();
        result.exitCode = 2;
        return result;
    }
    for (const Statement &st : statements) {
        if ((st.connector == u"&&" && m_status != 0) || (st.connector == u"||" && m_status == 0))
            continue;
        const Output o = runPipeline(st.text, st.line, context);
        result.out += o.out;
        result.err += o.err;
        m_status = o.status;
        if (o.reboot) {
            result.reboot = true;
            break;
        }
        if (o.exit)
            break;
    }
    result.exitCode = m_status;
    return result;
}

SimShell::Output SimShell::runPipeline(const QString &text, int line, const RunContext &context)
{
    const QStringList stages = splitPipes(text);
    Output total;
    QByteArray pipe;
    for (qsizetype k = 0; k < stages.size(); ++k) {
        const bool last = k + 1 == stages.size();
        if (stages[k].trimmed().isEmpty()) {
            total.err += u"sh: %1: Syntax error: \"|\" unexpected\n"_s.arg(line).toUtf8();
            total.status = 2;
            return total;
        }
        Lexer lexer(stages[k], [this](const QString &name) { return variable(name); });
        Lexed lexed = lexer.lex();

        QMap<QString, QString> assignments;
        while (!lexed.words.isEmpty() && lexed.assignable.first()) {
            const QString w = lexed.words.takeFirst();
            lexed.assignable.removeFirst();
            const qsizetype eq = w.indexOf(u'=');
            assignments.insert(w.left(eq), w.mid(eq + 1));
        }

        // Where fd 1 and 2 end up: 1 = stdout (or the pipe), 2 = stderr, 0 = nowhere.
        int target[3] = { 0, 1, 2 };
        QString redirectError;
        for (const Redirect &r : lexed.redirects) {
            if (r.fd < 0 || r.fd > 2)
                continue;
            if (r.dup) {
                if (r.target == u"-")
                    target[r.fd] = 0;
                else if (r.target == u"1" || r.target == u"2")
                    target[r.fd] = target[r.target.toInt()];
                else if (r.target != u"0")
                    redirectError = u"%1: Bad fd number"_s.arg(r.target);
            } else if (r.target == u"/dev/null") {
                if (!r.input)
                    target[r.fd] = 0;
            } else if (r.input) {
                redirectError = u"cannot open %1: No such file"_s.arg(r.target);
            } else {
                // Ubuntu Core's root file system is read-only; nothing is written here anyway.
                redirectError = u"cannot create %1: Read-only file system"_s.arg(r.target);
            }
            if (!redirectError.isEmpty())
                break;
        }

        Output o;
        if (!redirectError.isEmpty()) {
            o.err = u"sh: %1: %2\n"_s.arg(line).arg(redirectError).toUtf8();
            o.status = 2;
            target[2] = 2;
        } else if (lexed.words.isEmpty()) {
            for (auto it = assignments.cbegin(); it != assignments.cend(); ++it)
                m_vars.insert(it.key(), it.value());
        } else {
            o = runCommand(lexed.words, assignments, pipe, line, context);
        }

        QByteArray stdoutPart;
        auto route = [&](const QByteArray &bytes, int fd) {
            if (target[fd] == 1)
                stdoutPart += bytes;
            else if (target[fd] == 2)
                total.err += bytes;
        };
        route(o.out, 1);
        route(o.err, 2);
        if (last)
            total.out += stdoutPart;
        else
            pipe = stdoutPart;
        total.status = o.status;
        // exit in a pipeline ends only its subshell; a reboot ends everything.
        total.exit = o.exit && stages.size() == 1;
        if (o.reboot) {
            total.reboot = true;
            break;
        }
    }
    return total;
}

SimShell::Output SimShell::runCommand(QStringList words, const QMap<QString, QString> &assignmentsIn,
    const QByteArray &input, int line, const RunContext &context)
{
    static thread_local int depth = 0;
    Output o;
    QMap<QString, QString> assignments = assignmentsIn;
    const QString name = words.takeFirst();
    auto notFound = [&](const QString &what) {
        o.err = u"sh: %1: %2: not found\n"_s.arg(line).arg(what).toUtf8();
        o.status = 127;
        return o;
    };

    if (name == u"echo") {
        o.out = echoText(words);
        return o;
    }
    if (name == u"printf") {
        o.out = printfText(words);
        return o;
    }
    if (name == u"true" || name == u":" || name == u"cd" || name == u"unset")
        return o;
    if (name == u"false") {
        o.status = 1;
        return o;
    }
    if (name == u"exit") {
        o.exit = true;
        o.status = m_status;
        if (!words.isEmpty()) {
            bool ok = false;
            const int code = words.first().toInt(&ok);
            if (!ok || code < 0) {
                o.err = u"sh: %1: exit: Illegal number: %2\n"_s.arg(line).arg(words.first()).toUtf8();
                o.status = 2;
            } else {
                o.status = code & 0xff;
            }
        }
        return o;
    }
    if (name == u"export") {
        for (const QString &w : words) {
            const qsizetype eq = w.indexOf(u'=');
            if (eq > 0)
                m_vars.insert(w.left(eq), w.mid(eq + 1));
        }
        return o;
    }
    if (name == u"sudo" || name == u"env") {
        // sudo here is passwordless root; -n, -u, -E and friends are accepted.
        bool nonInteractive = false;
        while (!words.isEmpty() && words.first().startsWith(u'-')) {
            const QString opt = words.takeFirst();
            if (opt == u"-n" || opt == u"--non-interactive")
                nonInteractive = true;
            if (opt == u"--")
                break;
            if ((opt == u"-u" || opt == u"-g" || opt == u"-C") && !words.isEmpty())
                words.removeFirst();
        }
        static const QRegularExpression assignment(u"^[A-Za-z_][A-Za-z0-9_]*="_s);
        while (!words.isEmpty() && assignment.match(words.first()).hasMatch()) {
            const QString w = words.takeFirst();
            const qsizetype eq = w.indexOf(u'=');
            assignments.insert(w.left(eq), w.mid(eq + 1));
        }
        if (words.isEmpty()) {
            if (name == u"env") {
                QMap<QString, QString> all = m_env;
                all.insert(m_vars);
                all.insert(assignments);
                for (auto it = all.cbegin(); it != all.cend(); ++it)
                    o.out += (it.key() + u'=' + it.value() + u'\n').toUtf8();
                return o;
            }
            o.err = "usage: sudo -h | -K | -k | -V\nusage: sudo -v [-AknS] [-g group] [-h host] [-p prompt] "
                    "[-u user]\n";
            o.status = 1;
            return o;
        }
        if (name == u"sudo" && m_device.sudoNeedsPassword) {
            // sudo's own words: -n fails at once; without it there is no terminal to ask on.
            o.err = nonInteractive ? "sudo: a password is required\n"
                                   : "sudo: a terminal is required to read the password; either use the -S "
                                     "option to read from standard input or configure an askpass helper\n";
            o.status = 1;
            return o;
        }
        return runCommand(words, assignments, input, line, context);
    }
    if (name == u"command") {
        if (words.value(0) == u"-v" || words.value(0) == u"-V") {
            words.removeFirst();
            o.status = words.isEmpty() ? 1 : 0;
            for (const QString &w : words) {
                if (builtins().contains(w))
                    o.out += w.toUtf8() + '\n';
                else if (m_device.hasCommand(w) || w == u"sudo" || w == u"sh" || w == u"uname" || w == u"cat"
                    || w == u"hostname" || w == u"reboot")
                    o.out += (u"/usr/bin/"_s + w).toUtf8() + '\n';
                else
                    o.status = 1;
            }
            return o;
        }
        if (words.isEmpty())
            return o;
        return runCommand(words, assignments, input, line, context);
    }
    if (name == u"sh" || name == u"bash") {
        if (words.value(0) != u"-c" || words.size() < 2)
            return notFound(name); // no interactive shells in here
        if (depth >= kMaxDepth) {
            o.err = "sh: 1: too many nested shells\n";
            o.status = 2;
            return o;
        }
        ++depth;
        SimShell inner(m_device, m_env);
        inner.m_vars = m_vars;
        inner.m_vars.insert(assignments);
        const RunResult r = inner.run(words.at(1).toUtf8(), context);
        --depth;
        o.out = r.out;
        o.err = r.err;
        o.status = r.exitCode;
        o.reboot = r.reboot;
        return o;
    }
    if (name == u"uname") {
        o.out = unameText(m_device, words);
        return o;
    }
    if (name == u"hostname") {
        o.out = m_device.hostname.toUtf8() + '\n';
        return o;
    }
    if (name == u"cat") {
        if (words.isEmpty()) {
            o.out = input;
            return o;
        }
        for (const QString &file : words) {
            if (file == u"/etc/os-release" || file == u"/usr/lib/os-release") {
                o.out += osRelease(m_device);
            } else {
                o.err += u"cat: %1: No such file or directory\n"_s.arg(file).toUtf8();
                o.status = 1;
            }
        }
        return o;
    }
    if (name == u"reboot" || (name == u"shutdown" && words.contains(u"-r"))
        || (name == u"systemctl" && words.value(0) == u"reboot")) {
        m_device.reboot(context.now, context.rebootMs);
        o.reboot = true;
        return o;
    }
    if (name == u"snap" || name == u"snappy") {
        if (!m_device.hasCommand(name))
            return notFound(name);
        RunContext c = context;
        c.unicode = unicodeFor(assignments);
        words.prepend(name);
        const RunResult r = m_device.run(words, c);
        o.out = r.out;
        o.err = r.err;
        o.status = r.exitCode;
        o.reboot = r.reboot;
        return o;
    }
    return notFound(name);
}

} // namespace canyon::sim
