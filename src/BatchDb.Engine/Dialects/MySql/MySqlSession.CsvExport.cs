using System.Globalization;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Extracts;
using MySqlConnector;

namespace BatchDb.Engine.Dialects.MySql;

/// <summary>
/// Extracts from MySQL into MySQL without reading values: each column comes as the server's own text, cast to bytes
/// (text converted to utf8mb4 first), and is quoted into the CSV that LOAD DATA reads, byte for byte. The driver
/// never parses a number, a time or a string, which is most of the client's work on the value-by-value path.
/// </summary>
internal sealed partial class MySqlSession : ICsvExportSession
{
    private const int ExportBufferSize = 1 << 16;

    private enum CsvForm
    {
        /// <summary>Characters, converted to utf8mb4 by the server and quoted.</summary>
        Text,

        /// <summary>A number, date or time as the server writes it: ASCII, taken as it is.</summary>
        Plain,

        /// <summary>A date and time; at midnight the date alone, as <see cref="CsvRowText"/> writes times.</summary>
        Moment,
    }

    string ICsvExportSession.Literal(object value) => value switch
    {
        string text => Literal(text),
        DateTime moment => string.Create(CultureInfo.InvariantCulture, $"'{moment:yyyy-MM-dd HH:mm:ss.ffffff}'"),
        long or int or decimal => string.Create(CultureInfo.InvariantCulture, $"{value}"),
        _ => throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
            $"A {value.GetType().Name} value cannot be written as a MySQL literal."),
    };

    public async Task<CsvExport?> ExportCsvAsync(string query, string nullMarker, CancellationToken cancellationToken)
    {
        var forms = new List<(string Name, CsvForm Form)>();
        var probe = $"SELECT * FROM ({query}) AS batchdb_export LIMIT 0";
        await using (var command = new MySqlCommand(probe, _connection, (MySqlTransaction?)Transaction))
        {
            await using var reader = await RunAsync(probe, () => command.ExecuteReaderAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
            foreach (var column in reader.GetColumnSchema().Cast<MySqlDbColumn>())
            {
                if (FormOf(column.ProviderType) is not { } form)
                {
                    return null;
                }

                forms.Add((column.ColumnName, form));
            }
        }

        if (forms.DistinctBy(c => c.Name, StringComparer.OrdinalIgnoreCase).Count() != forms.Count)
        {
            return null;
        }

        var values = forms.Select(c => c.Form == CsvForm.Text
            ? $"CAST(CONVERT(batchdb_export.{Quote(c.Name)} USING utf8mb4) AS BINARY)"
            : $"CAST(batchdb_export.{Quote(c.Name)} AS BINARY)");
        var export = $"SELECT {string.Join(", ", values)} FROM ({query}) AS batchdb_export";
        var exportCommand = new MySqlCommand(export, _connection, (MySqlTransaction?)Transaction) { CommandTimeout = NoTimeout };
        try
        {
            var rows = await RunAsync(export, () => exportCommand.ExecuteReaderAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
            var csv = new CsvExportStream(this, rows, export, forms.Select(c => c.Form).ToArray(), System.Text.Encoding.UTF8.GetBytes(nullMarker));
            return new CsvExport(new ReadAheadStream(csv, ExportBufferSize), new ExportCommand(rows, exportCommand));
        }
        catch
        {
            await exportCommand.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>How a column of this type is written, or null for one with no text form LOAD DATA reads back exactly (BIT, binary strings, spatial values).</summary>
    private static CsvForm? FormOf(MySqlDbType type) => type switch
    {
        MySqlDbType.VarChar or MySqlDbType.String or MySqlDbType.VarString or MySqlDbType.TinyText or MySqlDbType.Text or MySqlDbType.MediumText
            or MySqlDbType.LongText or MySqlDbType.JSON or MySqlDbType.Enum or MySqlDbType.Set => CsvForm.Text,
        MySqlDbType.Bool or MySqlDbType.Byte or MySqlDbType.UByte or MySqlDbType.Int16 or MySqlDbType.UInt16 or MySqlDbType.Int24 or MySqlDbType.UInt24
            or MySqlDbType.Int32 or MySqlDbType.UInt32 or MySqlDbType.Int64 or MySqlDbType.UInt64 or MySqlDbType.Decimal or MySqlDbType.NewDecimal
            or MySqlDbType.Float or MySqlDbType.Double or MySqlDbType.Year or MySqlDbType.Date or MySqlDbType.Newdate or MySqlDbType.Time => CsvForm.Plain,
        MySqlDbType.DateTime or MySqlDbType.Timestamp => CsvForm.Moment,
        _ => null,
    };

    private sealed class ExportCommand(MySqlDataReader reader, MySqlCommand command) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await reader.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                await command.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The export's rows as CSV lines: every value quoted (a quote inside doubled), NULL as the marker, '\n' after each row.</summary>
    private sealed class CsvExportStream(MySqlSession session, MySqlDataReader reader, string sql, CsvForm[] forms, byte[] nullMarker) : ReadOnlyStream
    {
        private byte[] _value = new byte[256];
        private byte[] _line = new byte[1024];
        private int _lineStart;
        private int _lineEnd;
        private bool _ended;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            new(session.RunAsync(sql, () => FillAsync(buffer, cancellationToken), cancellationToken));

        private async Task<int> FillAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            var written = 0;
            while (written < buffer.Length)
            {
                if (_lineStart == _lineEnd)
                {
                    if (_ended || !await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        _ended = true;
                        break;
                    }

                    FormatRow();
                }

                var taken = Math.Min(buffer.Length - written, _lineEnd - _lineStart);
                _line.AsSpan(_lineStart, taken).CopyTo(buffer.Span[written..]);
                _lineStart += taken;
                written += taken;
            }

            return written;
        }

        private void FormatRow()
        {
            _lineStart = 0;
            _lineEnd = 0;
            for (var i = 0; i < forms.Length; i++)
            {
                if (i > 0)
                {
                    Append(","u8);
                }

                if (reader.IsDBNull(i))
                {
                    Append(nullMarker);
                    continue;
                }

                var length = (int)reader.GetBytes(i, 0, null, 0, 0);
                if (_value.Length < length)
                {
                    _value = new byte[Math.Max(length, _value.Length * 2)];
                }

                reader.GetBytes(i, 0, _value, 0, length);
                var value = _value.AsSpan(0, length);
                if (forms[i] == CsvForm.Moment && IsMidnight(value))
                {
                    value = value[..10];
                }

                AppendQuoted(value);
            }

            Append("\n"u8);
        }

        // "yyyy-mm-dd 00:00:00", with or without a fraction of zeros.
        private static bool IsMidnight(ReadOnlySpan<byte> moment) =>
            moment.Length >= 19 && moment[10..19].SequenceEqual(" 00:00:00"u8) && (moment.Length == 19 || (moment[19] == '.' && moment[20..].IndexOfAnyExcept((byte)'0') < 0));

        private void AppendQuoted(ReadOnlySpan<byte> value)
        {
            Append("\""u8);
            for (var quote = value.IndexOf((byte)'"'); quote >= 0; quote = value.IndexOf((byte)'"'))
            {
                Append(value[..(quote + 1)]);
                Append("\""u8);
                value = value[(quote + 1)..];
            }

            Append(value);
            Append("\""u8);
        }

        private void Append(ReadOnlySpan<byte> bytes)
        {
            if (_line.Length - _lineEnd < bytes.Length)
            {
                Array.Resize(ref _line, Math.Max(_lineEnd + bytes.Length, _line.Length * 2));
            }

            bytes.CopyTo(_line.AsSpan(_lineEnd));
            _lineEnd += bytes.Length;
        }
    }
}
