using BatchDb.Engine.Connections;

namespace BatchDb.Engine.WorkTables;

/// <summary>
/// One file loaded and checked in a work table. Its Connection, Table, Partition and WorkTable are
/// exactly what Switch-Partition (or, without a partition, Switch-Table) binds from the pipeline.
/// </summary>
public sealed record ImportResult(
    BatchDbConnection Connection,
    string Table,
    string? Partition,
    string WorkTable,
    string Path,
    long RowsLoaded,
    long LiveRows,
    TimeSpan Elapsed);
