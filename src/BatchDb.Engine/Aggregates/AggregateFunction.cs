namespace BatchDb.Engine.Aggregates;

/// <summary>What a measure computes over a day's rows of a group.</summary>
internal enum AggregateFunction
{
    Sum,
    Count,
    Avg,
    Min,
    Max,
}
