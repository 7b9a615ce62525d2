using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using BatchDb.Engine.Csv;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Naming;
using MySqlConnector;

namespace BatchDb.Engine.Dialects.MySql;

/// <summary>LOAD DATA LOCAL INFILE, with every server warning turned into an error that names the line.</summary>
internal sealed partial class MySqlSession
{
    private const int MaxReportedProblems = 10;
    private const int DataTruncated = (int)MySqlErrorCode.WarningDataTruncated;
    private const int DuplicateEntry = (int)MySqlErrorCode.DuplicateKeyEntry;

    public async Task<long> LoadCsvAsync(QualifiedName table, CsvFileInfo file, CsvFormat format, IProgress<long>? position, CancellationToken cancellationToken)
    {
        var columns = format.Columns ?? file.HeaderNames;
        if (columns is null && format.NullText is not null)
        {
            columns = await ColumnNamesAsync(table, cancellationToken).ConfigureAwait(false);
        }

        var (targets, assignments) = ColumnClauses(columns, format.NullText, file.Path);
        var loader = new MySqlBulkLoader(_connection)
        {
            // MySqlBulkLoader writes no ESCAPED BY '' (a default EscapeCharacter leaves the server's backslash), so
            // the clauses after the table name are given with it: TableName is taken as SQL text.
            TableName = new StringBuilder(Quote(table))
                .Append(" CHARACTER SET ").Append(CharsetFor(format.Encoding))
                .Append(" FIELDS TERMINATED BY ").Append(Literal(format.Delimiter.ToString()))
                .Append(" OPTIONALLY ENCLOSED BY ").Append(Literal(format.Quote.ToString()))
                .Append(" ESCAPED BY ").Append(Literal(format.Escape?.ToString() ?? string.Empty))
                .Append(" LINES TERMINATED BY ").Append(Literal(file.LineTerminator))
                .ToString(),
            NumberOfLinesToSkip = format.LinesBeforeData,
            Local = true,
            Timeout = NoTimeout,
            SourceStream = new LoadDataSource(file.Path, file.BomLength, position, cancellationToken),
        };
        loader.Columns.AddRange(targets);
        loader.Expressions.AddRange(assignments);

        // On an empty InnoDB table these let MariaDB take its bulk path (no per-row undo, sorted index build).
        await ExecuteAsync("SET SESSION unique_checks = 0, foreign_key_checks = 0", cancellationToken).ConfigureAwait(false);
        var loaded = false;
        try
        {
            var rows = await RunAsync($"LOAD DATA LOCAL INFILE … INTO TABLE {loader.TableName}", () => loader.LoadAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
            await ThrowOnWarningsAsync(table, file, format, columns, cancellationToken).ConfigureAwait(false);
            loaded = true;
            return rows;
        }
        finally
        {
            try
            {
                await ExecuteAsync("SET SESSION unique_checks = 1, foreign_key_checks = 1", CancellationToken.None).ConfigureAwait(false);
            }
            catch (BatchDbException) when (!loaded)
            {
                // The load failed (its error is the one to report); a lost session needs no resetting.
            }
        }
    }

    private async Task ThrowOnWarningsAsync(QualifiedName table, CsvFileInfo file, CsvFormat format, IReadOnlyList<string?>? columns, CancellationToken cancellationToken)
    {
        var warnings = await QueryAsync($"SHOW WARNINGS LIMIT {MaxReportedProblems}", cancellationToken).ConfigureAwait(false);
        if (warnings.Count == 0)
        {
            return;
        }

        // The file's fields in column order, to name a value or, for a duplicate key, find the primary key's fields.
        var fieldColumns = columns ?? await ColumnNamesAsync(table, cancellationToken).ConfigureAwait(false);
        var codes = warnings.Select(w => Convert.ToInt32(w[1], CultureInfo.InvariantCulture)).ToList();
        IReadOnlyList<int> keyFields = codes.Contains(DuplicateEntry)
            ? (await PrimaryKeyColumnsAsync(table, cancellationToken).ConfigureAwait(false)).Select(k => ColumnNames.IndexOf(fieldColumns, k)).ToList()
            : [];

        var total = Convert.ToInt64((await QueryAsync("SELECT @@warning_count", cancellationToken).ConfigureAwait(false))[0][0], CultureInfo.InvariantCulture);
        var records = warnings.Select(w => RowNumberPattern().Match((string)w[2]!)).Where(m => m.Success)
            .Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        var lines = CsvRecordLines.Find(file, format, records);
        var problems = warnings.Select((w, i) => codes[i] == DuplicateEntry && keyFields.Count > 0 && keyFields.All(f => f >= 0)
                ? DescribeDuplicate((string)w[2]!, file, format, keyFields)
                : DescribeWarning(codes[i], (string)w[2]!, lines, fieldColumns))
            .ToList();
        var more = total > problems.Count ? $"{Environment.NewLine}  … and {total - problems.Count} more" : string.Empty;
        throw new BatchDbException(ErrorIds.CsvInvalid, BatchDbErrorKind.InvalidData,
            $"{file.Path}: {total} problem(s) found while loading:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", problems)}{more}")
        { Target = file.Path };
    }

