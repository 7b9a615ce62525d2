namespace BatchDb.Engine.Switching;

/// <summary>Which partition to swap with which work table, and how patiently.</summary>
internal sealed record SwitchPartitionRequest
{
    public required string Table { get; init; }

    public required string Partition { get; init; }

    /// <summary>The work table; null for the default name.</summary>
    public string? WorkTable { get; init; }

    public LockRetryPolicy Retry { get; init; } = new();

    /// <summary>Swap in a work table that is empty or below <see cref="MinimumRowRatio"/> of the live rows.</summary>
    public bool Force { get; init; }

    /// <summary>
    /// The work table must hold at least this share of the live partition's rows (0 to 1), or the swap is refused
    /// unless <see cref="Force"/>: the same check a completed import makes, so a short or hand-filled table cannot go live.
    /// </summary>
    public double MinimumRowRatio { get; init; } = 0.5;

    /// <summary>
    /// Refresh the statistics of the whole partitioned table after the swap; false when the caller switches several
    /// partitions and refreshes them once at the end (<see cref="PartitionSwitcher.AnalyzeTableAsync"/>).
    /// </summary>
    public bool AnalyzeTable { get; init; } = true;
}
