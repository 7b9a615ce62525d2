namespace BatchDb.Engine.Partitioning;

/// <summary>How many rows of a work table fall outside a partition, with a few of their key values.</summary>
internal sealed record OutsideRows(long Count, IReadOnlyList<(string Key, long Rows)> Samples);
