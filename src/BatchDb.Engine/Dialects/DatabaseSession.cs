using BatchDb.Engine.Csv;
using BatchDb.Engine.Naming;
using BatchDb.Engine.Partitioning;
using BatchDb.Engine.Switching;

namespace BatchDb.Engine.Dialects;

/// <summary>
/// One open connection and the engine-specific steps that the work-table and switching operations are
/// composed of. Every name passed in has already been validated by <see cref="QualifiedName"/>.
/// </summary>
internal abstract class DatabaseSession : IAsyncDisposable
{
    public abstract string ServerVersion { get; }

    /// <summary>Fills in the connection's default schema or database where the name has none.</summary>
    public abstract QualifiedName Qualify(QualifiedName name);

    public abstract Task<bool> TableExistsAsync(QualifiedName table, CancellationToken cancellationToken);

    /// <summary>Reads a partition from the catalog; fails clearly for a missing table or partition.</summary>
    public abstract Task<PartitionInfo> DescribePartitionAsync(QualifiedName table, string partition, CancellationToken cancellationToken);

    /// <summary>Creates a plain table with the partitioned table's exact definition, index names included.</summary>
    public abstract Task CreateWorkTableAsync(PartitionInfo partition, QualifiedName workTable, CancellationToken cancellationToken);

    public abstract Task DropTableAsync(QualifiedName table, CancellationToken cancellationToken);

    public abstract Task TruncateAsync(QualifiedName table, CancellationToken cancellationToken);

    /// <summary>Bulk-loads a CSV file; any row the server had to alter or skip is an error naming its line.</summary>
    public abstract Task<long> LoadCsvAsync(QualifiedName table, CsvFileInfo file, CsvFormat format, CancellationToken cancellationToken);

    public abstract Task<long> CountRowsAsync(QualifiedName table, string? partition, CancellationToken cancellationToken);

    public abstract Task<OutsideRows> FindRowsOutsideAsync(QualifiedName table, PartitionInfo partition, CancellationToken cancellationToken);

    public abstract Task AnalyzeAsync(QualifiedName table, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<DefinitionDifference>> CompareDefinitionsAsync(PartitionInfo partition, QualifiedName workTable, CancellationToken cancellationToken);

    /// <summary>
    /// Swaps the partition and the work table, waiting at most <paramref name="lockWait"/> for the lock.
    /// Returns false when the lock wait ran out (nothing changed). <paramref name="rowsAlreadyValidated"/> lets
    /// the server skip its own row scan where it can.
    /// </summary>
    public abstract Task<bool> ExchangePartitionAsync(PartitionInfo partition, QualifiedName workTable, TimeSpan lockWait, bool rowsAlreadyValidated, CancellationToken cancellationToken);

    /// <summary>The sessions that hold, or may hold, locks on <paramref name="table"/>.</summary>
    public abstract Task<IReadOnlyList<BlockingSession>> FindBlockersAsync(QualifiedName table, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}
