using BatchDb.Engine.Csv;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Naming;
using BatchDb.Engine.Partitioning;
using BatchDb.Engine.Switching;
using Npgsql;

namespace BatchDb.Engine.Dialects.PostgreSql;

/// <summary>
/// A PostgreSQL session. This version connects and qualifies names; work tables and partition switches
/// on PostgreSQL are refused with a clear error until the PostgreSQL double-buffering slice lands.
/// </summary>
internal sealed class PostgreSqlSession(NpgsqlConnection connection) : DatabaseSession
{
    public override string ServerVersion => connection.PostgreSqlVersion.ToString();

    public override QualifiedName Qualify(QualifiedName name) => name.Schema is null ? QualifiedName.Parse($"public.{name.Name}") : name;

    public override Task<bool> TableExistsAsync(QualifiedName table, CancellationToken cancellationToken) => throw NotYet();

    public override Task<PartitionInfo> DescribePartitionAsync(QualifiedName table, string partition, CancellationToken cancellationToken) => throw NotYet();

    public override Task CreateWorkTableAsync(PartitionInfo partition, QualifiedName workTable, CancellationToken cancellationToken) => throw NotYet();

    public override Task DropTableAsync(QualifiedName table, CancellationToken cancellationToken) => throw NotYet();

    public override Task TruncateAsync(QualifiedName table, CancellationToken cancellationToken) => throw NotYet();

    public override Task<long> LoadCsvAsync(QualifiedName table, CsvFileInfo file, CsvFormat format, CancellationToken cancellationToken) => throw NotYet();

    public override Task<long> CountRowsAsync(QualifiedName table, string? partition, CancellationToken cancellationToken) => throw NotYet();

    public override Task<OutsideRows> FindRowsOutsideAsync(QualifiedName table, PartitionInfo partition, CancellationToken cancellationToken) => throw NotYet();

    public override Task AnalyzeAsync(QualifiedName table, CancellationToken cancellationToken) => throw NotYet();

    public override Task<IReadOnlyList<DefinitionDifference>> CompareDefinitionsAsync(PartitionInfo partition, QualifiedName workTable, CancellationToken cancellationToken) => throw NotYet();

    public override Task<bool> ExchangePartitionAsync(PartitionInfo partition, QualifiedName workTable, TimeSpan lockWait, bool rowsAlreadyValidated, CancellationToken cancellationToken) => throw NotYet();

    public override Task<IReadOnlyList<BlockingSession>> FindBlockersAsync(QualifiedName table, CancellationToken cancellationToken) => throw NotYet();

    public override async ValueTask DisposeAsync() => await connection.DisposeAsync().ConfigureAwait(false);

    private static BatchDbException NotYet() => new(ErrorIds.NotSupported, BatchDbErrorKind.NotSupported,
        "Work tables and partition switches are not yet available on PostgreSQL in this version of BatchDb; they work on MySQL and MariaDB.");
}
