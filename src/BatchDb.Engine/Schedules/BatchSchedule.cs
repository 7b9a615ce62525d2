using BatchDb.Engine.Calendar;
using BatchDb.Engine.Connections;

namespace BatchDb.Engine.Schedules;

/// <summary>
/// A batch's schedule (seed 000 §6.1): when it should run, in which time zone, how long a run may take, and when
/// it last started. IsDue: enabled and its next execution has come (a runbook runs what is due).
/// </summary>
public sealed record BatchSchedule(
    BatchDbConnection Connection,
    string Name,
    string CronExpression,
    string TimeZone,
    DateTimeOffset? LastExecution,
    DateTimeOffset? NextExecution,
    bool Enabled,
    TimeSpan Timeout,
    bool IsDue);
