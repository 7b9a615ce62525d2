using System.Diagnostics;
using System.Globalization;
using BatchDb.Bench.Infrastructure;
using BatchDb.Bench.Measurement;
using BatchDb.Bench.Reporting;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.WorkTables;

namespace BatchDb.Bench.Scenarios;

/// <summary>
/// The seed's 10:00 burst: ten warehouses' files arrive together and each replaces its partition, while readers query
/// every warehouse. BatchDb in one pipeline and in a pipeline per warehouse, against the hand-written script; each run
/// loads the version that is not live.
/// </summary>
internal static class BurstBenchmark
{
    public const int Warehouses = 10;
    public const int RowsPerWarehouse = 100_000;

    public static async Task RunAsync(BenchContext context, MarkdownReport report)
    {
        var (server, options) = (context.Server, context.Options);
        report.Heading(3, $"{server.Name}: {Warehouses} warehouses × {MarkdownReport.Rows(RowsPerWarehouse)} rows under {options.Readers} readers");
        server.CreateBurstStock(Warehouses, StockCsv.Write(options.WorkDirectory, Enumerable.Range(1, Warehouses).ToList(), RowsPerWarehouse, '1'));
        for (var w = 1; w <= Warehouses; w++)
        {
            await WorkTableOperations.CreateAsync(context.Connection,
                new WorkTableRequest { Table = server.BurstTable, Partition = server.BurstPartition(w), WorkTable = server.BurstWorkTable(w) }, NullOperationLog.Instance, CancellationToken.None);
        }

        var provider = server.Provider.ToString();
        var pwshEnvironment = new Dictionary<string, string> { ["BATCHDB_BENCH_CONNECTION"] = server.ConnectionString };
        var handEnvironment = new Dictionary<string, string>(server.ClientEnvironment) { ["BENCH_CLIENT"] = server.ClientShell };
        var methods = new (string Name, Func<string, ExternalClient> Command)[]
        {
            ("BatchDb, one pipeline: concurrent Import-WorkTable into one Switch-Partition (bench/burst/one-pipeline.ps1)",
                list => new ExternalClient("dotnet", ["pwsh", "-NoProfile", "-NonInteractive", "-File", "bench/burst/one-pipeline.ps1", "-Provider", provider, "-Table", server.BurstTable, "-Warehouses", list], pwshEnvironment)),
            ("BatchDb, a pipeline per warehouse: Import-WorkTable piped to Switch-Partition in each runspace (bench/burst/pipeline-per-warehouse.ps1)",
                list => new ExternalClient("dotnet", ["pwsh", "-NoProfile", "-NonInteractive", "-File", "bench/burst/pipeline-per-warehouse.ps1", "-Provider", provider, "-Table", server.BurstTable, "-Warehouses", list], pwshEnvironment)),
            ($"Hand-written script: {server.ClientName} per warehouse, all at once ({server.BurstScript})",
                list => new ExternalClient("bash", [server.BurstScript, server.BurstTable, list], handEnvironment)),
        };

        var live = '1';
        var measured = methods.Select(_ => new Measured()).ToList();
        for (var run = 0; run < options.Runs; run++)
        {
            // Each round runs the methods in another order, so that none always follows the same one.
            for (var k = 0; k < methods.Length; k++)
            {
                var m = (k + run) % methods.Length;
                var next = live == '2' ? '3' : '2';
                var list = string.Join(';', Enumerable.Range(1, Warehouses).Select(w =>
                    $"{server.BurstPartition(w)}={server.BurstWorkTable(w)}={StockCsv.Write(options.WorkDirectory, [w], RowsPerWarehouse, next)}"));
                context.Say($"burst, run {run + 1}: {methods[m].Name}");
                var readers = new ReaderLoad(server, options.Readers, options.ReaderQueriesPerSecond, RowsPerWarehouse, Warehouses);
                readers.Start();
                var (elapsed, output) = methods[m].Command(list).RunWithOutput();
                measured[m].Seconds.Add(elapsed.TotalSeconds);
                if (double.TryParse(output.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var inside))
                {
                    measured[m].InsideSeconds.Add(inside);
                }

                measured[m].Windows.Add(readers.Stop());
                var state = server.BurstState();
                if (state.Count != Warehouses || state.Any(s => s.Rows != RowsPerWarehouse || s.Versions != next.ToString()))
                {
                    throw new InvalidOperationException($"{methods[m].Name} left {string.Join(", ", state.Select(s => $"warehouse {s.Warehouse}: {s.Rows} rows of version {s.Versions}"))}; " +
                        $"{RowsPerWarehouse} rows of version {next} in each of {Warehouses} were expected.");
                }

                live = next;
            }
        }

        var hand = Samples.Median(measured[^1].Seconds);
        var rows = new List<IReadOnlyList<string>>();
        for (var m = 0; m < methods.Length; m++)
        {
            var seen = ReaderStats.Combine(measured[m].Windows);
            rows.Add([methods[m].Name, MarkdownReport.Seconds(Samples.Median(measured[m].Seconds)),
                $"{MarkdownReport.Seconds(measured[m].Seconds.Min())} – {MarkdownReport.Seconds(measured[m].Seconds.Max())}",
                measured[m].InsideSeconds.Count == 0 ? "–" : MarkdownReport.Seconds(Samples.Median(measured[m].InsideSeconds)),
                MarkdownReport.Ratio(Samples.Median(measured[m].Seconds) / hand),
                measured[m].InsideSeconds.Count == 0 ? "–" : MarkdownReport.Ratio(Samples.Median(measured[m].InsideSeconds) / hand),
                $"{MarkdownReport.Milliseconds(seen.P99Milliseconds)} / {MarkdownReport.Milliseconds(seen.MaxMilliseconds)}",
                seen.Errors.ToString(CultureInfo.InvariantCulture), seen.EmptyOrPartial.ToString(CultureInfo.InvariantCulture), seen.Mixed.ToString(CultureInfo.InvariantCulture)]);
        }

        report.Table(["Method", "Process, median", "Min – max", "Inside pwsh, median", "Process ÷ hand script", "Inside pwsh ÷ hand script", "Reader p99 / max", "Errors", "Empty or partial", "Mixed"], rows);
        var onePipeline = Samples.Median(measured[0].InsideSeconds) / hand;
        var anomalies = measured.Take(2).Sum(m => ReaderStats.Combine(m.Windows).Anomalies);
        report.Bullets([
            $"One pipeline, from the script's first line (module import and connection included) to its last, took {MarkdownReport.Ratio(onePipeline)} the hand-written script's wall time " +
            $"(target ≤ 1.00×: {MarkdownReport.Verdict(onePipeline <= 1.0)}); with pwsh's own start, {MarkdownReport.Ratio(Samples.Median(measured[0].Seconds) / hand)}.",
            $"Readers saw {anomalies} errors, empty or partial and mixed reads during BatchDb's bursts (target 0: {MarkdownReport.Verdict(anomalies == 0)}).",
        ]);
        server.DropBurstStock(Warehouses);
    }

    private sealed class Measured
    {
        public List<double> Seconds { get; } = [];

        /// <summary>What the pwsh scripts measured themselves, from their first line to their last.</summary>
        public List<double> InsideSeconds { get; } = [];

        public List<ReaderStats> Windows { get; } = [];
    }
}
