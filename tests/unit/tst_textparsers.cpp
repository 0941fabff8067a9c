// SPDX-License-Identifier: GPL-3.0-or-later
// The text parsers: column tables, `snap` CLI output, `snappy` CLI output; plus PlainText and
// SshTarget. Fixtures: tests/data (real samples and hand-made ones, hostile ones included).
#include "ParserTestSupport.h"
#include "domain/Host.h"
#include "snap/SnapCliParser.h"
#include "snap/SnappyParser.h"
#include "snap/TextTable.h"

#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace canyon;

Q_DECLARE_METATYPE(canyon::DeviceSystem)
Q_DECLARE_METATYPE(canyon::RefreshCheck)

namespace {

Snap withUpdate(Snap s, UpdateKnowledge k, SnapUpdate u = {})
{
    s.updateKnowledge = k;
    s.update = std::move(u);
    return s;
}

Snap snappyPart(const QString &name, const QString &tag, const QString &installed, const QString &fingerprint,
    bool active, UpdateKnowledge k, const QString &available = {})
{
    Snap s;
    s.name = name;
    s.channel = tag;
    s.version = installed;
    s.revision = std::nullopt;
    s.fingerprint = fingerprint;
    s.active = active;
    s.updateKnowledge = k;
    if (k == UpdateKnowledge::Available)
        s.update.version = available;
    return s;
}

const QString kCanonical = u"canonical"_s;

SnapList listAllExpected()
{
    return {
        makeSnap(u"code"_s, u"1.85.1"_s, u"150"_s, u"latest/stable"_s, u"vscode"_s, { u"classic"_s }),
        makeSnap(
            u"core"_s, u"16-2.61.2"_s, u"16574"_s, u"latest/stable"_s, kCanonical, { u"core"_s }, u"os"_s),
        makeSnap(u"core22"_s, u"20231123"_s, u"1033"_s, u"latest/stable"_s, kCanonical,
            { u"base"_s, u"disabled"_s }, u"base"_s),
        makeSnap(
            u"core22"_s, u"20240111"_s, u"1122"_s, u"latest/stable"_s, kCanonical, { u"base"_s }, u"base"_s),
        makeSnap(u"hello"_s, u"2.10"_s, u"42"_s, u"latest/candidate"_s, kCanonical, { u"disabled"_s }),
        makeSnap(u"hello"_s, u"2.10.1"_s, u"43"_s, u"latest/candidate"_s, kCanonical, { u"held"_s }),
        makeSnap(u"lxd"_s, u"5.0.2-838e1b2"_s, u"24322"_s, u"5.0/stable/ubuntu-22.04"_s, kCanonical, {}),
        makeSnap(u"pc"_s, u"22-0.3"_s, u"146"_s, u"22/stable"_s, kCanonical, { u"gadget"_s }, u"gadget"_s),
        makeSnap(u"pc-kernel"_s, u"5.15.0-91.101.1"_s, u"1606"_s, u"22/stable"_s, kCanonical, { u"kernel"_s },
            u"kernel"_s),
        makeSnap(
            u"snapd"_s, u"2.61.3"_s, u"21184"_s, u"latest/stable"_s, kCanonical, { u"snapd"_s }, u"snapd"_s),
        makeSnap(u"starred-app"_s, u"1.0"_s, u"7"_s, u"latest/edge"_s, u"bob"_s, { u"jailmode"_s }),
        makeSnap(u"tb-app"_s, u"0.1"_s, u"x1"_s, {}, {}, { u"devmode"_s, u"try"_s }),
    };
}

SnapList sampleDeviceExpected()
{
    return {
        makeSnap(u"snapd"_s, u"0.0.1"_s, u"x1"_s, {}, {}, { u"snapd"_s }, u"snapd"_s),
        makeSnap(u"tb-app"_s, u"0.1"_s, u"x1"_s, {}, {}, { u"devmode"_s }),
        makeSnap(u"tb-base"_s, u"1.1"_s, u"x2"_s, {}, {}, { u"base"_s }, u"base"_s),
    };
}

QByteArray listHeader()
{
    return "Name    Version   Rev   Tracking       Publisher    Notes\n";
}

} // namespace

class TestTextParsers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void columnTable_data();
    void columnTable();
    void columnTableLimits_data();
    void columnTableLimits();

    void snapList_data();
    void snapList();
    void snapListErrors_data();
    void snapListErrors();

    void snapRefreshList_data();
    void snapRefreshList();

    void snapVersion_data();
    void snapVersion();
    void snapVersionKeepsOtherFields();

    void applyRefreshCheck_data();
    void applyRefreshCheck();

    void snappyVersions_data();
    void snappyVersions();
    void snappyInfo_data();
    void snappyInfo();

    void neverCrashOnCutOrRandomInput();

    void visibleText_data();
    void visibleText();
    void sshTarget_data();
    void sshTarget();
};

