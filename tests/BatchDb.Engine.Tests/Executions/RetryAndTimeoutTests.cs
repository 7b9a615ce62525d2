using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Executions;
using BatchDb.Engine.Switching;
using BatchDb.Engine.Tests.Infrastructure;

namespace BatchDb.Engine.Tests.Executions;

/// <summary>Transient failures are retried with growing pauses, bad input is not, and a run that overstays is stopped as TimedOut.</summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class RetryAndTimeoutTests
{
    private static readonly LockRetryPolicy OneShortWait = new() { LockWaitTimeout = TimeSpan.FromSeconds(1), MaxAttempts = 1 };

    [EngineTheory]
    [BothEngines]
    public async Task A_lock_wait_timeout_is_retried_with_growing_pauses_and_every_attempt_is_recorded(DatabaseProvider provider)
    {
        await using var ledger = await TestLedger.CreateAsync(provider);
        var table = await CreateSwappableTableAsync(ledger);
        await using var holder = await HoldAsync(ledger, table);
        var attempts = 0;

        var run = await BatchJobRunner.RunAsync(ledger.Connection,
            new BatchJobRequest { Run = new RunOptions { BatchName = "swap" }, MaxAttempts = 4, InitialRetryDelay = TimeSpan.FromMilliseconds(400) },
            async (lease, token) =>
            {
                if (++attempts == 3)
                {
                    await StockTable.ExecuteOnAsync(holder, "COMMIT");
                }

                await TableSwitcher.SwitchAsync(ledger.Connection, new SwitchTableRequest { Table = table, Retry = OneShortWait }, NullOperationLog.Instance, token);
            },
            NullOperationLog.Instance, CancellationToken.None);

        Assert.Equal(3, attempts);
        Assert.Equal(3, run.Attempt);
        Assert.Equal(ExecutionStatus.Succeeded, run.Status);
        var rows = await BatchLedger.GetExecutionsAsync(ledger.Connection, new ExecutionQuery { Name = "swap" }, CancellationToken.None);
        Assert.Equal([1, 2, 3], rows.Select(r => r.Attempt));
        Assert.Equal([ExecutionStatus.Failed, ExecutionStatus.Failed, ExecutionStatus.Succeeded], rows.Select(r => r.Status));
        Assert.All(rows.Take(2), r => Assert.StartsWith("[LockTimeout]", r.ErrorMessage));
        Assert.Contains("attempt 1 of 4: transient, retried after", rows[0].ErrorMessage);
        var firstPause = rows[1].StartTime - rows[0].EndTime!.Value;
        var secondPause = rows[2].StartTime - rows[1].EndTime!.Value;
        Assert.InRange(firstPause.TotalMilliseconds, 300, 1000);
        Assert.True(secondPause > firstPause * 1.2, $"pauses {firstPause} then {secondPause}");
        Assert.Equal(["1|new"], await ledger.Db.QueryAsync($"SELECT * FROM {table}"));
    }

    [EngineTheory]
    [BothEngines]
    public async Task The_last_transient_failure_is_stored_and_raised(DatabaseProvider provider)
    {
        await using var ledger = await TestLedger.CreateAsync(provider);
        var table = await CreateSwappableTableAsync(ledger);
        await using var holder = await HoldAsync(ledger, table);

        var error = await Assert.ThrowsAsync<LockTimeoutException>(() => BatchJobRunner.RunAsync(ledger.Connection,
            new BatchJobRequest { Run = new RunOptions { BatchName = "swap" }, MaxAttempts = 2, InitialRetryDelay = TimeSpan.FromMilliseconds(100) },
            (_, token) => TableSwitcher.SwitchAsync(ledger.Connection, new SwitchTableRequest { Table = table, Retry = OneShortWait }, NullOperationLog.Instance, token),
            NullOperationLog.Instance, CancellationToken.None));

        var rows = await ledger.RowsAsync("attempt, status, error_message");
        Assert.Equal(2, rows.Count);
        Assert.StartsWith("2|Failed|[LockTimeout] ", rows[1]);
        Assert.Contains(error.Message, rows[1]);
        Assert.DoesNotContain("retried", rows[1]);
        Assert.Equal(["1|old"], await ledger.Db.QueryAsync($"SELECT * FROM {table}"));
    }

    [EngineTheory]
    [BothEngines]
    public async Task Bad_input_is_not_retried(DatabaseProvider provider)
    {
        await using var ledger = await TestLedger.CreateAsync(provider);
        var calls = 0;

        var error = await Assert.ThrowsAsync<BatchDbException>(() => BatchJobRunner.RunAsync(ledger.Connection,
            new BatchJobRequest { Run = new RunOptions { BatchName = "swap" }, MaxAttempts = 5, InitialRetryDelay = TimeSpan.FromMilliseconds(10) },
            (_, token) =>
            {
                calls++;
                return TableSwitcher.SwitchAsync(ledger.Connection, new SwitchTableRequest { Table = "no_such_table" }, NullOperationLog.Instance, token);
            },
            NullOperationLog.Instance, CancellationToken.None));

        Assert.Equal(ErrorIds.TableNotFound, error.ErrorId);
        Assert.Equal(1, calls);
        var row = Assert.Single(await ledger.RowsAsync("attempt, status, error_message"));
        Assert.StartsWith("1|Failed|[TableNotFound] ", row);
        Assert.Contains("no_such_table", row);
    }

    [EngineTheory]
    [BothEngines]
    public async Task A_run_that_overstays_its_timeout_is_stopped_and_recorded_TimedOut(DatabaseProvider provider)
    {
        await using var ledger = await TestLedger.CreateAsync(provider);
        var started = DateTimeOffset.Now;

        var error = await Assert.ThrowsAsync<BatchDbException>(() => BatchJobRunner.RunAsync(ledger.Connection,
            new BatchJobRequest { Run = new RunOptions { BatchName = "slow" }, Timeout = TimeSpan.FromSeconds(1), MaxAttempts = 3 },
            (_, token) => Task.Delay(TimeSpan.FromSeconds(30), token),
            NullOperationLog.Instance, CancellationToken.None));

        Assert.Equal(ErrorIds.RunTimedOut, error.ErrorId);
        Assert.InRange((DateTimeOffset.Now - started).TotalSeconds, 0.9, 10);
        var row = Assert.Single(await ledger.RowsAsync("status, error_message"));
        Assert.Equal("TimedOut|Batch 'slow' exceeded its timeout of 00:00:01 and was stopped.", row);

        // The lock was released: the batch runs again at once.
        var next = await BatchJobRunner.RunAsync(ledger.Connection, new BatchJobRequest { Run = new RunOptions { BatchName = "slow" } },
            (_, _) => Task.CompletedTask, NullOperationLog.Instance, CancellationToken.None);
        Assert.Equal(ExecutionStatus.Succeeded, next.Status);
    }

    /// <summary>A session whose open transaction has read the table, so that a rename must wait for it.</summary>
    private static async Task<System.Data.Common.DbConnection> HoldAsync(TestLedger ledger, string table)
    {
        var holder = await ledger.Db.OpenAsync();
        await StockTable.ExecuteOnAsync(holder, ledger.Db.IsPostgres ? $"BEGIN; SELECT count(*) FROM {table};" : $"START TRANSACTION; SELECT COUNT(*) FROM {table};");
        return holder;
    }

    private static async Task<string> CreateSwappableTableAsync(TestLedger ledger)
    {
        var table = ledger.Db.Name;
        var work = ledger.Db.Track(table + "_work");
        await ledger.Db.ExecuteAsync($"CREATE TABLE {table} (id INT PRIMARY KEY, name VARCHAR(10))");
        await ledger.Db.ExecuteAsync($"CREATE TABLE {work} (id INT PRIMARY KEY, name VARCHAR(10))");
        await ledger.Db.ExecuteAsync($"INSERT INTO {table} VALUES (1, 'old')");
        await ledger.Db.ExecuteAsync($"INSERT INTO {work} VALUES (1, 'new')");
        return table;
    }
}
