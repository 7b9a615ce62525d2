using System.Diagnostics;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Naming;
using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Switching;

/// <summary>
/// Runs a metadata-lock step under a <see cref="LockRetryPolicy"/>: each attempt waits at most the lock
/// timeout, failed attempts back off, and the final failure names the sessions in the way.
/// </summary>
internal static class LockBoundRetry
{
    public static async Task<Outcome> RunAsync(
        DatabaseSession session,
        LockRetryPolicy policy,
        QualifiedName lockedTable,
        string what,
        Func<TimeSpan, Task<bool>> attemptStep,
        IOperationLog log,
        CancellationToken cancellationToken)
    {
        var lockWait = TimeSpan.Zero;
        BatchDbException? lastTimeout = null;
        for (var attempt = 1; attempt <= policy.MaxAttempts; attempt++)
        {
            var stopwatch = Stopwatch.StartNew();
            var done = await attemptStep(policy.LockWaitTimeout).ConfigureAwait(false);
            stopwatch.Stop();
            if (done)
            {
                return new Outcome(attempt, lockWait, stopwatch.Elapsed);
            }

            lockWait += stopwatch.Elapsed;
            lastTimeout = new BatchDbException(ErrorIds.LockTimeout, BatchDbErrorKind.ResourceBusy,
                $"Attempt {attempt}: the lock on {lockedTable} was not granted within {policy.LockWaitTimeout.TotalSeconds:0.###} s.");
            if (attempt < policy.MaxAttempts)
            {
                var delay = policy.DelayAfter(attempt);
                log.Verbose($"{lastTimeout.Message} Retrying in {delay.TotalSeconds:F1} s.");
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }

        var blockers = await session.Require<ISwapSession>().FindBlockersAsync(lockedTable, cancellationToken).ConfigureAwait(false);
        var who = blockers.Count == 0
            ? "No blocking session could be identified (it may have ended, or it holds LOCK TABLES)."
            : $"Blocking: {string.Join("; ", blockers)}.";
        throw new LockTimeoutException(
            $"{what} did not happen: the lock on {lockedTable} was not granted within " +
            $"{policy.LockWaitTimeout.TotalSeconds:0.###} s in any of {policy.MaxAttempts} attempt(s). {who} Nothing was changed.",
            policy.MaxAttempts, blockers, lastTimeout);
    }

    /// <summary>The attempt that succeeded, the time spent waiting in failed attempts, and the successful step's duration.</summary>
    internal sealed record Outcome(int Attempts, TimeSpan LockWait, TimeSpan Duration);
}
