using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BatchDb.Bench.Infrastructure;
using BatchDb.Bench.Measurement;
using BatchDb.Bench.Reporting;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Executions;
using BatchDb.Engine.Extracts;

namespace BatchDb.Bench.Scenarios;

/// <summary>
/// Copy-BatchData's engine path in the four directions between the two servers, each against the pipe an operator
/// would build by hand (pgloader for MariaDB into PostgreSQL, a psql COPY pipe, a mariadb --batch pipe into LOAD DATA,
/// psql COPY into LOAD DATA), into an unindexed staging table. Every copy is compared row for row with the source.
/// </summary>
internal static class ExtractBenchmark
{
    private const string Source = "bench_orders";
    private const string Staging = "bench_orders_stage";
    private static readonly DateTime Start = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Unspecified);

    public static async Task RunAsync(BenchContext postgres, BenchContext mariadb, MarkdownReport report)
    {
        var contexts = new[] { mariadb, postgres };
        foreach (var context in contexts)
        {
            await BatchLedger.InitializeAsync(context.Connection, CancellationToken.None);
        }

        var directions = new (BenchContext From, BenchContext To, string Reference, double Target, Func<int, ExternalClient> Pipe)[]
        {
            (mariadb, postgres, "pgloader (`WITH data only`)", 0.8, _ => Pgloader(mariadb.Server, postgres.Server)),
            (postgres, postgres, "psql `\\copy (SELECT …) TO STDOUT` \\| psql `\\copy … FROM STDIN`", 1.0,
                _ => Shell(postgres.Server, postgres.Server, $"{postgres.Server.ClientShell} -c '\\copy (SELECT * FROM {Source}) TO STDOUT CSV' | {postgres.Server.ClientShell} -c '\\copy {Staging} FROM STDIN CSV'")),
            (mariadb, mariadb, "mariadb `--batch -e SELECT` \\| mariadb `LOAD DATA LOCAL`", 1.0,
                _ => Shell(mariadb.Server, mariadb.Server, $"{mariadb.Server.ClientShell} --batch --quick -N -e 'SELECT * FROM {Source}' | {mariadb.Server.ClientShell} -e \"LOAD DATA LOCAL INFILE '/dev/stdin' INTO TABLE {Staging} CHARACTER SET utf8mb4\"")),
            (postgres, mariadb, "psql `\\copy (SELECT …) TO STDOUT` \\| mariadb `LOAD DATA LOCAL`", 1.0,
                _ => Shell(postgres.Server, mariadb.Server, $"{postgres.Server.ClientShell} -c '\\copy (SELECT * FROM {Source}) TO STDOUT CSV' | {mariadb.Server.ClientShell} -e \"LOAD DATA LOCAL INFILE '/dev/stdin' INTO TABLE {Staging} CHARACTER SET utf8mb4 FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\\\"' ESCAPED BY ''\"")),
        };

        var rows = new List<string[]>();
        var targets = new List<string>();
        foreach (var size in postgres.Options.Sizes)
        {
            var csv = WriteOrders(postgres.Options.WorkDirectory, size);
            foreach (var context in contexts)
            {
                CreateTables(context.Server, csv);
            }

            var expected = Digest(postgres.Server, Source);
            if (Digest(mariadb.Server, Source) != expected)
            {
                throw new InvalidOperationException($"The two source tables of {size:N0} rows differ; the comparison would mean nothing.");
            }

            foreach (var (from, to, reference, target, pipe) in directions)
            {
                var direction = $"{from.Server.Name} → {to.Server.Name}";
                var methods = new (string Name, Func<Task<(TimeSpan Elapsed, long PeakHeap)>> Run)[]
                {
                    ("BatchDb Copy-BatchData", () => CopyAsync(from, to)),
                    (reference, () => Task.FromResult((pipe(size).Run(), -1L))),
                };
                var seconds = methods.Select(_ => new List<double>()).ToArray();
                long peak = 0;
                for (var run = 0; run < postgres.Options.Runs; run++)
                {
                    for (var k = 0; k < methods.Length; k++)
                    {
                        var m = (k + run) % methods.Length;
                        to.Server.Execute($"TRUNCATE TABLE {Staging}");
                        to.Server.BeforeMeasuredWrite();
                        to.Say($"extract {direction}, {size:N0} rows, run {run + 1}: {methods[m].Name}");
                        var (elapsed, heap) = await methods[m].Run();
                        seconds[m].Add(elapsed.TotalSeconds);
                        peak = Math.Max(peak, heap);
                        if (Digest(to.Server, Staging) != expected)
                        {
                            throw new InvalidOperationException($"{methods[m].Name} {direction} did not copy the {size:N0} rows exactly.");
                        }
                    }
                }

                var ours = Samples.Median(seconds[0]);
                var theirs = Samples.Median(seconds[1]);
                rows.Add([MarkdownReport.Rows(size), direction, methods[0].Name, MarkdownReport.Seconds(ours),
                    $"{MarkdownReport.Seconds(seconds[0].Min())} – {MarkdownReport.Seconds(seconds[0].Max())}", (size / ours).ToString("N0", CultureInfo.InvariantCulture),
                    $"{peak / (1024.0 * 1024):N0} MiB", "1.00×"]);
                rows.Add([MarkdownReport.Rows(size), direction, reference, MarkdownReport.Seconds(theirs),
                    $"{MarkdownReport.Seconds(seconds[1].Min())} – {MarkdownReport.Seconds(seconds[1].Max())}", (size / theirs).ToString("N0", CultureInfo.InvariantCulture),
                    "–", MarkdownReport.Ratio(theirs / ours)]);
                targets.Add($"{MarkdownReport.Rows(size)} rows {direction}: Copy-BatchData takes {MarkdownReport.Ratio(ours / theirs)} the time of {reference} " +
                    $"(target ≤ {MarkdownReport.Ratio(target)}: {MarkdownReport.Verdict(ours / theirs <= target)}).");
                to.Server.Execute($"TRUNCATE TABLE {Staging}");
            }
        }

        report.Table(["Rows", "Direction", "Method", "Median", "Min – max", "Rows/s", "Peak managed heap", "Time ÷ BatchDb's"], rows);
        report.Bullets(targets);
        foreach (var context in contexts)
        {
            context.Server.Execute($"DROP TABLE IF EXISTS {Staging}; DROP TABLE IF EXISTS {Source}");
        }
    }

    /// <summary>Copy-BatchData's engine path over the whole table (-From before the first row), with the largest managed heap seen.</summary>
    private static async Task<(TimeSpan Elapsed, long PeakHeap)> CopyAsync(BenchContext from, BenchContext to)
    {
        var request = new CopyRequest { Source = from.Connection, SourceTable = Source, Table = Staging, WatermarkColumn = "updated_at", BatchIdColumn = null, From = Start.AddDays(-1) };
        long peak = 0;
        using var done = new CancellationTokenSource();
        var watch = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(false));
                await Task.Delay(10, CancellationToken.None);
            }
        });
        var stopwatch = Stopwatch.StartNew();
        await BatchExtract.CopyAsync(to.Connection, request, null, null, NullOperationLog.Instance, CancellationToken.None);
        stopwatch.Stop();
        await done.CancelAsync();
        await watch;
        return (stopwatch.Elapsed, peak);
    }

    /// <summary>The orders of the seed's online database: UUIDs, DECIMAL, timestamps to the microsecond, text with Japanese, quotes and commas.</summary>
    private static string WriteOrders(string directory, int rows)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"orders_{rows}.csv");
        if (File.Exists(path))
        {
            return path;
        }

        var statuses = new[] { "paid", "shipped", "発送済み", "on \"hold\", waiting" };
        using (var writer = new StreamWriter(path + ".partial", false, new UTF8Encoding(false), 1 << 20))
        {
            for (var i = 0; i < rows; i++)
            {
                var created = Start.AddMilliseconds(i * 7L).AddTicks(i % 1000 * 10);
                writer.Write(string.Create(CultureInfo.InvariantCulture,
                    $"{Id(i, 1)},{Id(i / 3, 2)},{i * 37L % 10_000_000 / 100m:F2},{Csv(statuses[i % statuses.Length])},{Csv($"注文 {i}: \"gift\", wrap")},{created:yyyy-MM-dd HH:mm:ss.ffffff},{created.AddSeconds(i % 90):yyyy-MM-dd HH:mm:ss.ffffff}\n"));
            }
        }

        File.Move(path + ".partial", path, overwrite: true);
        return path;
    }

    private static string Id(int n, byte kind)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, (long)n * 2_654_435_761L);
        bytes[8] = kind;
        BitConverter.TryWriteBytes(bytes[9..], n);
        return new Guid(bytes).ToString();
    }

    private static string Csv(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static void CreateTables(BenchServer server, string csv)
    {
        var postgres = server.Provider == Engine.Connections.DatabaseProvider.PostgreSql;
        var columns = postgres
            ? "id uuid, user_id uuid, amount numeric(15,2), status varchar(50), note text, created_at timestamp(6), updated_at timestamp(6)"
            : "id CHAR(36), user_id CHAR(36), amount DECIMAL(15,2), status VARCHAR(50), note TEXT, created_at DATETIME(6), updated_at DATETIME(6)";
        var options = postgres ? string.Empty : " CHARACTER SET utf8mb4";
        server.Execute($"DROP TABLE IF EXISTS {Staging}; DROP TABLE IF EXISTS {Source}");
        server.Execute($"CREATE TABLE {Source} ({columns}, PRIMARY KEY (id)){options}; CREATE TABLE {Staging} ({columns}){options}");
        (postgres
            ? server.ClientLoad(Source, csv)
            : Shell(server, server, $"{server.ClientShell} -e \"LOAD DATA LOCAL INFILE '{csv}' INTO TABLE {Source} CHARACTER SET utf8mb4 FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\\\"' ESCAPED BY ''\"")).Run();
        // As the watermark column of a table read incrementally has: the window's upper bound, MAX(updated_at), is then a look-up, not a scan.
        server.Execute($"CREATE INDEX {Source}_updated_at ON {Source} (updated_at)");
        server.Execute(postgres ? $"VACUUM ANALYZE {Source}" : $"ANALYZE TABLE {Source}");
    }

    /// <summary>
    /// The table's rows as a multiset: the sum of a hash of each row's values in one text form (ids in lower case,
    /// amounts with two decimals, times to the microsecond), so the order rows come in does not matter.
    /// </summary>
    private static (long Rows, ulong Sum) Digest(BenchServer server, string table)
    {
        using var connection = server.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id, user_id, amount, status, note, created_at, updated_at FROM {table}";
        command.CommandTimeout = 0;
        using var reader = command.ExecuteReader();
        var text = new StringBuilder();
        long rows = 0;
        ulong sum = 0;
        while (reader.Read())
        {
            text.Clear();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                text.Append(Canonical(reader, i)).Append('\t');
            }

            sum += BitConverter.ToUInt64(MD5.HashData(Encoding.UTF8.GetBytes(text.ToString())));
            rows++;
        }

        return (rows, sum);
    }

    private static string Canonical(DbDataReader reader, int i) => reader.IsDBNull(i) ? "\\N" : reader.GetValue(i) switch
    {
        Guid g => g.ToString(),
        string s => s.Length == 36 && Guid.TryParse(s, out var g) ? g.ToString() : s,
        decimal d => d.ToString("F2", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        var other => Convert.ToString(other, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private static ExternalClient Shell(BenchServer from, BenchServer to, string pipeline) =>
        new("bash", ["-o", "pipefail", "-c", pipeline], from.ClientEnvironment.Concat(to.ClientEnvironment).DistinctBy(e => e.Key).ToDictionary(e => e.Key, e => e.Value));

    /// <summary>pgloader from MariaDB's orders into PostgreSQL's staging table, data only (the table exists, unindexed).</summary>
    private static ExternalClient Pgloader(BenchServer mariadb, BenchServer postgres)
    {
        var database = mariadb.Url[(mariadb.Url.LastIndexOf('/') + 1)..];
        var command = Path.Combine(Path.GetTempPath(), "batchdb-bench-pgloader.load");
        File.WriteAllText(command, $"""
            LOAD DATABASE
              FROM {mariadb.Url}
              INTO {postgres.Url}
              WITH data only, workers = 2, concurrency = 1
              INCLUDING ONLY TABLE NAMES MATCHING '{Source}'
              ALTER TABLE NAMES MATCHING '{Source}' RENAME TO '{Staging}'
              ALTER SCHEMA '{database}' RENAME TO 'public';
            """);
        return new ExternalClient("pgloader", ["--quiet", command], new Dictionary<string, string>());
    }
}
