using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using BatchDb.Bench.Infrastructure;
using BatchDb.Bench.Measurement;
using BatchDb.Bench.Reporting;
using BatchDb.Engine.Diagnostics;

namespace BatchDb.Bench.Scenarios;

/// <summary>
/// A CSV file into the empty work table: Import-WorkTable's engine path against the outside client's bulk load,
/// the seed's row-by-row INSERT and 1,000-row INSERTs, each in one transaction, into the same table.
/// </summary>
internal static class LoadBenchmark
{
    private const int RowsPerInsert = 1_000;

    public static async Task RunAsync(BenchContext context, MarkdownReport report)
    {
        var server = context.Server;
        var client = server.Provider == Engine.Connections.DatabaseProvider.PostgreSql ? "psql `\\copy … CSV`" : "mariadb `LOAD DATA LOCAL INFILE`";
        var clientTarget = server.Provider == Engine.Connections.DatabaseProvider.PostgreSql ? 1.05 : 1.0;
        report.Heading(3, $"{server.Name}: load into the empty work table");
        var targets = new List<string>();
        foreach (var rows in context.Options.Sizes)
        {
            await context.CreateStockAsync(rows);
            var csv = context.WarehouseOne(rows, '2');
            var methods = new (string Name, Func<Task<Timing>> Run)[]
            {
                ("BatchDb Import-WorkTable", () => ImportAsync(context, csv)),
                (client, () => Task.FromResult(new Timing(server.ClientLoad(server.WorkTable, csv).Run(), null))),
                ("row-by-row INSERT, one transaction", () => Task.FromResult(new Timing(InsertRowByRow(server, csv), null))),
                ($"{RowsPerInsert:N0}-row INSERTs, one transaction", () => Task.FromResult(new Timing(InsertMultiRow(server, csv), null))),
            };
            var timings = methods.Select(_ => new List<Timing>()).ToArray();
            for (var run = 0; run < context.Options.Runs; run++)
            {
                // The order rotates so that no method always runs first after the table was emptied.
                for (var k = 0; k < methods.Length; k++)
                {
                    var m = (k + run) % methods.Length;
                    server.TruncateWorkTable();
                    context.Say($"load {rows:N0} rows, run {run + 1}: {methods[m].Name}");
                    var timing = await methods[m].Run();
                    ThrowUnlessLoaded(server, rows);
                    timings[m].Add(timing);
                }
            }

            var ours = Samples.Median(timings[0].Select(t => t.Total.TotalSeconds));
            var loadStep = Samples.Median(timings[0].Select(t => t.LoadStep!.Value.TotalSeconds));
            var reference = Samples.Median(timings[1].Select(t => t.Total.TotalSeconds));
            var rowByRow = Samples.Median(timings[2].Select(t => t.Total.TotalSeconds));
            var multiRow = Samples.Median(timings[3].Select(t => t.Total.TotalSeconds));
            report.Table(["Rows", "Method", "Median", "Min – max", "Rows/s", "Time ÷ BatchDb's"],
            [
                Row(rows, methods[0].Name + " (whole: load, checks, ANALYZE)", timings[0].Select(t => t.Total.TotalSeconds).ToList(), ours),
                Row(rows, "… of which the COPY / LOAD DATA step", timings[0].Select(t => t.LoadStep!.Value.TotalSeconds).ToList(), ours),
                Row(rows, client, timings[1].Select(t => t.Total.TotalSeconds).ToList(), ours),
                Row(rows, methods[2].Name, timings[2].Select(t => t.Total.TotalSeconds).ToList(), ours),
                Row(rows, methods[3].Name, timings[3].Select(t => t.Total.TotalSeconds).ToList(), ours),
            ]);

            var whole = ours / reference;
            var step = loadStep / reference;
            targets.Add($"{MarkdownReport.Rows(rows)} rows: Import-WorkTable takes {MarkdownReport.Ratio(whole)} {server.ClientName}'s time " +
                $"(target ≤ {MarkdownReport.Ratio(clientTarget)}: {MarkdownReport.Verdict(whole <= clientTarget)}); its load step alone {MarkdownReport.Ratio(step)}" +
                (whole > clientTarget && step <= clientTarget
                    ? $". The difference is the work {server.ClientName} does not do: {ChecksAfterLoad(server)} ({MarkdownReport.Seconds(ours - loadStep)} in all)"
                    : string.Empty) + ".");
            targets.Add($"{MarkdownReport.Rows(rows)} rows: row-by-row INSERT takes {MarkdownReport.Ratio(rowByRow / ours)} Import-WorkTable's time " +
                $"(expected ≥ 30×: {MarkdownReport.Verdict(rowByRow / ours >= 30)}); {RowsPerInsert:N0}-row INSERTs {MarkdownReport.Ratio(multiRow / ours)} (expected ≥ 3×: {MarkdownReport.Verdict(multiRow / ours >= 3)}).");
        }

        report.Bullets(targets);
    }

    private static string ChecksAfterLoad(BenchServer server) => server.Provider == Engine.Connections.DatabaseProvider.PostgreSql
        ? "the live partition's row count for -MinimumRowRatio and ANALYZE of the work table (rows outside the partition are refused during COPY by the work table's CHECK constraint, " +
          "and the load step itself ends with a count of the loaded rows, because Npgsql's text import does not return COPY's row count)"
        : "the scan for rows outside the partition, the live partition's row count for -MinimumRowRatio, and ANALYZE of the work table";

