namespace BatchDb.Engine.Executions;

/// <summary>
/// Which executions to list. Name is a pattern with * and ? wildcards. Since is inclusive and Until exclusive,
/// on the start time. Last keeps the newest N of what matches; the list is always oldest first.
/// </summary>
internal sealed record ExecutionQuery
{
    public string? Name { get; init; }

    public IReadOnlyList<ExecutionStatus> Status { get; init; } = [];

    public DateTimeOffset? Since { get; init; }

    public DateTimeOffset? Until { get; init; }

    /// <summary>Only executions that have not ended (the seed's monitoring query).</summary>
    public bool Running { get; init; }

    public int? Last { get; init; }

    public IReadOnlyList<long> ExecutionIds { get; init; } = [];
}
