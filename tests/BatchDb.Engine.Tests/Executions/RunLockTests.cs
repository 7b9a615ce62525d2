using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Executions;
using BatchDb.Engine.Tests.Infrastructure;

namespace BatchDb.Engine.Tests.Executions;

/// <summary>One run per batch name at a time, across connections (hosts), with a clear error or a wait.</summary>
public sealed class RunLockTests
{
    [EngineTheory]
    [BothEngines]
    public async Task Of_two_concurrent_starts_exactly_one_runs_and_the_other_is_told_who_is_running(DatabaseProvider provider)
    {
        await using var ledger = await TestLedger.CreateAsync(provider);
        var other = await ledger.ConnectAgainAsync();
        var ran = 0;
        async Task Body(RunLease lease, CancellationToken token)
        {
            Interlocked.Increment(ref ran);
            await Task.Delay(1500, token);
        }

        var runs = new[] { ledger.Connection, other }.Select(c => Task.Run(() =>
            BatchJobRunner.RunAsync(c, new BatchJobRequest { Run = new RunOptions { BatchName = "stock-s01" } }, Body, NullOperationLog.Instance, CancellationToken.None))).ToArray();
        var outcomes = await Task.WhenAll(runs.Select(async r =>
        {
            try
            {
                return (Execution: await r, Error: (BatchDbException?)null);
            }
            catch (BatchDbException ex)
            {
                return (Execution: (BatchExecution?)null, Error: ex);
            }
        }));

        Assert.Equal(1, ran);
        var success = Assert.Single(outcomes, o => o.Execution is not null).Execution!;
        Assert.Equal(ExecutionStatus.Succeeded, success.Status);
        var refused = Assert.Single(outcomes, o => o.Error is not null).Error!;
        Assert.Equal(ErrorIds.BatchAlreadyRunning, refused.ErrorId);
        Assert.Contains("Batch 'stock-s01' is already running", refused.Message);
        Assert.Equal([$"stock-s01|Succeeded"], await ledger.RowsAsync("batch_name, status"));
    }

    [EngineTheory]
    [BothEngines]
    public async Task A_second_start_names_the_running_host_and_with_wait_runs_after_the_first_ends(DatabaseProvider provider)
    {
        await using var ledger = await TestLedger.CreateAsync(provider);
        var other = await ledger.ConnectAgainAsync();
        await using var first = await BatchRuns.StartAsync(ledger.Connection, new RunOptions { BatchName = "daily" }, NullOperationLog.Instance, CancellationToken.None);

        var error = await Assert.ThrowsAsync<BatchDbException>(() => BatchRuns.StartAsync(other, new RunOptions { BatchName = "daily" }, NullOperationLog.Instance, CancellationToken.None));
        Assert.Equal(ErrorIds.BatchAlreadyRunning, error.ErrorId);
        Assert.Contains($"already running since {first.Execution!.StartTime:yyyy-MM-dd HH:mm:ss zzz} on host {Environment.MachineName}", error.Message);
        Assert.Contains($"execution {first.Execution.ExecutionId}", error.Message);

        var waiting = Task.Run(() => BatchRuns.StartAsync(other, new RunOptions { BatchName = "daily", Wait = true }, NullOperationLog.Instance, CancellationToken.None));
        await Task.Delay(800);
        Assert.False(waiting.IsCompleted);
        var firstDone = await BatchRuns.CompleteAsync(ledger.Connection, first.Execution.ExecutionId, ExecutionStatus.Succeeded, 42, null, CancellationToken.None);

        await using var second = await waiting;
        Assert.True(second.Execution!.StartTime >= firstDone.EndTime);
        Assert.Equal(["daily|Succeeded|42", "daily|Running|∅"], await ledger.RowsAsync("batch_name, status, records_processed"));

        // Another batch name is not held by either.
        await using var unrelated = await BatchRuns.StartAsync(other, new RunOptions { BatchName = "weekly" }, NullOperationLog.Instance, CancellationToken.None);
        Assert.Equal(ExecutionStatus.Running, unrelated.Execution!.Status);
    }
}
