// SPDX-License-Identifier: GPL-3.0-or-later
// The fuzz target bodies (FuzzTargets.h) over their seed corpora (seeds.txt) and every input in
// tests/data/fuzz-regressions/<target>/ (inputs that once crashed or broke a promise), in the
// normal build: a crash or an abort here is a failure.
#include "FuzzTargets.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

using TargetFn = void (*)(const uint8_t *, size_t);

TargetFn targetFunction(const QString &name)
{
    using namespace canyon::fuzz;
    if (name == u"texttable")
        return textTable;
    if (name == u"snappy")
        return snappy;
    if (name == u"snapcli")
        return snapCli;
    if (name == u"snapdjson")
        return snapdJson;
    if (name == u"lxdjson")
        return lxdJson;
    if (name == u"httpmessage")
        return httpMessage;
    if (name == u"knownhosts")
        return knownHosts;
    if (name == u"prometheus")
        return prometheus;
    if (name == u"cachejson")
        return cacheJson;
    return nullptr;
}

QString sourceDir()
{
    return QStringLiteral(CANYON_SOURCE_DIR);
}

// Every input of a file or directory (not recursive); a .jsonl file gives one input per line.
void collect(const QString &path, QList<QByteArray> *inputs)
{
    QStringList files;
    const QFileInfo info(path);
    if (info.isDir()) {
        const QFileInfoList entries = QDir(path).entryInfoList(QDir::Files, QDir::Name);
        for (const QFileInfo &e : entries)
            files << e.filePath();
    } else if (info.isFile()) {
        files << path;
    }
    for (const QString &file : std::as_const(files)) {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray content = f.readAll();
        *inputs << content;
        if (file.endsWith(u".jsonl")) {
            const QList<QByteArray> lines = content.split('\n');
            for (const QByteArray &line : lines)
                if (!line.isEmpty())
                    *inputs << line;
        }
    }
}

} // namespace

class TstFuzzRegressions : public QObject
{
    Q_OBJECT

private slots:
    void targets_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QStringList>("seedPaths");
        QFile seeds(QStringLiteral(CANYON_FUZZ_DIR "/seeds.txt"));
        QVERIFY(seeds.open(QIODevice::ReadOnly | QIODevice::Text));
        int rows = 0;
        while (!seeds.atEnd()) {
            const QString line = QString::fromUtf8(seeds.readLine()).trimmed();
            if (line.isEmpty() || line.startsWith(u'#'))
                continue;
            QStringList words = line.split(u' ', Qt::SkipEmptyParts);
            const QString target = words.takeFirst();
            QTest::newRow(qPrintable(target)) << target << words;
            ++rows;
        }
        QCOMPARE(rows, 9); // one per parser: keep in step with CANYON_FUZZ_TARGETS
    }

    void targets()
    {
        QFETCH(QString, target);
        QFETCH(QStringList, seedPaths);
        const TargetFn fn = targetFunction(target);
        QVERIFY2(fn, qPrintable(u"no fuzz function for "_s + target));

        QList<QByteArray> seeds;
        for (const QString &p : std::as_const(seedPaths)) {
            const qsizetype before = seeds.size();
            collect(sourceDir() + u'/' + p, &seeds);
            QVERIFY2(seeds.size() > before, qPrintable(u"no seed input in "_s + p));
        }
        QList<QByteArray> regressions;
        collect(sourceDir() + u"/tests/data/fuzz-regressions/"_s + target, &regressions);
        QVERIFY2(!regressions.isEmpty(), "every target keeps at least one hostile input");

        for (const QByteArray &in : std::as_const(seeds) + regressions)
            fn(reinterpret_cast<const uint8_t *>(in.constData()), size_t(in.size()));
        // Prefixes of the seeds: the cut-short answers a dropped connection leaves.
        for (const QByteArray &in : std::as_const(seeds))
            for (const qsizetype cut : { in.size() / 3, in.size() / 2, in.size() - 1 })
                if (cut > 0)
                    fn(reinterpret_cast<const uint8_t *>(in.constData()), size_t(cut));
        qInfo("%s: %lld seed and %lld regression inputs", qPrintable(target), qlonglong(seeds.size()),
            qlonglong(regressions.size()));
    }
};

QTEST_GUILESS_MAIN(TstFuzzRegressions)
#include "tst_fuzzregressions.moc"
