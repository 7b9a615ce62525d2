using BatchDb.Engine.Switching;

namespace BatchDb.Engine.ViewSwitching;

/// <summary>Which table to turn into a view switch, and the names of its two tables.</summary>
internal sealed record ViewSwitchRequest
{
    public required string Table { get; init; }

    /// <summary>The table the view shows first (the current rows); null for <c>&lt;table&gt;_a</c>.</summary>
    public string? LiveTable { get; init; }

    /// <summary>The off-screen table loaded next; null for <c>&lt;table&gt;_b</c>.</summary>
    public string? StandbyTable { get; init; }

    public LockRetryPolicy Retry { get; init; } = new();
}
