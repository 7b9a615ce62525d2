using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;

namespace BatchDb.Engine.Executions;

/// <summary>Runs that a script starts and completes itself (Start-BatchExecution / Complete-BatchExecution).</summary>
internal static class BatchRuns
{
    /// <summary>Takes the batch's run lock and records attempt 1 as Running; the lease keeps the lock and the heartbeat until it is completed.</summary>
    public static async Task<RunLease> StartAsync(BatchDbConnection connection, RunOptions options, IOperationLog log, CancellationToken cancellationToken)
    {
        var lease = await RunLease.AcquireAsync(connection, options, log, cancellationToken).ConfigureAwait(false);
        try
        {
            await lease.BeginAttemptAsync(1, cancellationToken).ConfigureAwait(false);
            return lease;
        }
        catch
        {
            await lease.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Ends a Running execution. A run started in this process is completed through its lease, which then frees
    /// the batch lock; any other (a run whose process is gone, or a step) is ended in the ledger directly.
    /// </summary>
    public static async Task<BatchExecution> CompleteAsync(BatchDbConnection connection, long executionId, ExecutionStatus status, long? records, string? error,
        CancellationToken cancellationToken)
    {
        RunLease.RequireFinal(status);
        await using var session = await connection.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        var ledger = await Ledger.RequireAsync(session, connection, cancellationToken).ConfigureAwait(false);
        if (RunLease.FindActive(connection, ledger.Tables.Schema, executionId) is { } lease)
        {
            try
            {
                return await lease.CompleteAsync(status, records, error, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await lease.DisposeAsync().ConfigureAwait(false);
            }
        }

        if (!await ledger.EndAsync(executionId, status, records, error, cancellationToken).ConfigureAwait(false))
        {
            throw RunLease.NotRunning(await ledger.FindAsync(executionId, cancellationToken).ConfigureAwait(false), executionId);
        }

        return (await ledger.FindAsync(executionId, cancellationToken).ConfigureAwait(false))!;
    }
}