void TestTextParsers::columnTable_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("required");
    QTest::addColumn<QStringList>("headers");
    QTest::addColumn<QList<QStringList>>("rows");
    QTest::addColumn<bool>("truncated");
    QTest::addColumn<QStringList>("trailer");

    const QStringList snappyHeaders { u"Part"_s, u"Tag"_s, u"Installed"_s, u"Available"_s, u"Fingerprint"_s,
        u"Active"_s };
    QTest::addRow("snappy versions -a: empty Installed cell")
        << QString::fromUtf8(testData("snappy-15.04/versions-a.txt")) << QStringList() << snappyHeaders
        << QList<QStringList> { { u"ubuntu-core"_s, u"edge"_s, u"141"_s, u"-"_s, u"7f068cb4fa876c"_s,
                                    u"*"_s },
               { u"docker"_s, u"edge"_s, u""_s, u"-"_s, u"b1f2f85e77adab"_s, u"*"_s } }
        << false << QStringList();
    QTest::addRow("stops at the first blank line")
        << QString::fromUtf8(testData("snapd-2.57.6/snap-cli-over-ssh.txt")) << QStringList { u"Name"_s }
        << QStringList { u"Name"_s, u"Version"_s, u"Rev"_s, u"Tracking"_s, u"Publisher"_s, u"Notes"_s }
        << QList<QStringList> { { u"snapd"_s, u"0.0.1"_s, u"x1"_s, u"-"_s, u"-"_s, u"snapd"_s },
               { u"tb-app"_s, u"0.1"_s, u"x1"_s, u"-"_s, u"-"_s, u"devmode"_s },
               { u"tb-base"_s, u"1.1"_s, u"x2"_s, u"-"_s, u"-"_s, u"base"_s } }
        << false << QStringList();
    QTest::addRow("snap changes: spaces inside cells, '-' cells")
        << QString::fromUtf8(testData("snapd-2.57.6/snap-changes.txt")).section(u'\n', 0, 3) + u'\n'
        << QStringList { u"ID"_s, u"Status"_s }
        << QStringList { u"ID"_s, u"Status"_s, u"Spawn"_s, u"Ready"_s, u"Summary"_s }
        << QList<QStringList> { { u"1"_s, u"Done"_s, u"today at 09:51 UTC"_s, u"today at 09:51 UTC"_s,
                                    u"Initialize system state"_s },
               { u"2"_s, u"Done"_s, u"today at 09:51 UTC"_s, u"today at 09:52 UTC"_s,
                   u"Install \"tb-base\" snap from file \"/root/tb-base_1.0_all.snap\""_s },
               { u"3"_s, u"Doing"_s, u"today at 09:52 UTC"_s, u"-"_s, u"Initialize device"_s } }
        << false << QStringList();
    QTest::addRow("row shorter than the header")
        << u"A    B    C\nx    y\nz\n"_s << QStringList() << QStringList { u"A"_s, u"B"_s, u"C"_s }
        << QList<QStringList> { { u"x"_s, u"y"_s, u""_s }, { u"z"_s, u""_s, u""_s } } << false
        << QStringList();
    QTest::addRow("line wider than the header: overflow in the last cell")
        << u"A    B\nx    y z  w\n"_s << QStringList() << QStringList { u"A"_s, u"B"_s }
        << QList<QStringList> { { u"x"_s, u"y z  w"_s } } << false << QStringList();
    QTest::addRow("CRLF") << u"A    B\r\nx    y\r\n\r\n"_s << QStringList() << QStringList { u"A"_s, u"B"_s }
                          << QList<QStringList> { { u"x"_s, u"y"_s } } << false << QStringList();
    QTest::addRow("tabs expand to 8-column stops")
        << u"Part\t\tTag\tActive\nlong-name\tedge\t*\nx\t\t\t*\n"_s << QStringList()
        << QStringList { u"Part"_s, u"Tag"_s, u"Active"_s }
        << QList<QStringList> { { u"long-name"_s, u"edge"_s, u"*"_s }, { u"x"_s, u""_s, u"*"_s } } << false
        << QStringList();
    QTest::addRow("leading lines before the wanted header are skipped")
        << u"sudo: unable to resolve host dev1: Name or service not known\nName  Rev\nfoo   1\n"_s
        << QStringList { u"Name"_s, u"Rev"_s } << QStringList { u"Name"_s, u"Rev"_s }
        << QList<QStringList> { { u"foo"_s, u"1"_s } } << false << QStringList();
    QTest::addRow("trailing misaligned lines are not rows")
        << u"Name   Rev  Notes\nfoo    1    -\nWARNING: There is 1 new warning. See 'snap warnings'.\n"_s
        << QStringList() << QStringList { u"Name"_s, u"Rev"_s, u"Notes"_s }
        << QList<QStringList> { { u"foo"_s, u"1"_s, u"-"_s } } << false
        << QStringList { u"WARNING: There is 1 new warning. See 'snap warnings'."_s };
    QTest::addRow("a misaligned line between rows is still cut by position")
        << u"Name  Rev\nfoobar1 x\nbar   2\n"_s << QStringList() << QStringList { u"Name"_s, u"Rev"_s }
        << QList<QStringList> { { u"foobar"_s, u"1 x"_s }, { u"bar"_s, u"2"_s } } << false << QStringList();
    QTest::addRow("last row without newline is marked truncated")
        << u"A  B\nx  y\nz  w"_s << QStringList() << QStringList { u"A"_s, u"B"_s }
        << QList<QStringList> { { u"x"_s, u"y"_s }, { u"z"_s, u"w"_s } } << true << QStringList();
    QTest::addRow("header only, cut") << u"A  B"_s << QStringList() << QStringList { u"A"_s, u"B"_s }
                                      << QList<QStringList>() << true << QStringList();
    QTest::addRow("leading blank lines and indented header")
        << u"\n   \n  A  B\nx    y\n"_s << QStringList() << QStringList { u"A"_s, u"B"_s }
        << QList<QStringList> { { u"x"_s, u"y"_s } } << false << QStringList();
    // QChar units: a character outside the BMP takes two, the header and rows agree on that
    QTest::addRow("QChar positions, BMP and non-BMP")
        << u"Name  Publisher    Notes\n\u00e9t\u00e9   canonical\u2713   -\n\U0001F600x   bob          -\n"_s
        << QStringList() << QStringList { u"Name"_s, u"Publisher"_s, u"Notes"_s }
        << QList<QStringList> { { u"\u00e9t\u00e9"_s, u"canonical\u2713"_s, u"-"_s },
               { u"\U0001F600x"_s, u"bob"_s, u"-"_s } }
        << false << QStringList();
    QTest::addRow("colour escape in the header still matches")
        << u"Name  Publisher\x1b[0m  Notes\nfoo   bob\x1b[32m**\x1b[0m  -\n"_s
        << QStringList { u"Publisher"_s, u"Notes"_s } << QStringList { u"Name"_s, u"Publisher"_s, u"Notes"_s }
        << QList<QStringList> { { u"foo"_s, u"bob\x1b[32m**\x1b[0m"_s, u"-"_s } } << false << QStringList();
    QTest::addRow("control characters and non-ASCII spaces stay in values")
        << u"A      B\n\u00a0x\x01    \x1b[2J\n"_s << QStringList() << QStringList { u"A"_s, u"B"_s }
        << QList<QStringList> { { u"\u00a0x\x01"_s, u"\x1b[2J"_s } } << false << QStringList();
}

