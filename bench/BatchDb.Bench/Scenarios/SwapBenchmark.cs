using System.Diagnostics;
using BatchDb.Bench.Infrastructure;
using BatchDb.Bench.Measurement;
using BatchDb.Bench.Reporting;
using BatchDb.Engine.Connections;

namespace BatchDb.Bench.Scenarios;

/// <summary>
/// Switch-Partition's engine path, back to back, while the readers query warehouse 1; the same readers
/// beforehand without switches are the baseline.
/// </summary>
internal static class SwapBenchmark
{
    private static readonly TimeSpan Baseline = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(BenchContext context, MarkdownReport report)
    {
        var (server, options) = (context.Server, context.Options);
        var postgres = server.Provider == DatabaseProvider.PostgreSql;
        report.Heading(3, $"{server.Name}: {options.Switches} switches under {options.Readers} readers ({options.ReaderQueriesPerSecond} queries/s in all)");
        var swapRows = new List<IReadOnlyList<string>>();
        var readerRows = new List<IReadOnlyList<string>>();
        var profileRows = new List<IReadOnlyList<string>>();
        var withoutValidation = (server as MariaDbServer)?.ExchangesWithoutValidation ?? false;
        var targets = new List<string>();
        var exclusiveMedians = new List<(int Rows, double Milliseconds)>();
        foreach (var rows in options.Sizes)
        {
            await context.CreateStockAsync(rows);
            await context.ImportAsync(context.WarehouseOne(rows, '2'));

            context.Say($"{rows:N0} rows: readers alone for {Baseline.TotalSeconds} s");
            var quietLoad = context.Readers(rows);
            quietLoad.Start();
            await Task.Delay(Baseline);
            var quiet = quietLoad.Stop();

            context.Say($"{rows:N0} rows: {options.Switches} switches");
            var calls = new List<double>();
            var exclusive = new List<double>();
            var retries = 0;
            var busyLoad = context.Readers(rows);
            busyLoad.Start();
            for (var i = 0; i < options.Switches; i++)
            {
                var stopwatch = Stopwatch.StartNew();
                var result = await context.SwitchAsync();
                calls.Add(stopwatch.Elapsed.TotalMilliseconds);
                exclusive.Add(result.SwitchDuration.TotalMilliseconds);
                retries += result.Attempts - 1;
            }

            var busy = busyLoad.Stop();
            var outside = calls.Zip(exclusive, (c, e) => c - e).ToList();
            var exclusiveP50 = Samples.Median(exclusive);
            if (server is MariaDbServer mariaDb)
            {
                // An even number of profiled exchanges, so the live version stays what the switches left.
                var profiled = Enumerable.Range(0, 2 * options.Runs).Select(_ => mariaDb.ProfileExchange()).ToList();
                var (validation, rest) = (Samples.Median(profiled.Select(p => p.Validation)), Samples.Median(profiled.Select(p => p.Remainder)));
                profileRows.Add([MarkdownReport.Rows(rows), profiled.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    MarkdownReport.Milliseconds(validation), MarkdownReport.Milliseconds(rest)]);
                targets.Add($"{MarkdownReport.Rows(rows)} rows: the EXCHANGE statement took {MarkdownReport.Milliseconds(exclusiveP50)} at the median; " +
                    $"run apart under SHOW PROFILE it spent {MarkdownReport.Milliseconds(validation)} in the server's validation scan (readers pass) and {MarkdownReport.Milliseconds(rest)} in the exclusive step; " +
                    $"BatchDb's own checks before it took {MarkdownReport.Milliseconds(Samples.Median(outside))}.");
                if (rows == 1_000_000)
                {
                    var callP50 = Samples.Median(calls);
                    targets.Add($"{MarkdownReport.Rows(rows)} rows: a Switch-Partition call took {MarkdownReport.Milliseconds(callP50)} at the median, with no scan of the rows " +
                        $"of its own before the EXCHANGE (target ≤ 900 ms, from 1.57 s when it scanned them: {MarkdownReport.Verdict(callP50 <= 900)}).");
                }
            }

            var expected = options.Switches % 2 == 0 ? "1" : "2";
            var state = server.LiveState();
            if (state != (rows, expected))
            {
                throw new InvalidOperationException($"After {options.Switches} switches warehouse 1 holds {state.Rows} rows of version {state.Versions}; {rows} of version {expected} were expected.");
            }

            exclusiveMedians.Add((rows, exclusiveP50));
            swapRows.Add([MarkdownReport.Rows(rows),
                $"{MarkdownReport.Milliseconds(Samples.Median(calls))} / {MarkdownReport.Milliseconds(Samples.Percentile(calls, 99))}",
                $"{MarkdownReport.Milliseconds(exclusiveP50)} / {MarkdownReport.Milliseconds(Samples.Percentile(exclusive, 99))} / {MarkdownReport.Milliseconds(exclusive.Max())}",
                $"{MarkdownReport.Milliseconds(Samples.Median(outside))} / {MarkdownReport.Milliseconds(Samples.Percentile(outside, 99))}",
                retries.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            readerRows.Add(ReaderRow(MarkdownReport.Rows(rows), "alone", quiet));
            readerRows.Add(ReaderRow(MarkdownReport.Rows(rows), $"during {options.Switches} switches", busy));

            var rise = busy.P99Milliseconds - quiet.P99Milliseconds;
            targets.Add($"{MarkdownReport.Rows(rows)} rows: readers saw {busy.Errors} errors, {busy.EmptyOrPartial} empty or partial and {busy.Mixed} mixed reads in {busy.Reads:N0} " +
                $"(target 0: {MarkdownReport.Verdict(busy.Anomalies == 0)}), and both versions ({string.Join(", ", busy.VersionsSeen)}); their p99 rose by {MarkdownReport.Milliseconds(rise)} " +
                $"(target ≤ 100 ms: {MarkdownReport.Verdict(rise <= 100)}).");
            if (postgres)
            {
                targets.Add($"{MarkdownReport.Rows(rows)} rows: the swap's locked step took {MarkdownReport.Milliseconds(exclusiveP50)} at the median (target ≤ 20 ms: {MarkdownReport.Verdict(exclusiveP50 <= 20)}).");
            }
        }

        report.Paragraph("Times per switch, p50 / p99 (/ max). The *locked step* is the statement or transaction that takes the table's lock " +
            (postgres ? "(DETACH, ATTACH, three renames)"
                : withoutValidation ? "(`EXCHANGE PARTITION … WITHOUT VALIDATION`)"
                : "(`EXCHANGE PARTITION`: MariaDB before 11.4 has no WITHOUT VALIDATION, so the statement first scans the work table to validate it " +
                  "under a lock that readers pass and writers wait for, then takes the exclusive lock for the renames)") +
            "; readers wait only for it. The *checks outside the lock* are the rest of the call: the definition comparison, both row counts, " +
            (postgres
                ? "the scan proving every work-table row inside the partition's bound, the CHECK constraint that lets ATTACH skip its own scan, and ANALYZE of the parent afterwards."
                : withoutValidation
                ? "and BatchDb's own scan proving every work-table row inside the partition, which names the rows that do not belong before any lock is taken."
                : "and no scan of the rows: the statement validates them anyway, and BatchDb scans only to name the rows when it refuses one."));
        report.Table(["Rows", "Switch-Partition call", "Locked step", "Checks outside the lock", "Lock retries"], swapRows);
        if (profileRows.Count > 0)
        {
            report.Paragraph("The same EXCHANGE PARTITION statement, run apart after the switches under `SHOW PROFILE`: the server's own validation scan " +
                "(\"Verifying data with partition\") and the rest of the statement, where the exclusive lock is held (medians).");
            report.Table(["Rows", "Statements", "Server's validation scan", "Rest of the statement"], profileRows);
        }

        report.Table(["Rows", "Readers", "Reads", "p50", "p99", "Max", "Errors", "Empty or partial", "Mixed versions"], readerRows);
        if (postgres && exclusiveMedians.Count > 1)
        {
            var (smallRows, small) = exclusiveMedians[0];
            var (largeRows, large) = exclusiveMedians[^1];
            targets.Add($"The locked step at {MarkdownReport.Rows(largeRows)} rows takes {MarkdownReport.Ratio(large / small)} its time at {MarkdownReport.Rows(smallRows)} " +
                $"(target ≤ 1.5×: {MarkdownReport.Verdict(large / small <= 1.5)}).");
        }

        report.Bullets(targets);
    }

    public static string[] ReaderRow(string rows, string when, ReaderStats stats) =>
    [
        rows, when, stats.Reads.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
        MarkdownReport.Milliseconds(stats.P50Milliseconds), MarkdownReport.Milliseconds(stats.P99Milliseconds), MarkdownReport.Milliseconds(stats.MaxMilliseconds),
        stats.Errors.ToString(System.Globalization.CultureInfo.InvariantCulture),
        stats.EmptyOrPartial.ToString(System.Globalization.CultureInfo.InvariantCulture),
        stats.Mixed.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ];
}
