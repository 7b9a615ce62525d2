using System.Diagnostics;
using System.Globalization;
using BatchDb.Bench.Measurement;
using BatchDb.Bench.Reporting;
using BatchDb.Engine.Connections;

namespace BatchDb.Bench.Scenarios;

/// <summary>
/// Replacing warehouse 1 with a new copy from a file, with the readers running: load + switch against
/// DELETE + load in one transaction and TRUNCATE + load. Each method starts from a freshly built table.
/// </summary>
internal static class NaiveReplacementBenchmark
{
    public static async Task RunAsync(BenchContext context, MarkdownReport report)
    {
        var (server, options) = (context.Server, context.Options);
        var postgres = server.Provider == DatabaseProvider.PostgreSql;
        report.Heading(3, $"{server.Name}: replacing warehouse 1");
        report.Paragraph($"DELETE + load: `{server.DeleteAndInsert("FILE").Describe()}`. TRUNCATE + load: {server.TruncateAndLoadNote}. " +
            $"{(postgres ? "WAL" : "Redo")} bytes are the server's {(postgres ? "WAL position (`pg_current_wal_lsn()`)" : "`Innodb_lsn_current`")} before and after each run" +
            (postgres ? ", each run starting after a CHECKPOINT so that full-page images count the same for every method" : ", each run starting after InnoDB has written its dirty pages out") +
            ". Sizes are data and indexes of the live partition (and of the work table, which keeps the previous copy) after the first and the last run, with no VACUUM or OPTIMIZE between.");
        var rowsOut = new List<IReadOnlyList<string>>();
        var targets = new List<string>();
        foreach (var rows in options.Sizes)
        {
            var methods = new (string Name, Func<string, Task> Run)[]
            {
                ("BatchDb Import-WorkTable + Switch-Partition", async csv =>
                {
                    await context.ImportAsync(csv);
                    await context.SwitchAsync();
                }),
                ("DELETE + load, one transaction", csv => Task.FromResult(server.DeleteAndInsert(csv).Run())),
                ("TRUNCATE + load", csv => Task.FromResult(server.TruncateAndLoad(csv).Run())),
            };
            var measured = new List<Measured>();
            foreach (var method in methods)
            {
                measured.Add(await MeasureAsync(context, rows, method.Name, method.Run));
            }

            var deleteAndLoad = measured[1].Median;
            for (var m = 0; m < methods.Length; m++)
            {
                var (seconds, written, first, last, seen) = measured[m];
                rowsOut.Add([MarkdownReport.Rows(rows), methods[m].Name, MarkdownReport.Seconds(measured[m].Median),
                    $"{MarkdownReport.Seconds(seconds.Min())} – {MarkdownReport.Seconds(seconds.Max())}",
                    MarkdownReport.Ratio(measured[m].Median / deleteAndLoad),
                    MarkdownReport.Bytes((long)Samples.Median(written)),
                    $"{MarkdownReport.Bytes(first.Partition)} → {MarkdownReport.Bytes(last.Partition)}",
                    m == 0 ? $"{MarkdownReport.Bytes(first.WorkTable)} → {MarkdownReport.Bytes(last.WorkTable)}" : "–",
                    $"{MarkdownReport.Milliseconds(seen.P99Milliseconds)} / {MarkdownReport.Milliseconds(seen.MaxMilliseconds)}",
                    seen.Errors.ToString(CultureInfo.InvariantCulture), seen.EmptyOrPartial.ToString(CultureInfo.InvariantCulture), seen.Mixed.ToString(CultureInfo.InvariantCulture)]);
            }

            var ratio = measured[0].Median / deleteAndLoad;
            targets.Add($"{MarkdownReport.Rows(rows)} rows: load + switch takes {MarkdownReport.Ratio(ratio)} the time of DELETE + load (target ≤ 0.30×: {MarkdownReport.Verdict(ratio <= 0.3)}).");
        }

        report.Table(["Rows", "Method", "Median", "Min – max", "÷ DELETE + load", postgres ? "WAL written" : "Redo written", "Partition size, run 1 → last", "Work table size",
            "Reader p99 / max", "Errors", "Empty or partial", "Mixed"], rowsOut);
        report.Bullets(targets);
    }

    /// <summary>Runs one method on a freshly built table, each run loading the version that is not live, with the readers running.</summary>
    private static async Task<Measured> MeasureAsync(BenchContext context, int rows, string name, Func<string, Task> replace)
    {
        var server = context.Server;
        await context.CreateStockAsync(rows);
        var live = '1';
        var seconds = new List<double>();
        var written = new List<double>();
        var windows = new List<ReaderStats>();
        (long Partition, long WorkTable) first = default;
        for (var run = 0; run < context.Options.Runs; run++)
        {
            var next = live == '2' ? '3' : '2';
            var csv = context.WarehouseOne(rows, next);
            context.Say($"replace {rows:N0} rows, run {run + 1}: {name}");
            server.BeforeMeasuredWrite();
            var before = server.WriteAheadBytes();
            var readers = context.Readers(rows);
            readers.Start();
            var stopwatch = Stopwatch.StartNew();
            await replace(csv);
            seconds.Add(stopwatch.Elapsed.TotalSeconds);
            windows.Add(readers.Stop());
            written.Add(server.WriteAheadBytes() - before);

            var state = server.LiveState();
            if (state != (rows, next.ToString()))
            {
                throw new InvalidOperationException($"{name} left {state.Rows} rows of version {state.Versions} in warehouse 1; {rows} of version {next} were expected.");
            }

            live = next;
            if (run == 0)
            {
                first = server.Sizes();
            }
        }

        return new Measured(seconds, written, first, server.Sizes(), ReaderStats.Combine(windows));
    }

    /// <summary>One method's runs: times, bytes of WAL or redo, sizes after the first and the last run, and what the readers saw.</summary>
    private sealed record Measured(List<double> Seconds, List<double> Written, (long Partition, long WorkTable) First, (long Partition, long WorkTable) Last, ReaderStats Seen)
    {
        public double Median => Samples.Median(Seconds);
    }
}