void TestTextParsers::columnTable()
{
    QFETCH(QString, text);
    QFETCH(QStringList, required);
    QFETCH(QStringList, headers);
    QFETCH(QList<QStringList>, rows);
    QFETCH(bool, truncated);
    QFETCH(QStringList, trailer);

    TextTable t;
    QString error;
    QVERIFY2(parseColumnTable(text, &t, &error, required), qPrintable(error));
    QCOMPARE(t.headers, headers);
    QCOMPARE(t.rows, rows);
    QCOMPARE(t.truncated, truncated);
    QCOMPARE(t.trailer, trailer);
}

void TestTextParsers::columnTableLimits_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("required");
    QTest::addColumn<QString>("error");

    QTest::addRow("empty") << QString() << QStringList() << u"empty output"_s;
    QTest::addRow("blank lines only") << u"\n  \n\r\n"_s << QStringList() << u"empty output"_s;
    QTest::addRow("garbage, no header")
        << QString::fromUtf8(testData("snap-cli/garbage.txt")) << QStringList { u"Name"_s, u"Rev"_s }
        << u"no table header with columns Name Rev (output starts with \"Welcome to Ubuntu 22.04.3 LTS "
           u"(GNU/Linux "
           "5.15.0-91-generic x86_64)\")"_s;
    QTest::addRow("escape in the quoted garbage is made visible")
        << u"\x1b[2Jhi\n"_s << QStringList { u"Name"_s }
        << u"no table header with columns Name (output starts with \"\\x1b[2Jhi\")"_s;
    QStringList many;
    for (int i = 0; i < 20; ++i)
        many << u"C%1"_s.arg(i);
    QTest::addRow("too many columns")
        << many.join(u' ') + u"\nx\n"_s << QStringList() << u"table header has 20 columns (more than 16)"_s;
    QTest::addRow("too many rows") << u"A\n"_s + u"x\n"_s.repeated(kMaxTableRows + 1) << QStringList()
                                   << u"table has more than 100000 rows"_s;
    QTest::addRow("line too long") << u"A  B\n"_s + QString(kMaxTableLineChars + 1, u'x') + u'\n'
                                   << QStringList() << u"line 2 is longer than 1048576 characters"_s;
    QTest::addRow("tab bomb line too long") << u"A  B\nx"_s + QString(kMaxTableLineChars / 4, u'\t')
                                            << QStringList() << u"line 2 is longer than 1048576 characters"_s;
    QTest::addRow("input too large") << QString(kMaxParserInputBytes + 1, u'\n') << QStringList()
                                     << u"output too large (16777217 characters)"_s;
}

void TestTextParsers::columnTableLimits()
{
    QFETCH(QString, text);
    QFETCH(QStringList, required);
    QFETCH(QString, error);

    TextTable t;
    t.headers = QStringList { u"untouched"_s };
    QString why;
    QVERIFY(!parseColumnTable(text, &t, &why, required));
    QCOMPARE(why, error);
    QCOMPARE(t.headers, QStringList { u"untouched"_s });
}

