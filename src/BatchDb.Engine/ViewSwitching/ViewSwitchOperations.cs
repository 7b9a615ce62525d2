using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Naming;
using BatchDb.Engine.Sql;
using BatchDb.Engine.Switching;

namespace BatchDb.Engine.ViewSwitching;

/// <summary>
/// The seed's method for tables that are not partitioned: two tables, a view readers query, and a
/// screen-control row (table <c>batchdb_view_switch</c> beside the view) saying which table is on screen.
/// </summary>
internal static class ViewSwitchOperations
{
    /// <summary>What <see cref="EnableAsync"/> would do, with the names resolved in the catalog; fails as it would.</summary>
    public static async Task<string> DescribeAsync(BatchDbConnection connection, ViewSwitchRequest request, CancellationToken cancellationToken)
    {
        await using var session = await connection.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        var state = await PlanAsync(session, request, cancellationToken).ConfigureAwait(false);
        return $"Rename {state.View} to {state.LiveTable}, create a view named {state.View} over it, and create the off-screen table {state.StandbyTable}";
    }

    public static async Task<ViewSwitchInfo> EnableAsync(BatchDbConnection connection, ViewSwitchRequest request, IOperationLog log, CancellationToken cancellationToken)
    {
        request.Retry.Validate();
        await using var session = await connection.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        var state = await PlanAsync(session, request, cancellationToken).ConfigureAwait(false);
        var (table, live, standby) = (state.View, state.LiveTable, state.StandbyTable);
        var outcome = await LockBoundRetry.RunAsync(session, request.Retry, table, $"The conversion of {table} into a view switch",
            lockWait => session.Require<IViewSwitchSession>().EnableViewSwitchAsync(state, lockWait, cancellationToken), log, cancellationToken).ConfigureAwait(false);
        log.Verbose($"{table} is now a view over {live}; {standby} stands ready off screen ({outcome.Duration.TotalMilliseconds:F0} ms).");
        var rows = await session.Require<ISwapSession>().CountRowsAsync(live, null, cancellationToken).ConfigureAwait(false);
        var recorded = await ViewSwitchControl.FindAsync(session, table, cancellationToken).ConfigureAwait(false);
        return new ViewSwitchInfo(connection, table.ToString(), live.ToString(), standby.ToString(), rows, recorded?.SwitchedAt);
    }

    /// <summary>The table to convert and its two sides, checked: a plain table, sides in its schema that do not exist yet.</summary>
    private static async Task<ViewSwitchState> PlanAsync(DatabaseSession session, ViewSwitchRequest request, CancellationToken cancellationToken)
    {
        var requested = QualifiedName.Parse(request.Table);
        var liveName = request.LiveTable is null ? null : QualifiedName.Parse(request.LiveTable, "live table");
        var standbyName = request.StandbyTable is null ? null : QualifiedName.Parse(request.StandbyTable, "standby table");
        var table = await session.ResolveAsync(requested, cancellationToken).ConfigureAwait(false);
        switch (await session.DescribeTableAsync(table, cancellationToken).ConfigureAwait(false))
        {
            case TableKind.Missing:
                throw new BatchDbException(ErrorIds.TableNotFound, BatchDbErrorKind.ObjectNotFound, $"The table {table} does not exist.") { Target = table.ToString() };
            case TableKind.View:
                if (await ViewSwitchControl.FindAsync(session, table, cancellationToken).ConfigureAwait(false) is { } existing)
                {
                    throw new BatchDbException(ErrorIds.ViewSwitchExists, BatchDbErrorKind.InvalidOperation,
                        $"{table} is already a view switch between {existing.LiveTable} (on screen) and {existing.StandbyTable}.") { Target = table.ToString() };
                }

                throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidOperation,
                    $"{table} is a view; Enable-ViewSwitch turns a table into a view switch.") { Target = table.ToString() };
        }

        var (defaultLive, defaultStandby) = WorkTableNaming.ViewSides(table.Name);
        var live = await ResolveSideAsync(session, table, liveName, defaultLive, cancellationToken).ConfigureAwait(false);
        var standby = await ResolveSideAsync(session, table, standbyName, defaultStandby, cancellationToken).ConfigureAwait(false);
        return new ViewSwitchState(table, live, standby, null);
    }

    private static async Task<QualifiedName> ResolveSideAsync(DatabaseSession session, QualifiedName table, QualifiedName? requested, string defaultName, CancellationToken cancellationToken)
    {
        var side = await SwapTarget.ResolveWorkTableAsync(session, table, requested, defaultName, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(side.Schema, table.Schema, StringComparison.Ordinal))
        {
            throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
                $"The tables of a view switch must be in the schema of {table}; {side} is not.") { Target = side.ToString() };
        }

        if (await session.TableExistsAsync(side, cancellationToken).ConfigureAwait(false))
        {
            throw new BatchDbException(ErrorIds.WorkTableExists, BatchDbErrorKind.InvalidOperation,
                $"{side} already exists; choose other names with -LiveTable and -WorkTable.") { Target = side.ToString() };
        }

        return side;
    }
}
