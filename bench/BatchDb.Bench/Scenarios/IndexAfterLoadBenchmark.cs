using System.Diagnostics;
using System.Globalization;
using BatchDb.Bench.Infrastructure;
using BatchDb.Bench.Measurement;
using BatchDb.Bench.Reporting;
using BatchDb.Engine.WorkTables;

namespace BatchDb.Bench.Scenarios;

/// <summary>
/// Import-WorkTable with the work table's indexes built after the load against the same import keeping them up to date
/// row by row, and against the outside client loading into the indexed work table; files in key order and shuffled.
/// </summary>
internal static class IndexAfterLoadBenchmark
{
    public static async Task RunAsync(BenchContext context, MarkdownReport report)
    {
        var server = context.Server;
        var postgres = server.Provider == Engine.Connections.DatabaseProvider.PostgreSql;
        var client = postgres ? "psql `\\copy … CSV`" : "mariadb `LOAD DATA LOCAL INFILE`";
        var target = postgres ? 0.9 : 0.85;
        report.Heading(3, $"{server.Name}: index after load");
        var rows = new List<string[]>();
        var targets = new List<string>();
        foreach (var size in context.Options.Sizes)
        {
            await context.CreateStockAsync(size);
            foreach (var shuffled in new[] { false, true })
            {
                var order = shuffled ? "shuffled" : "key order";
                var csv = StockCsv.Write(context.Options.WorkDirectory, [1], size, '2', shuffled);
                var methods = new (string Name, Func<TimeSpan> Run)[]
                {
                    ("Import-WorkTable, indexes built after the load", () => Import(context, csv, 0)),
                    ("Import-WorkTable, indexes kept during the load", () => Import(context, csv, long.MaxValue)),
                    ($"{client} into the indexed work table", () => server.ClientLoad(server.WorkTable, csv).Run()),
                };
                var seconds = methods.Select(_ => new List<double>()).ToArray();
                for (var run = 0; run < context.Options.Runs; run++)
                {
                    for (var k = 0; k < methods.Length; k++)
                    {
                        var m = (k + run) % methods.Length;
                        server.TruncateWorkTable();
                        context.Say($"index after load, {size:N0} rows {order}, run {run + 1}: {methods[m].Name}");
                        seconds[m].Add(methods[m].Run().TotalSeconds);
                        ThrowUnlessIndexed(server, size);
                    }
                }

                var reference = Samples.Median(seconds[2]);
                for (var m = 0; m < methods.Length; m++)
                {
                    var median = Samples.Median(seconds[m]);
                    rows.Add([MarkdownReport.Rows(size), order, methods[m].Name, MarkdownReport.Seconds(median),
                        $"{MarkdownReport.Seconds(seconds[m].Min())} – {MarkdownReport.Seconds(seconds[m].Max())}", MarkdownReport.Ratio(median / reference)]);
                }

                var after = Samples.Median(seconds[0]) / reference;
                var kept = Samples.Median(seconds[1]) / reference;
                var chosen = new FileInfo(csv).Length >= WorkTableOperations.IndexAfterLoadBytes ? after : kept;
                targets.Add($"{MarkdownReport.Rows(size)} rows, {order}: indexes after the load {MarkdownReport.Ratio(after)} {server.ClientName}'s time, kept during it " +
                    $"{MarkdownReport.Ratio(kept)}; Import-WorkTable chooses " +
                    (chosen == after ? "after" : "during") + $" at this size ({MarkdownReport.Bytes(new FileInfo(csv).Length)}, threshold {MarkdownReport.Bytes(WorkTableOperations.IndexAfterLoadBytes)})" +
                    (size >= 1_000_000 ? $" (target ≤ {MarkdownReport.Ratio(target)}: {MarkdownReport.Verdict(chosen <= target)})." : "."));
            }
        }

        report.Table(["Rows", "File", "Method", "Median", "Min – max", $"Time ÷ {server.ClientName}'s"], rows);
        report.Bullets(targets);
    }

    private static TimeSpan Import(BenchContext context, string csv, long indexAfterLoadBytes)
    {
        var stopwatch = Stopwatch.StartNew();
        context.ImportAsync(csv, null, indexAfterLoadBytes).GetAwaiter().GetResult();
        return stopwatch.Elapsed;
    }

    /// <summary>Every row of version 2 is in, and the work table has all its indexes again (as many as the live table).</summary>
    private static void ThrowUnlessIndexed(BenchServer server, int rows)
    {
        var loaded = server.Long($"SELECT COUNT(*) FROM {server.WorkTable} WHERE VER_ID = '2'");
        var (work, live) = server.IndexCounts();
        if (loaded != rows || work != live)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{server.WorkTable} holds {loaded} rows of version 2 and {work} indexes after the load; {rows} rows and {live} indexes were expected."));
        }
    }
}