    /// <summary>A duplicate key (the server names no row) with the lines of both records that hold it.</summary>
    private static string DescribeDuplicate(string message, CsvFileInfo file, CsvFormat format, IReadOnlyList<int> keyFields) =>
        DuplicateEntryPattern().Match(message) is { Success: true } entry && CsvRecordLines.FindDuplicate(file, format, keyFields, entry.Groups[1].Value) is { } lines
            ? $"line {lines.Second}: {message} (the same key as line {lines.First})"
            : message;

    /// <summary>
    /// Rewrites the server's "row N" (the Nth record after the ignored lines) as the file line it starts on, and adds
    /// the field's value where the server names only the column ("Data truncated for column 'AMOUNT'").
    /// </summary>
    private static string DescribeWarning(int code, string message, IReadOnlyDictionary<long, (long Line, IReadOnlyList<string> Fields)> lines, IReadOnlyList<string?> fieldColumns)
    {
        var match = RowNumberPattern().Match(message);
        if (!match.Success)
        {
            return message;
        }

        var record = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var found = lines.TryGetValue(record, out var start);
        var line = found ? start.Line.ToString(CultureInfo.InvariantCulture) : $"record {record}";
        var text = RowNumberPattern().Replace(message, string.Empty).Trim();
        if (found && code == DataTruncated && ColumnPattern().Match(message) is { Success: true } column)
        {
            var field = ColumnNames.IndexOf(fieldColumns, column.Groups[1].Value);
            if (field >= 0 && field < start.Fields.Count)
            {
                text += $": '{start.Fields[field]}' does not fit the column";
            }
        }

        return code switch
        {
            (int)MySqlErrorCode.WarningTooFewRecords => $"line {line}: the line has fewer fields than there are columns",
            (int)MySqlErrorCode.WarningTooManyRecords => $"line {line}: the line has more fields than there are columns",
            _ => $"line {line}: {text}",
        };
    }

    private (List<string> Targets, List<string> Assignments) ColumnClauses(IReadOnlyList<string?>? columns, string? nullText, string path)
    {
        if (columns is null)
        {
            return ([], []);
        }

        var targets = new List<string>();
        var assignments = new List<string>();
        for (var i = 0; i < columns.Count; i++)
        {
            var column = columns[i];
            if (string.IsNullOrEmpty(column) || column == "-")
            {
                targets.Add("@batchdb_skip");
                continue;
            }

            try
            {
                QualifiedName.ValidateIdentifier(column, "column");
            }
            catch (BatchDbException ex)
            {
                throw new BatchDbException(ex.ErrorId, ex.Kind, $"{path}: field {i + 1}: {ex.Message}") { Target = path };
            }

            if (nullText is null)
            {
                targets.Add(Quote(column));
            }
            else
            {
                var variable = $"@batchdb_f{i}";
                targets.Add(variable);
                assignments.Add($"{Quote(column)} = NULLIF({variable}, {Literal(nullText)})");
            }
        }

        return (targets, assignments);
    }

    private async Task<IReadOnlyList<string?>> ColumnNamesAsync(QualifiedName table, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = @p0 AND TABLE_NAME = @p1 ORDER BY ORDINAL_POSITION",
            cancellationToken, table.Schema, table.Name).ConfigureAwait(false);
        return rows.Select(r => (string?)r[0]).ToList();
    }

    private static string CharsetFor(string encodingName) => TextEncodings.Resolve(encodingName).CodePage switch
    {
        65001 => "utf8mb4",
        932 => "cp932",
        51932 => "ujis",
        28591 or 1252 => "latin1",
        20127 => "ascii",
        var other => throw new BatchDbException(ErrorIds.EncodingNotSupported, BatchDbErrorKind.NotSupported,
            $"MySQL cannot load files in code page {other}."),
    };

    [GeneratedRegex(@"Duplicate entry '(.*)' for key")]
    private static partial Regex DuplicateEntryPattern();

    [GeneratedRegex(@"for column '([^']+)'")]
    private static partial Regex ColumnPattern();

    [GeneratedRegex(@"(?:\s+at\s+)?\b[Rr]ow (\d+)")]
    private static partial Regex RowNumberPattern();
}
