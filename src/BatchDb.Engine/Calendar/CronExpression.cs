using System.Globalization;
using BatchDb.Engine.Errors;

namespace BatchDb.Engine.Calendar;

/// <summary>
/// A standard five-field cron expression — minute, hour, day of month, month, day of week — with lists (1,15),
/// ranges (1-5), steps (*/5, 8-18/2), month and day names (JAN, MON), 0 or 7 for Sunday, the @hourly, @daily,
/// @weekly, @monthly and @yearly shorthands, and L in the day-of-month field for the last day of the month. As in
/// Vixie cron, when both day fields are restricted a day matches either. Times are wall-clock times in a time
/// zone; a time that a daylight-saving change skips does not occur, and one it repeats occurs once (the first).
/// </summary>
internal sealed class CronExpression
{
    private static readonly string[] FieldNames = ["minute", "hour", "day of month", "month", "day of week"];
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
    private const int SearchYears = 10;

    private readonly ulong _minutes;
    private readonly ulong _hours;
    private readonly ulong _daysOfMonth;
    private readonly bool _lastDayOfMonth;
    private readonly ulong _months;
    private readonly ulong _daysOfWeek;
    private readonly bool _dayOfMonthRestricted;
    private readonly bool _dayOfWeekRestricted;

    private CronExpression(string text, ulong[] fields, bool lastDayOfMonth, bool dayOfMonthRestricted, bool dayOfWeekRestricted)
    {
        Text = text;
        (_minutes, _hours, _daysOfMonth, _months, _daysOfWeek) = (fields[0], fields[1], fields[2], fields[3], fields[4]);
        _lastDayOfMonth = lastDayOfMonth;
        _dayOfMonthRestricted = dayOfMonthRestricted;
        _dayOfWeekRestricted = dayOfWeekRestricted;
    }

    public string Text { get; }

    public override string ToString() => Text;

