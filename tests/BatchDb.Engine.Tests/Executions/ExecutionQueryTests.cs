using BatchDb.Engine.Connections;
using BatchDb.Engine.Executions;
using BatchDb.Engine.Tests.Infrastructure;

namespace BatchDb.Engine.Tests.Executions;

/// <summary>
/// Get-BatchExecution's and Get-BatchStatistic's engine queries over a ledger filled with known runs. Times are
/// written as UTC and must come back as the same instants in the local time zone (the test run sets TZ).
/// </summary>
public sealed class ExecutionQueryTests
{
    [EngineTheory]
    [BothEngines]
    public async Task Executions_are_filtered_by_name_status_time_running_last_and_id(DatabaseProvider provider)
    {
        await using var ledger = await TestLedger.CreateAsync(provider);
        await FillAsync(ledger);

        Assert.Equal(new long[] { 1, 2, 7, 3 }, await IdsAsync(ledger, new ExecutionQuery { Name = "stock-s01" }));
        Assert.Equal(new long[] { 1, 2, 7, 3, 4, 5 }, await IdsAsync(ledger, new ExecutionQuery { Name = "stock-*" }));
        Assert.Equal(new long[] { 1, 2, 7, 3, 4, 5 }, await IdsAsync(ledger, new ExecutionQuery { Name = "stock-s0?" }));
        Assert.Empty(await IdsAsync(ledger, new ExecutionQuery { Name = "stock_s01" }));
        Assert.Equal(new long[] { 3 }, await IdsAsync(ledger, new ExecutionQuery { Status = [ExecutionStatus.Failed] }));
        Assert.Equal(new long[] { 6, 1, 2, 7, 4 }, await IdsAsync(ledger, new ExecutionQuery { Status = [ExecutionStatus.Succeeded, ExecutionStatus.TimedOut] }));
        Assert.Equal(new long[] { 2, 7 }, await IdsAsync(ledger, new ExecutionQuery { Since = Utc("2026-11-16 00:00:00"), Until = Utc("2026-11-17 00:00:00") }));
        Assert.Equal(new long[] { 5 }, await IdsAsync(ledger, new ExecutionQuery { Running = true }));
        Assert.Equal(new long[] { 4, 5 }, await IdsAsync(ledger, new ExecutionQuery { Last = 2 }));
        Assert.Equal(new long[] { 6, 2 }, await IdsAsync(ledger, new ExecutionQuery { ExecutionIds = [2, 6, 99] }));

        var all = await BatchLedger.GetExecutionsAsync(ledger.Connection, new ExecutionQuery(), CancellationToken.None);
        var first = all.Single(e => e.ExecutionId == 1);
        Assert.Equal(Utc("2026-11-15 01:00:00"), first.StartTime);
        Assert.Equal(new DateTime(2026, 11, 15, 1, 0, 0, DateTimeKind.Utc), first.StartTime.UtcDateTime);
        Assert.Equal(TimeZoneInfo.Local.GetUtcOffset(first.StartTime.UtcDateTime), first.StartTime.Offset);
        Assert.Equal(TimeSpan.FromSeconds(10), first.Duration);
        Assert.Equal(100, first.RecordsProcessed);
        var step = all.Single(e => e.ExecutionId == 7);
        Assert.Equal(2, step.ParentId);
        Assert.Equal("Import-WorkTable", step.Operation);
        var running = all.Single(e => e.ExecutionId == 5);
        Assert.Null(running.EndTime);
        Assert.True(running.Duration > DateTimeOffset.UtcNow - Utc("2026-11-17 03:00:00") - TimeSpan.FromMinutes(1));
        Assert.Equal("bad file", all.Single(e => e.ExecutionId == 3).ErrorMessage);
    }

