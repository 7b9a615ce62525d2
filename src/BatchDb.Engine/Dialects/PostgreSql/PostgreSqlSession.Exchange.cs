using System.Globalization;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Naming;
using BatchDb.Engine.Partitioning;
using BatchDb.Engine.Switching;
using Npgsql;

namespace BatchDb.Engine.Dialects.PostgreSql;

/// <summary>
/// DETACH, ATTACH and renames in one transaction under SET LOCAL lock_timeout: readers see the old
/// partition or the new one, and wait at most the lock timeout while the swap is queued.
/// </summary>
internal sealed partial class PostgreSqlSession
{
    /// <summary>The first keys of the two-key advisory locks that queue the ANALYZE of a partitioned table (the second key is its oid).</summary>
    private const int AnalyzeQueuedLock = 0x42440001;
    private const int AnalyzeRunningLock = 0x42440002;

    public async Task<bool> ExchangePartitionAsync(PartitionInfo partition, QualifiedName workTable, TimeSpan lockWait, bool rowsAlreadyValidated, CancellationToken cancellationToken)
    {
        var live = partition.PartitionTable!;
        ThrowIfDifferentSchemas(live, workTable);
        return await InLockBoundTransactionAsync(lockWait, async () =>
        {
            await ExecuteAsync($"ALTER TABLE {Quote(partition.Table)} DETACH PARTITION {Quote(live)}", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync($"ALTER TABLE {Quote(partition.Table)} ATTACH PARTITION {Quote(workTable)} {partition.Bound}", cancellationToken).ConfigureAwait(false);
            await SwapNamesAsync(live, workTable, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task AfterExchangeAsync(PartitionInfo partition, QualifiedName workTable, CancellationToken cancellationToken)
    {
        // The previous rows now sit in the work table: constrain them to the bound (a scan that holds no lock
        // readers need) so switching back attaches without a scan.
        await ConstrainToPartitionAsync(partition, workTable, cancellationToken).ConfigureAwait(false);
    }

    public bool PartitionedTableAnalyzeCoversPartitions => true;

    /// <summary>
    /// Autovacuum never analyzes a partitioned table. Its ANALYZE samples every partition again, so concurrent switches of its partitions share
    /// one: a switch whose ANALYZE would only queue behind another switch's queued one leaves it to that one, which
    /// starts after this switch committed. Of ten concurrent switches, two or three analyze instead of ten.
    /// </summary>
    public async Task AnalyzePartitionedTableAsync(QualifiedName table, CancellationToken cancellationToken)
    {
        var key = await QueryAsync("SELECT (to_regclass(@p0)::oid::bigint - 2147483648)::int", cancellationToken, Quote(table)).ConfigureAwait(false);
        var parent = key[0][0];
        if (!(bool)(await QueryAsync("SELECT pg_try_advisory_lock(@p0, @p1)", cancellationToken, AnalyzeQueuedLock, parent).ConfigureAwait(false))[0][0]!)
        {
            return;
        }

        var queued = true;
        try
        {
            await QueryAsync("SELECT pg_advisory_lock(@p0, @p1)", cancellationToken, NoTimeout, [AnalyzeRunningLock, parent]).ConfigureAwait(false);
            try
            {
                await QueryAsync("SELECT pg_advisory_unlock(@p0, @p1)", cancellationToken, AnalyzeQueuedLock, parent).ConfigureAwait(false);
                queued = false;
                await AnalyzeAsync(table, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await UnlockQuietlyAsync(AnalyzeRunningLock, parent).ConfigureAwait(false);
            }
        }
        finally
        {
            if (queued)
            {
                await UnlockQuietlyAsync(AnalyzeQueuedLock, parent).ConfigureAwait(false);
            }
        }
    }

    private async Task UnlockQuietlyAsync(int lockKey, object? parent)
    {
        try
        {
            await QueryAsync("SELECT pg_advisory_unlock(@p0, @p1)", CancellationToken.None, lockKey, parent).ConfigureAwait(false);
        }
        catch (BatchDbException)
        {
            // A lost session released its locks with it; the error that lost it is the one to report.
        }
    }

    public async Task<bool> SwapTablesAsync(QualifiedName table, QualifiedName workTable, TimeSpan lockWait, CancellationToken cancellationToken)
    {
        ThrowIfDifferentSchemas(table, workTable);
        return await InLockBoundTransactionAsync(lockWait, async () =>
        {
            // A partitioned table's partitions trade names with their counterparts of the same bound, so that a
            // partition's name (-Partition p_s01) keeps naming the live one.
            var live = await PartitionBoundsAsync(table, cancellationToken).ConfigureAwait(false);
            var work = (await PartitionBoundsAsync(workTable, cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.Bound, p => p.Name, StringComparer.Ordinal);
            await SwapNamesAsync(table, workTable, cancellationToken).ConfigureAwait(false);
            foreach (var (name, bound) in live)
            {
                await SwapNamesAsync(table.WithName(name), workTable.WithName(work[bound]), cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<BlockingSession>> FindBlockersAsync(QualifiedName table, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            """
            SELECT a.pid, a.usename, COALESCE(host(a.client_addr), 'local'), a.state,
                   now() - COALESCE(a.query_start, a.backend_start), a.xact_start, a.query
            FROM pg_stat_activity a
            WHERE a.pid <> pg_backend_pid() AND a.pid IN (
              SELECT l.pid FROM pg_locks l
              WHERE l.granted AND l.locktype = 'relation'
                AND l.relation IN (SELECT to_regclass(@p0) UNION ALL SELECT inhrelid FROM pg_inherits WHERE inhparent = to_regclass(@p0)))
            ORDER BY a.xact_start NULLS LAST
            """,
            cancellationToken, Quote(table)).ConfigureAwait(false);
        return rows.Select(r => new BlockingSession(
            Convert.ToInt64(r[0], CultureInfo.InvariantCulture),
            r[1] as string,
            r[2] as string,
            r[3] as string,
            r[4] is TimeSpan running ? running : TimeSpan.Zero,
            r[5] is DateTime started ? new DateTimeOffset(DateTime.SpecifyKind(started, DateTimeKind.Utc)) : null,
            r[6] as string)).ToList();
    }

    private static void ThrowIfDifferentSchemas(QualifiedName live, QualifiedName workTable)
    {
        if (!string.Equals(live.Schema, workTable.Schema, StringComparison.Ordinal))
        {
            throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
                $"The work table {workTable} must be in the schema of {live} ({live.Schema}): the swap renames the two tables, and a rename cannot move a table to another schema.")
            { Target = workTable.ToString() };
        }
    }

    /// <summary>Three renames through a parking name, so the live name never points at nothing.</summary>
    private async Task SwapNamesAsync(QualifiedName live, QualifiedName workTable, CancellationToken cancellationToken)
    {
        var parking = $"batchdb_swap_{Guid.NewGuid():N}"[..21];
        await ExecuteAsync($"ALTER TABLE {Quote(live)} RENAME TO {Quote(parking)}", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync($"ALTER TABLE {Quote(workTable)} RENAME TO {Quote(live.Name)}", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync($"ALTER TABLE {Quote(live.WithName(parking))} RENAME TO {Quote(workTable.Name)}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the steps in one transaction whose lock waits end after <paramref name="lockWait"/>; false when one did.</summary>
    private async Task<bool> InLockBoundTransactionAsync(TimeSpan lockWait, Func<Task> steps, CancellationToken cancellationToken)
    {
        var milliseconds = Math.Max(1, (long)Math.Ceiling(lockWait.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync($"SET LOCAL lock_timeout = '{milliseconds}ms'", cancellationToken).ConfigureAwait(false);
            await steps().ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (BatchDbException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.DeadlockDetected })
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            return false;
        }
    }
}
