using System.Globalization;
using System.Text;
using BatchDb.Engine.Errors;

namespace BatchDb.Engine.Dialects;

/// <summary>
/// Database values as CSV fields that both COPY (FORMAT csv) and LOAD DATA (OPTIONALLY ENCLOSED BY '"',
/// ESCAPED BY '') read back exactly: text quoted with doubled quotes, numbers and times in invariant form,
/// timestamps in UTC with microseconds, NULL as the engine's unquoted null marker.
/// </summary>
internal sealed class CsvRowText(IReadOnlyList<string> columns, string nullMarker)
{
    private readonly StringBuilder _line = new(256);

    /// <summary>The row as one line, ending in '\n'. The builder is reused by the next call.</summary>
    public StringBuilder Format(object?[] values)
    {
        _line.Clear();
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                _line.Append(',');
            }

            Append(i, values[i]);
        }

        return _line.Append('\n');
    }

    private void Append(int column, object? value)
    {
        switch (value)
        {
            case null or DBNull:
                _line.Append(nullMarker);
                break;
            case string s:
                AppendQuoted(s);
                break;
            case char c:
                AppendQuoted(c.ToString());
                break;
            case bool b:
                _line.Append(b ? '1' : '0');
                break;
            case DateTime d:
                AppendTimestamp(d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : d);
                break;
            case DateTimeOffset o:
                AppendTimestamp(o.UtcDateTime);
                break;
            case DateOnly d:
                _line.Append(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case TimeOnly t:
                AppendTime(t.ToTimeSpan());
                break;
            case TimeSpan t:
                AppendTime(t);
                break;
            case Guid g:
                _line.Append(g.ToString("D"));
                break;
            case double d:
                _line.Append(d.ToString("R", CultureInfo.InvariantCulture));
                break;
            case float f:
                _line.Append(f.ToString("R", CultureInfo.InvariantCulture));
                break;
            case decimal or long or int or short or sbyte or byte or ushort or uint or ulong or System.Numerics.BigInteger:
                _line.Append(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                throw new BatchDbException(ErrorIds.NotSupported, BatchDbErrorKind.NotSupported,
                    $"The column {columns[column]} holds {value.GetType().Name} values, which BatchDb does not copy between databases. " +
                    "Select it converted to text (with -Query) or leave it out.")
                { Target = columns[column] };
        }
    }

    private void AppendQuoted(string text)
    {
        _line.Append('"');
        foreach (var c in text)
        {
            _line.Append(c);
            if (c == '"')
            {
                _line.Append('"');
            }
        }

        _line.Append('"');
    }

    // A value at midnight is written as a date alone, which a DATE column takes without a truncation warning and a timestamp reads as midnight.
    private void AppendTimestamp(DateTime value) =>
        _line.Append(value.TimeOfDay == TimeSpan.Zero
            ? value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : value.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture));

    private void AppendTime(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            _line.Append('-');
            value = value.Negate();
        }

        _line.Append(((long)value.TotalHours).ToString(CultureInfo.InvariantCulture))
            .Append(value.ToString(@"\:mm\:ss\.ffffff", CultureInfo.InvariantCulture));
    }
}
