using System.Data.Common;
using BatchDb.Engine.Csv;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Naming;
using BatchDb.Engine.Partitioning;
using BatchDb.Engine.Switching;
using BatchDb.Engine.ViewSwitching;

namespace BatchDb.Engine.Dialects;

/// <summary>
/// One open connection and the engine-specific steps that the work-table and switching operations are
/// composed of. Every name passed in has already been validated by <see cref="QualifiedName"/> and
/// resolved by <see cref="ResolveAsync"/>. Where a step takes a <see cref="PartitionInfo"/>, null means
/// the whole table.
/// </summary>
internal abstract class DatabaseSession : IAsyncDisposable
{
    public abstract string ServerVersion { get; }

    /// <summary>
    /// The name as the catalog spells it: the connection's default schema or database filled in, and on
    /// PostgreSQL an existing object's exact case (a name that matches nothing is folded as SQL folds it).
    /// </summary>
    public abstract Task<QualifiedName> ResolveAsync(QualifiedName name, CancellationToken cancellationToken);

    /// <summary>Table and view names of a schema (the session's default when null), partitions left out.</summary>
    public abstract Task<IReadOnlyList<string>> ListTableNamesAsync(string? schema, CancellationToken cancellationToken);

    /// <summary>The partitions of a resolved table, as -Partition takes them; empty when it has none.</summary>
    public abstract Task<IReadOnlyList<string>> ListPartitionNamesAsync(QualifiedName table, CancellationToken cancellationToken);

    public abstract Task<TableKind> DescribeTableAsync(QualifiedName table, CancellationToken cancellationToken);

    public async Task<bool> TableExistsAsync(QualifiedName table, CancellationToken cancellationToken) =>
        await DescribeTableAsync(table, cancellationToken).ConfigureAwait(false) != TableKind.Missing;

    /// <summary>Reads a partition from the catalog; fails clearly for a missing table or partition.</summary>
    public abstract Task<PartitionInfo> DescribePartitionAsync(QualifiedName table, string partition, CancellationToken cancellationToken);

    /// <summary>Creates a plain table with the exact definition of the table (or of its partition), index names included where they must match.</summary>
    public abstract Task CreateWorkTableAsync(QualifiedName table, PartitionInfo? partition, QualifiedName workTable, CancellationToken cancellationToken);

    /// <summary>Creates a table with another's definition, for a view switch's second side.</summary>
    public abstract Task CreateTableLikeAsync(QualifiedName source, QualifiedName table, CancellationToken cancellationToken);

    public abstract Task DropTableAsync(QualifiedName table, CancellationToken cancellationToken);

    public abstract Task TruncateAsync(QualifiedName table, CancellationToken cancellationToken);

