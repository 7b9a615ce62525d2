namespace BatchDb.Engine.WorkTables;

/// <summary>Which work table to create: for <see cref="Partition"/> of <see cref="Table"/>, or for the whole table.</summary>
internal sealed record WorkTableRequest
{
    public required string Table { get; init; }

    /// <summary>The partition; null for a whole table or a view switch.</summary>
    public string? Partition { get; init; }

    /// <summary>The work table's name; null for the default, <c>&lt;table&gt;_&lt;partition&gt;</c> or <c>&lt;table&gt;_work</c>.</summary>
    public string? WorkTable { get; init; }

    /// <summary>Drop and recreate the work table if it exists.</summary>
    public bool Force { get; init; }
}
