using BatchDb.Engine.Naming;
using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Partitioning;

/// <summary>What monthly partitions need from a database: RANGE partitions read, added and retired.</summary>
[Capability("monthly RANGE partitions")]
internal interface IRangePartitionSession
{
    /// <summary>The RANGE partitions of a table partitioned on one date or timestamp column, in bound order.</summary>
    Task<IReadOnlyList<RangePartition>> DescribeRangePartitionsAsync(QualifiedName table, CancellationToken cancellationToken);

    /// <summary>The name a monthly partition gets on this engine.</summary>
    string MonthlyPartitionName(QualifiedName table, DateOnly month);

    /// <summary>Whether a RANGE partition can only be added after the last bounded one (MySQL), not into a gap (PostgreSQL).</summary>
    bool AddsRangePartitionsOnlyAtTheEnd { get; }

    /// <summary>Adds a RANGE partition for [From, To).</summary>
    Task AddRangePartitionAsync(QualifiedName table, RangePartition partition, CancellationToken cancellationToken);

    /// <summary>Drops a partition with its rows, or detaches it into a table of its own, whose name is returned.</summary>
    Task<QualifiedName?> RetireRangePartitionAsync(QualifiedName table, RangePartition partition, bool detach, CancellationToken cancellationToken);
}
