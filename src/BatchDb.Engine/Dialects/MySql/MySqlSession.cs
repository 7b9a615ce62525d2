using System.Data.Common;
using BatchDb.Engine.Aggregates;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Executions;
using BatchDb.Engine.Extracts;
using BatchDb.Engine.Naming;
using BatchDb.Engine.Partitioning;
using BatchDb.Engine.Sql;
using BatchDb.Engine.Switching;
using BatchDb.Engine.ViewSwitching;
using BatchDb.Engine.WorkTables;
using MySqlConnector;

namespace BatchDb.Engine.Dialects.MySql;

/// <summary>A MySQL or MariaDB session: plumbing and catalog look-ups. Loading, definitions and the exchange are in the other parts.</summary>
internal sealed partial class MySqlSession : DatabaseSession, ISwapSession, IWorkTableSession, IViewSwitchSession, IRangePartitionSession,
    ILedgerSession, IUpsertSession, IBulkCopySession, ICsvLoadSession
{
    private readonly MySqlConnection _connection;
    private string _database = string.Empty;
    private string _serverVersion = string.Empty;
    private bool _noBackslashEscapes;

    public MySqlSession(MySqlConnection connection) => _connection = connection;

    public override string ServerVersion => _serverVersion;

    public override string EngineName => Features.IsMariaDb ? "MariaDB" : "MySQL";

    internal MySqlServerFeatures Features { get; private set; } = new(false, new Version(0, 0));

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var row = (await QueryAsync("SELECT VERSION(), DATABASE(), @@SESSION.sql_mode", cancellationToken).ConfigureAwait(false))[0];
        _serverVersion = (string)row[0]!;
        _database = row[1] as string ?? string.Empty;
        _noBackslashEscapes = (row[2] as string ?? string.Empty).Contains("NO_BACKSLASH_ESCAPES", StringComparison.OrdinalIgnoreCase);
        Features = MySqlServerFeatures.FromVersionString(_serverVersion);
    }

    public override Task<QualifiedName> ResolveAsync(QualifiedName name, CancellationToken cancellationToken) => Task.FromResult(Qualify(name));

    private QualifiedName Qualify(QualifiedName name)
    {
        if (name.Schema is not null)
        {
            return name;
        }

        if (_database.Length == 0)
        {
            throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
                $"The connection has no default database; qualify the table as database.{name.Name}.");
        }

        return QualifiedName.Parse($"{_database}.{name.Name}");
    }

    public override async Task<TableKind> DescribeTableAsync(QualifiedName table, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            "SELECT TABLE_TYPE, CREATE_OPTIONS FROM information_schema.TABLES WHERE TABLE_SCHEMA = @p0 AND TABLE_NAME = @p1",
            cancellationToken, table.Schema, table.Name).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            // information_schema hides the tables a login has no privilege on: ask the table itself, which answers
            // "doesn't exist" (1146) or "command denied" (PermissionDenied) for one that is there.
            try
            {
                await ExecuteAsync($"SELECT 1 FROM {Quote(table)} LIMIT 0", cancellationToken).ConfigureAwait(false);
            }
            catch (BatchDbException ex) when (ex.ErrorId == ErrorIds.TableNotFound)
            {
                return TableKind.Missing;
            }

            return TableKind.Table;
        }

        if (rows[0][0] as string == "VIEW")
        {
            return TableKind.View;
        }

        return (rows[0][1] as string ?? string.Empty).Contains("partitioned", StringComparison.OrdinalIgnoreCase) ? TableKind.PartitionedTable : TableKind.Table;
    }

    public async Task<PartitionInfo> DescribePartitionAsync(QualifiedName table, string partition, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            """
            SELECT PARTITION_NAME, PARTITION_METHOD, PARTITION_EXPRESSION, PARTITION_DESCRIPTION, SUBPARTITION_METHOD
            FROM information_schema.PARTITIONS
            WHERE TABLE_SCHEMA = @p0 AND TABLE_NAME = @p1
            ORDER BY PARTITION_ORDINAL_POSITION, SUBPARTITION_ORDINAL_POSITION
            """,
            cancellationToken, table.Schema, table.Name).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            // Hidden from information_schema is not the same as missing: DescribeTableAsync asks the table itself.
            await DescribeTableAsync(table, cancellationToken).ConfigureAwait(false);
            throw new BatchDbException(ErrorIds.TableNotFound, BatchDbErrorKind.ObjectNotFound,
                $"The table {table} does not exist.") { Target = table.ToString() };
        }

        if (rows[0][0] is null)
        {
            throw new BatchDbException(ErrorIds.TableNotPartitioned, BatchDbErrorKind.InvalidOperation,
                $"The table {table} is not partitioned; use Switch-Table to swap whole tables.") { Target = table.ToString() };
        }

        var index = rows.FindIndex(r => string.Equals((string)r[0]!, partition, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            var names = string.Join(", ", rows.Select(r => (string)r[0]!).Distinct());
            throw new BatchDbException(ErrorIds.PartitionNotFound, BatchDbErrorKind.ObjectNotFound,
                $"The table {table} has no partition '{partition}'. Its partitions are: {names}.") { Target = $"{table}:{partition}" };
        }

        var row = rows[index];
        if (row[4] is not null)
        {
            throw new BatchDbException(ErrorIds.PartitioningNotSupported, BatchDbErrorKind.NotSupported,
                $"The partition {partition} of {table} has subpartitions; MySQL exchanges only whole tables with partitions that have none.");
        }

        var method = (string)row[1]!;
        var expression = (string)row[2]!;
        var bound = row[3] as string ?? string.Empty;
        var previousBound = index > 0 ? rows[index - 1][3] as string : null;
        var predicate = MySqlPartitionPredicates.Inside(method, expression, bound, previousBound);
        return new PartitionInfo(table, (string)row[0]!, method, expression, bound, predicate);
    }

    public async Task CreateWorkTableAsync(QualifiedName table, PartitionInfo? partition, QualifiedName workTable, CancellationToken cancellationToken)
    {
        var work = Quote(workTable);
        await ExecuteAsync($"CREATE TABLE {work} LIKE {Quote(table)}", cancellationToken).ConfigureAwait(false);
        if (partition is null)
        {
            return;
        }

        try
        {
            await ExecuteAsync($"ALTER TABLE {work} REMOVE PARTITIONING", cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await ExecuteAsync($"DROP TABLE IF EXISTS {work}", CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    public async Task<long> CountRowsAsync(QualifiedName table, PartitionInfo? partition, CancellationToken cancellationToken)
    {
        var from = partition is null ? Quote(table) : $"{Quote(table)} PARTITION ({Quote(partition.Name)})";
        var rows = await QueryWithoutTimeoutAsync($"SELECT COUNT(*) FROM {from}", cancellationToken).ConfigureAwait(false);
        return Convert.ToInt64(rows[0][0], System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<OutsideRows> FindRowsOutsideAsync(QualifiedName table, PartitionInfo partition, CancellationToken cancellationToken)
    {
        if (partition.InsidePredicate is null)
        {
            return new OutsideRows(0, []);
        }

        var outside = $"NOT COALESCE(({partition.InsidePredicate}), FALSE)";
        var count = await QueryWithoutTimeoutAsync($"SELECT COUNT(*) FROM {Quote(table)} WHERE {outside}", cancellationToken).ConfigureAwait(false);
        var total = Convert.ToInt64(count[0][0], System.Globalization.CultureInfo.InvariantCulture);
        if (total == 0)
        {
            return new OutsideRows(0, []);
        }

        var samples = await QueryWithoutTimeoutAsync(
            $"SELECT CONCAT_WS(',', {partition.Expression}) AS k, COUNT(*) FROM {Quote(table)} WHERE {outside} GROUP BY k ORDER BY k LIMIT 5",
            cancellationToken).ConfigureAwait(false);
        var keyColumns = await PrimaryKeyColumnsAsync(table, cancellationToken).ConfigureAwait(false);
        var keyRows = keyColumns.Count == 0 ? [] : await QueryWithoutTimeoutAsync(
            $"SELECT {string.Join(", ", keyColumns.Select(QuoteIdentifier))} FROM {Quote(table)} WHERE {outside} ORDER BY {string.Join(", ", keyColumns.Select(QuoteIdentifier))} LIMIT {MaxReportedProblems}",
            cancellationToken).ConfigureAwait(false);
        return new OutsideRows(total, samples.Select(r => (r[0] as string ?? "NULL", Convert.ToInt64(r[1], System.Globalization.CultureInfo.InvariantCulture))).ToList())
        {
            KeyRows = keyRows.Select(r => (IReadOnlyList<(string, string)>)keyColumns.Select((c, i) => (c, Convert.ToString(r[i], System.Globalization.CultureInfo.InvariantCulture) ?? "NULL")).ToList()).ToList(),
        };
    }

    /// <summary>The primary key's columns in key order; empty for a table without one.</summary>
    private async Task<IReadOnlyList<string>> PrimaryKeyColumnsAsync(QualifiedName table, CancellationToken cancellationToken) =>
        (await QueryAsync(
            "SELECT COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = @p0 AND TABLE_NAME = @p1 AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX",
            cancellationToken, table.Schema, table.Name).ConfigureAwait(false)).Select(r => (string)r[0]!).ToList();

    public override async Task AnalyzeAsync(QualifiedName table, CancellationToken cancellationToken) =>
        await QueryWithoutTimeoutAsync($"ANALYZE TABLE {Quote(table)}", cancellationToken).ConfigureAwait(false);

    public LedgerSql Ledger => MySqlLedgerSql.Instance;

    internal static string Quote(string identifier) => "`" + identifier.Replace("`", "``", StringComparison.Ordinal) + "`";

    internal static string Quote(QualifiedName name) =>
        name.Schema is null ? Quote(name.Name) : $"{Quote(name.Schema)}.{Quote(name.Name)}";

    /// <summary>A string literal for the places where MySQL takes no parameters (LOAD DATA's clauses).</summary>
    private string Literal(string value)
    {
        var escaped = _noBackslashEscapes ? value : value.Replace("\\", "\\\\", StringComparison.Ordinal);
        return "'" + escaped.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    protected override DbConnection Connection => _connection;

    protected override Task<T> RunDriverAsync<T>(string sql, Func<Task<T>> run, CancellationToken cancellationToken) => RunAsync(sql, run, cancellationToken);

    /// <summary>Runs a statement so that cancellation kills it on the server and errors become BatchDb errors.</summary>
    private async Task<T> RunAsync<T>(string sql, Func<Task<T>> run, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (MySqlException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (MySqlException ex) when (ex.InnerException is BatchDbException refused)
        {
            // LOAD DATA's source refused the file (MySqlConnector wraps what the stream threw).
            throw refused;
        }
        catch (MySqlException ex)
        {
            throw MySqlErrors.Translate(ex, sql);
        }
        catch (EndOfStreamException ex)
        {
            // MySqlConnector reports a session that ends mid-result (KILL, a crash) as an end of stream.
            throw MySqlErrors.ConnectionLost(ex, sql);
        }
        catch (InvalidOperationException ex) when (_connection.State != System.Data.ConnectionState.Open)
        {
            throw MySqlErrors.ConnectionLost(ex, sql);
        }
    }
}
