namespace BatchDb.Engine.Dialects.MySql;

internal sealed partial class MySqlSession
{
    public override async Task<IReadOnlyList<string>> ListTableNamesAsync(string? schema, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = COALESCE(@p0, DATABASE()) ORDER BY TABLE_NAME",
            cancellationToken, schema).ConfigureAwait(false);
        return rows.Select(r => (string)r[0]!).ToList();
    }

    public override async Task<IReadOnlyList<string>> ListPartitionNamesAsync(Naming.QualifiedName table, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            """
            SELECT PARTITION_NAME FROM information_schema.PARTITIONS
            WHERE TABLE_SCHEMA = @p0 AND TABLE_NAME = @p1 AND PARTITION_NAME IS NOT NULL ORDER BY PARTITION_ORDINAL_POSITION
            """,
            cancellationToken, table.Schema, table.Name).ConfigureAwait(false);
        return rows.Select(r => (string)r[0]!).ToList();
    }
}
