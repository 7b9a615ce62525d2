using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Dialects.MySql;
using BatchDb.Engine.Dialects.PostgreSql;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Executions;
using BatchDb.Engine.Tests.Infrastructure;

namespace BatchDb.Engine.Tests.Executions;

/// <summary>A run whose process died never blocks the next one: it is found and marked Abandoned without manual SQL.</summary>
public sealed class DeadRunTests
{
    [EngineTheory]
    [BothEngines]
    public async Task A_run_whose_lock_session_is_killed_is_stopped_shown_Abandoned_and_the_next_run_starts(DatabaseProvider provider)
    {
        await using var ledger = await TestLedger.CreateAsync(provider);
        var options = new RunOptions { BatchName = "stock-all", HeartbeatInterval = TimeSpan.FromSeconds(1) };
        var started = new TaskCompletionSource();
        var run = Task.Run(() => BatchJobRunner.RunAsync(ledger.Connection, new BatchJobRequest { Run = options }, async (_, token) =>
        {
            started.SetResult();
            await Task.Delay(TimeSpan.FromSeconds(30), token);
        }, NullOperationLog.Instance, CancellationToken.None));
        await started.Task;

        await KillLockHolderAsync(ledger, "stock-all");

        var lost = await Assert.ThrowsAsync<BatchDbException>(() => run);
        Assert.Equal(ErrorIds.RunLockLost, lost.ErrorId);
        Assert.Contains("lock session failed", lost.Message);
        Assert.Equal(["Running"], await ledger.RowsAsync("status"));

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var listed = Assert.Single(await BatchLedger.GetExecutionsAsync(ledger.Connection, new ExecutionQuery { Name = "stock-*" }, CancellationToken.None));
        Assert.Equal(ExecutionStatus.Abandoned, listed.Status);
        Assert.Contains("the batch lock was free", listed.ErrorMessage);
        Assert.NotNull(listed.EndTime);

        var next = await BatchJobRunner.RunAsync(ledger.Connection, new BatchJobRequest { Run = options }, (_, _) => Task.CompletedTask, NullOperationLog.Instance, CancellationToken.None);
        Assert.Equal(ExecutionStatus.Succeeded, next.Status);
        Assert.Equal(["Abandoned", "Succeeded"], await ledger.RowsAsync("status"));
    }

    [EngineTheory]
    [BothEngines]
    public async Task A_run_left_Running_by_a_dead_process_is_marked_Abandoned_when_the_next_run_starts(DatabaseProvider provider)
    {
        await using var ledger = await TestLedger.CreateAsync(provider);
        var now = ledger.Db.IsPostgres ? "(now() AT TIME ZONE 'UTC')" : "UTC_TIMESTAMP()";
        await ledger.Db.ExecuteAsync($"""
            INSERT INTO {ledger.Executions} (batch_name, host, process_id, start_time, status, last_heartbeat, heartbeat_seconds, attempt)
            VALUES ('nightly', 'host-that-died', 4242, {now}, 'Running', {now}, 30, 1)
            """);
        var deadId = (await ledger.RowsAsync("execution_id"))[0];
        await ledger.Db.ExecuteAsync($"""
            INSERT INTO {ledger.Executions} (batch_name, parent_id, operation, host, process_id, start_time, status, last_heartbeat, heartbeat_seconds, attempt)
            VALUES ('nightly', {deadId}, 'Import-WorkTable', 'host-that-died', 4242, {now}, 'Running', {now}, 30, 1)
            """);
        var warnings = new RecordingLog();

        await using var run = await BatchRuns.StartAsync(ledger.Connection, new RunOptions { BatchName = "nightly" }, warnings, CancellationToken.None);

        Assert.Equal(["host-that-died|Abandoned", "host-that-died|Abandoned", $"{Environment.MachineName}|Running"], await ledger.RowsAsync("host, status"));
        Assert.Contains(warnings.Warnings, w => w.Contains("1 earlier run(s) of batch 'nightly'"));
    }

    private static async Task KillLockHolderAsync(TestLedger ledger, string batchName)
    {
        await using var killer = await ledger.Db.OpenAsync();
        if (ledger.Db.IsPostgres)
        {
            var key = (long)PostgreSqlLedgerSql.Instance.LockKey(ledger.Schema, batchName);
            var pid = await StockTable.ExecuteOnAsync(killer,
                $"SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = {(uint)(key >> 32)} AND objid = {(uint)key} AND objsubid = 1");
            Assert.NotNull(pid);
            await StockTable.ExecuteOnAsync(killer, $"SELECT pg_terminate_backend({pid})");
        }
        else
        {
            var id = await StockTable.ExecuteOnAsync(killer, $"SELECT IS_USED_LOCK('{MySqlLedgerSql.Instance.LockKey(ledger.Schema, batchName)}')");
            Assert.IsNotType<DBNull>(id);
            await StockTable.ExecuteOnAsync(killer, $"KILL {id}");
        }
    }

    private sealed class RecordingLog : IOperationLog
    {
        public List<string> Warnings { get; } = [];

        public void Verbose(string message)
        {
        }

        public void Warning(string message) => Warnings.Add(message);
    }
}
