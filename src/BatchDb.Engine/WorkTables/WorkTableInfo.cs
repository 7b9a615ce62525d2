using BatchDb.Engine.Connections;

namespace BatchDb.Engine.WorkTables;

/// <summary>A work table that stands ready for one partition of a partitioned table, or for a whole table.</summary>
public sealed record WorkTableInfo(
    BatchDbConnection Connection,
    string Table,
    string? Partition,
    string WorkTable,
    string? PartitionBound,
    bool Created);
