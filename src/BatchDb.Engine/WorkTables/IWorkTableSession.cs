using BatchDb.Engine.Csv;
using BatchDb.Engine.Naming;
using BatchDb.Engine.Partitioning;
using BatchDb.Engine.Sql;

namespace BatchDb.Engine.WorkTables;

/// <summary>What work tables need from a database: a copy of a table's definition, and a bulk load of a CSV file.</summary>
[Capability("work tables")]
internal interface IWorkTableSession
{
    /// <summary>Creates a plain table with the exact definition of the table (or of its partition), index names included where they must match.</summary>
    Task CreateWorkTableAsync(QualifiedName table, PartitionInfo? partition, QualifiedName workTable, CancellationToken cancellationToken);

    /// <summary>Bulk-loads a CSV file; any row the server had to alter or skip is an error naming its line.</summary>
    /// <remarks><paramref name="position"/>, when given, hears the file position as the bytes are sent.</remarks>
    Task<long> LoadCsvAsync(QualifiedName table, CsvFileInfo file, CsvFormat format, IProgress<long>? position, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="load"/> into the work table. With <paramref name="indexAfter"/> the work table's indexes are
    /// built once the rows are in, by sorting them, instead of being kept up to date row by row; <paramref name="indexing"/>
    /// hears when that starts. Whether the load succeeds or fails, the work table ends with the indexes of
    /// <paramref name="table"/>, the table it was made from, as the swap's definition checks require.
    /// </summary>
    Task<long> LoadThenIndexAsync(QualifiedName table, QualifiedName workTable, bool indexAfter, Func<CancellationToken, Task<long>> load, Action indexing,
        CancellationToken cancellationToken);
}
