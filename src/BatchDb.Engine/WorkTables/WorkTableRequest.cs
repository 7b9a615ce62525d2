namespace BatchDb.Engine.WorkTables;

/// <summary>Which work table to create: for <see cref="Partition"/> of <see cref="Table"/>.</summary>
public sealed record WorkTableRequest
{
    public required string Table { get; init; }

    public required string Partition { get; init; }

    /// <summary>The work table's name; null for the default, <c>&lt;table&gt;_&lt;partition&gt;</c>.</summary>
    public string? WorkTable { get; init; }

    /// <summary>Drop and recreate the work table if it exists.</summary>
    public bool Force { get; init; }
}