void TestTextParsers::snapList_data()
{
    QTest::addColumn<QByteArray>("output");
    QTest::addColumn<SnapList>("expected");

    QTest::addRow("snapd 2.57.6 device (real)")
        << testData("snapd-2.57.6/snap-list.txt") << sampleDeviceExpected();
    QTest::addRow("whole sample session: only the first table")
        << testData("snapd-2.57.6/snap-cli-over-ssh.txt") << sampleDeviceExpected();
    QTest::addRow("--all: disabled, held, classic, marks, channels")
        << testData("snap-cli/list-all.txt") << listAllExpected();
    QTest::addRow("tab-aligned with CRLF, empty cells")
        << testData("snap-cli/list-crlf-tabs.txt")
        << SnapList { makeSnap(u"core22"_s, u"2024"_s, u"1122"_s, u"latest/stable"_s, kCanonical,
                          { u"base"_s }, u"base"_s),
               makeSnap(u"hello"_s, u"2.10"_s, u"42"_s, {}, {}, {}),
               makeSnap(u"verylongsnapname"_s, {}, u"43"_s, {}, {}, { u"disabled"_s }) };
    QTest::addRow("stderr warning after the table")
        << testData("snap-cli/list-warning.txt")
        << SnapList { makeSnap(u"core22"_s, u"20240111"_s, u"1122"_s, u"latest/stable"_s, kCanonical,
                          { u"base"_s }, u"base"_s),
               makeSnap(u"hello"_s, u"2.10.1"_s, u"43"_s, u"latest/stable"_s, kCanonical, {}) };
    QTest::addRow("old snapd: Developer column, no Tracking")
        << testData("snap-cli/list-old-developer.txt")
        << SnapList { makeSnap(u"core"_s, u"16-2"_s, u"1689"_s, {}, kCanonical, {}),
               makeSnap(u"hello"_s, u"2.10"_s, u"20"_s, {}, kCanonical, { u"devmode"_s }) };
    QTest::addRow("nothing installed (stderr)") << testData("snap-cli/list-empty.txt") << SnapList();
    QTest::addRow("nothing installed (empty stdout)") << QByteArray() << SnapList();
    QTest::addRow("hostile values are kept as they are")
        << testData("snap-cli/list-hostile.txt")
        << SnapList { makeSnap(u"\x1b[31mred\x1b[0m\x1b]0;pwned\x07"_s, u"1.0"_s, u"1"_s, {}, {}, {}),
               makeSnap(u"<b>bold</b><script>x</script>"_s, u"2.0"_s, u"2"_s, u"latest/stable"_s, {}, {}),
               makeSnap(u"nul\0name"_s, u"3.0\0"_s, u"3"_s, {}, {}, {}),
               makeSnap(u"bad\ufffd\ufffdutf8"_s, u"4.0"_s, u"4"_s, {}, u"pub\ufffd"_s, {}),
               makeSnap(u"rtl\u202etxt.exe"_s, u"5.0"_s, u"5"_s, {}, {}, {}) };
    QTest::addRow("10,000-character name")
        << testData("snap-cli/list-longname.txt")
        << SnapList { makeSnap(QString(10000, u'a'), u"1.0"_s, u"1"_s, u"latest/stable"_s, {}, {}),
               makeSnap(u"b"_s, u"2.0"_s, u"2"_s, {}, {}, {}) };
    QTest::addRow("colour output: marks wrapped in SGR")
        << QByteArray("Name    Version   Rev   Tracking       Publisher" + QByteArray(12, ' ')
               + "Notes\n"
                 "core22  20240111  1122  latest/stable  canonical\x1b[32m\xe2\x9c\x93\x1b[0m  base\n")
        << SnapList { makeSnap(u"core22"_s, u"20240111"_s, u"1122"_s, u"latest/stable"_s, kCanonical,
               { u"base"_s }, u"base"_s) };
}

void TestTextParsers::snapList()
{
    QFETCH(QByteArray, output);
    QFETCH(SnapList, expected);

    SnapList snaps { makeSnap(u"stale"_s, {}, {}, {}, {}, {}) };
    QString error;
    QVERIFY2(parseSnapList(output, &snaps, &error), qPrintable(error));
    QCOMPARE(snaps, expected);
}

void TestTextParsers::snapListErrors_data()
{
    QTest::addColumn<QByteArray>("output");
    QTest::addColumn<QString>("error");

    QTest::addRow("truncated mid-row") << testData("snap-cli/list-truncated.txt")
                                       << u"snap list: output ends in the middle of a row (truncated)"_s;
    QTest::addRow("garbage without header") << testData("snap-cli/garbage.txt")
                                            << u"snap list: no table header with columns Name Version Rev "
                                               u"Notes (output starts with \"Welcome to Ubuntu "
                                               "22.04.3 LTS (GNU/Linux 5.15.0-91-generic x86_64)\")"_s;
    QTest::addRow("snapd down") << QByteArray(
        "error: cannot communicate with server: Get \"http://localhost/v2/snaps\": dial unix "
        "/run/snapd.socket: connect: no such file or directory\n")
                                << u"cannot communicate with server: Get \"http://localhost/v2/snaps\": dial "
                                   u"unix /run/snapd.socket: connect: "
                                   "no such file or directory"_s;
    QTest::addRow("row without revision") << listHeader()
            + "core22  20240111\n" << u"snap list: row 1 has no name or revision: \"core22  20240111\""_s;
    QTest::addRow("row without name")
        << listHeader() + "        1.0       5     -              -            -\n"
        << u"snap list: row 1 has no name or revision: \"1.0  5  -  -  -\""_s;
    QTest::addRow("binary junk")
        << QByteArray("\x00\x01\x02\xff\xfe\x1b[0m\n", 10)
        << u"snap list: no table header with columns Name Version Rev Notes (output starts "
           "with \"\\x00\\x01\\x02\ufffd\ufffd\\x1b[0m\")"_s;
    QTest::addRow("too large") << QByteArray(kMaxParserInputBytes + 1, 'x')
                               << u"output too large (16777217 bytes, limit 16777216)"_s;
}

