using BatchDb.Engine.Connections;
using BatchDb.Engine.Naming;

namespace BatchDb.Engine.Catalog;

/// <summary>Names in a database's catalog as users type them, for Tab completion.</summary>
internal static class CatalogNames
{
    /// <summary>Tables and views of <paramref name="schema"/>, or of the connection's default schema (database on MySQL) when null.</summary>
    public static async Task<IReadOnlyList<string>> GetTablesAsync(BatchDbConnection connection, string? schema, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var session = await connection.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        return await session.ListTableNamesAsync(schema, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The partitions of <paramref name="table"/>: names on MySQL, partition tables on PostgreSQL; empty when it has none.</summary>
    public static async Task<IReadOnlyList<string>> GetPartitionsAsync(BatchDbConnection connection, string table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var session = await connection.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        var resolved = await session.ResolveAsync(QualifiedName.Parse(table), cancellationToken).ConfigureAwait(false);
        return await session.ListPartitionNamesAsync(resolved, cancellationToken).ConfigureAwait(false);
    }
}
