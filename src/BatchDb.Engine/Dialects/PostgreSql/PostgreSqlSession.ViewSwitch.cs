using BatchDb.Engine.Switching;
using BatchDb.Engine.ViewSwitching;

namespace BatchDb.Engine.Dialects.PostgreSql;

/// <summary>View switches on PostgreSQL: every step, control row included, in one lock-bounded transaction.</summary>
internal sealed partial class PostgreSqlSession
{
    public Task<bool> EnableViewSwitchAsync(ViewSwitchState state, TimeSpan lockWait, CancellationToken cancellationToken) =>
        InLockBoundTransactionAsync(lockWait, async () =>
        {
            var control = state.View.WithName(ViewSwitchControl.Table);
            await ExecuteAsync(
                $"""
                CREATE TABLE IF NOT EXISTS {Quote(control)} (
                  view_name text PRIMARY KEY,
                  live_table text NOT NULL,
                  standby_table text NOT NULL,
                  switched_at timestamptz NOT NULL
                )
                """,
                cancellationToken).ConfigureAwait(false);
            await ExecuteAsync($"ALTER TABLE {Quote(state.View)} RENAME TO {Quote(state.LiveTable.Name)}", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync($"CREATE VIEW {Quote(state.View)} AS SELECT * FROM {Quote(state.LiveTable)}", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync($"CREATE TABLE {Quote(state.StandbyTable)} (LIKE {Quote(state.LiveTable)} INCLUDING ALL)", cancellationToken).ConfigureAwait(false);
            await QueryAsync(
                $"INSERT INTO {Quote(control)} (view_name, live_table, standby_table, switched_at) VALUES (@p0, @p1, @p2, now())",
                cancellationToken, state.View.Name, state.LiveTable.Name, state.StandbyTable.Name).ConfigureAwait(false);
        }, cancellationToken);

    public Task<bool> FlipViewSwitchAsync(ViewSwitchState state, TimeSpan lockWait, CancellationToken cancellationToken) =>
        InLockBoundTransactionAsync(lockWait, async () =>
        {
            await ExecuteAsync($"CREATE OR REPLACE VIEW {Quote(state.View)} AS SELECT * FROM {Quote(state.StandbyTable)}", cancellationToken).ConfigureAwait(false);
            await QueryAsync(
                $"UPDATE {Quote(state.View.WithName(ViewSwitchControl.Table))} SET live_table = @p1, standby_table = @p2, switched_at = now() WHERE view_name = @p0",
                cancellationToken, state.View.Name, state.StandbyTable.Name, state.LiveTable.Name).ConfigureAwait(false);
        }, cancellationToken);
}
