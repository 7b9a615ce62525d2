using BatchDb.Engine.Connections;

namespace BatchDb.Engine.Executions;

/// <summary>
/// One execution in the ledger: a run of a batch (ParentId null; one per attempt) or a step recorded inside a
/// run. Times are stored in UTC and shown here in the local time zone. Duration is the running time for a run
/// that has not ended.
/// </summary>
public sealed record BatchExecution(
    BatchDbConnection Connection,
    long ExecutionId,
    string BatchName,
    long? ParentId,
    string? Operation,
    string? Parameters,
    string Host,
    int ProcessId,
    DateTimeOffset StartTime,
    DateTimeOffset? EndTime,
    ExecutionStatus Status,
    long? RecordsProcessed,
    string? ErrorMessage,
    DateTimeOffset? LastHeartbeat,
    int Attempt,
    TimeSpan Duration);
