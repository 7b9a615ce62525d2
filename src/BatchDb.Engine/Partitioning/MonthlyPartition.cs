using BatchDb.Engine.Connections;

namespace BatchDb.Engine.Partitioning;

/// <summary>
/// One RANGE partition of a table: rows with From ≤ key &lt; To (null: unbounded), the catalog's row estimate, and
/// its state. A detached partition is the table <see cref="DetachedTable"/> now.
/// </summary>
public sealed record MonthlyPartition(
    BatchDbConnection Connection,
    string Table,
    string Name,
    DateTime? From,
    DateTime? To,
    bool IsDefault,
    long? Rows,
    MonthlyPartitionState State,
    string? DetachedTable = null);
