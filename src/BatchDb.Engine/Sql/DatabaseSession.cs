using System.Data;
using System.Data.Common;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Naming;

namespace BatchDb.Engine.Sql;

/// <summary>
/// One open connection and the SQL every feature needs: statements with parameters, streamed results,
/// transactions, quoting and name resolution. Statements run here once for every engine over ADO.NET; a dialect
/// supplies its connection, its catalog look-ups and its error translation. What only some features need is
/// declared by those features as capability interfaces, which the dialects' sessions implement and
/// <see cref="Require{TCapability}"/> hands out. Every name passed in has already been validated by
/// <see cref="QualifiedName"/> and resolved by <see cref="ResolveAsync"/>.
/// </summary>
internal abstract class DatabaseSession : IAsyncDisposable
{
    /// <summary>A statement that may scan a whole table: no command timeout, only cancellation.</summary>
    protected const int NoTimeout = 0;

    public abstract string ServerVersion { get; }

    /// <summary>The engine's name as users know it (MySQL, MariaDB, PostgreSQL), for messages.</summary>
    public abstract string EngineName { get; }

    /// <summary>The driver's connection.</summary>
    protected abstract DbConnection Connection { get; }

    /// <summary>The open transaction, which every command is enlisted in; null outside one.</summary>
    protected DbTransaction? Transaction { get; private set; }

    /// <summary>This session as a capability a feature declared, or a NotSupported error naming the capability and the engine.</summary>
    public TCapability Require<TCapability>() where TCapability : class =>
        this as TCapability ?? throw new BatchDbException(ErrorIds.NotSupported, BatchDbErrorKind.NotSupported,
            $"{CapabilityAttribute.Describe(typeof(TCapability))} is not supported on {EngineName}.");

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

    /// <summary>The table's columns in their order.</summary>
    public abstract Task<IReadOnlyList<TableColumn>> DescribeColumnsAsync(QualifiedName table, CancellationToken cancellationToken);

    /// <summary>The column names of a query's result, without reading its rows.</summary>
    public async Task<IReadOnlyList<string>> DescribeResultAsync(string query, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand($"SELECT * FROM ({query}) AS batchdb_source WHERE 1 = 0", null, []);
        return await RunDriverAsync(command.CommandText, async () =>
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<string>)Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task DropTableAsync(QualifiedName table, CancellationToken cancellationToken) =>
        ExecuteAsync($"DROP TABLE IF EXISTS {QuoteName(table)}", cancellationToken);

    public Task TruncateAsync(QualifiedName table, CancellationToken cancellationToken) =>
        ExecuteAsync($"TRUNCATE TABLE {QuoteName(table)}", cancellationToken);

    /// <summary>Brings the optimizer's statistics of the table up to date.</summary>
    public abstract Task AnalyzeAsync(QualifiedName table, CancellationToken cancellationToken);

    /// <summary>Makes the session read and write time-zone-aware timestamps in UTC, so that values cross engines unchanged.</summary>
    public abstract Task UseUtcAsync(CancellationToken cancellationToken);

    /// <summary>An identifier (a column) quoted for this engine's SQL.</summary>
    public abstract string QuoteIdentifier(string identifier);

    /// <summary>A table name quoted for this engine's SQL.</summary>
    public string QuoteName(QualifiedName name) =>
        name.Schema is null ? QuoteIdentifier(name.Name) : $"{QuoteIdentifier(name.Schema)}.{QuoteIdentifier(name.Name)}";

    /// <summary>
    /// A query that returns a batch of <paramref name="rows"/> rows passed as parameters, typed as <paramref name="columns"/>,
    /// for INSERT … (query): VALUES rows of @p parameters unless the engine takes them otherwise (see <see cref="RowParameters"/>).
    /// </summary>
    public virtual string SelectRows(IReadOnlyList<TableColumn> columns, int rows)
    {
        var text = new System.Text.StringBuilder("VALUES ");
        for (var r = 0; r < rows; r++)
        {
            text.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns.Count; c++)
            {
                text.Append(c == 0 ? "@p" : ", @p").Append(r * columns.Count + c);
            }

            text.Append(')');
        }

        return text.ToString();
    }

