using BatchDb.Engine.Connections;

namespace BatchDb.Engine.Cdc;

/// <summary>What one Receive-ChangeCapture applied to its staging table.</summary>
/// <param name="Table">The staging tables applied to, comma-separated in the order of the captured tables (one for a capture of one table, which Invoke-DailyAggregate binds).</param>
/// <param name="FromLsn">The commit position stored before this run (null on the first run).</param>
/// <param name="ToLsn">The commit position stored with the last transaction applied.</param>
public sealed record ChangeReceipt(
    BatchDbConnection Connection,
    string Capture,
    string Table,
    CaptureMode Mode,
    int Transactions,
    long Inserted,
    long Updated,
    long Deleted,
    long Truncated,
    string? FromLsn,
    string? ToLsn,
    DateTimeOffset? LastCommitTime,
    string? BatchId,
    TimeSpan Elapsed)
{
    public long Changes => Inserted + Updated + Deleted + Truncated;
}
