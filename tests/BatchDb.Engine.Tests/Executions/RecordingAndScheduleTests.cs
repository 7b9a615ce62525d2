using BatchDb.Engine.Calendar;
using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Executions;
using BatchDb.Engine.Schedules;
using BatchDb.Engine.Switching;
using BatchDb.Engine.Tests.Infrastructure;
using BatchDb.Engine.WorkTables;

namespace BatchDb.Engine.Tests.Executions;

/// <summary>Data-changing operations record themselves, on their own or as steps of a run; schedules say what is due.</summary>
public sealed class RecordingAndScheduleTests
{
    [EngineTheory]
    [BothEngines]
    public async Task An_import_and_a_switch_inside_a_job_are_steps_of_its_run(DatabaseProvider provider)
    {
        await using var ledger = await TestLedger.CreateAsync(provider);
        await using var stock = await StockTable.CreateAsync(provider);
        stock.Track(stock.WorkTable);
        var connection = ledger.Connection;

        var run = await BatchJobRunner.RunAsync(connection, new BatchJobRequest { Run = new RunOptions { BatchName = "stock-s01", Operation = "Invoke-BatchJob" } },
            async (lease, token) =>
            {
                var imported = await ExecutionRecorder.RecordAsync(connection, ImportStep(stock), lease,
                    t => WorkTableOperations.ImportAsync(connection, ImportOf(stock, TestData.Path("T_STOCK_S01.csv")), null, NullOperationLog.Instance, t),
                    r => r.RowsLoaded, NullOperationLog.Instance, token);
                await ExecutionRecorder.RecordAsync(connection, new ExecutionStep { Operation = "Switch-Partition", DefaultBatchName = "switch" }, lease,
                    t => PartitionSwitcher.SwitchAsync(connection, new SwitchPartitionRequest { Table = imported.Table, Partition = imported.Partition!, WorkTable = imported.WorkTable },
                        NullOperationLog.Instance, t),
                    r => r.LiveRows, NullOperationLog.Instance, token);
            },
            NullOperationLog.Instance, CancellationToken.None);

        Assert.Equal((ExecutionStatus.Succeeded, 10L), (run.Status, run.RecordsProcessed));
        Assert.Equal(
            [$"stock-s01|∅|Invoke-BatchJob|Succeeded|10", $"stock-s01|{run.ExecutionId}|Import-WorkTable|Succeeded|10", $"stock-s01|{run.ExecutionId}|Switch-Partition|Succeeded|10"],
            await ledger.RowsAsync("batch_name, parent_id, operation, status, records_processed"));
        Assert.Contains("T_STOCK_S01.csv", (await ledger.RowsAsync("parameters", "operation = 'Import-WorkTable'"))[0]);
        Assert.Equal("1|1234567-01|400", (await stock.QueryAsync($"SELECT STOCKHOUSE_ID, ITEM_ID, AMOUNT FROM {stock.Name} WHERE STOCKHOUSE_ID = 1 ORDER BY ITEM_ID"))[0]);
    }

    [EngineTheory]
    [BothEngines]
    public async Task An_import_on_its_own_is_a_run_of_its_own_and_a_failed_one_stores_the_error(DatabaseProvider provider)
    {
        await using var ledger = await TestLedger.CreateAsync(provider);
        await using var stock = await StockTable.CreateAsync(provider);
        stock.Track(stock.WorkTable);
        var bad = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(bad, "\"1\",\"1234567-01\",\"many\",\"1\",\"2015/09/23 16:45:12\"\n");
        try
        {
            var live = await stock.AllRowsAsync();
            var loaded = await ExecutionRecorder.RecordAsync(ledger.Connection, ImportStep(stock), null,
                t => WorkTableOperations.ImportAsync(ledger.Connection, ImportOf(stock, TestData.Path("T_STOCK_S01.csv")), null, NullOperationLog.Instance, t),
                r => r.RowsLoaded, NullOperationLog.Instance, CancellationToken.None);
            var error = await Assert.ThrowsAsync<BatchDbException>(() => ExecutionRecorder.RecordAsync(ledger.Connection, ImportStep(stock), null,
                t => WorkTableOperations.ImportAsync(ledger.Connection, ImportOf(stock, bad), null, NullOperationLog.Instance, t),
                r => r.RowsLoaded, NullOperationLog.Instance, CancellationToken.None));

            Assert.Equal(10, loaded.RowsLoaded);
            var rows = await ledger.RowsAsync("batch_name, parent_id, operation, status, records_processed, error_message");
            Assert.Equal($"Import-WorkTable {stock.Name} {stock.Partition()}|∅|Import-WorkTable|Succeeded|10|∅", rows[0]);
            Assert.StartsWith($"Import-WorkTable {stock.Name} {stock.Partition()}|∅|Import-WorkTable|Failed|∅|[{error.ErrorId}] ", rows[1]);
            Assert.Equal(live, await stock.AllRowsAsync());
        }
        finally
        {
            File.Delete(bad);
        }
    }