void TestTextParsers::snapListErrors()
{
    QFETCH(QByteArray, output);
    QFETCH(QString, error);

    const SnapList before { makeSnap(u"stale"_s, {}, {}, {}, {}, {}) };
    SnapList snaps = before;
    QString why;
    QVERIFY(!parseSnapList(output, &snaps, &why));
    QCOMPARE(why, error);
    QCOMPARE(snaps, before);
}

void TestTextParsers::snapRefreshList_data()
{
    QTest::addColumn<QByteArray>("output");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<RefreshCheck>("expected");

    QTest::addRow("updates table") << testData("snap-cli/refresh-list.txt") << 0
                                   << determined({ { u"core22"_s, { u"20240215"_s, u"1380"_s } },
                                          { u"hello"_s, { u"2.10.2"_s, u"44"_s } },
                                          { u"lxd"_s, { u"5.0.3-80aeff7"_s, u"27037"_s } } });
    QTest::addRow("all up to date") << testData("snap-cli/refresh-uptodate.txt") << 0 << determined();
    const QString storeError
        = u"cannot refresh: cannot list updates: Post \"https://api.snapcraft.io/v2/snaps/refresh\": "
          "dial tcp: lookup api.snapcraft.io: no such host"_s;
    QTest::addRow("store unreachable, wrapped message")
        << testData("snap-cli/refresh-store-error.txt") << 1 << undetermined(storeError);
    QTest::addRow("store unreachable, one line")
        << testData("snap-cli/refresh-store-error-oneline.txt") << 1
        << undetermined(u"cannot refresh: dial tcp: lookup api.snapcraft.io: no such host"_s);
    QTest::addRow("error line even with exit 0")
        << testData("snap-cli/refresh-store-error-oneline.txt") << 0
        << undetermined(u"cannot refresh: dial tcp: lookup api.snapcraft.io: no such host"_s);
    QTest::addRow("non-zero exit without error line")
        << QByteArray("Segmentation fault\n") << 139
        << undetermined(u"snap refresh --list failed (exit status 139): Segmentation fault"_s);
    QTest::addRow("non-zero exit, no output")
        << QByteArray() << 1 << undetermined(u"snap refresh --list failed (exit status 1)"_s);
    QTest::addRow("no output at all, exit 0")
        << QByteArray() << 0 << undetermined(u"snap refresh --list: empty output"_s);
    QTest::addRow("garbage")
        << testData("snap-cli/garbage.txt") << 0
        << undetermined(
               u"snap refresh --list: no table header with columns Name Version Rev (output "
               "starts with \"Welcome to Ubuntu 22.04.3 LTS (GNU/Linux 5.15.0-91-generic x86_64)\")"_s);
    QByteArray cut = testData("snap-cli/refresh-list.txt");
    cut.chop(10);
    QTest::addRow("cut mid-row")
        << cut << 0 << undetermined(u"snap refresh --list: output ends in the middle of a row (truncated)"_s);
    QTest::addRow("CRLF and warning") << QByteArray(
        "Name   Version  Rev  Size  Publisher  Notes\r\nhello  2.10.2   44   98kB  canonical  -\r\n"
        "WARNING: There is 1 new warning. See 'snap warnings'.\r\n")
                                      << 0 << determined({ { u"hello"_s, { u"2.10.2"_s, u"44"_s } } });
}

void TestTextParsers::snapRefreshList()
{
    QFETCH(QByteArray, output);
    QFETCH(int, exitCode);
    QFETCH(RefreshCheck, expected);

    QCOMPARE(parseSnapRefreshList(output, exitCode), expected);
}

