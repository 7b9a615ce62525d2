using BatchDb.Engine.Connections;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Executions;

/// <summary>Creating the execution ledger and reading it (Initialize-BatchSchema, Get-BatchExecution, Get-BatchStatistic).</summary>
internal static class BatchLedger
{
    /// <summary>What <see cref="InitializeAsync"/> would run: nothing when the ledger is current.</summary>
    public static async Task<LedgerInfo> PlanAsync(BatchDbConnection connection, CancellationToken cancellationToken)
    {
        await using var session = await connection.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        return await PlanAsync(session, connection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates or upgrades the ledger; running it again on a current ledger changes nothing.</summary>
    public static async Task<LedgerInfo> InitializeAsync(BatchDbConnection connection, CancellationToken cancellationToken)
    {
        await using var session = await connection.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        var plan = await PlanAsync(session, connection, cancellationToken).ConfigureAwait(false);
        foreach (var statement in plan.Statements)
        {
            await session.ExecuteStatementAsync(statement, cancellationToken).ConfigureAwait(false);
        }

        return plan;
    }

    public static async Task<IReadOnlyList<BatchExecution>> GetExecutionsAsync(BatchDbConnection connection, ExecutionQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Last is < 1)
        {
            throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument, "-Last must be at least 1.");
        }

        await using var session = await connection.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        var ledger = await Ledger.RequireAsync(session, connection, cancellationToken).ConfigureAwait(false);
        await ledger.AbandonDeadRunsIfAllowedAsync(cancellationToken).ConfigureAwait(false);
        return await ledger.QueryAsync(query, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The batch names of the ledger's runs and schedules; empty when there is no ledger.</summary>
    public static async Task<IReadOnlyList<string>> GetBatchNamesAsync(BatchDbConnection connection, CancellationToken cancellationToken)
    {
        await using var session = await connection.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        return await Ledger.OpenAsync(session, connection, cancellationToken).ConfigureAwait(false) is { } ledger
            ? await ledger.BatchNamesAsync(cancellationToken).ConfigureAwait(false)
            : [];
    }

    /// <summary>Per batch, its runs that started in [since, until).</summary>
    public static async Task<IReadOnlyList<BatchStatistic>> GetStatisticsAsync(BatchDbConnection connection, string? name, DateTimeOffset since, DateTimeOffset until,
        CancellationToken cancellationToken)
    {
        await using var session = await connection.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        var ledger = await Ledger.RequireAsync(session, connection, cancellationToken).ConfigureAwait(false);
        await ledger.AbandonDeadRunsIfAllowedAsync(cancellationToken).ConfigureAwait(false);
        return await ledger.StatisticsAsync(name, since, until, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<LedgerInfo> PlanAsync(DatabaseSession session, BatchDbConnection connection, CancellationToken cancellationToken)
    {
        var tables = Ledger.TablesFor(connection, session);
        var version = await Ledger.ReadVersionAsync(session, tables, cancellationToken).ConfigureAwait(false);
        if (version == LedgerTables.CurrentVersion)
        {
            return new LedgerInfo(connection, tables.Schema, LedgerTables.CurrentVersion, version, []);
        }

        // A table of the same name that BatchDb did not make (the seed's own batch_executions, say) must not be adopted.
        await ThrowIfForeignAsync(session, tables, cancellationToken).ConfigureAwait(false);
        var sql = Ledger.SqlOf(session);
        IReadOnlyList<string> statements = version is null
            ? [sql.CreateSchema(tables.Schema), .. sql.CreateVersion1(tables), .. sql.CreateVersion2(tables)]
            : sql.CreateVersion2(tables);
        return new LedgerInfo(connection, tables.Schema, LedgerTables.CurrentVersion, version, statements);
    }

    private static async Task ThrowIfForeignAsync(DatabaseSession session, LedgerTables tables, CancellationToken cancellationToken)
    {
        foreach (var (table, column) in new[] { (tables.Executions, "heartbeat_seconds"), (tables.Schedule, "time_zone"), (tables.Watermarks, "watermark_type") })
        {
            if (await session.DescribeTableAsync(table, cancellationToken).ConfigureAwait(false) == TableKind.Missing)
            {
                continue;
            }

            try
            {
                await session.QueryRowsAsync($"SELECT {column} FROM {session.QuoteName(table)} WHERE 1 = 0", cancellationToken).ConfigureAwait(false);
            }
            catch (BatchDbException ex)
            {
                throw new BatchDbException(ErrorIds.LedgerConflict, BatchDbErrorKind.InvalidOperation,
                    $"{table} already exists and was not created by BatchDb (it has no column {column}). Nothing was changed; " +
                    "connect with -LedgerSchema to keep the ledger elsewhere, or rename that table.", ex) { Target = table.ToString() };
            }
        }
    }
}
