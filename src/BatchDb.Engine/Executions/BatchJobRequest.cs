using BatchDb.Engine.Errors;

namespace BatchDb.Engine.Executions;

/// <summary>
/// A batch job: a run (see <see cref="RunOptions"/>) whose body is retried on transient errors up to
/// <see cref="MaxAttempts"/> times with exponential backoff and jitter, and stopped as TimedOut after
/// <see cref="Timeout"/> (by default the batch schedule's timeout, if it has a schedule).
/// </summary>
internal sealed record BatchJobRequest
{
    public required RunOptions Run { get; init; }

    /// <summary>The longest the whole run may take, all attempts and pauses included.</summary>
    public TimeSpan? Timeout { get; init; }

    public int MaxAttempts { get; init; } = 1;

    public TimeSpan InitialRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(5);

    internal void Validate()
    {
        Run.Validate();
        if (MaxAttempts < 1 || InitialRetryDelay < TimeSpan.Zero || MaxRetryDelay < InitialRetryDelay || Timeout <= TimeSpan.Zero)
        {
            throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
                "The attempts must be at least 1, the retry delay between zero and its maximum, and the timeout positive.");
        }
    }
}
