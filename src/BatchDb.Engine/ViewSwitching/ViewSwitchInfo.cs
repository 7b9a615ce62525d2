using BatchDb.Engine.Connections;

namespace BatchDb.Engine.ViewSwitching;

/// <summary>
/// A view switch: readers query the view <see cref="Table"/>, which shows <see cref="LiveTable"/>;
/// <see cref="WorkTable"/> is the off-screen table that Import-WorkTable loads and Switch-Table puts on screen.
/// </summary>
public sealed record ViewSwitchInfo(
    BatchDbConnection Connection,
    string Table,
    string LiveTable,
    string WorkTable,
    long LiveRows,
    DateTimeOffset? SwitchedAt);
