using BatchDb.Engine.Naming;

namespace BatchDb.Engine.Dialects.PostgreSql;

/// <summary>The pieces of daily aggregates: INSERT … ON CONFLICT DO UPDATE and the unique key it needs.</summary>
internal sealed partial class PostgreSqlSession
{
    public async Task<bool> HasUniqueKeyAsync(QualifiedName table, IReadOnlyList<string> columns, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            """
            SELECT array_agg(a.attname::text ORDER BY a.attname)
            FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
            WHERE i.indrelid = to_regclass(@p0) AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
            GROUP BY i.indexrelid
            """,
            cancellationToken, Quote(table)).ConfigureAwait(false);
        var wanted = columns.Order(StringComparer.Ordinal).ToList();
        return rows.Any(r => ((string[])r[0]!).Order(StringComparer.Ordinal).SequenceEqual(wanted));
    }

    public string UpsertSelect(QualifiedName table, IReadOnlyList<string> columns, string select, IReadOnlyList<string> keyColumns,
        IReadOnlyList<string> valueColumns, string? changeStampColumn)
    {
        var updates = valueColumns.Concat(changeStampColumn is null ? [] : [changeStampColumn]).Select(c => $"{Quote(c)} = EXCLUDED.{Quote(c)}");
        var current = string.Join(", ", valueColumns.Select(c => $"t.{Quote(c)}"));
        var incoming = string.Join(", ", valueColumns.Select(c => $"EXCLUDED.{Quote(c)}"));
        return $"""
            INSERT INTO {Quote(table)} AS t ({string.Join(", ", columns.Select(Quote))})
            {select}
            ON CONFLICT ({string.Join(", ", keyColumns.Select(Quote))}) DO UPDATE SET {string.Join(", ", updates)}
            WHERE ROW({current}) IS DISTINCT FROM ROW({incoming})
            """;
    }

    public bool UpsertCountsUnchangedRows => false;

    public string NullSafeEquals(string left, string right) => $"{left} IS NOT DISTINCT FROM {right}";

    public string DeleteFromAliased(QualifiedName table, string alias) => $"DELETE FROM {Quote(table)} AS {alias}";
}
