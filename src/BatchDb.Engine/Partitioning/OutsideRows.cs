namespace BatchDb.Engine.Partitioning;

/// <summary>
/// How many rows of a work table fall outside a partition, with a few of their partition key values, and (where the
/// dialect reads them) the primary keys of the first offending rows in key order.
/// </summary>
internal sealed record OutsideRows(long Count, IReadOnlyList<(string Key, long Rows)> Samples)
{
    /// <summary>The first offending rows' primary key values (column, value), in key order; empty when not read.</summary>
    public IReadOnlyList<IReadOnlyList<(string Column, string Value)>> KeyRows { get; init; } = [];
}
