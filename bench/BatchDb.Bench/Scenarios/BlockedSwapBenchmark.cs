using System.Diagnostics;
using BatchDb.Bench.Infrastructure;
using BatchDb.Bench.Measurement;
using BatchDb.Bench.Reporting;
using BatchDb.Engine.Switching;

namespace BatchDb.Bench.Scenarios;

/// <summary>
/// A long query holds the table. Switch-Partition with a lock wait budget gives up and changes nothing,
/// holding the readers at most one lock wait at a time; a naive swap without a lock timeout waits, and every
/// reader behind it waits as long as the long query runs.
/// </summary>
internal static class BlockedSwapBenchmark
{
    private static readonly LockRetryPolicy Policy = new()
    {
        LockWaitTimeout = TimeSpan.FromSeconds(1),
        MaxAttempts = 3,
        InitialDelay = TimeSpan.FromSeconds(1),
        MaxDelay = TimeSpan.FromSeconds(4),
    };

    public static async Task RunAsync(BenchContext context, MarkdownReport report)
    {
        var (server, options) = (context.Server, context.Options);
        var rows = options.Sizes[0];
        report.Heading(3, $"{server.Name}: a {options.BlockingQuery.TotalSeconds:0} s query holds the table ({MarkdownReport.Rows(rows)} rows)");
        await context.CreateStockAsync(rows);
        await context.ImportAsync(context.WarehouseOne(rows, '2'));

        // The budget: every attempt's lock wait, the longest backoff (+20 % jitter) between them, and a second for the checks.
        var budget = Policy.LockWaitTimeout * Policy.MaxAttempts
            + Enumerable.Range(1, Policy.MaxAttempts - 1).Select(a => Backoff(a) * 1.2).Aggregate(TimeSpan.Zero, (sum, d) => sum + d)
            + TimeSpan.FromSeconds(1);
        var gaveUp = new List<double>();
        var windows = new List<ReaderStats>();
        var blockersNamed = new List<int>();
        for (var run = 0; run < options.Runs; run++)
        {
            context.Say($"blocked switch, run {run + 1}");
            var holder = TableHolder.Start(server, options.BlockingQuery);
            var readers = context.Readers(rows);
            readers.Start();
            var stopwatch = Stopwatch.StartNew();
            try
            {
                await context.SwitchAsync(Policy);
                throw new InvalidOperationException("The switch succeeded while the table was held.");
            }
            catch (LockTimeoutException ex)
            {
                gaveUp.Add(stopwatch.Elapsed.TotalSeconds);
                blockersNamed.Add(ex.Blockers.Count);
            }

            windows.Add(readers.Stop());
            holder.Cancel(server);
            ThrowUnlessUnchanged(server, rows);
        }

        context.Say($"naive swap without a lock timeout behind the {options.BlockingQuery.TotalSeconds:0} s query");
        var naiveHolder = TableHolder.Start(server, options.BlockingQuery);
        var naiveReaders = context.Readers(rows);
        naiveReaders.Start();
        var naive = Stopwatch.StartNew();
        server.Execute(server.UnboundedSwapSql());
        var naiveSeconds = naive.Elapsed.TotalSeconds;
        var naiveStats = naiveReaders.Stop();
        naiveHolder.WaitForEnd();

        var ours = ReaderStats.Combine(windows);
        report.Paragraph($"Switch-Partition with `-LockWaitTimeout {Policy.LockWaitTimeout.TotalSeconds:0} -MaxAttempts {Policy.MaxAttempts}` and backoff from {Policy.InitialDelay.TotalSeconds:0} s, " +
            $"{options.Runs} runs; the readers are measured from just before the switch until it gives up (reader figures: median of the runs' p50 and p99, the largest max). " +
            $"The naive swap is `{server.UnboundedSwapSql().ReplaceLineEndings(" ").Trim()}` with the server's default lock wait, once.");
        report.Table(["Method", "Ended after", "Outcome", "Reads", "Reader p50", "Reader p99", "Reader max", "Errors", "Empty or partial", "Mixed"],
        [
            ["BatchDb Switch-Partition", $"{MarkdownReport.Seconds(Samples.Median(gaveUp))} (max {MarkdownReport.Seconds(gaveUp.Max())})",
                $"gave up, table unchanged; blockers named: {string.Join(", ", blockersNamed.Distinct())}", ours.Reads.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                MarkdownReport.Milliseconds(ours.P50Milliseconds), MarkdownReport.Milliseconds(ours.P99Milliseconds), MarkdownReport.Milliseconds(ours.MaxMilliseconds),
                ours.Errors.ToString(System.Globalization.CultureInfo.InvariantCulture), ours.EmptyOrPartial.ToString(System.Globalization.CultureInfo.InvariantCulture), ours.Mixed.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            ["naive swap, unbounded wait", MarkdownReport.Seconds(naiveSeconds), "swapped when the long query ended", naiveStats.Reads.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                MarkdownReport.Milliseconds(naiveStats.P50Milliseconds), MarkdownReport.Milliseconds(naiveStats.P99Milliseconds), MarkdownReport.Milliseconds(naiveStats.MaxMilliseconds),
                naiveStats.Errors.ToString(System.Globalization.CultureInfo.InvariantCulture), naiveStats.EmptyOrPartial.ToString(System.Globalization.CultureInfo.InvariantCulture), naiveStats.Mixed.ToString(System.Globalization.CultureInfo.InvariantCulture)],
        ]);
        report.Bullets(
        [
            $"The switch gave up after at most {MarkdownReport.Seconds(gaveUp.Max())} (budget {MarkdownReport.Seconds(budget.TotalSeconds)}: {MarkdownReport.Verdict(gaveUp.Max() <= budget.TotalSeconds)}).",
            $"Readers' p99 while it tried: {MarkdownReport.Milliseconds(ours.P99Milliseconds)} (target ≤ 1.2 s: {MarkdownReport.Verdict(ours.P99Milliseconds <= 1200)}); " +
                $"behind the unbounded swap their p99 was {MarkdownReport.Milliseconds(naiveStats.P99Milliseconds)} and their longest wait {MarkdownReport.Milliseconds(naiveStats.MaxMilliseconds)}.",
        ]);
    }

    private static TimeSpan Backoff(int attempt)
    {
        var delay = Policy.InitialDelay * Math.Pow(2, attempt - 1);
        return delay < Policy.MaxDelay ? delay : Policy.MaxDelay;
    }

    private static void ThrowUnlessUnchanged(BenchServer server, int rows)
    {
        var state = server.LiveState();
        if (state != (rows, "1"))
        {
            throw new InvalidOperationException($"After the switch gave up warehouse 1 holds {state.Rows} rows of version {state.Versions}; it should be unchanged ({rows} of version 1).");
        }
    }
}
