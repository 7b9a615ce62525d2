using BatchDb.Engine.Naming;

namespace BatchDb.Engine.Dialects.MySql;

/// <summary>The pieces of daily aggregates: INSERT … ON DUPLICATE KEY UPDATE and the unique key it needs.</summary>
internal sealed partial class MySqlSession
{
    public async Task<bool> HasUniqueKeyAsync(QualifiedName table, IReadOnlyList<string> columns, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            """
            SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS
            WHERE TABLE_SCHEMA = @p0 AND TABLE_NAME = @p1 AND NON_UNIQUE = 0 AND SUB_PART IS NULL
            """,
            cancellationToken, table.Schema, table.Name).ConfigureAwait(false);
        var wanted = columns.Select(c => c.ToLowerInvariant()).Order(StringComparer.Ordinal).ToList();
        return rows.GroupBy(r => (string)r[0]!)
            .Any(index => index.Select(r => ((string)r[1]!).ToLowerInvariant()).Order(StringComparer.Ordinal).SequenceEqual(wanted));
    }

    // MySQL evaluates the assignments left to right, so the change stamp is decided before the values are replaced.
    public string UpsertSelect(QualifiedName table, IReadOnlyList<string> columns, string select, IReadOnlyList<string> keyColumns,
        IReadOnlyList<string> valueColumns, string? changeStampColumn)
    {
        var updates = valueColumns.Select(c => $"{Quote(c)} = VALUES({Quote(c)})").ToList();
        if (changeStampColumn is not null)
        {
            var unchanged = string.Join(" AND ", valueColumns.Select(c => $"{Quote(c)} <=> VALUES({Quote(c)})"));
            updates.Insert(0, $"{Quote(changeStampColumn)} = IF({unchanged}, {Quote(changeStampColumn)}, VALUES({Quote(changeStampColumn)}))");
        }

        return $"""
            INSERT INTO {Quote(table)} ({string.Join(", ", columns.Select(Quote))})
            {select}
            ON DUPLICATE KEY UPDATE {string.Join(", ", updates)}
            """;
    }

    public bool UpsertCountsUnchangedRows => true;

    public string NullSafeEquals(string left, string right) => $"{left} <=> {right}";

    public string DeleteFromAliased(QualifiedName table, string alias) => $"DELETE {alias} FROM {Quote(table)} AS {alias}";
}
