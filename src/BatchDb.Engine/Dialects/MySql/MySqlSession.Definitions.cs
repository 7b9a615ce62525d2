using BatchDb.Engine.Naming;
using BatchDb.Engine.Partitioning;
using BatchDb.Engine.Switching;

namespace BatchDb.Engine.Dialects.MySql;

/// <summary>
/// The preflight of an exchange: everything MySQL compares before it raises 1736 (different
/// definitions), 1731 (work table partitioned) or 1740 (foreign keys), read from information_schema.
/// </summary>
internal sealed partial class MySqlSession
{
    // Column and index names are not case-sensitive on MySQL.
    private static readonly StringComparer IdentifierNames = StringComparer.OrdinalIgnoreCase;

    public async Task<IReadOnlyList<DefinitionDifference>> CompareDefinitionsAsync(QualifiedName table, PartitionInfo? partition, QualifiedName workTable, CancellationToken cancellationToken)
    {
        var differences = new List<DefinitionDifference>();
        var live = table;

        var liveOptions = await TableOptionsAsync(live, cancellationToken).ConfigureAwait(false);
        var workOptions = await TableOptionsAsync(workTable, cancellationToken).ConfigureAwait(false);
        if (partition is not null && workOptions.Partitioned)
        {
            differences.Add(new DefinitionDifference("table option", "partitioning", "not partitioned (plain table expected)", "partitioned"));
        }
        else if (partition is null && liveOptions.Partitioned != workOptions.Partitioned)
        {
            differences.Add(new DefinitionDifference("table option", "partitioning",
                liveOptions.Partitioned ? "partitioned" : "not partitioned", workOptions.Partitioned ? "partitioned" : "not partitioned"));
        }

        Compare(differences, "table option", "engine", liveOptions.Engine, workOptions.Engine);
        Compare(differences, "table option", "row format", liveOptions.RowFormat, workOptions.RowFormat);
        Compare(differences, "table option", "collation", liveOptions.Collation, workOptions.Collation);
        Compare(differences, "table option", "create options", liveOptions.CreateOptions, workOptions.CreateOptions);

        DefinitionComparison.AddDifferences(differences, "column", await ColumnsAsync(live, cancellationToken).ConfigureAwait(false), await ColumnsAsync(workTable, cancellationToken).ConfigureAwait(false), IdentifierNames);
        DefinitionComparison.AddDifferences(differences, "index", await IndexesAsync(live, cancellationToken).ConfigureAwait(false), await IndexesAsync(workTable, cancellationToken).ConfigureAwait(false), IdentifierNames);

        if (partition is null)
        {
            return differences;
        }

        // Only the work table's own keys: those that reference it are found in every schema's tables, a scan too costly
        // for each switch; the exchange refuses them (1740) and ExchangePartitionAsync names them then.
        var foreignKeys = await QueryAsync(
            "SELECT CONSTRAINT_NAME, REFERENCED_TABLE_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = @p0 AND TABLE_NAME = @p1",
            cancellationToken, workTable.Schema, workTable.Name).ConfigureAwait(false);
        foreach (var fk in foreignKeys)
        {
            differences.Add(new DefinitionDifference("foreign key", (string)fk[0]!, null,
                $"references {fk[1]}; MySQL cannot exchange a table that has or is the target of a foreign key"));
        }

        return differences;
    }

    /// <summary>The foreign keys of other tables that reference <paramref name="table"/>, as "schema.table (key)".</summary>
    private async Task<IReadOnlyList<string>> ReferencingForeignKeysAsync(QualifiedName table, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            """
            SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS
            WHERE UNIQUE_CONSTRAINT_SCHEMA = @p0 AND REFERENCED_TABLE_NAME = @p1 ORDER BY CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME
            """,
            cancellationToken, table.Schema, table.Name).ConfigureAwait(false);
        return rows.Select(r => $"{r[0]}.{r[1]} ({r[2]})").ToList();
    }

    private static void Compare(List<DefinitionDifference> differences, string aspect, string name, string? live, string? work)
    {
        if (!string.Equals(live, work, StringComparison.OrdinalIgnoreCase))
        {
            differences.Add(new DefinitionDifference(aspect, name, live ?? "(none)", work ?? "(none)"));
        }
    }

    private async Task<(bool Partitioned, string? Engine, string? RowFormat, string? Collation, string CreateOptions)> TableOptionsAsync(QualifiedName table, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            "SELECT ENGINE, ROW_FORMAT, TABLE_COLLATION, CREATE_OPTIONS FROM information_schema.TABLES WHERE TABLE_SCHEMA = @p0 AND TABLE_NAME = @p1",
            cancellationToken, table.Schema, table.Name).ConfigureAwait(false);
        var row = rows[0];
        var options = (row[3] as string ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var partitioned = options.RemoveAll(o => o.Equals("partitioned", StringComparison.OrdinalIgnoreCase)) > 0;
        options.Sort(StringComparer.OrdinalIgnoreCase);
        return (partitioned, row[0] as string, row[1] as string, row[2] as string, string.Join(' ', options));
    }

    private async Task<IReadOnlyList<(string Name, string Definition)>> ColumnsAsync(QualifiedName table, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            """
            SELECT COLUMN_NAME, ORDINAL_POSITION, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, CHARACTER_SET_NAME, COLLATION_NAME, EXTRA
            FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = @p0 AND TABLE_NAME = @p1 ORDER BY ORDINAL_POSITION
            """,
            cancellationToken, table.Schema, table.Name).ConfigureAwait(false);
        return rows.Select(r =>
        {
            var definition = $"position {r[1]}, {r[2]}{((string)r[3]! == "NO" ? " NOT NULL" : " NULL")}";
            if (r[4] is not null)
            {
                definition += $" DEFAULT {r[4]}";
            }

            if (r[5] is not null)
            {
                definition += $" CHARACTER SET {r[5]} COLLATE {r[6]}";
            }

            if (r[7] is string extra && extra.Length > 0)
            {
                definition += $" {extra}";
            }

            return ((string)r[0]!, definition);
        }).ToList();
    }

    private async Task<IReadOnlyList<(string Name, string Definition)>> IndexesAsync(QualifiedName table, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            """
            SELECT INDEX_NAME, NON_UNIQUE, INDEX_TYPE, COLUMN_NAME, SUB_PART, COLLATION
            FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = @p0 AND TABLE_NAME = @p1 ORDER BY INDEX_NAME, SEQ_IN_INDEX
            """,
            cancellationToken, table.Schema, table.Name).ConfigureAwait(false);
        return rows.GroupBy(r => (string)r[0]!, StringComparer.OrdinalIgnoreCase).Select(g =>
        {
            var first = g.First();
            var unique = Convert.ToInt64(first[1], System.Globalization.CultureInfo.InvariantCulture) == 0 ? "UNIQUE " : string.Empty;
            var columns = string.Join(", ", g.Select(r => r[4] is null ? $"{r[3]}{(r[5] as string == "D" ? " DESC" : string.Empty)}" : $"{r[3]}({r[4]})"));
            return (g.Key, $"{unique}{first[2]} ({columns})");
        }).ToList();
    }
}