    [EngineTheory]
    [BothEngines]
    public async Task Statistics_count_runs_per_batch_over_the_window(DatabaseProvider provider)
    {
        await using var ledger = await TestLedger.CreateAsync(provider);
        await FillAsync(ledger);

        var statistics = await BatchLedger.GetStatisticsAsync(ledger.Connection, null, Utc("2026-11-14 00:00:00"), Utc("2026-11-18 00:00:00"), CancellationToken.None);

        Assert.Equal(["stock-s01", "stock-s02"], statistics.Select(s => s.BatchName));
        var s01 = statistics[0];
        Assert.Equal((3L, 2L, 1L, 0L), (s01.Executions, s01.Succeeded, s01.Failed, s01.Running));
        Assert.Equal(TimeSpan.FromSeconds(15), s01.AverageDuration);
        Assert.Equal(TimeSpan.FromSeconds(30), s01.MaxDuration);
        Assert.Equal(300, s01.MaxRecords);
        Assert.Equal(Utc("2026-11-17 01:00:00"), s01.LastStartTime);
        var s02 = statistics[1];
        Assert.Equal((2L, 1L, 0L, 1L), (s02.Executions, s02.Succeeded, s02.Failed, s02.Running));
        Assert.Equal(TimeSpan.FromSeconds(60), s02.AverageDuration);
        Assert.Equal(50, s02.MaxRecords);

        var one = Assert.Single(await BatchLedger.GetStatisticsAsync(ledger.Connection, "*-s02", Utc("2026-11-14 00:00:00"), Utc("2026-11-18 00:00:00"), CancellationToken.None));
        Assert.Equal("stock-s02", one.BatchName);
        var older = Assert.Single(await BatchLedger.GetStatisticsAsync(ledger.Connection, null, Utc("2026-10-25 00:00:00"), Utc("2026-11-08 00:00:00"), CancellationToken.None));
        Assert.Equal(("aggregate", 1L, 0L, 1L), (older.BatchName, older.Executions, older.Succeeded, older.Failed));
    }

    [EngineTheory]
    [BothEngines]
    public async Task A_run_is_stored_in_UTC_by_the_server_clock(DatabaseProvider provider)
    {
        await using var ledger = await TestLedger.CreateAsync(provider);
        var before = DateTimeOffset.UtcNow;
        await using (var run = await BatchRuns.StartAsync(ledger.Connection, new RunOptions { BatchName = "utc" }, Diagnostics.NullOperationLog.Instance, CancellationToken.None))
        {
            await run.CompleteAsync(ExecutionStatus.Succeeded, 7, null, CancellationToken.None);
        }

        var stored = DateTime.Parse((await ledger.RowsAsync("start_time"))[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(stored, before.UtcDateTime.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
        var execution = Assert.Single(await BatchLedger.GetExecutionsAsync(ledger.Connection, new ExecutionQuery { Name = "utc" }, CancellationToken.None));
        Assert.Equal(stored, execution.StartTime.UtcDateTime.AddTicks(-(execution.StartTime.UtcDateTime.Ticks % TimeSpan.TicksPerSecond)));
        Assert.Equal(TimeZoneInfo.Local.GetUtcOffset(execution.StartTime.UtcDateTime), execution.StartTime.Offset);
        Assert.Equal((ExecutionStatus.Succeeded, 7L), (execution.Status, execution.RecordsProcessed));
    }

    private static async Task FillAsync(TestLedger ledger)
    {
        var now = ledger.Db.IsPostgres ? "(now() AT TIME ZONE 'UTC')" : "UTC_TIMESTAMP()";
        string Row(string name, string? parent, string start, string? end, string status, string? records, string? error) =>
            $"('{name}', {parent ?? "NULL"}, {(parent is null ? "NULL" : "'Import-WorkTable'")}, 'h1', 1, '{start}', {(end is null ? "NULL" : $"'{end}'")}, " +
            $"'{status}', {records ?? "NULL"}, {(error is null ? "NULL" : $"'{error}'")}, {now}, 30, 1)";
        await ledger.Db.ExecuteAsync($"""
            INSERT INTO {ledger.Executions} (batch_name, parent_id, operation, host, process_id, start_time, end_time, status, records_processed, error_message, last_heartbeat, heartbeat_seconds, attempt)
            VALUES {Row("stock-s01", null, "2026-11-15 01:00:00", "2026-11-15 01:00:10", "Succeeded", "100", null)},
                   {Row("stock-s01", null, "2026-11-16 01:00:00", "2026-11-16 01:00:30", "Succeeded", "300", null)},
                   {Row("stock-s01", null, "2026-11-17 01:00:00", "2026-11-17 01:00:05", "Failed", null, "bad file")},
                   {Row("stock-s02", null, "2026-11-17 02:00:00", "2026-11-17 02:01:00", "Succeeded", "50", null)},
                   {Row("stock-s02", null, "2026-11-17 03:00:00", null, "Running", null, null)},
                   {Row("aggregate", null, "2026-11-01 00:00:00", "2026-11-01 00:00:20", "TimedOut", null, "too slow")},
                   {Row("stock-s01", "2", "2026-11-16 01:00:01", "2026-11-16 01:00:20", "Succeeded", "300", null)}
            """);
    }

    private static async Task<long[]> IdsAsync(TestLedger ledger, ExecutionQuery query) =>
        (await BatchLedger.GetExecutionsAsync(ledger.Connection, query, CancellationToken.None)).Select(e => e.ExecutionId).ToArray();

    private static DateTimeOffset Utc(string text) =>
        DateTimeOffset.Parse(text + "Z", System.Globalization.CultureInfo.InvariantCulture);
}
