using System.Globalization;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Executions;
using BatchDb.Engine.Naming;
using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Aggregates;

/// <summary>
/// A definition checked against the catalog and turned into the engine's SQL: @p0 is the day, @p1 and @p2 the
/// UTC range of its source rows. Averages into an exact numeric column are computed from the exact sum at 30
/// decimal places and rounded half away from zero to the column's scale, so both engines give the same cents.
/// </summary>
internal sealed class AggregatePlan
{
    private AggregatePlan(QualifiedName source, QualifiedName table, string date, string? changedColumn, string upsert, string removeVanished, string countDay)
    {
        Source = source;
        Table = table;
        Date = date;
        ChangedColumn = changedColumn;
        Upsert = upsert;
        RemoveVanished = removeVanished;
        CountDay = countDay;
    }

    public QualifiedName Source { get; }

    public QualifiedName Table { get; }

    /// <summary>The source's date column, quoted.</summary>
    public string Date { get; }

    /// <summary>The source's changed column as the catalog spells it; null when the definition has none.</summary>
    public string? ChangedColumn { get; }

    /// <summary>The name the high-water mark of "since the last run" is kept under, with the table as its target.</summary>
    public string MarkSource => $"aggregate:{Source}";

    public string Upsert { get; }

    public string RemoveVanished { get; }

    private string CountDay { get; }

    public async Task<int> CountDayAsync(DatabaseSession session, DateTime date, CancellationToken cancellationToken) =>
        Convert.ToInt32((await session.QueryRowsAsync(CountDay, cancellationToken, date).ConfigureAwait(false))[0][0], CultureInfo.InvariantCulture);

    public static async Task<AggregatePlan> CreateAsync(DatabaseSession session, AggregateDefinition definition, CancellationToken cancellationToken)
    {
        var upserts = session.Require<IUpsertSession>();
        var source = await RequireTableAsync(session, definition.SourceTable, "source", cancellationToken).ConfigureAwait(false);
        var table = await RequireTableAsync(session, definition.Table, "aggregate", cancellationToken).ConfigureAwait(false);
        var sourceColumns = await session.DescribeColumnsAsync(source, cancellationToken).ConfigureAwait(false);
        var tableColumns = await session.DescribeColumnsAsync(table, cancellationToken).ConfigureAwait(false);

        TableColumn In(IReadOnlyList<TableColumn> columns, QualifiedName owner, string name, string role) =>
            ColumnNames.Find(columns, c => c.Name, name)
            ?? throw new BatchDbException(ErrorIds.ColumnNotFound, BatchDbErrorKind.InvalidArgument,
                $"The {role} {name} is not a column of {owner}. Its columns are: {string.Join(", ", columns.Select(c => c.Name))}.") { Target = $"{owner}.{name}" };

        var q = session.QuoteIdentifier;
        var dateColumn = In(sourceColumns, source, QualifiedName.ValidateIdentifier(definition.DateColumn, "date column"), "date column").Name;
        var tableDate = In(tableColumns, table, QualifiedName.ValidateIdentifier(definition.TableDateColumn, "table date column"), "date column").Name;
        var groups = definition.GroupBy.Select(g => (Source: In(sourceColumns, source, QualifiedName.ValidateIdentifier(g, "group column"), "group column").Name,
            Table: In(tableColumns, table, g, "group column").Name)).ToList();
        var measures = definition.Measures.Select(m =>
        {
            var target = In(tableColumns, table, m.Column, "measure column");
            var column = m.SourceColumn is null ? null : q(In(sourceColumns, source, m.SourceColumn, "measure source column").Name);
            return (Table: target.Name, Expression: Expression(m, column, target.Scale));
        }).ToList();
        var lastUpdated = definition.LastUpdatedColumn is { } lu ? In(tableColumns, table, QualifiedName.ValidateIdentifier(lu, "last-updated column"), "last-updated column").Name : null;
        var changed = definition.ChangedColumn is { } ch ? In(sourceColumns, source, QualifiedName.ValidateIdentifier(ch, "changed column"), "changed column").Name : null;

        var key = new[] { tableDate }.Concat(groups.Select(g => g.Table)).ToList();
        if (!await upserts.HasUniqueKeyAsync(table, key, cancellationToken).ConfigureAwait(false))
        {
            throw new BatchDbException(ErrorIds.UniqueKeyRequired, BatchDbErrorKind.InvalidOperation,
                $"{table} needs a primary key or unique index on exactly ({string.Join(", ", key)}) for its rows to be updated in place; " +
                $"add it with: ALTER TABLE {session.QuoteName(table)} ADD PRIMARY KEY ({string.Join(", ", key.Select(q))})")
            { Target = table.ToString() };
        }

        var inDay = $"{q(dateColumn)} >= @p1 AND {q(dateColumn)} < @p2";
        var groupList = string.Join(string.Empty, groups.Select(g => ", " + q(g.Source)));
        var select = $"""
            SELECT CAST(@p0 AS DATE){groupList}, {string.Join(", ", measures.Select(m => m.Expression))}{(lastUpdated is null ? string.Empty : ", " + Ledger.SqlOf(session).UtcNow)}
            FROM {session.QuoteName(source)} WHERE {inDay}
            {(groups.Count == 0 ? string.Empty : "GROUP BY " + string.Join(", ", groups.Select(g => q(g.Source))))} HAVING COUNT(*) > 0
            """;
        var columns = key.Concat(measures.Select(m => m.Table)).Concat(lastUpdated is null ? [] : [lastUpdated]).ToList();
        var upsert = upserts.UpsertSelect(table, columns, select, key, measures.Select(m => m.Table).ToList(), lastUpdated);
        var sameGroup = string.Join(string.Empty, groups.Select(g => " AND " + upserts.NullSafeEquals($"s.{q(g.Source)}", $"t.{q(g.Table)}")));
        var removeVanished = $"""
            {upserts.DeleteFromAliased(table, "t")}
            WHERE t.{q(tableDate)} = CAST(@p0 AS DATE)
              AND NOT EXISTS (SELECT 1 FROM {session.QuoteName(source)} AS s WHERE s.{q(dateColumn)} >= @p1 AND s.{q(dateColumn)} < @p2{sameGroup})
            """;
        var countDay = $"SELECT COUNT(*) FROM {session.QuoteName(table)} WHERE {q(tableDate)} = CAST(@p0 AS DATE)";
        return new AggregatePlan(source, table, q(dateColumn), changed, upsert, removeVanished, countDay);
    }

    private static string Expression(AggregateMeasure measure, string? column, int? scale) => measure.Function switch
    {
        AggregateFunction.Count => column is null ? "COUNT(*)" : $"COUNT({column})",
        AggregateFunction.Sum => $"SUM({column})",
        AggregateFunction.Min => $"MIN({column})",
        AggregateFunction.Max => $"MAX({column})",
        AggregateFunction.Avg when scale is { } s => FormattableString.Invariant($"ROUND(CAST(SUM({column}) AS DECIMAL(65,30)) / NULLIF(COUNT({column}), 0), {s})"),
        _ => $"AVG({column})",
    };

    private static async Task<QualifiedName> RequireTableAsync(DatabaseSession session, string name, string role, CancellationToken cancellationToken)
    {
        var table = await session.ResolveAsync(QualifiedName.Parse(name), cancellationToken).ConfigureAwait(false);
        return await session.TableExistsAsync(table, cancellationToken).ConfigureAwait(false)
            ? table
            : throw new BatchDbException(ErrorIds.TableNotFound, BatchDbErrorKind.ObjectNotFound, $"The {role} table {table} does not exist.") { Target = table.ToString() };
    }
}
