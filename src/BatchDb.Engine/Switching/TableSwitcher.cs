using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Errors;

namespace BatchDb.Engine.Switching;

/// <summary>
/// The atomic swap of a whole table: the table and its work table trade names, or, for a view switch,
/// the view and its screen-control row move to the other table in one step.
/// </summary>
internal static class TableSwitcher
{
    public static async Task<SwitchTableResult> SwitchAsync(BatchDbConnection connection, SwitchTableRequest request, IOperationLog log, CancellationToken cancellationToken)
    {
        request.Retry.Validate();
        var names = SwapTarget.Parse(request.Table, null, request.WorkTable);
        await using var session = await connection.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        var target = await SwapTarget.ResolveAsync(session, names, cancellationToken).ConfigureAwait(false);
        var (liveRows, workRows) = await SwapPreflight.CheckAsync(session, target, request.Force, request.MinimumRowRatio, cancellationToken).ConfigureAwait(false);

        if (target.View is { } view)
        {
            var flipped = await LockBoundRetry.RunAsync(session, request.Retry, view.View, $"The switch of {view.View} to {view.StandbyTable}",
                lockWait => session.Require<ISwapSession>().FlipViewSwitchAsync(view, lockWait, cancellationToken), log, cancellationToken).ConfigureAwait(false);
            log.Verbose($"{view.View} now shows {view.StandbyTable} ({flipped.Duration.TotalMilliseconds:F0} ms, attempt {flipped.Attempts}).");
            return new SwitchTableResult(connection, view.View.ToString(), view.LiveTable.ToString(), view.StandbyTable.ToString(), "View",
                flipped.Attempts, flipped.LockWait, flipped.Duration, LiveRows: workRows, WorkTableRows: liveRows, DateTimeOffset.Now);
        }

        var swapped = await LockBoundRetry.RunAsync(session, request.Retry, target.Table, $"The swap of {target.Table} with {target.WorkTable}",
            lockWait => session.Require<ISwapSession>().SwapTablesAsync(target.Table, target.WorkTable, lockWait, cancellationToken), log, cancellationToken).ConfigureAwait(false);
        log.Verbose($"Swapped {target.Table} with {target.WorkTable} in {swapped.Duration.TotalMilliseconds:F0} ms (attempt {swapped.Attempts}).");
        return new SwitchTableResult(connection, target.Table.ToString(), target.WorkTable.ToString(), target.Table.ToString(), "Rename",
            swapped.Attempts, swapped.LockWait, swapped.Duration, LiveRows: workRows, WorkTableRows: liveRows, DateTimeOffset.Now);
    }
}
