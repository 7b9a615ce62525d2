using BatchDb.Engine.Connections;

namespace BatchDb.Engine.Switching;

/// <summary>
/// A completed swap: the work table's rows are now live in <see cref="Partition"/> and the previous
/// rows sit in <see cref="WorkTable"/>, so running the switch again swaps back.
/// </summary>
public sealed record SwitchPartitionResult(
    BatchDbConnection Connection,
    string Table,
    string Partition,
    string WorkTable,
    int Attempts,
    TimeSpan LockWait,
    TimeSpan SwitchDuration,
    long LiveRows,
    long WorkTableRows,
    DateTimeOffset SwitchedAt);
