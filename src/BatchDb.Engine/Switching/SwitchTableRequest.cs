namespace BatchDb.Engine.Switching;

/// <summary>Which table to swap with its work table (or which view switch to flip), and how patiently.</summary>
public sealed record SwitchTableRequest
{
    /// <summary>A table, or a view set up by Enable-ViewSwitch.</summary>
    public required string Table { get; init; }

    /// <summary>The work table; null for the default name (<c>&lt;table&gt;_work</c>, or the view switch's off-screen side).</summary>
    public string? WorkTable { get; init; }

    public LockRetryPolicy Retry { get; init; } = new();

    /// <summary>Swap in an empty work table over a table that has rows.</summary>
    public bool Force { get; init; }
}
