using BatchDb.Engine.Errors;

namespace BatchDb.Engine.Calendar;

/// <summary>Time zones by IANA or Windows id (.NET converts between them on every platform).</summary>
internal static class TimeZones
{
    public static TimeZoneInfo Find(string id)
    {
        if (string.Equals(id, "UTC", StringComparison.OrdinalIgnoreCase))
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new BatchDbException(ErrorIds.TimeZoneNotFound, BatchDbErrorKind.InvalidArgument,
                $"The time zone '{id}' is not known on this machine. Use an IANA id such as 'Asia/Tokyo' or 'Europe/Berlin', or 'UTC'.", ex) { Target = id };
        }
    }
}