    /// <summary>The parameters of <see cref="SelectRows"/> for these rows, whose values are in the order of its columns.</summary>
    public virtual object?[] RowParameters(IReadOnlyList<TableColumn> columns, IReadOnlyList<object?[]> rows)
    {
        var parameters = new object?[rows.Count * columns.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            Array.Copy(rows[r], 0, parameters, r * columns.Count, columns.Count);
        }

        return parameters;
    }

    /// <summary>Runs a statement with parameters @p0 … @p9 (bound by the driver, never spliced into the text), returning its rows with NULL as null.</summary>
    public Task<List<object?[]>> QueryRowsAsync(string sql, CancellationToken cancellationToken, params object?[] parameters) =>
        QueryAsync(sql, cancellationToken, null, parameters);

    /// <summary>Runs a statement with parameters @p0 … @p9, returning the number of rows it changed.</summary>
    public Task<int> ExecuteStatementAsync(string sql, CancellationToken cancellationToken, params object?[] parameters) =>
        ExecuteAsync(sql, cancellationToken, null, parameters);

    /// <summary>
    /// Runs a query without a time limit and hands each row to <paramref name="onRow"/> as it arrives (the array is
    /// reused), so that no more than one row is held; returns the number of rows.
    /// </summary>
    public async Task<long> StreamRowsAsync(string sql, object?[] parameters, Func<object?[], CancellationToken, ValueTask> onRow, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(sql, NoTimeout, parameters);
        return await RunDriverAsync(sql, async () =>
        {
            // Not SequentialAccess: each row arrives whole in the driver's buffer, so its values are read without a wait per field.
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var values = new object?[reader.FieldCount];
            long count = 0;
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                await onRow(values, cancellationToken).ConfigureAwait(false);
                count++;
            }

            return count;
        }, cancellationToken).ConfigureAwait(false);
    }

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

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs a driver call that stands for <paramref name="sql"/>, with the driver's errors turned into BatchDb errors and cancellation sent to the server.</summary>
    protected abstract Task<T> RunDriverAsync<T>(string sql, Func<Task<T>> run, CancellationToken cancellationToken);

    protected Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken) => ExecuteAsync(sql, cancellationToken, null, []);

    /// <param name="timeoutSeconds">The command timeout; null keeps the connection's, <see cref="NoTimeout"/> waits for as long as it takes.</param>
    protected async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, int? timeoutSeconds, params object?[] parameters)
    {
        await using var command = CreateCommand(sql, timeoutSeconds, parameters);
        return await RunDriverAsync(sql, () => command.ExecuteNonQueryAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    protected Task<List<object?[]>> QueryAsync(string sql, CancellationToken cancellationToken, params object?[] parameters) =>
        QueryAsync(sql, cancellationToken, null, parameters);

    protected Task<List<object?[]>> QueryWithoutTimeoutAsync(string sql, CancellationToken cancellationToken) =>
        QueryAsync(sql, cancellationToken, NoTimeout, []);

    /// <param name="timeoutSeconds">The command timeout; null keeps the connection's, <see cref="NoTimeout"/> waits for as long as it takes.</param>
    protected async Task<List<object?[]>> QueryAsync(string sql, CancellationToken cancellationToken, int? timeoutSeconds, object?[] parameters)
    {
        await using var command = CreateCommand(sql, timeoutSeconds, parameters);
        return await RunDriverAsync(sql, async () =>
        {
            var rows = new List<object?[]>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            do
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var values = new object?[reader.FieldCount];
                    for (var i = 0; i < values.Length; i++)
                    {
                        values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                    }

                    rows.Add(values);
                }
            }
            while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
            return rows;
        }, cancellationToken).ConfigureAwait(false);
    }

    private DbCommand CreateCommand(string sql, int? timeoutSeconds, object?[] parameters)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = Transaction;
        if (timeoutSeconds is { } timeout)
        {
            command.CommandTimeout = timeout;
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            // Both drivers bind @name placeholders themselves, reading past string literals and comments.
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            parameter.Value = parameters[i] ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
