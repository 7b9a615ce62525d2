using System.Globalization;
using BatchDb.Engine.Errors;

namespace BatchDb.Engine.Executions;

/// <summary>
/// A high-water mark: the largest value of a column that a committed extract (or aggregate) has covered. It is
/// stored as invariant text with its type, and read back as the same .NET value to bind as a parameter.
/// </summary>
internal sealed record Watermark(string Column, object Value)
{
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff";

    public string TypeName => Value switch
    {
        DateTime => "timestamp",
        long => "integer",
        decimal => "decimal",
        string => "text",
        _ => throw new InvalidOperationException($"Unexpected watermark value {Value.GetType()}."),
    };

    public string Text => Value switch
    {
        DateTime d => d.ToString(TimestampFormat, CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => (string)Value,
    };

    /// <summary>The value as log messages show it.</summary>
    public override string ToString() =>
        Value is DateTime d ? d.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) : Text;

    /// <summary>A value read from the watermark column, in the form it is stored and compared in.</summary>
    public static Watermark From(string column, object value) => new(column, value switch
    {
        DateTime d => DateTime.SpecifyKind(d, DateTimeKind.Unspecified),
        DateOnly d => d.ToDateTime(TimeOnly.MinValue),
        DateTimeOffset o => DateTime.SpecifyKind(o.UtcDateTime, DateTimeKind.Unspecified),
        sbyte or byte or short or ushort or int or uint or long => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        ulong u when u <= long.MaxValue => (long)u,
        decimal m => m,
        string s when s.Length <= 100 => s,
        _ => throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
            $"The watermark column {column} holds {value.GetType().Name} values; use a timestamp, integer, decimal or short text column (such as updated_at or an increasing id).")
        { Target = column },
    });

    /// <summary>
    /// A mark a user gave (-From): a date and time or a number, also when typed as text ('2026-11-21', '1000');
    /// other text is refused here rather than sent to the server to be coerced (MySQL) or rejected (PostgreSQL).
    /// </summary>
    public static Watermark FromArgument(string column, object value)
    {
        if (value is not string text)
        {
            return From(column, value);
        }

        var styles = DateTimeStyles.AllowWhiteSpaces;
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole))
        {
            return From(column, whole);
        }

        if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number))
        {
            return From(column, number);
        }

        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, styles, out var moment))
        {
            return From(column, moment);
        }

        throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
            $"-From '{text}' is neither a date and time nor a number. Give the mark the watermark column {column} is compared with, such as [datetime]'2026-11-21' or 1000.")
        { Target = column };
    }

    public static Watermark Parse(string column, string type, string text) => new(column, type switch
    {
        "timestamp" => DateTime.ParseExact(text, TimestampFormat, CultureInfo.InvariantCulture),
        "integer" => long.Parse(text, CultureInfo.InvariantCulture),
        "decimal" => decimal.Parse(text, CultureInfo.InvariantCulture),
        _ => text,
    });
}
