namespace BatchDb.Engine.Dialects.PostgreSql;

internal sealed partial class PostgreSqlSession
{
    public override async Task<IReadOnlyList<string>> ListTableNamesAsync(string? schema, CancellationToken cancellationToken)
    {
        // Partitions are left out: they are named through -Partition.
        var rows = await QueryAsync(
            """
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v') AND NOT c.relispartition
              AND CASE WHEN @p0::text IS NULL THEN pg_table_is_visible(c.oid) ELSE n.nspname = @p0::text END
            ORDER BY 1
            """,
            cancellationToken, schema).ConfigureAwait(false);
        return rows.Select(r => (string)r[0]!).ToList();
    }

    public override async Task<IReadOnlyList<string>> ListPartitionNamesAsync(Naming.QualifiedName table, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(@p0) ORDER BY 1",
            cancellationToken, Quote(table)).ConfigureAwait(false);
        return rows.Select(r => (string)r[0]!).ToList();
    }
}
