using BatchDb.Engine.Errors;

namespace BatchDb.Engine.Switching;

/// <summary>The switch could not get its lock within its attempts; nothing was changed.</summary>
public sealed class LockTimeoutException(string message, int attempts, IReadOnlyList<BlockingSession> blockers, Exception? innerException)
    : BatchDbException(ErrorIds.LockTimeout, BatchDbErrorKind.ResourceBusy, message, innerException)
{
    public int Attempts { get; } = attempts;

    public IReadOnlyList<BlockingSession> Blockers { get; } = blockers;
}
