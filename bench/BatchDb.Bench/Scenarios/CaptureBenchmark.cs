using System.Diagnostics;
using BatchDb.Bench.Infrastructure;
using BatchDb.Bench.Measurement;
using BatchDb.Bench.Reporting;
using BatchDb.Engine.Cdc;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Executions;

namespace BatchDb.Bench.Scenarios;

/// <summary>
/// Change capture from the PostgreSQL server into staging on each engine: a burst of inserts, then of updates, each
/// one source transaction, received by Receive-ChangeCapture's engine path (changes applied per second, the largest
/// managed heap seen while receiving); then the lag of a continuous receive while the source writes steadily.
/// </summary>
internal static class CaptureBenchmark
{
    private const string Capture = "bench";
    private const string SourceTable = "cdc_bench";
    private const string Staging = "cdc_bench_mirror";
    private const double TargetChangesPerSecond = 30_000;
    private const int LagChangesPerSecond = 5_000;
    private const int RowsPerLagTransaction = 10;
    private const long LargeDecodingMemory = 512L * 1024 * 1024;
    private static readonly TimeSpan LagWriting = TimeSpan.FromSeconds(20);

    public static async Task RunAsync(BenchContext source, BenchContext destination, MarkdownReport report)
    {
        var server = destination.Server;
        report.Heading(3, $"From PostgreSQL into {server.Name} staging (Mirror)");
        await BatchLedger.InitializeAsync(destination.Connection, CancellationToken.None);
        var rows = new List<IReadOnlyList<string>>();
        var targets = new List<string>();
        // Each decoding memory on fresh tables: a second UPDATE of every row would meet the first one's dead rows.
        foreach (var (size, decodingMemory) in destination.Options.Sizes.SelectMany(size => new long?[] { null, LargeDecodingMemory }.Select(m => (size, m))))
        {
            await CreateTablesAndCaptureAsync(source, destination);
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
                    var memory = decodingMemory is { } bytes ? $" with -DecodingMemory {bytes / (1024 * 1024)}MB" : string.Empty;
                    destination.Say($"capture: {size:N0}-row {name} burst{memory}");
                    var (elapsed, changes, peak) = await ReceiveAsync(source, destination, decodingMemory);
                    if (changes != size || check() != want)
                    {
                        throw new InvalidOperationException($"The {name} burst of {size:N0} rows arrived as {changes:N0} changes; staging has {check()}, expected {want}.");
                    }

                    var perSecond = changes / elapsed.TotalSeconds;
                    rows.Add([MarkdownReport.Rows(size), $"{name} of every row, one transaction", decodingMemory is null ? "server's (64 MB)" : memory[" with -DecodingMemory ".Length..],
                        MarkdownReport.Seconds(elapsed.TotalSeconds), $"{perSecond:N0}", $"{peak / (1024.0 * 1024):N0} MiB"]);
                    targets.Add($"{MarkdownReport.Rows(size)}-row {name} burst{memory}: {perSecond:N0} changes/s applied (target ≥ {TargetChangesPerSecond:N0}: {MarkdownReport.Verdict(perSecond >= TargetChangesPerSecond)}).");
                }
            }
            finally
            {
                await DropTablesAndCaptureAsync(source, destination);
            }
        }

        report.Table(["Rows", "Burst", "Decoding memory", "Receive-ChangeCapture", "Changes/s", "Peak managed heap"], rows);

        await CreateTablesAndCaptureAsync(source, destination);
        try
        {
            destination.Say($"capture: lag while the source writes {LagChangesPerSecond:N0} changes/s");
            var (lags, catchUp, written) = await LagAsync(source, destination);
            report.Paragraph($"Lag while the source commits {LagChangesPerSecond / RowsPerLagTransaction:N0} transactions of {RowsPerLagTransaction} rows per second " +
                $"for {LagWriting.TotalSeconds:N0} s ({written:N0} changes) and `Receive-ChangeCapture -Continuous` applies them; the lag is the time since the " +
                "newest row in staging was written at the source, sampled every 100 ms.");
            report.Table(["Lag p50", "Lag p99", "Lag max", "Back to zero after the source stops"],
                [[MarkdownReport.Milliseconds(Samples.Median(lags)), MarkdownReport.Milliseconds(Samples.Percentile(lags, 99)), MarkdownReport.Milliseconds(lags.Max()),
                  MarkdownReport.Seconds(catchUp.TotalSeconds)]]);
            targets.Add($"Lag back to zero {MarkdownReport.Seconds(catchUp.TotalSeconds)} after the source stops (target ≤ 5 s: {MarkdownReport.Verdict(catchUp.TotalSeconds <= 5)}).");
        }
        finally
        {
            await DropTablesAndCaptureAsync(source, destination);
        }

        report.Bullets(targets);
    }

    /// <summary>
    /// The source commits at a steady rate while a continuous receive runs; returns the lag samples (ms), the time
    /// from the source's last commit until staging holds every row, and the changes written.
    /// </summary>
    private static async Task<(List<double> Lags, TimeSpan CatchUp, long Written)> LagAsync(BenchContext source, BenchContext destination)
    {
        using var stopping = new CancellationTokenSource();
        var receiving = Task.Run(() => ChangeCaptures.ReceiveAsync(destination.Connection,
            new ReceiveRequest { Source = source.Connection, Name = Capture, Tables = [new TableMapping(null, Staging)], Continuous = true }, null, null, NullOperationLog.Instance, stopping.Token));
        var lags = new List<double>();
        var newest = destination.Server.Provider == Engine.Connections.DatabaseProvider.PostgreSql
            ? $"SELECT EXTRACT(EPOCH FROM clock_timestamp() - MAX(placed_at)) * 1000 FROM {Staging}"
            : $"SELECT TIMESTAMPDIFF(MICROSECOND, MAX(placed_at), UTC_TIMESTAMP(6)) / 1000 FROM {Staging}";
        var written = 0;
        using (var writer = source.Server.Open())
        {
            var clock = Stopwatch.StartNew();
            var nextSample = TimeSpan.Zero;
            var perTransaction = TimeSpan.FromSeconds((double)RowsPerLagTransaction / LagChangesPerSecond);
            while (clock.Elapsed < LagWriting)
            {
                BenchServer.Execute(writer, $"INSERT INTO {SourceTable} SELECT g, gen_random_uuid(), g, 'lag', clock_timestamp() FROM generate_series({written + 1}, {written + RowsPerLagTransaction}) g");
                written += RowsPerLagTransaction;
                if (clock.Elapsed >= nextSample)
                {
                    nextSample += TimeSpan.FromMilliseconds(100);
                    if (destination.Server.Scalar(newest) is { } lag and not DBNull)
                    {
                        lags.Add(Convert.ToDouble(lag, System.Globalization.CultureInfo.InvariantCulture));
                    }
                }

                var due = perTransaction * (written / RowsPerLagTransaction);
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }
            }
        }

        var stopped = Stopwatch.StartNew();
        while (destination.Server.Long($"SELECT COUNT(*) FROM {Staging}") < written && stopped.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(20);
        }

        var catchUp = stopped.Elapsed;
        await stopping.CancelAsync();
        try
        {
            await receiving;
        }
        catch (OperationCanceledException)
        {
            // The continuous receive ends by cancellation here; what it applied is committed.
        }

        return (lags, catchUp, written);
    }

    private static async Task CreateTablesAndCaptureAsync(BenchContext source, BenchContext destination)
    {
        var server = destination.Server;
        source.Server.Execute($"DROP TABLE IF EXISTS {SourceTable}; CREATE TABLE {SourceTable} (id int PRIMARY KEY, code uuid, amount numeric(15,2), note text, placed_at timestamptz)");
        server.Execute($"DROP TABLE IF EXISTS {Staging}");
        server.Execute(server.Provider == Engine.Connections.DatabaseProvider.PostgreSql
            ? $"CREATE TABLE {Staging} (id int PRIMARY KEY, code uuid, amount numeric(15,2), note text, placed_at timestamptz, batch_id bigint)"
            : $"CREATE TABLE {Staging} (id INT PRIMARY KEY, code CHAR(36), amount DECIMAL(15,2), note TEXT, placed_at DATETIME(6), batch_id BIGINT)");
        await RemoveCaptureAsync(source);
        await ChangeCaptures.CreateAsync(source.Connection, Capture, [SourceTable], null, CancellationToken.None);
    }

    private static async Task DropTablesAndCaptureAsync(BenchContext source, BenchContext destination)
    {
        await RemoveCaptureAsync(source);
        source.Server.Execute($"DROP TABLE IF EXISTS {SourceTable}");
        destination.Server.Execute($"DROP TABLE IF EXISTS {Staging}");
    }

    /// <summary>One drain of the capture, timed, with the managed heap sampled every 50 ms.</summary>
    private static async Task<(TimeSpan Elapsed, long Changes, long PeakHeap)> ReceiveAsync(BenchContext source, BenchContext destination, long? decodingMemory)
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
            new ReceiveRequest { Source = source.Connection, Name = Capture, Tables = [new TableMapping(null, Staging)], DecodingMemory = decodingMemory }, null, null, NullOperationLog.Instance, CancellationToken.None);
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
