using System.Diagnostics;
using BatchDb.Bench.Reporting;
using BatchDb.Engine.Cdc;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Executions;

namespace BatchDb.Bench.Scenarios;

/// <summary>
/// Change capture from the PostgreSQL server into staging on each engine: a burst of inserts, then of updates, each
/// one source transaction, received by Receive-ChangeCapture's engine path; changes applied per second and the
/// largest managed heap seen while receiving.
/// </summary>
internal static class CaptureBenchmark
{
    private const string Capture = "bench";
    private const string SourceTable = "cdc_bench";
    private const string Staging = "cdc_bench_mirror";
    private const double TargetChangesPerSecond = 30_000;

    public static async Task RunAsync(BenchContext source, BenchContext destination, MarkdownReport report)
    {
        var server = destination.Server;
        report.Heading(3, $"From PostgreSQL into {server.Name} staging (Mirror)");
        await BatchLedger.InitializeAsync(destination.Connection, CancellationToken.None);
        var rows = new List<IReadOnlyList<string>>();
        var targets = new List<string>();
        foreach (var size in destination.Options.Sizes)
        {
            source.Server.Execute($"DROP TABLE IF EXISTS {SourceTable}; CREATE TABLE {SourceTable} (id int PRIMARY KEY, code uuid, amount numeric(15,2), note text, placed_at timestamptz)");
            server.Execute($"DROP TABLE IF EXISTS {Staging}");
            server.Execute(server.Provider == Engine.Connections.DatabaseProvider.PostgreSql
                ? $"CREATE TABLE {Staging} (id int PRIMARY KEY, code uuid, amount numeric(15,2), note text, placed_at timestamptz, batch_id bigint)"
                : $"CREATE TABLE {Staging} (id INT PRIMARY KEY, code CHAR(36), amount DECIMAL(15,2), note TEXT, placed_at DATETIME(6), batch_id BIGINT)");
            await RemoveCaptureAsync(source);
            await ChangeCaptures.CreateAsync(source.Connection, Capture, SourceTable, CancellationToken.None);
            try
            {
                var bursts = new (string Name, string Sql, Func<string> Check, string Expected)[]
                {
                    ("INSERT", $"INSERT INTO {SourceTable} SELECT g, gen_random_uuid(), g * 1.25, '注文 ' || g, now() FROM generate_series(1, {size}) g",
                        () => server.Long($"SELECT COUNT(*) FROM {Staging}").ToString(System.Globalization.CultureInfo.InvariantCulture), size.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    ("UPDATE", $"UPDATE {SourceTable} SET amount = amount + 1",
                        () => server.Scalar($"SELECT SUM(amount) FROM {Staging}")?.ToString() ?? string.Empty, string.Empty),
                };
                foreach (var (name, sql, check, expected) in bursts)
                {
                    source.Server.Execute(sql);
                    var want = expected.Length > 0 ? expected : source.Server.Scalar($"SELECT SUM(amount) FROM {SourceTable}")?.ToString() ?? string.Empty;
                    destination.Say($"capture: {size:N0}-row {name} burst");
                    var (elapsed, changes, peak) = await ReceiveAsync(source, destination);
                    if (changes != size || check() != want)
                    {
                        throw new InvalidOperationException($"The {name} burst of {size:N0} rows arrived as {changes:N0} changes; staging has {check()}, expected {want}.");
                    }

                    var perSecond = changes / elapsed.TotalSeconds;
                    rows.Add([MarkdownReport.Rows(size), $"{name} of every row, one transaction", MarkdownReport.Seconds(elapsed.TotalSeconds),
                        $"{perSecond:N0}", $"{peak / (1024.0 * 1024):N0} MiB"]);
                    targets.Add($"{MarkdownReport.Rows(size)}-row {name} burst: {perSecond:N0} changes/s applied (target ≥ {TargetChangesPerSecond:N0}: {MarkdownReport.Verdict(perSecond >= TargetChangesPerSecond)}).");
                }
            }
            finally
            {
                await RemoveCaptureAsync(source);
                source.Server.Execute($"DROP TABLE IF EXISTS {SourceTable}");
                server.Execute($"DROP TABLE IF EXISTS {Staging}");
            }
        }

        report.Table(["Rows", "Burst", "Receive-ChangeCapture", "Changes/s", "Peak managed heap"], rows);
        report.Bullets(targets);
    }

    /// <summary>One drain of the capture, timed, with the managed heap sampled every 50 ms.</summary>
    private static async Task<(TimeSpan Elapsed, long Changes, long PeakHeap)> ReceiveAsync(BenchContext source, BenchContext destination)
    {
        GC.Collect();
        long peak = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(false));
                await Task.Delay(50, CancellationToken.None);
            }
        });
        var clock = Stopwatch.StartNew();
        var receipt = await ChangeCaptures.ReceiveAsync(destination.Connection,
            new ReceiveRequest { Source = source.Connection, Name = Capture, Table = Staging }, null, null, NullOperationLog.Instance, CancellationToken.None);
        var elapsed = clock.Elapsed;
        await sampling.CancelAsync();
        await sampler;
        return (elapsed, receipt.Changes, peak);
    }

    private static async Task RemoveCaptureAsync(BenchContext source)
    {
        if ((await ChangeCaptures.GetAsync(source.Connection, Capture, CancellationToken.None)).Count > 0)
        {
            await ChangeCaptures.RemoveAsync(source.Connection, Capture, CancellationToken.None);
        }
    }
}
