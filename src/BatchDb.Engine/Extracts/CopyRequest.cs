using BatchDb.Engine.Connections;

namespace BatchDb.Engine.Extracts;

/// <summary>
/// What Copy-BatchData copies: the rows of a source table or query whose watermark column is past the stored
/// high-water mark, into a staging table of the destination, stamped with the batch id.
/// </summary>
internal sealed record CopyRequest
{
    public required BatchDbConnection Source { get; init; }

    /// <summary>The source table; either this or <see cref="Query"/>.</summary>
    public string? SourceTable { get; init; }

    /// <summary>A SELECT on the source whose result columns are copied; either this or <see cref="SourceTable"/>.</summary>
    public string? Query { get; init; }

    /// <summary>The staging table on the destination connection.</summary>
    public required string Table { get; init; }

    /// <summary>A column that grows whenever a row is added or changed, such as updated_at or an increasing id.</summary>
    public required string WatermarkColumn { get; init; }

    /// <summary>Columns identifying a row: an earlier copy of a row copied again is removed, so staging holds its latest version.</summary>
    public IReadOnlyList<string> KeyColumns { get; init; } = [];

    /// <summary>The staging column stamped with the batch id; null to stamp none.</summary>
    public string? BatchIdColumn { get; init; } = "batch_id";

    /// <summary>Copy from this watermark value instead of the stored one (to copy a window again).</summary>
    public object? From { get; init; }
}
