using BatchDb.Engine.Aggregates;
using BatchDb.Engine.Errors;

namespace BatchDb.Engine.Tests.Unit;

/// <summary>Measures written as text, and calendar days as UTC ranges across daylight-saving changes.</summary>
public sealed class AggregateDefinitionTests
{
    [Theory]
    [InlineData("total_sales=sum(amount)", "total_sales", nameof(AggregateFunction.Sum), "amount")]
    [InlineData(" order_count = COUNT( * ) ", "order_count", nameof(AggregateFunction.Count), null)]
    [InlineData("avg_value=avg(amount)", "avg_value", nameof(AggregateFunction.Avg), "amount")]
    [InlineData("buyers=count(user_id)", "buyers", nameof(AggregateFunction.Count), "user_id")]
    public void A_measure_is_read_from_text(string text, string column, string function, string? source) =>
        Assert.Equal(new AggregateMeasure(column, Enum.Parse<AggregateFunction>(function), source), AggregateMeasure.Parse(text));

    [Theory]
    [InlineData("total=median(amount)", "sum, count, avg, min or max")]
    [InlineData("total_sales sum(amount)", "column=function(source column)")]
    [InlineData("total=sum(*)", "only count takes *")]
    [InlineData("total=sum(amount;drop)", "only letters, digits")]
    public void A_bad_measure_says_what_is_wrong(string text, string expected)
    {
        var error = Assert.Throws<BatchDbException>(() => AggregateMeasure.Parse(text));
        Assert.Contains(expected, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("UTC", "2026-11-22", "2026-11-22 00:00", "2026-11-23 00:00")]
    [InlineData("Asia/Tokyo", "2026-11-22", "2026-11-21 15:00", "2026-11-22 15:00")]
    [InlineData("America/New_York", "2026-03-08", "2026-03-08 05:00", "2026-03-09 04:00")]
    [InlineData("America/New_York", "2026-11-01", "2026-11-01 04:00", "2026-11-02 05:00")]
    [InlineData("America/Havana", "2026-03-08", "2026-03-08 05:00", "2026-03-09 04:00")]
    public void A_day_is_a_utc_range_that_follows_daylight_saving(string zone, string day, string start, string end)
    {
        var (from, to) = AggregateDays.UtcRange(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), TimeZoneInfo.FindSystemTimeZoneById(zone));
        Assert.Equal((start, end), (from.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), to.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)));
    }
}
