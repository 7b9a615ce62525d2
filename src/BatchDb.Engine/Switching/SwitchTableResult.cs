using BatchDb.Engine.Connections;

namespace BatchDb.Engine.Switching;

/// <summary>
/// A completed whole-table swap. <see cref="Table"/> now shows the rows that were in the work table, and
/// <see cref="WorkTable"/> holds the previous rows, so running the switch again swaps back.
/// <see cref="Method"/> is Rename (the tables traded names) or View (the view now reads <see cref="LiveTable"/>).
/// </summary>
public sealed record SwitchTableResult(
    BatchDbConnection Connection,
    string Table,
    string WorkTable,
    string LiveTable,
    string Method,
    int Attempts,
    TimeSpan LockWait,
    TimeSpan SwitchDuration,
    long LiveRows,
    long WorkTableRows,
    DateTimeOffset SwitchedAt);
