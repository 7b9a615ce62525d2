namespace BatchDb.Engine.Aggregates;

/// <summary>Calendar days of a time zone as UTC ranges, across daylight-saving changes (including at midnight).</summary>
internal static class AggregateDays
{
    /// <summary>The UTC instants [start, end) during which it is <paramref name="day"/> in the zone.</summary>
    public static (DateTime Start, DateTime End) UtcRange(DateOnly day, TimeZoneInfo zone) =>
        (StartOf(day, zone), StartOf(day.AddDays(1), zone));

    /// <summary>The zone's days that overlap a UTC calendar day: one or two.</summary>
    public static IEnumerable<DateOnly> LocalDaysOf(DateOnly utcDay, TimeZoneInfo zone)
    {
        var start = utcDay.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var first = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(start, zone));
        var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(start.AddDays(1).AddTicks(-1), zone));
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            yield return day;
        }
    }

    /// <summary>The first instant of the day: midnight, or the end of a daylight-saving gap that skips it; the earlier one when midnight repeats.</summary>
    private static DateTime StartOf(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return DateTime.SpecifyKind(local - offset, DateTimeKind.Unspecified);
    }
}