    [EngineTheory]
    [BothEngines]
    public async Task Without_a_ledger_an_operation_simply_runs(DatabaseProvider provider)
    {
        await using var ledger = await TestLedger.CreateAsync(provider, initialize: false);

        var result = await ExecutionRecorder.RecordAsync(ledger.Connection, new ExecutionStep { Operation = "Test", DefaultBatchName = "test" }, null,
            _ => Task.FromResult(5L), r => r, NullOperationLog.Instance, CancellationToken.None);

        Assert.Equal(5, result);
        Assert.Empty(await ledger.Db.QueryAsync($"SELECT table_name FROM information_schema.tables WHERE table_schema = '{ledger.Schema}'"));
    }

    [EngineTheory]
    [BothEngines]
    public async Task A_registered_schedule_is_due_until_its_batch_runs_and_then_moves_on(DatabaseProvider provider)
    {
        await using var ledger = await TestLedger.CreateAsync(provider);
        var registered = await BatchSchedules.RegisterAsync(ledger.Connection,
            new ScheduleRegistration { Name = "daily-sales", CronExpression = "0 10 * * *", TimeZone = "Asia/Tokyo", Timeout = TimeSpan.FromMinutes(30) }, CancellationToken.None);
        Assert.Equal(1, registered.NextExecution!.Value.ToUniversalTime().Hour);
        Assert.True(registered.NextExecution > DateTimeOffset.Now);
        Assert.False(registered.IsDue);
        Assert.Equal(TimeSpan.FromMinutes(30), registered.Timeout);
        await BatchSchedules.RegisterAsync(ledger.Connection, new ScheduleRegistration { Name = "every-5", CronExpression = "*/5 * * * *" }, CancellationToken.None);
        await BatchSchedules.RegisterAsync(ledger.Connection, new ScheduleRegistration { Name = "off", CronExpression = "*/5 * * * *", Enabled = false }, CancellationToken.None);
        await ledger.Db.ExecuteAsync($"UPDATE {ledger.Schema}.batch_schedule SET next_execution = '2026-01-01 00:00:00'");

        Assert.Equal(["daily-sales", "every-5"], (await BatchSchedules.GetAsync(ledger.Connection, null, dueOnly: true, CancellationToken.None)).Select(s => s.Name));
        Assert.Equal(["daily-sales"], (await BatchSchedules.GetAsync(ledger.Connection, "daily*", dueOnly: false, CancellationToken.None)).Select(s => s.Name));

        await using (var run = await BatchRuns.StartAsync(ledger.Connection, new RunOptions { BatchName = "every-5" }, NullOperationLog.Instance, CancellationToken.None))
        {
            await run.CompleteAsync(ExecutionStatus.Succeeded, null, null, CancellationToken.None);
        }

        var ran = Assert.Single(await BatchSchedules.GetAsync(ledger.Connection, "every-5", dueOnly: false, CancellationToken.None));
        Assert.False(ran.IsDue);
        Assert.NotNull(ran.LastExecution);
        Assert.Equal(0, ran.NextExecution!.Value.Minute % 5);
        Assert.InRange(ran.NextExecution.Value - ran.LastExecution!.Value, TimeSpan.Zero, TimeSpan.FromMinutes(5));
        Assert.Equal(["daily-sales"], (await BatchSchedules.GetAsync(ledger.Connection, null, dueOnly: true, CancellationToken.None)).Select(s => s.Name));

        var invalid = await Assert.ThrowsAsync<BatchDbException>(() => BatchSchedules.RegisterAsync(ledger.Connection,
            new ScheduleRegistration { Name = "bad", CronExpression = "0 25 * * *" }, CancellationToken.None));
        Assert.Equal(ErrorIds.CronInvalid, invalid.ErrorId);
        var zone = await Assert.ThrowsAsync<BatchDbException>(() => BatchSchedules.RegisterAsync(ledger.Connection,
            new ScheduleRegistration { Name = "bad", CronExpression = "0 1 * * *", TimeZone = "Mars/Olympus" }, CancellationToken.None));
        Assert.Equal(ErrorIds.TimeZoneNotFound, zone.ErrorId);
    }

    private static ExecutionStep ImportStep(StockTable stock) => new()
    {
        Operation = "Import-WorkTable",
        DefaultBatchName = $"Import-WorkTable {stock.Name} {stock.Partition()}",
        Parameters = new Dictionary<string, object?> { ["Path"] = TestData.Path("T_STOCK_S01.csv") },
        CountsTowardRun = true,
    };

    private static ImportRequest ImportOf(StockTable stock, string path) =>
        new() { Table = stock.Name, Partition = stock.Partition(), WorkTable = stock.WorkTable, Path = path };
}
