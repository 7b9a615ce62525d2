using System.Globalization;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Naming;
using BatchDb.Engine.Partitioning;
using BatchDb.Engine.Switching;
using MySqlConnector;

namespace BatchDb.Engine.Dialects.MySql;

/// <summary>ALTER TABLE … EXCHANGE PARTITION and RENAME TABLE with a bounded metadata-lock wait, and who was in its way.</summary>
internal sealed partial class MySqlSession
{
    public bool ExchangeChecksRows => !Features.SupportsExchangeWithoutValidation;

    public async Task<bool> ExchangePartitionAsync(PartitionInfo partition, QualifiedName workTable, TimeSpan lockWait, bool rowsAlreadyValidated, CancellationToken cancellationToken)
    {
        var withoutValidation = rowsAlreadyValidated && Features.SupportsExchangeWithoutValidation ? " WITHOUT VALIDATION" : string.Empty;
        try
        {
            return await RunWithLockWaitAsync(lockWait,
                wait => $"ALTER TABLE {Quote(partition.Table)}{wait} EXCHANGE PARTITION {Quote(partition.Name)} WITH TABLE {Quote(workTable)}{withoutValidation}",
                cancellationToken).ConfigureAwait(false);
        }
        catch (BatchDbException refused) when (refused.InnerException is MySqlException { Number: MySqlErrors.PartitionExchangeForeignKey })
        {
            var references = await ReferencingForeignKeysAsync(workTable, cancellationToken).ConfigureAwait(false);
            throw new BatchDbException(ErrorIds.DefinitionMismatch, BatchDbErrorKind.InvalidOperation,
                $"The work table {workTable} cannot be swapped with partition {partition.Name} of {partition.Table}: MySQL cannot exchange a table " +
                $"that is the target of a foreign key, and {(references.Count == 0 ? "a foreign key" : string.Join(", ", references))} references it. " +
                "Drop that foreign key, or point it at the partitioned table's own key. Nothing was changed.", refused, refused.Sql)
            { Target = workTable.ToString() };
        }
    }

    public Task<bool> SwapTablesAsync(QualifiedName table, QualifiedName workTable, TimeSpan lockWait, CancellationToken cancellationToken)
    {
        var parking = Quote(table.WithName($"batchdb_swap_{Guid.NewGuid():N}"[..21]));
        return RunWithLockWaitAsync(lockWait,
            wait => $"RENAME TABLE {Quote(table)}{wait} TO {parking}, {Quote(workTable)} TO {Quote(table)}, {parking} TO {Quote(workTable)}",
            cancellationToken);
    }

    public async Task<IReadOnlyList<BlockingSession>> FindBlockersAsync(QualifiedName table, CancellationToken cancellationToken)
    {
        // Without the metadata_lock_info plugin nothing lists metadata locks; the holders are sessions with an
        // open transaction (they keep their shared lock until they end it) or a statement on the table.
        // Sessions queued behind the lock are victims, not blockers.
        var rows = await QueryAsync(
            """
            SELECT p.ID, p.USER, p.HOST, p.STATE, p.TIME, TIMESTAMPDIFF(SECOND, t.trx_started, NOW()), p.INFO
            FROM information_schema.PROCESSLIST p
            LEFT JOIN information_schema.INNODB_TRX t ON t.trx_mysql_thread_id = p.ID
            WHERE p.ID <> CONNECTION_ID()
              AND p.COMMAND <> 'Daemon'
              AND COALESCE(p.STATE, '') NOT LIKE 'Waiting for table metadata lock%'
              AND (t.trx_mysql_thread_id IS NOT NULL OR p.INFO LIKE CONCAT('%', @p0, '%'))
            ORDER BY p.TIME DESC
            """,
            cancellationToken, table.Name).ConfigureAwait(false);
        return rows.Select(r => new BlockingSession(
            Convert.ToInt64(r[0], CultureInfo.InvariantCulture),
            r[1] as string,
            r[2] as string,
            r[3] as string,
            TimeSpan.FromSeconds(Convert.ToDouble(r[4] ?? 0, CultureInfo.InvariantCulture)),
            r[5] is null ? null : DateTimeOffset.Now - TimeSpan.FromSeconds(Convert.ToDouble(r[5], CultureInfo.InvariantCulture)),
            r[6] as string)).ToList();
    }

    /// <summary>
    /// Runs one DDL statement whose metadata-lock wait ends after <paramref name="lockWait"/>: MariaDB's WAIT clause
    /// where the statement takes one, the session's lock_wait_timeout otherwise. False when the wait ran out.
    /// </summary>
    private async Task<bool> RunWithLockWaitAsync(TimeSpan lockWait, Func<string, string> statement, CancellationToken cancellationToken, bool waitClauseSupported = true)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(lockWait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        try
        {
            if (waitClauseSupported && Features.SupportsAlterWait)
            {
                await ExecuteAsync(statement($" WAIT {seconds}"), cancellationToken, NoTimeout).ConfigureAwait(false);
            }
            else
            {
                await WithLockWaitTimeoutAsync(seconds, () => ExecuteAsync(statement(string.Empty), cancellationToken, NoTimeout), cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (BatchDbException ex) when (ex.InnerException is MySqlException { ErrorCode: MySqlErrorCode.LockWaitTimeout })
        {
            return false;
        }
    }

    private async Task WithLockWaitTimeoutAsync(string seconds, Func<Task<int>> statement, CancellationToken cancellationToken)
    {
        var previous = (await QueryAsync("SELECT @@SESSION.lock_wait_timeout", cancellationToken).ConfigureAwait(false))[0][0];
        await ExecuteAsync($"SET SESSION lock_wait_timeout = {seconds}", cancellationToken).ConfigureAwait(false);
        try
        {
            await statement().ConfigureAwait(false);
        }
        finally
        {
            await ExecuteAsync($"SET SESSION lock_wait_timeout = {Convert.ToInt64(previous, CultureInfo.InvariantCulture)}", CancellationToken.None).ConfigureAwait(false);
        }
    }
}