void TestTextParsers::snapVersion_data()
{
    QTest::addColumn<QByteArray>("output");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<DeviceSystem>("expected");
    QTest::addColumn<QString>("error");

    QTest::addRow("Ubuntu Core 22 (no os line)")
        << testData("snap-cli/version-core22.txt") << true
        << system(u"ubuntu-core"_s, {}, u"16"_s, u"2.61.3"_s, u"5.15.0-91-generic"_s, u"amd64"_s)
        << QString();
    QTest::addRow("Ubuntu Core with an os line")
        << testData("snap-cli/version-core-osline.txt") << true
        << system(u"ubuntu-core"_s, u"22"_s, u"16"_s, u"2.58.3"_s, u"5.15.0-91-generic"_s, u"arm64"_s)
        << QString();
    QTest::addRow("Debian 12") << testData("snap-cli/version-debian12.txt") << true
                               << system(u"debian"_s, u"12"_s, u"16"_s, u"2.57.6-1+deb12u1+b2"_s,
                                      u"6.1.0-18-amd64"_s, {})
                               << QString();
    QTest::addRow("Ubuntu 22.04") << testData("snap-cli/version-ubuntu2204.txt") << true
                                  << system(u"ubuntu"_s, u"22.04"_s, u"16"_s, u"2.61.3+22.04"_s,
                                         u"5.15.0-91-generic"_s, u"amd64"_s)
                                  << QString();
    QTest::addRow("tabs, CRLF, unknown VERSION_ID, stray lines")
        << QByteArray("sudo: unable to resolve host dev1\r\nsnap\t2.60\r\nsnapd\t2.60\r\nseries\t16\r\n"
                      "fedora\t-\r\nkernel\t6.6.9\r\nsnapd-bin-origin\tnative-package\r\n")
        << true << system(u"fedora"_s, {}, u"16"_s, u"2.60"_s, u"6.6.9"_s, {}) << QString();
    QTest::addRow("snapd down") << testData("snap-cli/version-snapd-down.txt") << false << DeviceSystem()
                                << u"snapd is unavailable (snap version could not reach it)"_s;
    QTest::addRow("garbage")
        << testData("snap-cli/garbage.txt") << false << DeviceSystem()
        << u"not snap version output (no snapd line): \"Welcome to Ubuntu 22.04.3 LTS (GNU/Linux "
           "5.15.0-91-generic x86_64)\""_s;
    QTest::addRow("error") << QByteArray("error: unknown command \"version\"\n") << false << DeviceSystem()
                           << u"unknown command \"version\""_s;
    QTest::addRow("empty") << QByteArray() << false << DeviceSystem()
                           << u"not snap version output (no snapd line): \"\""_s;
}

void TestTextParsers::snapVersion()
{
    QFETCH(QByteArray, output);
    QFETCH(bool, ok);
    QFETCH(DeviceSystem, expected);
    QFETCH(QString, error);

    DeviceSystem sys;
    QString why;
    QCOMPARE(parseSnapVersion(output, &sys, &why), ok);
    QCOMPARE(why, error);
    QCOMPARE(sys, expected);
}

void TestTextParsers::snapVersionKeepsOtherFields()
{
    DeviceSystem sys;
    sys.hostname = u"dev1"_s;
    sys.refreshError = u"earlier"_s;
    QString error;
    QVERIFY(parseSnapVersion(testData("snap-cli/version-debian12.txt"), &sys, &error));
    DeviceSystem expected
        = system(u"debian"_s, u"12"_s, u"16"_s, u"2.57.6-1+deb12u1+b2"_s, u"6.1.0-18-amd64"_s, {});
    expected.hostname = u"dev1"_s;
    expected.refreshError = u"earlier"_s;
    QCOMPARE(sys, expected);
}

void TestTextParsers::applyRefreshCheck_data()
{
    QTest::addColumn<SnapList>("snaps");
    QTest::addColumn<RefreshCheck>("check");
    QTest::addColumn<SnapList>("expected");

    const Snap coreOld = makeSnap(u"core22"_s, u"20231123"_s, u"1033"_s, u"latest/stable"_s, kCanonical,
        { u"base"_s, u"disabled"_s }, u"base"_s);
    const Snap core = makeSnap(
        u"core22"_s, u"20240111"_s, u"1122"_s, u"latest/stable"_s, kCanonical, { u"base"_s }, u"base"_s);
    const Snap hello = makeSnap(u"hello"_s, u"2.10.1"_s, u"43"_s, u"latest/stable"_s, kCanonical, {});
    const SnapList list { coreOld, core, hello };
    const SnapUpdate coreUpdate { u"20240215"_s, u"1380"_s };

    QTest::addRow("update on the active revision only")
        << list << determined({ { u"core22"_s, coreUpdate }, { u"not-installed"_s, { u"1"_s, u"1"_s } } })
        << SnapList { withUpdate(coreOld, UpdateKnowledge::None),
               withUpdate(core, UpdateKnowledge::Available, coreUpdate),
               withUpdate(hello, UpdateKnowledge::None) };
    QTest::addRow("all up to date") << list << determined()
                                    << SnapList { withUpdate(coreOld, UpdateKnowledge::None),
                                           withUpdate(core, UpdateKnowledge::None),
                                           withUpdate(hello, UpdateKnowledge::None) };
    QTest::addRow("store unreachable: unknown, stale updates cleared")
        << SnapList { withUpdate(core, UpdateKnowledge::Available, coreUpdate), hello }
        << undetermined(u"store unreachable"_s)
        << SnapList { withUpdate(core, UpdateKnowledge::Unknown),
               withUpdate(hello, UpdateKnowledge::Unknown) };
    QTest::addRow("from snap refresh --list output")
        << listAllExpected() << parseSnapRefreshList(testData("snap-cli/refresh-list.txt"), 0) << [] {
               SnapList l = listAllExpected();
               for (Snap &s : l) {
                   s.updateKnowledge = UpdateKnowledge::None;
                   if (s.name == u"core22" && s.active)
                       s = withUpdate(s, UpdateKnowledge::Available, { u"20240215"_s, u"1380"_s });
                   else if (s.name == u"hello" && s.active)
                       s = withUpdate(s, UpdateKnowledge::Available, { u"2.10.2"_s, u"44"_s });
                   else if (s.name == u"lxd")
                       s = withUpdate(s, UpdateKnowledge::Available, { u"5.0.3-80aeff7"_s, u"27037"_s });
               }
               return l;
           }();
}

