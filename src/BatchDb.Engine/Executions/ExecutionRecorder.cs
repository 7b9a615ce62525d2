using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;

namespace BatchDb.Engine.Executions;

/// <summary>
/// Records data-changing operations in the ledger. Inside a run, an operation is a step of it (parent = the
/// run's execution). On its own, it is a run of its own batch, with that batch's lock and heartbeat, when the
/// connection's database has a ledger; without a ledger it simply runs.
/// </summary>
internal static class ExecutionRecorder
{
    /// <summary>The error recorded for an execution whose caller stopped it (Ctrl+C, Stop-Job, a stopped pipeline).</summary>
    internal const string StoppedMessage = "Stopped before it completed (the caller cancelled the run).";

    /// <summary>What to record for an operation that failed: a stop as a stop, not as the error the cancellation caused.</summary>
    internal static string Describe(Exception failure, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? StoppedMessage : TransientErrors.Describe(failure);

    public static Task<T> RecordAsync<T>(
        BatchDbConnection connection,
        ExecutionStep step,
        RunLease? run,
        Func<CancellationToken, Task<T>> operation,
        Func<T, long?> records,
        IOperationLog log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return RecordAsync(connection, step, run, (_, token) => operation(token), records, log, cancellationToken);
    }

    /// <summary>
    /// Records an operation that needs its batch id: the execution id of the run it belongs to (the enclosing run,
    /// or its own), or null when nothing is recorded.
    /// </summary>
    public static async Task<T> RecordAsync<T>(
        BatchDbConnection connection,
        ExecutionStep step,
        RunLease? run,
        Func<long?, CancellationToken, Task<T>> operation,
        Func<T, long?> records,
        IOperationLog log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(records);
        if (run is not null)
        {
            return await RecordStepAsync(run, step, operation, records, cancellationToken).ConfigureAwait(false);
        }

        // Most databases have no ledger: find out on a pooled session, and open the unpooled lock session only for one that has.
        bool hasLedger;
        await using (var probe = await connection.OpenSessionAsync(cancellationToken).ConfigureAwait(false))
        {
            hasLedger = await Ledger.OpenAsync(probe, connection, cancellationToken).ConfigureAwait(false) is not null;
        }

        if (!hasLedger)
        {
            return await operation(null, cancellationToken).ConfigureAwait(false);
        }

        var options = new RunOptions { BatchName = step.BatchName ?? step.DefaultBatchName, Operation = step.Operation, Parameters = step.Parameters };
        await using var lease = await RunLease.AcquireAsync(connection, options, log, cancellationToken).ConfigureAwait(false);
        var execution = await lease.BeginAttemptAsync(1, cancellationToken).ConfigureAwait(false);
        log.Verbose($"Recording as execution {execution.ExecutionId} of batch '{lease.BatchName}'.");
        using var guarded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
        T result;
        try
        {
            result = await operation(execution.ExecutionId, guarded.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!lease.Lost.IsCancellationRequested)
        {
            await lease.CompleteAsync(ExecutionStatus.Failed, null, Describe(ex, cancellationToken), CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw lease.LostException(ex);
        }

        await lease.CompleteAsync(ExecutionStatus.Succeeded, records(result), null, CancellationToken.None).ConfigureAwait(false);
        return result;
    }

    private static async Task<T> RecordStepAsync<T>(RunLease run, ExecutionStep step, Func<long?, CancellationToken, Task<T>> operation, Func<T, long?> records, CancellationToken cancellationToken)
    {
        var stepId = await run.BeginStepAsync(step, cancellationToken).ConfigureAwait(false);
        using var guarded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, run.Lost);
        T result;
        try
        {
            result = await operation(run.Execution?.ExecutionId, guarded.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!run.Lost.IsCancellationRequested)
        {
            await run.CompleteStepAsync(stepId, step, ExecutionStatus.Failed, null, Describe(ex, cancellationToken), CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        await run.CompleteStepAsync(stepId, step, ExecutionStatus.Succeeded, records(result), null, CancellationToken.None).ConfigureAwait(false);
        return result;
    }
}
