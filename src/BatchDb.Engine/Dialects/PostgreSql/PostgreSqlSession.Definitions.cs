using BatchDb.Engine.Naming;
using BatchDb.Engine.Partitioning;
using BatchDb.Engine.Switching;

namespace BatchDb.Engine.Dialects.PostgreSql;

/// <summary>
/// The preflight of a swap on PostgreSQL: what ATTACH PARTITION would refuse (columns, NOT NULL, CHECK
/// constraints, an already attached or partitioned table) and what it would silently do under the lock
/// (build a missing index), read from the catalog.
/// </summary>
internal sealed partial class PostgreSqlSession
{
    public override async Task<IReadOnlyList<DefinitionDifference>> CompareDefinitionsAsync(QualifiedName table, PartitionInfo? partition, QualifiedName workTable, CancellationToken cancellationToken)
    {
        var live = partition?.PartitionTable ?? table;
        var differences = new List<DefinitionDifference>();

        var kind = await QueryAsync(
            "SELECT relkind::text, relispartition, relpersistence::text, EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = c.oid) FROM pg_class c WHERE oid = to_regclass(@p0)",
            cancellationToken, Quote(workTable)).ConfigureAwait(false);
        var work = kind[0];
        var liveKey = partition is null ? await PartitionKeyAsync(live, cancellationToken).ConfigureAwait(false) : null;
        var expectedKind = liveKey is null ? "r" : "p";
        if ((string)work[0]! != expectedKind)
        {
            differences.Add(new DefinitionDifference("table option", "kind", liveKey is null ? "plain table" : $"partitioned table ({liveKey})",
                (string)work[0]! switch { "p" => "partitioned table", "r" => "plain table", _ => "not a table" }));
        }
        else if (liveKey is not null)
        {
            // A whole partitioned table: the same key and the same partitions, matched by their bounds.
            var workKey = await PartitionKeyAsync(workTable, cancellationToken).ConfigureAwait(false);
            if (!string.Equals(liveKey, workKey, StringComparison.Ordinal))
            {
                differences.Add(new DefinitionDifference("table option", "partition key", liveKey, workKey));
            }

            CompareKeyed(differences, "partition",
                (await PartitionBoundsAsync(live, cancellationToken).ConfigureAwait(false)).Select(p => (p.Bound, p.Name)).ToList(),
                (await PartitionBoundsAsync(workTable, cancellationToken).ConfigureAwait(false)).Select(p => (p.Bound, p.Bound)).ToList(),
                definitionsDiffer: false);
        }

        if ((bool)work[1]! || (bool)work[3]!)
        {
            differences.Add(new DefinitionDifference("table option", "inheritance", "standalone table", "already a partition or inheritance child"));
        }

        if ((string)work[2]! != "p")
        {
            differences.Add(new DefinitionDifference("table option", "persistence", "permanent", (string)work[2]! == "u" ? "unlogged" : "temporary"));
        }

        CompareKeyed(differences, "column", await ColumnDefinitionsAsync(live, cancellationToken).ConfigureAwait(false), await ColumnDefinitionsAsync(workTable, cancellationToken).ConfigureAwait(false));
        CompareKeyed(differences, "index", await IndexDefinitionsAsync(live, cancellationToken).ConfigureAwait(false), await IndexDefinitionsAsync(workTable, cancellationToken).ConfigureAwait(false));
        CompareKeyed(differences, "constraint", await ConstraintDefinitionsAsync(live, cancellationToken).ConfigureAwait(false), await ConstraintDefinitionsAsync(workTable, cancellationToken).ConfigureAwait(false));
        return differences;
    }

    private static void CompareKeyed(List<DefinitionDifference> differences, string aspect, IReadOnlyList<(string Key, string Definition)> live, IReadOnlyList<(string Key, string Definition)> work,
        bool definitionsDiffer = true)
    {
        var workByKey = work.GroupBy(w => w.Key).ToDictionary(g => g.Key, g => g.First().Definition, StringComparer.Ordinal);
        foreach (var (key, definition) in live)
        {
            if (!workByKey.Remove(key, out var workDefinition))
            {
                differences.Add(new DefinitionDifference(aspect, key, definition, null));
            }
            else if (definitionsDiffer && !string.Equals(definition, workDefinition, StringComparison.Ordinal))
            {
                differences.Add(new DefinitionDifference(aspect, key, definition, workDefinition));
            }
        }

        foreach (var (key, definition) in workByKey)
        {
            differences.Add(new DefinitionDifference(aspect, key, null, definition));
        }
    }

    private async Task<IReadOnlyList<(string, string)>> ColumnDefinitionsAsync(QualifiedName table, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            """
            SELECT a.attname,
                   format_type(a.atttypid, a.atttypmod)
                   || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE ' NULL' END
                   || COALESCE(' COLLATE ' || quote_ident(co.collname), '')
                   || CASE a.attidentity WHEN 'a' THEN ' GENERATED ALWAYS AS IDENTITY' WHEN 'd' THEN ' GENERATED BY DEFAULT AS IDENTITY' ELSE '' END
                   || CASE WHEN a.attgenerated = 's' THEN ' GENERATED ALWAYS AS (' || pg_get_expr(d.adbin, d.adrelid) || ') STORED' ELSE '' END
            FROM pg_attribute a
            LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> (SELECT typcollation FROM pg_type WHERE oid = a.atttypid)
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attrelid = to_regclass(@p0) AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """,
            cancellationToken, Quote(table)).ConfigureAwait(false);
        return rows.Select(r => ((string)r[0]!, (string)r[1]!)).ToList();
    }

    /// <summary>Indexes by what they index; names may differ, as ATTACH matches indexes by definition.</summary>
    private async Task<IReadOnlyList<(string, string)>> IndexDefinitionsAsync(QualifiedName table, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            """
            SELECT CASE WHEN i.indisprimary THEN 'PRIMARY KEY ' WHEN i.indisunique THEN 'UNIQUE ' ELSE '' END
                   || substring(pg_get_indexdef(i.indexrelid) FROM ' USING (.*)$')
            FROM pg_index i
            WHERE i.indrelid = to_regclass(@p0)
            ORDER BY 1
            """,
            cancellationToken, Quote(table)).ConfigureAwait(false);
        return rows.Select(r => ((string)r[0]!, (string)r[0]!)).ToList();
    }

    /// <summary>CHECK and foreign key constraints keyed by definition; BatchDb's own bound constraint is left out.</summary>
    private async Task<IReadOnlyList<(string, string)>> ConstraintDefinitionsAsync(QualifiedName table, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            """
            SELECT pg_get_constraintdef(oid) FROM pg_constraint
            WHERE conrelid = to_regclass(@p0) AND contype IN ('c', 'f') AND conname <> @p1
            ORDER BY 1
            """,
            cancellationToken, Quote(table), BoundConstraint).ConfigureAwait(false);
        return rows.Select(r => ((string)r[0]!, (string)r[0]!)).ToList();
    }
}