void TestTextParsers::applyRefreshCheck()
{
    QFETCH(SnapList, snaps);
    QFETCH(RefreshCheck, check);
    QFETCH(SnapList, expected);

    canyon::applyRefreshCheck(&snaps, check);
    QCOMPARE(snaps, expected);
}

void TestTextParsers::snappyVersions_data()
{
    QTest::addColumn<QByteArray>("output");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<SnapList>("expected");
    QTest::addColumn<QString>("error");

    QTest::addRow("2014 image (real)")
        << testData("snappy-15.04/versions-a.txt") << true
        << SnapList { snappyPart(u"ubuntu-core"_s, u"edge"_s, u"141"_s, u"7f068cb4fa876c"_s, true,
                          UpdateKnowledge::None),
               snappyPart(u"docker"_s, u"edge"_s, {}, u"b1f2f85e77adab"_s, true, UpdateKnowledge::None) }
        << QString();
    QTest::addRow("after install (real)") << testData("snappy-15.04/versions-a-after-install.txt") << true
                                          << SnapList { snappyPart(u"xkcd-webserver"_s, u"edge"_s, u"0.3.1"_s,
                                                 u"3a9152b8bff494"_s, true, UpdateKnowledge::None) }
                                          << QString();
    QTest::addRow("update available, inactive version, tab-aligned")
        << QByteArray("Part\t\tTag\tInstalled\tAvailable\tFingerprint\tActive\n"
                      "ubuntu-core\tedge\t141\t\t142\t\t7f068cb4fa876c\t*\n"
                      "ubuntu-core\tedge\t140\t\t-\t\t0123456789abcd\t\n")
        << true
        << SnapList { snappyPart(u"ubuntu-core"_s, u"edge"_s, u"141"_s, u"7f068cb4fa876c"_s, true,
                          UpdateKnowledge::Available, u"142"_s),
               snappyPart(
                   u"ubuntu-core"_s, u"edge"_s, u"140"_s, u"0123456789abcd"_s, false, UpdateKnowledge::None) }
        << QString();
    QTest::addRow("Available cell empty: unknown")
        << QByteArray("Part  Tag   Installed  Available  Fingerprint  Active\nfoo   edge  1.0\n") << true
        << SnapList { snappyPart(u"foo"_s, u"edge"_s, u"1.0"_s, {}, false, UpdateKnowledge::Unknown) }
        << QString();
    QTest::addRow("search output is not a versions table")
        << testData("snappy-15.04/search-webserver.txt") << false << SnapList()
        << u"snappy versions: no table header with columns Part Tag Installed Available Fingerprint Active "
           u"(output "
           "starts with \"Part                  Version  Description\")"_s;
    QByteArray cut = testData("snappy-15.04/versions-a.txt");
    cut.chop(5);
    QTest::addRow("cut") << cut << false << SnapList()
                         << u"snappy versions: output ends in the middle of a row (truncated)"_s;
    QTest::addRow("empty") << QByteArray() << false << SnapList() << u"snappy versions: empty output"_s;
}

void TestTextParsers::snappyVersions()
{
    QFETCH(QByteArray, output);
    QFETCH(bool, ok);
    QFETCH(SnapList, expected);
    QFETCH(QString, error);

    SnapList snaps;
    QString why;
    QCOMPARE(parseSnappyVersions(output, &snaps, &why), ok);
    QCOMPARE(why, error);
    QCOMPARE(snaps, expected);
}

void TestTextParsers::snappyInfo_data()
{
    QTest::addColumn<QByteArray>("output");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<DeviceSystem>("expected");
    QTest::addColumn<QString>("error");

    QTest::addRow("2014 image (real)") << testData("snappy-15.04/info.txt") << true
                                       << system(u"ubuntu-core"_s, u"devel"_s, {}, {}, {}, {}) << QString();
    QTest::addRow("15.04 style") << QByteArray(
        "release: ubuntu-core/15.04/edge\r\narchitecture: armhf\r\nframeworks: docker\r\napps: hello\r\n")
                                 << true << system(u"ubuntu-core"_s, u"15.04/edge"_s, {}, {}, {}, u"armhf"_s)
                                 << QString();
    QTest::addRow("release without os")
        << QByteArray("release: 15.04\n") << true << system({}, u"15.04"_s, {}, {}, {}, {}) << QString();
    QTest::addRow("no release line")
        << QByteArray("frameworks: docker\n") << false << DeviceSystem()
        << u"snappy info: no \"release:\" line (output starts with \"frameworks: docker\")"_s;
}

void TestTextParsers::snappyInfo()
{
    QFETCH(QByteArray, output);
    QFETCH(bool, ok);
    QFETCH(DeviceSystem, expected);
    QFETCH(QString, error);

    DeviceSystem sys;
    QString why;
    QCOMPARE(parseSnappyInfo(output, &sys, &why), ok);
    QCOMPARE(why, error);
    QCOMPARE(sys, expected);
}