    private static string[] Row(int rows, string method, List<double> seconds, double ours)
    {
        var median = Samples.Median(seconds);
        return [MarkdownReport.Rows(rows), method, MarkdownReport.Seconds(median), $"{MarkdownReport.Seconds(seconds.Min())} – {MarkdownReport.Seconds(seconds.Max())}",
            (rows / median).ToString("N0", CultureInfo.InvariantCulture), MarkdownReport.Ratio(median / ours)];
    }

    private static async Task<Timing> ImportAsync(BenchContext context, string csv)
    {
        var clock = new LoadStepClock();
        var stopwatch = Stopwatch.StartNew();
        await context.ImportAsync(csv, clock);
        return new Timing(stopwatch.Elapsed, clock.LoadStep);
    }

    private static void ThrowUnlessLoaded(BenchServer server, int rows)
    {
        var loaded = server.Long($"SELECT COUNT(*) FROM {server.WorkTable} WHERE VER_ID = '2'");
        if (loaded != rows)
        {
            throw new InvalidOperationException($"{server.WorkTable} holds {loaded} rows of version 2 after the load; {rows} were expected.");
        }
    }

    /// <summary>The seed's way: one parameterised INSERT per line, all in one transaction.</summary>
    private static TimeSpan InsertRowByRow(BenchServer server, string csv)
    {
        using var connection = server.Open();
        var stopwatch = Stopwatch.StartNew();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {server.WorkTable} (STOCKHOUSE_ID, ITEM_ID, AMOUNT, VER_ID, UPD_DTTM) VALUES (@p0, @p1, @p2, @p3, @p4)";
        var parameters = new[] { Parameter(command, "@p0", System.Data.DbType.Int32), Parameter(command, "@p1", System.Data.DbType.String), Parameter(command, "@p2", System.Data.DbType.Int32), Parameter(command, "@p3", System.Data.DbType.String), Parameter(command, "@p4", Timestamp(server)) };
        command.Prepare();
        foreach (var line in File.ReadLines(csv))
        {
            var fields = StockCsv.Fields(line);
            parameters[0].Value = int.Parse(fields[0], CultureInfo.InvariantCulture);
            parameters[1].Value = fields[1];
            parameters[2].Value = int.Parse(fields[2], CultureInfo.InvariantCulture);
            parameters[3].Value = fields[3];
            parameters[4].Value = DateTime.Parse(fields[4], CultureInfo.InvariantCulture);
            command.ExecuteNonQuery();
        }

        transaction.Commit();
        return stopwatch.Elapsed;
    }

    /// <summary>The type of UPD_DTTM: timestamp without time zone is DateTime2 to Npgsql, DATETIME is DateTime to MySqlConnector.</summary>
    private static System.Data.DbType Timestamp(BenchServer server) =>
        server.Provider == Engine.Connections.DatabaseProvider.PostgreSql ? System.Data.DbType.DateTime2 : System.Data.DbType.DateTime;

    private static DbParameter Parameter(DbCommand command, string name, System.Data.DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>Naive batching: INSERT … VALUES with 1,000 rows of literals per statement, all in one transaction.</summary>
    private static TimeSpan InsertMultiRow(BenchServer server, string csv)
    {
        using var connection = server.Open();
        var stopwatch = Stopwatch.StartNew();
        using var transaction = connection.BeginTransaction();
        var head = $"INSERT INTO {server.WorkTable} (STOCKHOUSE_ID, ITEM_ID, AMOUNT, VER_ID, UPD_DTTM) VALUES ";
        var sql = new StringBuilder(head);
        var rows = 0;
        foreach (var line in File.ReadLines(csv))
        {
            sql.Append(rows == 0 ? "(" : ",(").AppendJoin(',', StockCsv.Fields(line).Select(f => "'" + f + "'")).Append(')');
            if (++rows == RowsPerInsert)
            {
                Execute(connection, transaction, sql.ToString());
                sql.Clear().Append(head);
                rows = 0;
            }
        }

        if (rows > 0)
        {
            Execute(connection, transaction, sql.ToString());
        }

        transaction.Commit();
        return stopwatch.Elapsed;
    }

    private static void Execute(DbConnection connection, DbTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 0;
        command.ExecuteNonQuery();
    }

    private sealed record Timing(TimeSpan Total, TimeSpan? LoadStep);

    /// <summary>Times the import's load step: from its first "Loading" progress report to the first report of another step.</summary>
    private sealed class LoadStepClock : IProgress<OperationProgress>
    {
        private long _loadStarted, _loadEnded;

        public TimeSpan LoadStep => Stopwatch.GetElapsedTime(_loadStarted, _loadEnded);

        public void Report(OperationProgress value)
        {
            var now = Stopwatch.GetTimestamp();
            var loading = value.Status.StartsWith("Loading", StringComparison.Ordinal);
            if (loading && _loadStarted == 0)
            {
                _loadStarted = now;
            }
            else if (!loading && _loadStarted != 0 && _loadEnded == 0)
            {
                _loadEnded = now;
            }
        }
    }
}
