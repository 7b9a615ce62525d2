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
    // How many characters of rows a writer gathers before it sends them: one write per batch, not per row.
    private const int BatchChars = 1 << 15;

    private readonly StringBuilder _batch = new(BatchChars + 1024);

    /// <summary>The rows appended since the batch was last cleared, each a line ending in '\n'.</summary>
    public StringBuilder Batch => _batch;

    /// <summary>Appends the row to <see cref="Batch"/>, its values formatted in place (no string each); true when the batch is full enough to send.</summary>
    public bool Append(object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                _batch.Append(',');
            }

            Append(i, values[i]);
        }

        _batch.Append('\n');
        return _batch.Length >= BatchChars;
    }

    private void Append(int column, object? value)
    {
        switch (value)
        {
            case null or DBNull:
                _batch.Append(nullMarker);
                break;
            case string s:
                AppendQuoted(s);
                break;
            case char c:
                AppendQuoted(c.ToString());
                break;
            case bool b:
                _batch.Append(b ? '1' : '0');
                break;
            case DateTime d:
                AppendTimestamp(d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : d);
                break;
            case DateTimeOffset o:
                AppendTimestamp(o.UtcDateTime);
                break;
            case DateOnly d:
                _batch.Append(CultureInfo.InvariantCulture, $"{d:yyyy-MM-dd}");
                break;
            case TimeOnly t:
                AppendTime(t.ToTimeSpan());
                break;
            case TimeSpan t:
                AppendTime(t);
                break;
            case Guid g:
                _batch.Append(CultureInfo.InvariantCulture, $"{g:D}");
                break;
            case double d:
                _batch.Append(CultureInfo.InvariantCulture, $"{d:R}");
                break;
            case float f:
                _batch.Append(CultureInfo.InvariantCulture, $"{f:R}");
                break;
            case decimal or long or int or short or sbyte or byte or ushort or uint or ulong or System.Numerics.BigInteger:
                _batch.Append(CultureInfo.InvariantCulture, $"{value}");
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
        _batch.Append('"');
        var rest = text.AsSpan();
        for (var quote = rest.IndexOf('"'); quote >= 0; quote = rest.IndexOf('"'))
        {
            _batch.Append(rest[..(quote + 1)]).Append('"');
            rest = rest[(quote + 1)..];
        }

        _batch.Append(rest).Append('"');
    }

    // A value at midnight is written as a date alone, which a DATE column takes without a truncation warning and a timestamp reads as midnight.
    private void AppendTimestamp(DateTime value)
    {
        if (value.TimeOfDay == TimeSpan.Zero)
        {
            _batch.Append(CultureInfo.InvariantCulture, $"{value:yyyy-MM-dd}");
        }
        else
        {
            _batch.Append(CultureInfo.InvariantCulture, $"{value:yyyy-MM-dd HH:mm:ss.ffffff}");
        }
    }

    private void AppendTime(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            _batch.Append('-');
            value = value.Negate();
        }

        _batch.Append(CultureInfo.InvariantCulture, $@"{(long)value.TotalHours}{value:\:mm\:ss\.ffffff}");
    }
}
