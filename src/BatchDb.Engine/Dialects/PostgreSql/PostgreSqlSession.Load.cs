using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using BatchDb.Engine.Csv;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Naming;
using Npgsql;

namespace BatchDb.Engine.Dialects.PostgreSql;

/// <summary>
/// COPY … FROM STDIN (FORMAT csv) with the file's bytes streamed as they are: the server parses and
/// converts, as with psql's \copy. Errors name the file's line.
/// </summary>
internal sealed partial class PostgreSqlSession
{
    private const int CopyBufferSize = 1 << 16;

    public async Task<long> LoadCsvAsync(QualifiedName table, CsvFileInfo file, CsvFormat format, IProgress<long>? position, CancellationToken cancellationToken)
    {
        var tableColumns = await ColumnNamesAsync(table, cancellationToken).ConfigureAwait(false);
        var columns = MapColumns(format.Columns ?? file.HeaderNames, tableColumns, file.Path);
        var copy = BuildCopy(table, columns ?? tableColumns, columns is not null, format);
        var guard = new CsvScaleGuard(format, await ScaledFieldsAsync(table, columns ?? tableColumns, cancellationToken).ConfigureAwait(false), format.SkipLines + 1);

        await using var input = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferSize, FileOptions.SequentialScan | FileOptions.Asynchronous);
        input.Seek(file.BomLength, SeekOrigin.Begin);
        var skipped = await SkipLinesAsync(input, format.SkipLines, file.LineTerminator, cancellationToken).ConfigureAwait(false);
        try
        {
            // BeginTextImport hands back a writer over the raw COPY stream; the file's bytes go to that stream untouched.
            // Disposing the writer commits the COPY, so it is disposed only when every byte was sent and passed the guard.
            var writer = (NpgsqlCopyTextWriter)await connection.BeginTextImportAsync(copy, cancellationToken).ConfigureAwait(false);
            var sent = false;
            try
            {
                var stream = writer.BaseStream;
                guard.Inspect(skipped.Span);
                await stream.WriteAsync(skipped, cancellationToken).ConfigureAwait(false);
                var buffer = new byte[CopyBufferSize];
                int read;
                while (guard.Violation is null && (read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    guard.Inspect(buffer.AsSpan(0, read));
                    await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    position?.Report(input.Position);
                }

                sent = guard.Violation is null;
            }
            finally
            {
                if (sent)
                {
                    await writer.DisposeAsync().ConfigureAwait(false);
                }
                else
                {
                    await CancelCopyAsync(writer).ConfigureAwait(false);
                }
            }

            if (guard.Violation is { } rounded)
            {
                throw new BatchDbException(ErrorIds.CsvInvalid, BatchDbErrorKind.InvalidData,
                    $"{file.Path}: line {rounded.Line}, column {rounded.Column}: {rounded.Value} has more decimal places than the column keeps ({rounded.Scale}); " +
                    "PostgreSQL would round it (MySQL refuses it). Nothing was loaded.")
                { Target = file.Path };
            }
        }
        catch (PostgresException ex)
        {
            throw DescribeCopyError(ex, file, format, copy);
        }
        catch (NpgsqlException ex) when (ex.InnerException is not OperationCanceledException)
        {
            throw PostgreSqlErrors.Translate(ex, copy);
        }

        return await CountRowsAsync(table, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends a COPY without committing it. The server answers with an error, the expected outcome; on a lost connection
    /// there is nothing left to end. Either way the error that made the copy stop is the one to report.
    /// </summary>
    private static async Task CancelCopyAsync(NpgsqlCopyTextWriter writer)
    {
        try
        {
            await writer.CancelAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or ObjectDisposedException or InvalidOperationException or IOException)
        {
        }
    }

    private static string BuildCopy(QualifiedName table, IReadOnlyList<string> columns, bool listColumns, CsvFormat format)
    {
        var columnList = string.Join(", ", columns.Select(Quote));
        var options = new List<string>
        {
            "FORMAT csv",
            $"DELIMITER {Literal(format.Delimiter.ToString())}",
            $"QUOTE {Literal(format.Quote.ToString())}",
            $"ENCODING {Literal(ServerEncodingFor(format.Encoding))}",
        };
        if (format.Escape is { } escape)
        {
            options.Add($"ESCAPE {Literal(escape.ToString())}");
        }

        if (format.HasHeader)
        {
            options.Add("HEADER true");
        }

        // The same rule as LOAD DATA on MySQL: without -NullText an unquoted NULL is NULL and an empty field is
        // an empty string; with it, the text means NULL quoted or not.
        if (format.NullText is null)
        {
            options.Add("NULL 'NULL'");
        }
        else
        {
            options.Add($"NULL {Literal(format.NullText)}");
            options.Add($"FORCE_NULL ({columnList})");
        }

        var target = listColumns ? $"{Quote(table)} ({columnList})" : Quote(table);
        return $"COPY {target} FROM STDIN WITH ({string.Join(", ", options)})";
    }

    /// <summary>Maps the file's fields to the table's columns by name (exact, then ignoring case).</summary>
    private static List<string>? MapColumns(IReadOnlyList<string?>? fields, IReadOnlyList<string> tableColumns, string path)
    {
        if (fields is null)
        {
            return null;
        }

        var mapped = new List<string>(fields.Count);
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            if (string.IsNullOrEmpty(field) || field == "-")
            {
                throw new BatchDbException(ErrorIds.NotSupported, BatchDbErrorKind.NotSupported,
                    $"{path}: field {i + 1} is marked to be skipped; PostgreSQL's COPY loads every field of a line. Remove the field from the file or load it into a column.")
                { Target = path };
            }

            var column = ColumnNames.Find(tableColumns, field)
                ?? throw new BatchDbException(ErrorIds.CsvInvalid, BatchDbErrorKind.InvalidData,
                    $"{path}: field {i + 1} names the column '{field}', which the table does not have. Its columns are: {string.Join(", ", tableColumns)}.")
                { Target = path };
            mapped.Add(column);
        }

        return mapped;
    }

    /// <summary>The fields (by index in the COPY's column order) that go into numeric columns with a declared scale.</summary>
    private async Task<IReadOnlyDictionary<int, (string Column, int Scale)>> ScaledFieldsAsync(QualifiedName table, IReadOnlyList<string> columns, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            """
            SELECT attname, (atttypmod - 4) & 65535 FROM pg_attribute
            WHERE attrelid = to_regclass(@p0) AND attnum > 0 AND NOT attisdropped AND atttypid = 'numeric'::regtype AND atttypmod >= 4
            """,
            cancellationToken, Quote(table)).ConfigureAwait(false);
        var scales = rows.ToDictionary(r => (string)r[0]!, r => Convert.ToInt32(r[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
        var fields = new Dictionary<int, (string, int)>();
        for (var i = 0; i < columns.Count; i++)
        {
            if (scales.TryGetValue(columns[i], out var scale))
            {
                fields[i] = (columns[i], scale);
            }
        }

        return fields;
    }

    private async Task<List<string>> ColumnNamesAsync(QualifiedName table, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(@p0) AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
            cancellationToken, Quote(table)).ConfigureAwait(false);
        return rows.Select(r => (string)r[0]!).ToList();
    }

    /// <summary>
    /// Reads past the lines to skip (COPY can skip only a header) and returns the bytes read beyond them. The
    /// line terminator's last byte cannot occur inside a multi-byte character of a supported encoding.
    /// </summary>
    private static async Task<ReadOnlyMemory<byte>> SkipLinesAsync(Stream input, int lines, string lineTerminator, CancellationToken cancellationToken)
    {
        if (lines == 0)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        var terminator = (byte)lineTerminator[^1];
        var buffer = new byte[CopyBufferSize];
        while (true)
        {
            var read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return ReadOnlyMemory<byte>.Empty;
            }

            for (var i = 0; i < read; i++)
            {
                if (buffer[i] == terminator && --lines == 0)
                {
                    return buffer.AsMemory(i + 1, read - i - 1);
                }
            }
        }
    }

    private static BatchDbException DescribeCopyError(PostgresException ex, CsvFileInfo file, CsvFormat format, string copy)
    {
        // COPY's context reads "COPY t, line 3, column amount: "x"" and counts the lines it was sent.
        var match = CopyContextPattern().Match(ex.Where ?? string.Empty);
        if (!match.Success)
        {
            return PostgreSqlErrors.Translate(ex, copy, file.Path);
        }

        var line = long.Parse(match.Groups["line"].Value, CultureInfo.InvariantCulture) + format.SkipLines;
        if (ex.SqlState == PostgresErrorCodes.BadCopyFileFormat && ex.MessageText.Contains("unterminated CSV quoted field", StringComparison.Ordinal)
            && CsvRecordLines.FindBrokenQuote(file, format) is { } opened)
        {
            // COPY notices the missing quote only at the end of the file; the reader needs the line where it opened.
            return new BatchDbException(ErrorIds.CsvInvalid, BatchDbErrorKind.InvalidData,
                $"{file.Path}: line {opened}: a quoted field opens here and is not closed properly: its closing quote is missing or followed by more text (PostgreSQL read on to line {line}).", ex, copy)
            { Target = file.Path };
        }

        var column = match.Groups["column"].Success ? $", column {match.Groups["column"].Value}" : string.Empty;
        var detail = ex.SqlState == PostgresErrorCodes.CheckViolation
            ? "the row does not belong in the partition"
            : ex.MessageText;
        var (id, kind) = ex.SqlState == PostgresErrorCodes.CheckViolation
            ? (ErrorIds.RowsOutsidePartition, BatchDbErrorKind.InvalidData)
            : (ErrorIds.CsvInvalid, BatchDbErrorKind.InvalidData);
        var more = ex.Detail is { Length: > 0 } d ? $" ({d})" : string.Empty;
        return new BatchDbException(id, kind, $"{file.Path}: line {line}{column}: {detail}{more}", ex, copy) { Target = file.Path };
    }

    private static string ServerEncodingFor(string encodingName) => TextEncodings.Resolve(encodingName).CodePage switch
    {
        65001 or 20127 => "UTF8",
        932 => "SJIS",
        51932 => "EUC_JP",
        28591 => "LATIN1",
        1252 => "WIN1252",
        var other => throw new BatchDbException(ErrorIds.EncodingNotSupported, BatchDbErrorKind.NotSupported,
            $"PostgreSQL cannot load files in code page {other}."),
    };

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"\bline (?<line>\d+)(?:, column (?<column>[^:]+))?")]
    private static partial Regex CopyContextPattern();
}
