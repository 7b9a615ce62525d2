using System.Diagnostics;
using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Naming;
using BatchDb.Engine.WorkTables;

namespace BatchDb.Engine.Switching;

/// <summary>The atomic swap of a partition with its work table.</summary>
public static class PartitionSwitcher
{
    public static async Task<SwitchPartitionResult> SwitchAsync(BatchDbConnection connection, SwitchPartitionRequest request, IOperationLog log, CancellationToken cancellationToken)
    {
        request.Retry.Validate();
        var table = QualifiedName.Parse(request.Table);
        var partitionName = QualifiedName.ValidateIdentifier(request.Partition, "partition");
        var requestedWork = WorkTableNaming.Parse(request.WorkTable);

        await using var session = await connection.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        table = session.Qualify(table);
        var partition = await session.DescribePartitionAsync(table, partitionName, cancellationToken).ConfigureAwait(false);
        var work = session.Qualify(WorkTableNaming.Resolve(table, partition.Name, requestedWork));
        if (!await session.TableExistsAsync(work, cancellationToken).ConfigureAwait(false))
        {
            throw new BatchDbException(ErrorIds.WorkTableNotFound, BatchDbErrorKind.ObjectNotFound,
                $"The work table {work} does not exist; create and load it with Import-WorkTable (or New-WorkTable).")
            { Target = work.ToString() };
        }

        var differences = await session.CompareDefinitionsAsync(partition, work, cancellationToken).ConfigureAwait(false);
        if (differences.Count > 0)
        {
            throw new BatchDbException(ErrorIds.DefinitionMismatch, BatchDbErrorKind.InvalidOperation,
                $"The work table {work} cannot be exchanged with partition {partition.Name} of {table}: their definitions differ." +
                $"{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", differences)}" +
                $"{Environment.NewLine}Recreate the work table with New-WorkTable -Force. Nothing was changed.")
            { Target = work.ToString() };
        }

        var workRows = await session.CountRowsAsync(work, null, cancellationToken).ConfigureAwait(false);
        var liveRows = await session.CountRowsAsync(table, partition.Name, cancellationToken).ConfigureAwait(false);
        if (workRows == 0 && liveRows > 0 && !request.Force)
        {
            throw new BatchDbException(ErrorIds.WorkTableEmpty, BatchDbErrorKind.InvalidOperation,
                $"The work table {work} is empty while partition {partition.Name} of {table} has {liveRows} rows; " +
                "switching would empty the partition (did the last import fail?). Use -Force if that is intended. Nothing was changed.")
            { Target = work.ToString() };
        }

        await WorkTableOperations.ThrowIfRowsOutsideAsync(session, work, partition, work.ToString(), cancellationToken).ConfigureAwait(false);

        var policy = request.Retry;
        var lockWait = TimeSpan.Zero;
        BatchDbException? lastTimeout = null;
        for (var attempt = 1; attempt <= policy.MaxAttempts; attempt++)
        {
            var stopwatch = Stopwatch.StartNew();
            var switched = await session.ExchangePartitionAsync(partition, work, policy.LockWaitTimeout,
                rowsAlreadyValidated: partition.InsidePredicate is not null, cancellationToken).ConfigureAwait(false);
            stopwatch.Stop();
            if (switched)
            {
                log.Verbose($"Exchanged partition {partition.Name} of {table} with {work} in {stopwatch.Elapsed.TotalMilliseconds:F0} ms (attempt {attempt}).");
                return new SwitchPartitionResult(connection, table.ToString(), partition.Name, work.ToString(), attempt,
                    lockWait, stopwatch.Elapsed, LiveRows: workRows, WorkTableRows: liveRows, DateTimeOffset.Now);
            }

            lockWait += stopwatch.Elapsed;
            lastTimeout = new BatchDbException(ErrorIds.LockTimeout, BatchDbErrorKind.ResourceBusy,
                $"Attempt {attempt}: the lock on {table} was not granted within {policy.LockWaitTimeout.TotalSeconds:0.###} s.");
            if (attempt < policy.MaxAttempts)
            {
                var delay = policy.DelayAfter(attempt);
                log.Verbose($"{lastTimeout.Message} Retrying in {delay.TotalSeconds:F1} s.");
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }

        var blockers = await session.FindBlockersAsync(table, cancellationToken).ConfigureAwait(false);
        var who = blockers.Count == 0
            ? "No blocking session could be identified (it may have ended, or it holds LOCK TABLES)."
            : $"Blocking: {string.Join("; ", blockers)}.";
        throw new LockTimeoutException(
            $"Partition {partition.Name} of {table} was not switched: the lock was not granted within " +
            $"{policy.LockWaitTimeout.TotalSeconds:0.###} s in any of {policy.MaxAttempts} attempt(s). {who} Nothing was changed.",
            policy.MaxAttempts, blockers, lastTimeout);
    }
}
