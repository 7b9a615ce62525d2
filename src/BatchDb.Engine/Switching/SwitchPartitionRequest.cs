namespace BatchDb.Engine.Switching;

/// <summary>Which partition to swap with which work table, and how patiently.</summary>
public sealed record SwitchPartitionRequest
{
    public required string Table { get; init; }

    public required string Partition { get; init; }

    /// <summary>The work table; null for the default name.</summary>
    public string? WorkTable { get; init; }

    public LockRetryPolicy Retry { get; init; } = new();

    /// <summary>Swap in an empty work table over a non-empty partition.</summary>
    public bool Force { get; init; }
}
