using BatchDb.Engine.Naming;
using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Switching;

/// <summary>The screen-control table of view switches: which of its two tables each view shows.</summary>
internal static class ViewSwitchControl
{
    public const string Table = "batchdb_view_switch";

    /// <summary>The view switch whose view is <paramref name="view"/>, from its screen-control table; null if there is none.</summary>
    public static async Task<ViewSwitchState?> FindAsync(DatabaseSession session, QualifiedName view, CancellationToken cancellationToken)
    {
        var control = view.WithName(Table);
        if (!await session.TableExistsAsync(control, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var rows = await session.QueryRowsAsync($"SELECT live_table, standby_table, switched_at FROM {session.QuoteName(control)} WHERE view_name = @p0", cancellationToken, view.Name).ConfigureAwait(false);
        return rows.Count == 0
            ? null
            : new ViewSwitchState(view, view.WithName((string)rows[0][0]!), view.WithName((string)rows[0][1]!),
                rows[0][2] is DateTime switchedAt ? new DateTimeOffset(DateTime.SpecifyKind(switchedAt, DateTimeKind.Utc)) : null);
    }
}
