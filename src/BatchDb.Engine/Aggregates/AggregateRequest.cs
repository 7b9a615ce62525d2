namespace BatchDb.Engine.Aggregates;

/// <summary>
/// Which days to aggregate: <see cref="From"/> through <see cref="To"/> (one day when they are equal), or, with
/// neither, the days of the source rows changed since the last run. Days are calendar days in <see cref="TimeZone"/>.
/// </summary>
internal sealed record AggregateRequest
{
    public AggregateDefinition Definition { get; init; } = new();

    public DateOnly? From { get; init; }

    public DateOnly? To { get; init; }

    /// <summary>An IANA or Windows time zone id, or UTC.</summary>
    public string TimeZone { get; init; } = "UTC";
}