    public static CronExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var expanded = text.Trim().ToLowerInvariant() switch
        {
            "@yearly" or "@annually" => "0 0 1 1 *",
            "@monthly" => "0 0 1 * *",
            "@weekly" => "0 0 * * 0",
            "@daily" or "@midnight" => "0 0 * * *",
            "@hourly" => "0 * * * *",
            _ => text.Trim(),
        };
        var parts = expanded.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 5)
        {
            throw Invalid(text, $"it has {parts.Length} field(s); a cron expression has five: minute hour day-of-month month day-of-week (for example '0 10 * * 1-5')");
        }

        var lastDay = false;
        var fields = new ulong[5];
        (int Min, int Max)[] ranges = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)];
        for (var i = 0; i < 5; i++)
        {
            var field = parts[i];
            if (i == 2 && field.Contains('L', StringComparison.OrdinalIgnoreCase))
            {
                var items = field.Split(',');
                lastDay = items.Any(item => item.Equals("L", StringComparison.OrdinalIgnoreCase));
                field = string.Join(',', items.Where(item => !item.Equals("L", StringComparison.OrdinalIgnoreCase)));
                if (field.Length == 0)
                {
                    continue;
                }
            }

            fields[i] = ParseField(text, i, field, ranges[i].Min, ranges[i].Max);
        }

        if ((fields[4] & (1UL << 7)) != 0)
        {
            fields[4] = (fields[4] | 1UL) & ~(1UL << 7);
        }

        var expression = new CronExpression(text.Trim(), fields, lastDay, !parts[2].StartsWith('*'), !parts[4].StartsWith('*'));
        if (expression.Next(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc) is null)
        {
            throw Invalid(text, "it never matches a date (for example the 30th of February)");
        }

        return expression;
    }

    /// <summary>The first time strictly after <paramref name="after"/> that the expression matches in <paramref name="zone"/>; null if none within ten years.</summary>
    public DateTimeOffset? Next(DateTimeOffset after, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(after, zone).DateTime;
        var start = new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, 0, DateTimeKind.Unspecified).AddMinutes(1);
        var end = start.AddYears(SearchYears);
        for (var day = start.Date; day < end; day = day.AddDays(1))
        {
            if (!Has(_months, day.Month))
            {
                day = new DateTime(day.Year, day.Month, 1, 0, 0, 0, DateTimeKind.Unspecified).AddMonths(1).AddDays(-1);
                continue;
            }

            if (!DayMatches(day))
            {
                continue;
            }

            for (var hour = day == start.Date ? start.Hour : 0; hour < 24; hour++)
            {
                if (!Has(_hours, hour))
                {
                    continue;
                }

                for (var minute = day == start.Date && hour == start.Hour ? start.Minute : 0; minute < 60; minute++)
                {
                    if (!Has(_minutes, minute))
                    {
                        continue;
                    }

                    var wallClock = day.AddHours(hour).AddMinutes(minute);
                    if (zone.IsInvalidTime(wallClock))
                    {
                        continue;
                    }

                    var offset = zone.IsAmbiguousTime(wallClock) ? zone.GetAmbiguousTimeOffsets(wallClock).Max() : zone.GetUtcOffset(wallClock);
                    var occurrence = new DateTimeOffset(wallClock, offset);
                    if (occurrence > after)
                    {
                        return occurrence.ToUniversalTime();
                    }
                }
            }
        }

        return null;
    }

    private bool DayMatches(DateTime day)
    {
        var byMonthDay = Has(_daysOfMonth, day.Day) || (_lastDayOfMonth && day.Day == DateTime.DaysInMonth(day.Year, day.Month));
        var byWeekDay = Has(_daysOfWeek, (int)day.DayOfWeek);
        return (_dayOfMonthRestricted, _dayOfWeekRestricted) switch
        {
            (true, true) => byMonthDay || byWeekDay,
            (true, false) => byMonthDay,
            (false, true) => byWeekDay,
            _ => true,
        };
    }

    private static bool Has(ulong mask, int value) => (mask & (1UL << value)) != 0;

    private static ulong ParseField(string text, int index, string field, int min, int max)
    {
        ulong mask = 0;
        foreach (var item in field.Split(','))
        {
            var (rangeText, stepText) = item.Split('/') switch
            {
                [var r] => (r, null),
                [var r, var s] => (r, s),
                _ => throw InvalidField(text, index, item, "it has more than one '/'"),
            };
            int from, to;
            if (rangeText == "*")
            {
                (from, to) = (min, max == 7 ? 6 : max);
            }
            else if (rangeText.Split('-') is [var low, var high])
            {
                (from, to) = (Value(text, index, low, min, max), Value(text, index, high, min, max));
                if (from > to)
                {
                    throw InvalidField(text, index, item, $"the range runs backwards ({from} > {to})");
                }
            }
            else
            {
                from = Value(text, index, rangeText, min, max);
                to = stepText is null ? from : (max == 7 ? 6 : max);
            }

            var step = 1;
            if (stepText is not null && (!int.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1 || step > max))
            {
                throw InvalidField(text, index, item, $"the step '{stepText}' is not a whole number from 1 to {max}");
            }

            for (var value = from; value <= to; value += step)
            {
                mask |= 1UL << value;
            }
        }

        return mask;
    }

    private static int Value(string text, int index, string token, int min, int max)
    {
        var names = index switch { 3 => MonthNames, 4 => DayNames, _ => null };
        var named = names is null ? -1 : Array.FindIndex(names, n => n.Equals(token, StringComparison.OrdinalIgnoreCase));
        if (named >= 0)
        {
            return index == 3 ? named + 1 : named;
        }

        if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw InvalidField(text, index, token, names is null ? "it is not a number" : $"it is not a number or a name such as {names[1]}");
        }

        if (value < min || value > max)
        {
            throw InvalidField(text, index, token, $"it is outside {min}-{max}");
        }

        return value;
    }

    private static BatchDbException InvalidField(string text, int index, string token, string reason) =>
        Invalid(text, $"field {index + 1} ({FieldNames[index]}) '{token}': {reason}");

    private static BatchDbException Invalid(string text, string reason) =>
        new(ErrorIds.CronInvalid, BatchDbErrorKind.InvalidArgument, $"The cron expression '{text}' is not valid: {reason}.") { Target = text };
}
