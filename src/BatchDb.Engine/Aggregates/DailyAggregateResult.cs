using BatchDb.Engine.Connections;

namespace BatchDb.Engine.Aggregates;

/// <summary>
/// One day written: the rows (groups) the table holds for it now, how many of them changed (inserted or with
/// different figures), and how many were removed because their group no longer has source rows.
/// </summary>
public sealed record DailyAggregateResult(
    BatchDbConnection Connection,
    string Table,
    DateTime Date,
    string TimeZone,
    int Groups,
    int Changed,
    int Removed,
    DateTimeOffset FromTime,
    DateTimeOffset ToTime,
    TimeSpan Elapsed);
