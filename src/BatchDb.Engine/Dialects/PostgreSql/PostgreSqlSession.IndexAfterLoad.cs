using BatchDb.Engine.Naming;

namespace BatchDb.Engine.Dialects.PostgreSql;

/// <summary>
/// Index after load: the work table's indexes and their primary key and unique constraints are dropped, the rows
/// copied, and the same definitions built again, all in one transaction, so a failed or killed load leaves the
/// indexes as they were. ATTACH then finds each index already there and adopts it instead of building it under its lock.
/// </summary>
internal sealed partial class PostgreSqlSession
{
    // A sort of a million-row index fits in memory with this much, where the default 64MB spills to disk.
    private const string IndexBuildMemory = "256MB";

    public async Task<long> LoadThenIndexAsync(QualifiedName table, QualifiedName workTable, bool indexAfter, Func<CancellationToken, Task<long>> load, Action indexing,
        CancellationToken cancellationToken)
    {
        if (!indexAfter)
        {
            return await load(cancellationToken).ConfigureAwait(false);
        }

        await BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var work = QuoteName(workTable);
            // Indexes that something else depends on stay: an exclusion constraint's, one a foreign key references, the replica identity.
            var indexes = await QueryAsync(
                """
                SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), c.conname, pg_get_constraintdef(c.oid)
                FROM pg_index i
                LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u')
                WHERE i.indrelid = @p0::regclass AND NOT i.indisreplident
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint d WHERE d.conindid = i.indexrelid AND d.contype NOT IN ('p', 'u'))
                ORDER BY c.contype NULLS LAST, i.indexrelid
                """,
                cancellationToken, work).ConfigureAwait(false);
            foreach (var index in indexes)
            {
                await ExecuteAsync(index[2] is string constraint ? $"ALTER TABLE {work} DROP CONSTRAINT {Quote(constraint)}" : $"DROP INDEX {(string)index[0]!}",
                    cancellationToken).ConfigureAwait(false);
            }

            var rows = await load(cancellationToken).ConfigureAwait(false);
            indexing();
            await ExecuteAsync(
                $"SELECT set_config('maintenance_work_mem', '{IndexBuildMemory}', true) WHERE pg_size_bytes(current_setting('maintenance_work_mem')) < pg_size_bytes('{IndexBuildMemory}')",
                cancellationToken).ConfigureAwait(false);
            foreach (var index in indexes)
            {
                await ExecuteAsync(index[2] is string constraint ? $"ALTER TABLE {work} ADD CONSTRAINT {Quote(constraint)} {(string)index[3]!}" : (string)index[1]!,
                    cancellationToken, NoTimeout).ConfigureAwait(false);
            }

            await CommitAsync(cancellationToken).ConfigureAwait(false);
            return rows;
        }
        catch
        {
            await RollBackQuietlyAsync().ConfigureAwait(false);
            throw;
        }
    }
}
