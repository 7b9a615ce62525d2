using BatchDb.Engine.Connections;

namespace BatchDb.Engine.Executions;

/// <summary>
/// A batch's runs over a window (seed 000 §6.2's performance query): each attempt counts as one execution;
/// Failed counts Failed, TimedOut and Abandoned; durations are over the executions that ended.
/// </summary>
public sealed record BatchStatistic(
    BatchDbConnection Connection,
    string BatchName,
    long Executions,
    long Succeeded,
    long Failed,
    long Running,
    TimeSpan? AverageDuration,
    TimeSpan? MaxDuration,
    long? MaxRecords,
    DateTimeOffset LastStartTime,
    DateTimeOffset Since,
    DateTimeOffset Until);
