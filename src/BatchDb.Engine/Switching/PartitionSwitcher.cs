using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Naming;

namespace BatchDb.Engine.Switching;

/// <summary>The atomic swap of a partition with its work table.</summary>
internal static class PartitionSwitcher
{
    public static async Task<SwitchPartitionResult> SwitchAsync(BatchDbConnection connection, SwitchPartitionRequest request, IOperationLog log, CancellationToken cancellationToken)
    {
        request.Retry.Validate();
        var names = SwapTarget.Parse(request.Table, request.Partition, request.WorkTable);
        await using var session = await connection.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        var swaps = session.Require<ISwapSession>();
        var target = await SwapTarget.ResolveAsync(session, names, cancellationToken).ConfigureAwait(false);
        var partition = target.Partition!;
        var (liveRows, workRows) = await SwapPreflight.CheckAsync(session, target, request.Force, request.MinimumRowRatio, cancellationToken).ConfigureAwait(false);

        Task ThrowIfRowsOutsideAsync() => PartitionFit.ThrowIfRowsOutsideAsync(session, target.WorkTable, partition, target.WorkTable.ToString(), cancellationToken);
        var exchangeChecksRows = swaps.ExchangeChecksRows;
        if (!exchangeChecksRows)
        {
            await ThrowIfRowsOutsideAsync().ConfigureAwait(false);
        }

        await swaps.ConstrainToPartitionAsync(partition, target.WorkTable, cancellationToken).ConfigureAwait(false);

        LockBoundRetry.Outcome outcome;
        try
        {
            outcome = await LockBoundRetry.RunAsync(session, request.Retry, target.Table, $"The switch of partition {partition.Name} of {target.Table}",
                lockWait => swaps.ExchangePartitionAsync(partition, target.WorkTable, lockWait, rowsAlreadyValidated: !exchangeChecksRows && partition.InsidePredicate is not null, cancellationToken),
                log, cancellationToken).ConfigureAwait(false);
        }
        catch (BatchDbException refused) when (exchangeChecksRows && refused.ErrorId == ErrorIds.RowsOutsidePartition)
        {
            // The server refused a row and changed nothing; name the rows as the check before the lock would have.
            await ThrowIfRowsOutsideAsync().ConfigureAwait(false);
            throw;
        }

        log.Verbose($"Exchanged partition {partition.Name} of {target.Table} with {target.WorkTable} in {outcome.Duration.TotalMilliseconds:F0} ms (attempt {outcome.Attempts}).");
        await swaps.AfterExchangeAsync(partition, target.WorkTable, cancellationToken).ConfigureAwait(false);
        if (request.AnalyzeTable)
        {
            await swaps.AnalyzePartitionedTableAsync(target.Table, cancellationToken).ConfigureAwait(false);
        }

        return new SwitchPartitionResult(connection, target.Table.ToString(), partition.Name, target.WorkTable.ToString(), outcome.Attempts,
            outcome.LockWait, outcome.Duration, LiveRows: workRows, WorkTableRows: liveRows, DateTimeOffset.Now);
    }

    /// <summary>The statistics of a partitioned table whose partitions were switched with <see cref="SwitchPartitionRequest.AnalyzeTable"/> false.</summary>
    public static async Task AnalyzeTableAsync(BatchDbConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var session = await connection.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        await session.Require<ISwapSession>().AnalyzePartitionedTableAsync(QualifiedName.Parse(table), cancellationToken).ConfigureAwait(false);
    }
}
