using System.Globalization;
using BatchDb.Engine.Calendar;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Schedules;

namespace BatchDb.Engine.Tests.Unit;

public sealed class CronExpressionTests
{
    [Theory]
    [InlineData("*/5 * * * *", "UTC", "2026-11-22 10:03:00", "2026-11-22 10:05:00")]
    [InlineData("*/5 * * * *", "UTC", "2026-11-22 10:05:00", "2026-11-22 10:10:00")]
    [InlineData("*/5 * * * *", "UTC", "2026-11-22 23:58:10", "2026-11-23 00:00:00")]
    [InlineData("0 10 * * *", "UTC", "2026-11-22 09:59:30", "2026-11-22 10:00:00")]
    [InlineData("0 10 * * *", "UTC", "2026-11-22 10:00:00", "2026-11-23 10:00:00")]
    [InlineData("0 10 * * *", "Asia/Tokyo", "2026-11-22 00:00:00", "2026-11-22 01:00:00")]
    [InlineData("0 9 * * 1-5", "UTC", "2026-11-20 09:00:00", "2026-11-23 09:00:00")]
    [InlineData("0 9 * * MON-FRI", "UTC", "2026-11-21 12:00:00", "2026-11-23 09:00:00")]
    [InlineData("0 0 * * 7", "UTC", "2026-11-20 00:00:00", "2026-11-22 00:00:00")]
    [InlineData("0 0 L * *", "UTC", "2027-02-10 00:00:00", "2027-02-28 00:00:00")]
    [InlineData("0 0 L * *", "UTC", "2028-02-10 00:00:00", "2028-02-29 00:00:00")]
    [InlineData("0 0 L * *", "UTC", "2026-11-30 00:00:00", "2026-12-31 00:00:00")]
    [InlineData("0 0 31 * *", "UTC", "2026-11-01 00:00:00", "2026-12-31 00:00:00")]
    [InlineData("0 0 29 2 *", "UTC", "2026-03-01 00:00:00", "2028-02-29 00:00:00")]
    [InlineData("15 8-18/2 * * *", "UTC", "2026-11-22 10:15:00", "2026-11-22 12:15:00")]
    [InlineData("15 8-18/2 * * *", "UTC", "2026-11-22 18:15:00", "2026-11-23 08:15:00")]
    [InlineData("0,30 * * * *", "UTC", "2026-11-22 10:29:59", "2026-11-22 10:30:00")]
    [InlineData("0 0 1 1,7 *", "UTC", "2026-02-01 00:00:00", "2026-07-01 00:00:00")]
    [InlineData("0 0 1 JAN,JUL *", "UTC", "2026-07-01 00:00:00", "2027-01-01 00:00:00")]
    [InlineData("0 0 13 * 5", "UTC", "2026-11-01 00:00:00", "2026-11-06 00:00:00")]
    [InlineData("0 0 13 * 5", "UTC", "2026-11-10 00:00:00", "2026-11-13 00:00:00")]
    [InlineData("30 2 * * *", "America/New_York", "2026-03-08 05:00:00", "2026-03-09 06:30:00")]
    [InlineData("30 1 * * *", "America/New_York", "2026-11-01 04:00:00", "2026-11-01 05:30:00")]
    [InlineData("@hourly", "UTC", "2026-11-22 10:00:00", "2026-11-22 11:00:00")]
    [InlineData("@monthly", "UTC", "2026-11-22 10:00:00", "2026-12-01 00:00:00")]
    public void Next_occurrence_matches_the_table(string expression, string zone, string afterUtc, string expectedUtc)
    {
        var after = DateTimeOffset.ParseExact(afterUtc, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var zoneInfo = zone == "UTC" ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(zone);

        var next = CronExpression.Parse(expression).Next(after, zoneInfo);

        Assert.NotNull(next);
        Assert.Equal(TimeSpan.Zero, next.Value.Offset);
        Assert.Equal(expectedUtc, next.Value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("* * * *", "it has 4 field(s)")]
    [InlineData("61 * * * *", "field 1 (minute) '61': it is outside 0-59")]
    [InlineData("0 24 * * *", "field 2 (hour) '24': it is outside 0-23")]
    [InlineData("0 0 0 * *", "field 3 (day of month) '0': it is outside 1-31")]
    [InlineData("0 0 * 13 *", "field 4 (month) '13': it is outside 1-12")]
    [InlineData("0 0 * * FUN", "field 5 (day of week) 'FUN': it is not a number or a name such as MON")]
    [InlineData("*/0 * * * *", "the step '0' is not a whole number")]
    [InlineData("0 10-8 * * *", "the range runs backwards")]
    [InlineData("0 0 30 2 *", "it never matches a date")]
    [InlineData("a b c d e", "field 1 (minute) 'a': it is not a number")]
    public void An_invalid_expression_is_refused_with_the_field_and_the_reason(string expression, string reason)
    {
        var error = Assert.Throws<BatchDbException>(() => CronExpression.Parse(expression));

        Assert.Equal(ErrorIds.CronInvalid, error.ErrorId);
        Assert.Contains($"'{expression}'", error.Message);
        Assert.Contains(reason, error.Message);
    }
}
