using BatchDb.Engine.Naming;
using BatchDb.Engine.Partitioning;
using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Switching;

/// <summary>What swapping needs from a database: partitions described and checked, definitions compared, and the swaps themselves.</summary>
[Capability("partition and table swaps")]
internal interface ISwapSession
{
    /// <summary>Reads a partition from the catalog; fails clearly for a missing table or partition.</summary>
    Task<PartitionInfo> DescribePartitionAsync(QualifiedName table, string partition, CancellationToken cancellationToken);

    /// <summary>The rows of a table, or of one of its partitions when <paramref name="partition"/> is given.</summary>
    Task<long> CountRowsAsync(QualifiedName table, PartitionInfo? partition, CancellationToken cancellationToken);

    Task<OutsideRows> FindRowsOutsideAsync(QualifiedName table, PartitionInfo partition, CancellationToken cancellationToken);

    /// <summary>
    /// Where the engine can prove to itself that a table's rows fit a partition (PostgreSQL: a validated CHECK
    /// constraint equal to the bound, so ATTACH skips its scan), makes it so. Scans the table if it has rows.
    /// </summary>
    Task ConstrainToPartitionAsync(PartitionInfo partition, QualifiedName workTable, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>What would make the swap fail, or change what readers of <paramref name="table"/> see.</summary>
    Task<IReadOnlyList<DefinitionDifference>> CompareDefinitionsAsync(QualifiedName table, PartitionInfo? partition, QualifiedName workTable, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the exchange itself scans the work table and refuses rows outside the partition (MariaDB before 11.4
    /// has no WITHOUT VALIDATION): the switch then leaves that check to it, and names the rows only if it refuses.
    /// </summary>
    bool ExchangeChecksRows => false;

    /// <summary>
    /// Swaps the partition and the work table, waiting at most <paramref name="lockWait"/> for the lock.
    /// Returns false when the lock wait ran out (nothing changed). <paramref name="rowsAlreadyValidated"/> lets
    /// the server skip its own row scan where it can.
    /// </summary>
    Task<bool> ExchangePartitionAsync(PartitionInfo partition, QualifiedName workTable, TimeSpan lockWait, bool rowsAlreadyValidated, CancellationToken cancellationToken);

    /// <summary>Work after a committed exchange that must not run while readers are held (statistics, constraints).</summary>
    Task AfterExchangeAsync(PartitionInfo partition, QualifiedName workTable, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Refreshes the statistics of a partitioned table as a whole after partitions were exchanged, where the server
    /// keeps them apart from its partitions' and never refreshes them itself (PostgreSQL).
    /// </summary>
    Task AnalyzePartitionedTableAsync(QualifiedName table, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Whether <see cref="AnalyzePartitionedTableAsync"/> also samples each partition (PostgreSQL): the import into a
    /// partition's work table then leaves its statistics to the one after the switch, rather than sampling it twice.
    /// </summary>
    bool PartitionedTableAnalyzeCoversPartitions => false;

    /// <summary>Swaps two tables' names atomically; false when the lock wait ran out (nothing changed).</summary>
    Task<bool> SwapTablesAsync(QualifiedName table, QualifiedName workTable, TimeSpan lockWait, CancellationToken cancellationToken);

    /// <summary>Points the view at the standby table and records it in the control row; false when the lock wait ran out.</summary>
    Task<bool> FlipViewSwitchAsync(ViewSwitchState state, TimeSpan lockWait, CancellationToken cancellationToken);

    /// <summary>The sessions that hold, or may hold, locks on <paramref name="table"/>.</summary>
    Task<IReadOnlyList<BlockingSession>> FindBlockersAsync(QualifiedName table, CancellationToken cancellationToken);
}
