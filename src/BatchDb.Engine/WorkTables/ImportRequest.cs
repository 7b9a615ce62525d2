using BatchDb.Engine.Csv;

namespace BatchDb.Engine.WorkTables;

/// <summary>Which file to load into the work table of <see cref="Partition"/> of <see cref="Table"/>, and how.</summary>
internal sealed record ImportRequest
{
    public required string Table { get; init; }

    /// <summary>The partition; null for a whole table or a view switch.</summary>
    public string? Partition { get; init; }

    /// <summary>The work table; null for the default name. It is created when missing.</summary>
    public string? WorkTable { get; init; }

    /// <summary>The CSV file's full path.</summary>
    public required string Path { get; init; }

    public CsvFormat Format { get; init; } = new();

    /// <summary>Refuse a file with fewer rows than this share of the live partition's rows.</summary>
    public double MinimumRowRatio { get; init; } = 0.5;

    /// <summary>Accept an empty file or one below <see cref="MinimumRowRatio"/>.</summary>
    public bool Force { get; init; }

    /// <summary>From this file size on, the work table's indexes are built after the load instead of kept up to date during it.</summary>
    public long IndexAfterLoadBytes { get; init; } = WorkTableOperations.IndexAfterLoadBytes;
}
