using BatchDb.Engine.Errors;

namespace BatchDb.Engine.Switching;

/// <summary>
/// How a metadata-lock step is tried: wait at most <see cref="LockWaitTimeout"/> each time (every reader
/// that arrives meanwhile queues behind the waiting exclusive lock, so this is also the longest a reader
/// is held), then back off exponentially with jitter and try again, up to <see cref="MaxAttempts"/> times.
/// </summary>
internal sealed record LockRetryPolicy
{
    public TimeSpan LockWaitTimeout { get; init; } = TimeSpan.FromSeconds(3);

    public int MaxAttempts { get; init; } = 5;

    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    public void Validate()
    {
        if (LockWaitTimeout <= TimeSpan.Zero || MaxAttempts < 1 || InitialDelay < TimeSpan.Zero || MaxDelay < InitialDelay)
        {
            throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
                "The lock wait timeout must be positive, the attempts at least 1, and the retry delay between zero and its maximum.");
        }
    }

    /// <summary>The pause after failed attempt <paramref name="attempt"/> (1-based): doubling, capped, ±20 % jitter.</summary>
    public TimeSpan DelayAfter(int attempt) => Retries.Backoff.Delay(InitialDelay, MaxDelay, attempt);
}
