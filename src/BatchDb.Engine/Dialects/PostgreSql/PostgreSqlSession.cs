using System.Globalization;
using BatchDb.Engine.Aggregates;
using BatchDb.Engine.Cdc;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Executions;
using BatchDb.Engine.Extracts;
using BatchDb.Engine.Naming;
using BatchDb.Engine.Partitioning;
using BatchDb.Engine.Sql;
using BatchDb.Engine.Switching;
using BatchDb.Engine.ViewSwitching;
using BatchDb.Engine.WorkTables;
using Npgsql;

namespace BatchDb.Engine.Dialects.PostgreSql;

/// <summary>
/// A PostgreSQL session: plumbing, name resolution and catalog look-ups. Loading, definitions and the
/// partition swap are in the other parts.
/// </summary>
/// <param name="connectionString">The session's connection string, for the replication connection a change stream opens beside it.</param>
internal sealed partial class PostgreSqlSession(NpgsqlConnection connection, string connectionString) : DatabaseSession, ISwapSession, IWorkTableSession,
    IViewSwitchSession, IRangePartitionSession, ILedgerSession, IUpsertSession, IBulkCopySession, IChangeStreamSession
{
    /// <summary>The CHECK constraint that proves a work table's rows fit its partition, so ATTACH skips its scan.</summary>
    internal const string BoundConstraint = "batchdb_partition_bound";

    public override string ServerVersion => connection.PostgreSqlVersion.ToString();

    public override string EngineName => "PostgreSQL";

    public override async Task<QualifiedName> ResolveAsync(QualifiedName name, CancellationToken cancellationToken)
    {
        // An existing relation is found as spelled (a quoted name) or as SQL folds an unquoted one; a new name is
        // folded, so -Table T_STOCK means t_stock exactly as it does in psql unless "T_STOCK" exists.
        var rows = await QueryAsync(
            """
            SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.oid = COALESCE(to_regclass(@p0), to_regclass(@p1))
            """,
            cancellationToken, QuoteForLookup(name, fold: false), QuoteForLookup(name, fold: true)).ConfigureAwait(false);
        if (rows.Count > 0)
        {
            return QualifiedName.Parse($"{rows[0][0]}.{rows[0][1]}");
        }

        var schema = name.Schema is null
            ? (string)(await QueryAsync("SELECT current_schema()", cancellationToken).ConfigureAwait(false))[0][0]!
            : await ResolveSchemaAsync(name.Schema, cancellationToken).ConfigureAwait(false);
        return QualifiedName.Parse($"{schema}.{Fold(name.Name)}");
    }

    public override async Task<TableKind> DescribeTableAsync(QualifiedName table, CancellationToken cancellationToken)
    {
        // The catalog, not to_regclass: a schema the login may not use (no USAGE) must not fail the question "is it there?".
        var rows = await QueryAsync(
            "SELECT c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = @p0 AND c.relname = @p1",
            cancellationToken, table.Schema, table.Name).ConfigureAwait(false);
        return rows.Count == 0 ? TableKind.Missing : (string)rows[0][0]! switch
        {
            "p" => TableKind.PartitionedTable,
            "v" or "m" => TableKind.View,
            _ => TableKind.Table,
        };
    }

    public async Task<PartitionInfo> DescribePartitionAsync(QualifiedName table, string partition, CancellationToken cancellationToken)
    {
        var kind = await DescribeTableAsync(table, cancellationToken).ConfigureAwait(false);
        if (kind == TableKind.Missing)
        {
            throw new BatchDbException(ErrorIds.TableNotFound, BatchDbErrorKind.ObjectNotFound,
                $"The table {table} does not exist.") { Target = table.ToString() };
        }

        if (kind != TableKind.PartitionedTable)
        {
            throw new BatchDbException(ErrorIds.TableNotPartitioned, BatchDbErrorKind.InvalidOperation,
                $"The table {table} is not partitioned; use Switch-Table to swap whole tables.") { Target = table.ToString() };
        }

        var rows = await WithParentLockedAsync(table, () => QueryAsync(
            """
            SELECT n.nspname, c.relname, c.relkind::text, pg_get_expr(c.relpartbound, c.oid), pg_get_partition_constraintdef(c.oid),
                   pt.partstrat::text, pg_get_partkeydef(pt.partrelid)
            FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_partitioned_table pt ON pt.partrelid = i.inhparent
            WHERE i.inhparent = to_regclass(@p0)
            ORDER BY c.relname
            """,
            cancellationToken, Quote(table)), cancellationToken).ConfigureAwait(false);
        var row = rows.Find(r => (string)r[1]! == partition) ?? rows.Find(r => (string)r[1]! == Fold(partition));
        if (row is null)
        {
            var names = rows.Count == 0 ? "(none)" : string.Join(", ", rows.Select(r => (string)r[1]!));
            throw new BatchDbException(ErrorIds.PartitionNotFound, BatchDbErrorKind.ObjectNotFound,
                $"The table {table} has no partition '{partition}'. Its partitions are: {names}.") { Target = $"{table}:{partition}" };
        }

        var name = (string)row[1]!;
        var method = (string)row[5]! switch
        {
            "l" => "LIST",
            "r" => "RANGE",
            _ => throw new BatchDbException(ErrorIds.PartitioningNotSupported, BatchDbErrorKind.NotSupported,
                $"The table {table} is partitioned by HASH; BatchDb switches LIST and RANGE partitions on PostgreSQL.") { Target = table.ToString() },
        };
        if ((string)row[2]! != "r")
        {
            throw new BatchDbException(ErrorIds.PartitioningNotSupported, BatchDbErrorKind.NotSupported,
                $"The partition {name} of {table} is itself partitioned or a foreign table; BatchDb switches plain partitions only.") { Target = $"{table}:{name}" };
        }

        var keyDefinition = (string)row[6]!;
        var expression = keyDefinition[(keyDefinition.IndexOf('(', StringComparison.Ordinal) + 1)..keyDefinition.LastIndexOf(')')];
        return new PartitionInfo(table, name, method, expression, (string)row[3]!, row[4] as string,
            QualifiedName.Parse($"{row[0]}.{name}"));
    }

    /// <summary>
    /// Runs a catalog query that opens the partitions (pg_get_partition_constraintdef locks each partition, then
    /// the parent) with the parent locked first, as DETACH and ATTACH lock them: the other order deadlocks with a
    /// concurrent switch of another partition.
    /// </summary>
    private async Task<T> WithParentLockedAsync<T>(QualifiedName table, Func<Task<T>> query, CancellationToken cancellationToken)
    {
        await BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync($"LOCK TABLE {Quote(table)} IN ACCESS SHARE MODE", cancellationToken).ConfigureAwait(false);
            var result = await query().ConfigureAwait(false);
            await CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch
        {
            await RollBackQuietlyAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task CreateWorkTableAsync(QualifiedName table, PartitionInfo? partition, QualifiedName workTable, CancellationToken cancellationToken)
    {
        // Copying the partition (not the parent) keeps indexes and constraints that only the partition has.
        var source = partition?.PartitionTable ?? table;
        var partitionKey = partition is null ? await PartitionKeyAsync(source, cancellationToken).ConfigureAwait(false) : null;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync($"CREATE TABLE {Quote(workTable)} (LIKE {Quote(source)} INCLUDING ALL){(partitionKey is null ? string.Empty : $" PARTITION BY {partitionKey}")}",
            cancellationToken).ConfigureAwait(false);
        if (partitionKey is not null)
        {
            // A whole table's copy of a partitioned table has its partitions too; they carry the swap side's names.
            foreach (var (name, bound) in await PartitionBoundsAsync(source, cancellationToken).ConfigureAwait(false))
            {
                await ExecuteAsync($"CREATE TABLE {Quote(workTable.WithName(SwapSideName(name)))} PARTITION OF {Quote(workTable)} {bound}", cancellationToken).ConfigureAwait(false);
            }
        }
        else if (partition is not null)
        {
            // A partition that was switched in before still carries the bound constraint of its work-table days; LIKE copied it.
            await ExecuteAsync($"ALTER TABLE {Quote(workTable)} DROP CONSTRAINT IF EXISTS {Quote(BoundConstraint)}", cancellationToken).ConfigureAwait(false);
            await AddBoundConstraintAsync(partition, workTable, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The partition key of a partitioned table (<c>LIST (stockhouse_id)</c>), or null for any other table.</summary>
    private async Task<string?> PartitionKeyAsync(QualifiedName table, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT pg_get_partkeydef(to_regclass(@p0))", cancellationToken, Quote(table)).ConfigureAwait(false))[0][0] as string;

    /// <summary>The partitions of a partitioned table by name, with their bounds; sub-partitioned ones are refused.</summary>
    private async Task<IReadOnlyList<(string Name, string Bound)>> PartitionBoundsAsync(QualifiedName table, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            """
            SELECT c.relname, pg_get_expr(c.relpartbound, c.oid), c.relkind::text
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(@p0) ORDER BY 1
            """,
            cancellationToken, Quote(table)).ConfigureAwait(false);
        if (rows.FirstOrDefault(r => (string)r[2]! != "r") is { } nested)
        {
            throw new BatchDbException(ErrorIds.NotSupported, BatchDbErrorKind.NotSupported,
                $"The partition {nested[0]} of {table} is itself partitioned or a foreign table; BatchDb swaps whole tables with plain partitions only.")
            { Target = table.ToString() };
        }

        return rows.Select(r => ((string)r[0]!, (string)r[1]!)).ToList();
    }

    /// <summary>The name of a partition's counterpart in a whole table's work table.</summary>
    private static string SwapSideName(string partition) => QualifiedName.Derived(partition, "swap");

    public async Task ConstrainToPartitionAsync(PartitionInfo partition, QualifiedName workTable, CancellationToken cancellationToken)
    {
        if (partition.InsidePredicate is null || await HasBoundConstraintAsync(partition, workTable, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync($"ALTER TABLE {Quote(workTable)} DROP CONSTRAINT IF EXISTS {Quote(BoundConstraint)}", cancellationToken).ConfigureAwait(false);
        await AddBoundConstraintAsync(partition, workTable, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> CountRowsAsync(QualifiedName table, PartitionInfo? partition, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync($"SELECT count(*) FROM {Quote(partition?.PartitionTable ?? table)}", cancellationToken, NoTimeout, []).ConfigureAwait(false);
        return (long)rows[0][0]!;
    }

    public async Task<OutsideRows> FindRowsOutsideAsync(QualifiedName table, PartitionInfo partition, CancellationToken cancellationToken)
    {
        if (partition.InsidePredicate is null || await HasBoundConstraintAsync(partition, table, cancellationToken).ConfigureAwait(false))
        {
            return new OutsideRows(0, []);
        }

        var outside = $"NOT COALESCE(({partition.InsidePredicate}), false)";
        var samples = await QueryAsync(
            $"""
            SELECT k, n, sum(n) OVER () FROM (
              SELECT concat_ws(',', {partition.Expression}) AS k, count(*) AS n FROM {Quote(table)} WHERE {outside} GROUP BY 1
            ) s ORDER BY k LIMIT 5
            """,
            cancellationToken, NoTimeout, []).ConfigureAwait(false);
        return samples.Count == 0
            ? new OutsideRows(0, [])
            : new OutsideRows(Convert.ToInt64(samples[0][2], CultureInfo.InvariantCulture), samples.Select(r => ((string)r[0]!, (long)r[1]!)).ToList());
    }

    /// <summary>
    /// One array per column, unnested: the statement's text and plan are the same for any number of rows, and the
    /// values travel in binary, where VALUES rows would make PostgreSQL parse and plan thousands of parameters each time.
    /// </summary>
    public override string SelectRows(IReadOnlyList<TableColumn> columns, int rows) =>
        HasArrayColumn(columns) ? base.SelectRows(columns, rows)
            : $"SELECT * FROM unnest({string.Join(", ", columns.Select((c, i) => $"@p{i}::{c.DataType}[]"))})";

    public override object?[] RowParameters(IReadOnlyList<TableColumn> columns, IReadOnlyList<object?[]> rows)
    {
        if (HasArrayColumn(columns))
        {
            return base.RowParameters(columns, rows);
        }

        var parameters = new object?[columns.Count];
        for (var c = 0; c < columns.Count; c++)
        {
            var type = rows.Select(r => r[c]?.GetType()).FirstOrDefault(t => t is not null) ?? typeof(string);
            var array = Array.CreateInstance(type.IsValueType ? typeof(Nullable<>).MakeGenericType(type) : type, rows.Count);
            for (var r = 0; r < rows.Count; r++)
            {
                array.SetValue(rows[r][c], r);
            }

            parameters[c] = array;
        }

        return parameters;
    }

    /// <summary>An array column's values are arrays themselves, which unnest would flatten: such rows go as VALUES.</summary>
    private static bool HasArrayColumn(IReadOnlyList<TableColumn> columns) => columns.Any(c => c.DataType.EndsWith("[]", StringComparison.Ordinal));

    public override Task AnalyzeAsync(QualifiedName table, CancellationToken cancellationToken) =>
        ExecuteAsync($"ANALYZE {Quote(table)}", cancellationToken, NoTimeout);

    public LedgerSql Ledger => PostgreSqlLedgerSql.Instance;

    internal static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    internal static string Quote(QualifiedName name) =>
        name.Schema is null ? Quote(name.Name) : $"{Quote(name.Schema)}.{Quote(name.Name)}";

    /// <summary>PostgreSQL folds only ASCII letters of an unquoted identifier.</summary>
    internal static string Fold(string identifier) =>
        string.Create(identifier.Length, identifier, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = source[i] is >= 'A' and <= 'Z' ? (char)(source[i] + 32) : source[i];
            }
        });

    private static string QuoteForLookup(QualifiedName name, bool fold) => fold
        ? Quote(name.Schema is null ? QualifiedName.Parse(Fold(name.Name)) : QualifiedName.Parse($"{Fold(name.Schema)}.{Fold(name.Name)}"))
        : Quote(name);

    private async Task<string> ResolveSchemaAsync(string schema, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            "SELECT nspname FROM pg_namespace WHERE nspname IN (@p0, @p1) ORDER BY nspname = @p0 DESC LIMIT 1",
            cancellationToken, schema, Fold(schema)).ConfigureAwait(false);
        return rows.Count > 0
            ? (string)rows[0][0]!
            : throw new BatchDbException(ErrorIds.TableNotFound, BatchDbErrorKind.ObjectNotFound, $"The schema {schema} does not exist.") { Target = schema };
    }

    private async Task AddBoundConstraintAsync(PartitionInfo partition, QualifiedName workTable, CancellationToken cancellationToken)
    {
        if (partition.InsidePredicate is null)
        {
            return;
        }

        // The comment records which bound the constraint was made for, so a changed bound is noticed.
        await ExecuteAsync($"ALTER TABLE {Quote(workTable)} ADD CONSTRAINT {Quote(BoundConstraint)} CHECK ({partition.InsidePredicate})", cancellationToken, NoTimeout).ConfigureAwait(false);
        var comment = (string)(await QueryAsync("SELECT quote_literal(@p0)", cancellationToken, partition.Bound).ConfigureAwait(false))[0][0]!;
        await ExecuteAsync($"COMMENT ON CONSTRAINT {Quote(BoundConstraint)} ON {Quote(workTable)} IS {comment}", cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> HasBoundConstraintAsync(PartitionInfo partition, QualifiedName table, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            """
            SELECT 1 FROM pg_constraint
            WHERE conrelid = to_regclass(@p0) AND conname = @p1 AND contype = 'c' AND convalidated
              AND obj_description(oid, 'pg_constraint') = @p2
            """,
            cancellationToken, Quote(table), BoundConstraint, partition.Bound).ConfigureAwait(false);
        return rows.Count > 0;
    }
}
