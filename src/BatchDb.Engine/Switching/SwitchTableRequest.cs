namespace BatchDb.Engine.Switching;

/// <summary>Which table to swap with its work table (or which view switch to flip), and how patiently.</summary>
internal sealed record SwitchTableRequest
{
    /// <summary>A table, or a view set up by Enable-ViewSwitch.</summary>
    public required string Table { get; init; }

    /// <summary>The work table; null for the default name (<c>&lt;table&gt;_work</c>, or the view switch's off-screen side).</summary>
    public string? WorkTable { get; init; }

    public LockRetryPolicy Retry { get; init; } = new();

    /// <summary>Swap in a work table that is empty or below <see cref="MinimumRowRatio"/> of the live rows.</summary>
    public bool Force { get; init; }

    /// <summary>
    /// The work table must hold at least this share of the live table's rows (0 to 1), or the swap is refused
    /// unless <see cref="Force"/>: the same check a completed import makes, so a short or hand-filled table cannot go live.
    /// </summary>
    public double MinimumRowRatio { get; init; } = 0.5;
}
