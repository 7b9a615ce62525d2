namespace BatchDb.Engine.Switching;

/// <summary>A database session that held a lock the switch needed when it gave up.</summary>
public sealed record BlockingSession(
    long SessionId,
    string? User,
    string? Host,
    string? State,
    TimeSpan Running,
    DateTimeOffset? TransactionStartedAt,
    string? Statement)
{
    public override string ToString()
    {
        var parts = new List<string> { $"session {SessionId} ({User}@{Host})" };
        if (TransactionStartedAt is { } started)
        {
            parts.Add($"transaction open since {started.ToLocalTime():yyyy-MM-dd HH:mm:ss}");
        }

        if (!string.IsNullOrEmpty(State))
        {
            parts.Add($"state '{State}'");
        }

        if (!string.IsNullOrEmpty(Statement))
        {
            var text = Statement.Length > 120 ? Statement[..120] + "…" : Statement;
            parts.Add($"running: {text}");
        }

        return string.Join(", ", parts);
    }
}