// Every prefix of every small fixture, and random bytes: each parser returns (whatever it
// says), never crashes, never hangs.
void TestTextParsers::neverCrashOnCutOrRandomInput()
{
    const char *files[] = { "snap-cli/list-all.txt", "snap-cli/list-hostile.txt",
        "snap-cli/list-crlf-tabs.txt", "snap-cli/refresh-list.txt", "snap-cli/version-core22.txt",
        "snappy-15.04/versions-a.txt", "snapd-2.57.6/snap-cli-over-ssh.txt" };
    QList<QByteArray> inputs;
    for (const char *f : files) {
        const QByteArray data = testData(f);
        for (qsizetype n = 0; n <= data.size(); ++n)
            inputs << data.left(n);
    }
    QRandomGenerator rng(20240111);
    for (int i = 0; i < 300; ++i) {
        QByteArray junk(rng.bounded(1, 400), '\0');
        for (char &c : junk)
            c = char(rng.bounded(256));
        // sometimes behind a valid header, so the row code runs too
        inputs << (i % 2 ? listHeader() + junk : junk);
    }
    for (const QByteArray &in : std::as_const(inputs)) {
        SnapList snaps;
        DeviceSystem sys;
        QString error;
        TextTable t;
        parseColumnTable(decodeRemote(in), &t, &error);
        for (const QStringList &row : std::as_const(t.rows))
            QCOMPARE(row.size(), t.headers.size());
        if (parseSnapList(in, &snaps, &error)) {
            for (const Snap &s : std::as_const(snaps))
                QVERIFY(!s.name.isEmpty() && s.revision && !s.revision->isEmpty());
        }
        parseSnapRefreshList(in, 0);
        parseSnapVersion(in, &sys, &error);
        parseSnappyVersions(in, &snaps, &error);
        parseSnappyInfo(in, &sys, &error);
    }
}

void TestTextParsers::visibleText_data()
{
    QTest::addColumn<QString>("remote");
    QTest::addColumn<qsizetype>("maxChars");
    QTest::addColumn<QString>("expected");

    QTest::addRow("plain") << u"hello-world"_s << qsizetype(0) << u"hello-world"_s;
    QTest::addRow("ANSI escape") << u"\x1b[31mred"_s << qsizetype(0) << u"\\x1b[31mred"_s;
    QTest::addRow("NUL and DEL") << u"a\0b\x7f"_s << qsizetype(0) << u"a\\x00b\\x7f"_s;
    QTest::addRow("tab becomes a space, newline visible") << u"a\tb\nc"_s << qsizetype(0) << u"a b\\x0ac"_s;
    QTest::addRow("bidi override") << u"rtl\u202etxt"_s << qsizetype(0) << u"rtl\\u202etxt"_s;
    QTest::addRow("C1 control") << u"x\u009by"_s << qsizetype(0) << u"x\\x9by"_s;
    QTest::addRow("HTML stays text") << u"<b>x</b>"_s << qsizetype(0) << u"<b>x</b>"_s;
    QTest::addRow("capped") << QString(100, u'a') << qsizetype(5) << u"aaaaa\u2026"_s;
}

void TestTextParsers::visibleText()
{
    QFETCH(QString, remote);
    QFETCH(qsizetype, maxChars);
    QFETCH(QString, expected);

    QCOMPARE(canyon::visibleText(remote, maxChars), expected);
}

void TestTextParsers::sshTarget_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("roundTrip");

    QTest::addRow("user@host:port") << u"ubuntu@dev1.lan:2222"_s << true << u"ubuntu"_s << u"dev1.lan"_s
                                    << 2222 << u"ubuntu@dev1.lan:2222"_s;
    QTest::addRow("alias") << u"  dev1 "_s << true << QString() << u"dev1"_s << 0 << u"dev1"_s;
    QTest::addRow("IPv6 with port") << u"root@[fe80::1]:22"_s << true << u"root"_s << u"fe80::1"_s << 22
                                    << u"root@[fe80::1]:22"_s;
    QTest::addRow("port out of range") << u"h:70000"_s << false << QString() << QString() << 0 << QString();
    QTest::addRow("empty user") << u"@h"_s << false << QString() << QString() << 0 << QString();
    QTest::addRow("missing port") << u"h:"_s << false << QString() << QString() << 0 << QString();
    QTest::addRow("shell metacharacters")
        << u"h;rm -rf /"_s << false << QString() << QString() << 0 << QString();
    QTest::addRow("escape in host") << u"\x1b[2Jh"_s << false << QString() << QString() << 0 << QString();
}

void TestTextParsers::sshTarget()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(QString, user);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, roundTrip);

    SshTarget t;
    QString error;
    QCOMPARE(SshTarget::parse(text, &t, &error), ok);
    if (!ok) {
        QVERIFY(!error.isEmpty());
        return;
    }
    QCOMPARE(t.user, user);
    QCOMPARE(t.host, host);
    QCOMPARE(t.port, port);
    QCOMPARE(t.toString(), roundTrip);
}

QTEST_APPLESS_MAIN(TestTextParsers)
#include "tst_textparsers.moc"
