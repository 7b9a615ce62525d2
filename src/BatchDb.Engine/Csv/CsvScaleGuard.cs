using System.Text;

namespace BatchDb.Engine.Csv;

/// <summary>
/// Watches the bytes of a CSV file on their way to COPY for numbers with more decimal places than their column keeps.
/// PostgreSQL would round them silently, where MySQL refuses them: a file must load the same way on both engines.
/// Works on the bytes, which is sound for the supported encodings (a delimiter, quote or line end byte never occurs
/// inside a multi-byte character of UTF-8, Shift_JIS or EUC-JP).
/// </summary>
internal sealed class CsvScaleGuard
{
    private const int MaxFieldBytes = 80;

    private readonly CsvFormat _format;
    private readonly IReadOnlyDictionary<int, (string Column, int Scale)> _watched;
    private readonly byte[] _field = new byte[MaxFieldBytes];
    private int _fieldLength;
    private bool _fieldTooLong;
    private int _fieldIndex;
    private bool _quoted;
    private bool _quotePending;
    private bool _escaped;
    private long _line;
    private long _recordLine;
    private bool _headerPending;

    /// <param name="watched">Field index (0-based, in file order) to the column and its scale.</param>
    /// <param name="firstLine">The file line of the first byte inspected.</param>
    public CsvScaleGuard(CsvFormat format, IReadOnlyDictionary<int, (string Column, int Scale)> watched, long firstLine)
    {
        (_format, _watched, _line, _recordLine, _headerPending) = (format, watched, firstLine, firstLine, format.HasHeader);
    }

    /// <summary>The first number that would be rounded: its line, column, text and the column's scale.</summary>
    public (long Line, string Column, string Value, int Scale)? Violation { get; private set; }

    public void Inspect(ReadOnlySpan<byte> chunk)
    {
        if (_watched.Count == 0)
        {
            return;
        }

        foreach (var b in chunk)
        {
            if (Violation is not null)
            {
                return;
            }

            if (_quoted)
            {
                if (_escaped)
                {
                    _escaped = false;
                    Append(b);
                }
                else if (_quotePending)
                {
                    _quotePending = false;
                    if (b == _format.Quote)
                    {
                        Append(b);
                    }
                    else
                    {
                        _quoted = false;
                        Outside(b);
                    }
                }
                else if (_format.Escape is { } escape && b == escape && escape != _format.Quote)
                {
                    _escaped = true;
                }
                else if (b == _format.Quote)
                {
                    _quotePending = true;
                }
                else
                {
                    if (b == '\n')
                    {
                        _line++;
                    }

                    Append(b);
                }
            }
            else
            {
                Outside(b);
            }
        }
    }

    private void Outside(byte b)
    {
        if (b == _format.Quote && _fieldLength == 0)
        {
            _quoted = true;
        }
        else if (b == _format.Delimiter)
        {
            EndField();
            _fieldIndex++;
        }
        else if (b == '\n')
        {
            EndField();
            _fieldIndex = 0;
            _headerPending = false;
            _line++;
            _recordLine = _line;
        }
        else if (b != '\r')
        {
            Append(b);
        }
    }

    private void Append(byte b)
    {
        if (_fieldLength < MaxFieldBytes)
        {
            _field[_fieldLength++] = b;
        }
        else
        {
            _fieldTooLong = true;
        }
    }

    private void EndField()
    {
        if (!_headerPending && !_fieldTooLong && _watched.TryGetValue(_fieldIndex, out var column))
        {
            var text = Encoding.ASCII.GetString(_field, 0, _fieldLength).Trim();
            if (DecimalPlaces(text) is { } places && places > column.Scale)
            {
                Violation = (_recordLine, column.Column, text, column.Scale);
            }
        }

        _fieldLength = 0;
        _fieldTooLong = false;
    }

    /// <summary>The significant decimal places of a plain decimal literal (trailing zeros do not count); null for anything else.</summary>
    private static int? DecimalPlaces(string text)
    {
        var i = text.Length > 0 && text[0] is '+' or '-' ? 1 : 0;
        var digits = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
            digits++;
        }

        if (i == text.Length)
        {
            return digits > 0 ? 0 : null;
        }

        if (text[i] != '.')
        {
            return null;
        }

        var fractionStart = ++i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        if (i != text.Length || digits + (i - fractionStart) == 0)
        {
            return null;
        }

        return text[fractionStart..].TrimEnd('0').Length;
    }
}
