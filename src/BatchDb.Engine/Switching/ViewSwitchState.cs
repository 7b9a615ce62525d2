using BatchDb.Engine.Naming;

namespace BatchDb.Engine.Switching;

/// <summary>A view switch as its screen-control row records it: which of the two tables the view shows.</summary>
internal sealed record ViewSwitchState(QualifiedName View, QualifiedName LiveTable, QualifiedName StandbyTable, DateTimeOffset? SwitchedAt);
