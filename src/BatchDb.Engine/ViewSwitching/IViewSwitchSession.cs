using BatchDb.Engine.Sql;
using BatchDb.Engine.Switching;

namespace BatchDb.Engine.ViewSwitching;

/// <summary>What setting up a view switch needs from a database.</summary>
[Capability("view switches")]
internal interface IViewSwitchSession
{
    /// <summary>
    /// Turns <paramref name="state"/>.View, a table, into a view over the same table renamed to LiveTable, adds the
    /// empty StandbyTable and records both in the screen-control table. Readers never find the name missing.
    /// False when the lock wait ran out (nothing changed).
    /// </summary>
    Task<bool> EnableViewSwitchAsync(ViewSwitchState state, TimeSpan lockWait, CancellationToken cancellationToken);
}
