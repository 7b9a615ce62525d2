using System.Diagnostics;
using System.Runtime.ExceptionServices;
using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Errors;

namespace BatchDb.Engine.Executions;

/// <summary>
/// Runs a batch job: one run per batch name at a time across hosts, a heartbeat, a timeout and retries on
/// transient errors, each attempt recorded as an execution. The body is the caller's work (in the module,
/// the script block); it must stop when its token is cancelled.
/// </summary>
internal static class BatchJobRunner
{
    public static async Task<BatchExecution> RunAsync(
        BatchDbConnection connection,
        BatchJobRequest request,
        Func<RunLease, CancellationToken, Task> body,
        IOperationLog log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(body);
        request.Validate();
        // The timeout counts from the call: time spent waiting for a running execution (-Wait) is part of it.
        var clock = Stopwatch.StartNew();
        await using var lease = await RunLease.AcquireAsync(connection, request.Run with { WaitTimeout = request.Timeout }, log, cancellationToken).ConfigureAwait(false);
        var timeout = request.Timeout ?? lease.ScheduledTimeout;
        for (var attempt = 1; ; attempt++)
        {
            var execution = await lease.BeginAttemptAsync(attempt, cancellationToken).ConfigureAwait(false);
            log.Verbose($"Batch '{lease.BatchName}' attempt {attempt} of {request.MaxAttempts} started as execution {execution.ExecutionId}.");
            using var timer = new CancellationTokenSource();
            if (timeout is { } limit)
            {
                timer.CancelAfter(limit - clock.Elapsed > TimeSpan.Zero ? limit - clock.Elapsed : TimeSpan.Zero);
            }

            using var guarded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token, lease.Lost);
            Exception? failure = null;
            try
            {
                await body(lease, guarded.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                failure = ex;
            }

            if (lease.Lost.IsCancellationRequested)
            {
                throw lease.LostException(failure);
            }

            if (failure is null)
            {
                return await lease.CompleteAsync(ExecutionStatus.Succeeded, null, null, CancellationToken.None).ConfigureAwait(false);
            }

            if (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                var message = $"Batch '{lease.BatchName}' exceeded its timeout of {timeout} and was stopped.";
                var unrecorded = await TryCompleteAsync(lease, ExecutionStatus.TimedOut, message).ConfigureAwait(false);
                throw new BatchDbException(ErrorIds.RunTimedOut, BatchDbErrorKind.TimedOut, message + unrecorded, failure) { Target = lease.BatchName };
            }

            if (cancellationToken.IsCancellationRequested)
            {
                WarnIfUnrecorded(lease, await TryCompleteAsync(lease, ExecutionStatus.Failed, ExecutionRecorder.StoppedMessage).ConfigureAwait(false), log);
                throw new OperationCanceledException(cancellationToken);
            }

            var error = TransientErrors.Describe(failure);
            TimeSpan? delay = attempt < request.MaxAttempts && TransientErrors.IsTransient(failure)
                ? Retries.Backoff.Delay(request.InitialRetryDelay, request.MaxRetryDelay, attempt)
                : null;
            if (delay is { } pause && timeout is { } deadline && clock.Elapsed + pause >= deadline)
            {
                error += $" (not retried: the next attempt would start after the timeout of {timeout})";
                delay = null;
            }

            if (delay is not { } wait)
            {
                WarnIfUnrecorded(lease, await TryCompleteAsync(lease, ExecutionStatus.Failed, error).ConfigureAwait(false), log);
                ExceptionDispatchInfo.Throw(failure);
                throw failure; // not reached; definite assignment does not follow [DoesNotReturn]
            }

            await lease.CompleteAsync(ExecutionStatus.Failed, null, $"{error} (attempt {attempt} of {request.MaxAttempts}: transient, retried after {wait.TotalSeconds:F1} s)",
                CancellationToken.None).ConfigureAwait(false);
            log.Warning($"Batch '{lease.BatchName}' attempt {attempt} of {request.MaxAttempts} failed with a transient error; retrying in {wait.TotalSeconds:F1} s. {error}");
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Records how a failed attempt ended. When the ledger cannot be written (its server is the one that failed),
    /// the attempt's own error stays the one reported; the text returned says the record is missing, for the caller
    /// to add to its error or to warn with, once.
    /// </summary>
    private static async Task<string> TryCompleteAsync(RunLease lease, ExecutionStatus status, string message)
    {
        try
        {
            await lease.CompleteAsync(status, null, message, CancellationToken.None).ConfigureAwait(false);
            return string.Empty;
        }
        catch (BatchDbException ex)
        {
            return $" It could not be recorded as {status} in the ledger ({ex.Message}); the next run or listing marks it Abandoned.";
        }
    }

    private static void WarnIfUnrecorded(RunLease lease, string unrecorded, IOperationLog log)
    {
        if (unrecorded.Length > 0)
        {
            log.Warning($"Batch '{lease.BatchName}':{unrecorded}");
        }
    }
}
