using BatchDb.Engine.Connections;

namespace BatchDb.Engine.Extracts;

/// <summary>
/// One committed extract: the rows copied into <see cref="Table"/> and the rows they replaced, the watermark
/// window (From exclusive, To inclusive; From null on the first copy), and the batch id the rows carry.
/// </summary>
public sealed record CopyResult(
    BatchDbConnection Connection,
    string Source,
    string Table,
    long RowsCopied,
    long RowsReplaced,
    string WatermarkColumn,
    object? WatermarkFrom,
    object? WatermarkTo,
    string? BatchId,
    TimeSpan Elapsed);
