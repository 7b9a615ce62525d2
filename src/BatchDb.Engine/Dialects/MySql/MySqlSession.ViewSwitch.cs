using BatchDb.Engine.Switching;
using BatchDb.Engine.ViewSwitching;

namespace BatchDb.Engine.Dialects.MySql;

/// <summary>
/// View switches on MySQL and MariaDB. DDL commits on its own here, so each step is one atomic statement:
/// RENAME TABLE for the conversion, CREATE OR REPLACE VIEW for the flip; the control row follows the view.
/// </summary>
internal sealed partial class MySqlSession
{
    public async Task<bool> EnableViewSwitchAsync(ViewSwitchState state, TimeSpan lockWait, CancellationToken cancellationToken)
    {
        var control = state.View.WithName(ViewSwitchControl.Table);
        await ExecuteAsync(
            $"""
            CREATE TABLE IF NOT EXISTS {Quote(control)} (
              view_name VARCHAR(64) NOT NULL PRIMARY KEY,
              live_table VARCHAR(64) NOT NULL,
              standby_table VARCHAR(64) NOT NULL,
              switched_at DATETIME(6) NOT NULL
            ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4
            """,
            cancellationToken).ConfigureAwait(false);

        // The view is created over a stand-in of the live table that is dropped again: one RENAME TABLE then
        // gives the table its new name and the view the old one, so readers never find the name missing.
        var placeholder = state.View.WithName($"batchdb_view_{Guid.NewGuid():N}"[..21]);
        await ExecuteAsync($"CREATE TABLE {Quote(state.LiveTable)} LIKE {Quote(state.View)}", cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync($"CREATE VIEW {Quote(placeholder)} AS SELECT * FROM {Quote(state.LiveTable)}", cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await ExecuteAsync($"DROP TABLE {Quote(state.LiveTable)}", CancellationToken.None).ConfigureAwait(false);
        }

        var renamed = false;
        try
        {
            renamed = await RunWithLockWaitAsync(lockWait,
                wait => $"RENAME TABLE {Quote(state.View)}{wait} TO {Quote(state.LiveTable)}, {Quote(placeholder)} TO {Quote(state.View)}",
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (!renamed)
            {
                await ExecuteAsync($"DROP VIEW IF EXISTS {Quote(placeholder)}", CancellationToken.None).ConfigureAwait(false);
            }
        }

        if (!renamed)
        {
            return false;
        }

        await ExecuteAsync($"CREATE TABLE {Quote(state.StandbyTable)} LIKE {Quote(state.LiveTable)}", cancellationToken).ConfigureAwait(false);
        await QueryAsync(
            $"INSERT INTO {Quote(control)} (view_name, live_table, standby_table, switched_at) VALUES (@p0, @p1, @p2, UTC_TIMESTAMP(6))",
            cancellationToken, state.View.Name, state.LiveTable.Name, state.StandbyTable.Name).ConfigureAwait(false);
        return true;
    }

    public async Task<bool> FlipViewSwitchAsync(ViewSwitchState state, TimeSpan lockWait, CancellationToken cancellationToken)
    {
        var replace = $"CREATE OR REPLACE VIEW {Quote(state.View)} AS SELECT * FROM {Quote(state.StandbyTable)}";
        if (!await RunWithLockWaitAsync(lockWait, _ => replace, cancellationToken, waitClauseSupported: false).ConfigureAwait(false))
        {
            return false;
        }

        await QueryAsync(
            $"UPDATE {Quote(state.View.WithName(ViewSwitchControl.Table))} SET live_table = @p1, standby_table = @p2, switched_at = UTC_TIMESTAMP(6) WHERE view_name = @p0",
            CancellationToken.None, state.View.Name, state.StandbyTable.Name, state.LiveTable.Name).ConfigureAwait(false);
        return true;
    }
}
