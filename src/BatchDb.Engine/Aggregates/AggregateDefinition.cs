namespace BatchDb.Engine.Aggregates;

/// <summary>
/// A daily aggregate: the source table's rows grouped by the day of <see cref="DateColumn"/> (and
/// <see cref="GroupBy"/>), each group written as one row of <see cref="Table"/> keyed by
/// <see cref="TableDateColumn"/> and the group columns. The defaults are the seed's daily sales.
/// </summary>
internal sealed record AggregateDefinition
{
    public string SourceTable { get; init; } = "staging_orders";

    public string Table { get; init; } = "daily_sales";

    /// <summary>The source's timestamp (stored as UTC) whose day, in the run's time zone, a row counts on.</summary>
    public string DateColumn { get; init; } = "created_at";

    public string TableDateColumn { get; init; } = "sale_date";

    /// <summary>Further grouping columns, of the same name in both tables.</summary>
    public IReadOnlyList<string> GroupBy { get; init; } = [];

    public IReadOnlyList<AggregateMeasure> Measures { get; init; } =
    [
        new("total_sales", AggregateFunction.Sum, "amount"),
        new("order_count", AggregateFunction.Count, null),
        new("average_order_value", AggregateFunction.Avg, "amount"),
    ];

    /// <summary>The table's column set to the time its figures last changed; null for none.</summary>
    public string? LastUpdatedColumn { get; init; } = "last_updated";

    /// <summary>The source column that tells which rows changed since the last run (the days to redo); null to require dates.</summary>
    public string? ChangedColumn { get; init; } = "updated_at";
}