    /// <summary>
    /// Where the engine can prove to itself that a table's rows fit a partition (PostgreSQL: a validated CHECK
    /// constraint equal to the bound, so ATTACH skips its scan), makes it so. Scans the table if it has rows.
    /// </summary>
    public virtual Task ConstrainToPartitionAsync(PartitionInfo partition, QualifiedName workTable, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Bulk-loads a CSV file; any row the server had to alter or skip is an error naming its line.</summary>
    /// <remarks><paramref name="position"/>, when given, hears the file position as the bytes are sent.</remarks>
    public abstract Task<long> LoadCsvAsync(QualifiedName table, CsvFileInfo file, CsvFormat format, IProgress<long>? position, CancellationToken cancellationToken);

    public abstract Task<long> CountRowsAsync(QualifiedName table, PartitionInfo? partition, CancellationToken cancellationToken);

    public abstract Task<OutsideRows> FindRowsOutsideAsync(QualifiedName table, PartitionInfo partition, CancellationToken cancellationToken);

    public abstract Task AnalyzeAsync(QualifiedName table, CancellationToken cancellationToken);

    /// <summary>What would make the swap fail, or change what readers of <paramref name="table"/> see.</summary>
    public abstract Task<IReadOnlyList<DefinitionDifference>> CompareDefinitionsAsync(QualifiedName table, PartitionInfo? partition, QualifiedName workTable, CancellationToken cancellationToken);

    /// <summary>
    /// Swaps the partition and the work table, waiting at most <paramref name="lockWait"/> for the lock.
    /// Returns false when the lock wait ran out (nothing changed). <paramref name="rowsAlreadyValidated"/> lets
    /// the server skip its own row scan where it can.
    /// </summary>
    public abstract Task<bool> ExchangePartitionAsync(PartitionInfo partition, QualifiedName workTable, TimeSpan lockWait, bool rowsAlreadyValidated, CancellationToken cancellationToken);

    /// <summary>Work after a committed exchange that must not run while readers are held (statistics, constraints).</summary>
    public virtual Task AfterExchangeAsync(PartitionInfo partition, QualifiedName workTable, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Swaps two tables' names atomically; false when the lock wait ran out (nothing changed).</summary>
    public abstract Task<bool> SwapTablesAsync(QualifiedName table, QualifiedName workTable, TimeSpan lockWait, CancellationToken cancellationToken);

    /// <summary>The view switch whose view is <paramref name="view"/>, from its screen-control table; null if there is none.</summary>
    public async Task<ViewSwitchState?> FindViewSwitchAsync(QualifiedName view, CancellationToken cancellationToken)
    {
        var control = view.WithName(ViewSwitchOperations.ControlTable);
        if (await DescribeTableAsync(control, cancellationToken).ConfigureAwait(false) == TableKind.Missing)
        {
            return null;
        }

        var rows = await QueryRowsAsync($"SELECT live_table, standby_table, switched_at FROM {QuoteName(control)} WHERE view_name = @p0", cancellationToken, view.Name).ConfigureAwait(false);
        return rows.Count == 0
            ? null
            : new ViewSwitchState(view, view.WithName((string)rows[0][0]!), view.WithName((string)rows[0][1]!),
                rows[0][2] is DateTime switchedAt ? new DateTimeOffset(DateTime.SpecifyKind(switchedAt, DateTimeKind.Utc)) : null);
    }

    /// <summary>
    /// Turns <paramref name="state"/>.View, a table, into a view over the same table renamed to LiveTable, adds the
    /// empty StandbyTable and records both in the screen-control table. Readers never find the name missing.
    /// False when the lock wait ran out (nothing changed).
    /// </summary>
    public abstract Task<bool> EnableViewSwitchAsync(ViewSwitchState state, TimeSpan lockWait, CancellationToken cancellationToken);

    /// <summary>Points the view at the standby table and records it in the control row; false when the lock wait ran out.</summary>
    public abstract Task<bool> FlipViewSwitchAsync(ViewSwitchState state, TimeSpan lockWait, CancellationToken cancellationToken);

    /// <summary>The sessions that hold, or may hold, locks on <paramref name="table"/>.</summary>
    public abstract Task<IReadOnlyList<BlockingSession>> FindBlockersAsync(QualifiedName table, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    /// <summary>The SQL of the execution ledger and of batch locks on this engine.</summary>
    public abstract LedgerSql Ledger { get; }

    /// <summary>A table name quoted for this engine's SQL.</summary>
    public abstract string QuoteName(QualifiedName name);

    /// <summary>An identifier (a column) quoted for this engine's SQL.</summary>
    public abstract string QuoteIdentifier(string identifier);

    /// <summary>The table's columns in their order.</summary>
    public abstract Task<IReadOnlyList<TableColumn>> DescribeColumnsAsync(QualifiedName table, CancellationToken cancellationToken);

    /// <summary>The column names of a query's result, without reading its rows.</summary>
    public abstract Task<IReadOnlyList<string>> DescribeResultAsync(string query, CancellationToken cancellationToken);

    /// <summary>
    /// Runs a query without a time limit and hands each row to <paramref name="onRow"/> as it arrives (the array is
    /// reused), so that no more than one row is held; returns the number of rows.
    /// </summary>
    public abstract Task<long> StreamRowsAsync(string sql, object?[] parameters, Func<object?[], CancellationToken, ValueTask> onRow, CancellationToken cancellationToken);

    /// <summary>Starts writing rows into the table's columns through the engine's bulk path, in the current transaction.</summary>
    public abstract Task<BulkRowWriter> BeginBulkInsertAsync(QualifiedName table, IReadOnlyList<string> columns, CancellationToken cancellationToken);

    /// <summary>Makes the session read and write time-zone-aware timestamps in UTC, so that values cross engines unchanged.</summary>
    public abstract Task UseUtcAsync(CancellationToken cancellationToken);

    /// <summary>A DELETE of the rows (alias d) of a table that have a partner row (alias n) in the same table meeting the condition.</summary>
    public abstract string DeleteWithPartner(QualifiedName table, string condition);

    /// <summary>Whether the table's primary key or one of its unique indexes has exactly these columns.</summary>
    public abstract Task<bool> HasUniqueKeyAsync(QualifiedName table, IReadOnlyList<string> columns, CancellationToken cancellationToken);

    /// <summary>
    /// INSERT … SELECT where a row with the same key is updated instead. A row whose values are all unchanged is
    /// left as it is, and <paramref name="changeStampColumn"/> is set from the new row only where values change.
    /// </summary>
    public abstract string UpsertSelect(QualifiedName table, IReadOnlyList<string> columns, string select, IReadOnlyList<string> keyColumns,
        IReadOnlyList<string> valueColumns, string? changeStampColumn);

    /// <summary>Whether an upsert's changed-row count includes rows that matched and were left unchanged (MySQL's found rows).</summary>
    public abstract bool UpsertCountsUnchangedRows { get; }

    /// <summary>Equality under which NULL equals NULL.</summary>
    public abstract string NullSafeEquals(string left, string right);

    /// <summary>The start of a DELETE whose table is referred to by an alias in its WHERE clause.</summary>
    public abstract string DeleteFromAliased(QualifiedName table, string alias);

    /// <summary>The RANGE partitions of a table partitioned on one date or timestamp column, in bound order.</summary>
    public abstract Task<IReadOnlyList<RangePartition>> DescribeRangePartitionsAsync(QualifiedName table, CancellationToken cancellationToken);

    /// <summary>The name a monthly partition gets on this engine.</summary>
    public abstract string MonthlyPartitionName(QualifiedName table, DateOnly month);

    /// <summary>Whether a RANGE partition can only be added after the last bounded one (MySQL), not into a gap (PostgreSQL).</summary>
    public abstract bool AddsRangePartitionsOnlyAtTheEnd { get; }

    /// <summary>Adds a RANGE partition for [From, To).</summary>
    public abstract Task AddRangePartitionAsync(QualifiedName table, RangePartition partition, CancellationToken cancellationToken);

    /// <summary>Drops a partition with its rows, or detaches it into a table of its own, whose name is returned.</summary>
    public abstract Task<QualifiedName?> RetireRangePartitionAsync(QualifiedName table, RangePartition partition, bool detach, CancellationToken cancellationToken);

    /// <summary>The driver's connection, for what every engine does the same way through ADO.NET.</summary>
    protected abstract DbConnection Connection { get; }

    /// <summary>The open transaction, which the dialect's commands must be enlisted in; null outside one.</summary>
    protected DbTransaction? Transaction { get; private set; }

    /// <summary>Runs a driver call that stands for <paramref name="sql"/>, with the driver's errors turned into BatchDb errors.</summary>
    protected abstract Task<T> RunDriverAsync<T>(string sql, Func<Task<T>> run, CancellationToken cancellationToken);

    /// <summary>Starts a transaction through the driver; the session's statements run in it until it is committed or rolled back.</summary>
    public async Task BeginTransactionAsync(CancellationToken cancellationToken) =>
        Transaction = await RunDriverAsync("BEGIN", () => Connection.BeginTransactionAsync(cancellationToken).AsTask(), cancellationToken).ConfigureAwait(false);

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        var transaction = Transaction ?? throw new InvalidOperationException("No transaction is open.");
        await RunDriverAsync("COMMIT", async () =>
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        Transaction = null;
        await transaction.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Rolls back the open transaction; a session that cannot is closed right after, which ends the transaction too.</summary>
    public async Task RollBackQuietlyAsync()
    {
        if (Transaction is not { } transaction)
        {
            return;
        }

        Transaction = null;
        try
        {
            await RunDriverAsync("ROLLBACK", async () =>
            {
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                return true;
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (BatchDbException)
        {
            // The caller rethrows the error that caused the rollback; this one would only hide it.
        }
        finally
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Runs a statement with parameters @p0 … @p9, returning its rows with NULL as null.</summary>
    public abstract Task<List<object?[]>> QueryRowsAsync(string sql, CancellationToken cancellationToken, params object?[] parameters);

    /// <summary>Runs a statement with parameters @p0 … @p9, returning the number of rows it changed.</summary>
    public abstract Task<int> ExecuteStatementAsync(string sql, CancellationToken cancellationToken, params object?[] parameters);
}
