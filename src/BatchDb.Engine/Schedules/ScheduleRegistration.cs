using BatchDb.Engine.Calendar;

namespace BatchDb.Engine.Schedules;

/// <summary>A schedule to create or replace: the batch name, a five-field cron expression, its time zone and the run timeout.</summary>
internal sealed record ScheduleRegistration
{
    public required string Name { get; init; }

    public required string CronExpression { get; init; }

    /// <summary>An IANA (or Windows) time zone id; the cron expression's times are wall-clock times there.</summary>
    public string TimeZone { get; init; } = "UTC";

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(60);

    public bool Enabled { get; init; } = true;
}
