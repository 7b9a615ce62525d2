namespace BatchDb.Engine.Csv;

/// <summary>
/// Where records start in a file: MySQL numbers the rows it warns about by record (after the ignored lines), while
/// readers and PostgreSQL count file lines, which differ once a quoted field spans lines. Read only on the error path.
/// </summary>
internal static class CsvRecordLines
{
    /// <summary>The file line (1-based) each of the given data records (1-based, after the lines before data) starts on, and its fields.</summary>
    public static IReadOnlyDictionary<long, (long Line, IReadOnlyList<string> Fields)> Find(CsvFileInfo file, CsvFormat format, IEnumerable<long> records)
    {
        var wanted = new HashSet<long>(records);
        var found = new Dictionary<long, (long, IReadOnlyList<string>)>();
        foreach (var (record, line, fields) in Records(file, format))
        {
            if (wanted.Count == 0)
            {
                break;
            }

            if (wanted.Remove(record))
            {
                found[record] = (line, fields);
            }
        }

        return found;
    }

    /// <summary>The data records of a file with their numbers (1-based) and the line each starts on.</summary>
    private static IEnumerable<(long Record, long Line, IReadOnlyList<string> Fields)> Records(CsvFileInfo file, CsvFormat format)
    {
        using var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        stream.Seek(file.BomLength, SeekOrigin.Begin);
        using var reader = new StreamReader(stream, TextEncodings.Resolve(format.Encoding), false, 1 << 16);
        var parser = new CsvRecordReader(reader, format);
        for (var i = 0; i < format.LinesBeforeData; i++)
        {
            parser.SkipLine();
        }

        var line = (long)format.LinesBeforeData + 1;
        long record = 0;
        while (parser.ReadRecord() is { } fields)
        {
            yield return (++record, line, fields);
            line += 1 + fields.Sum(f => f.Count(ch => ch == '\n'));
        }
    }

    /// <summary>
    /// The line each record starts on whose fields at <paramref name="keyFields"/> hold one of the wanted keys (values
    /// compared trimmed, and as numbers where both are numbers); keys not found are left out.
    /// </summary>
    public static IReadOnlyDictionary<string, long> FindKeys(CsvFileInfo file, CsvFormat format, IReadOnlyList<int> keyFields, IEnumerable<IReadOnlyList<string>> keys)
    {
        var wanted = keys.Select(KeyText).ToHashSet(StringComparer.Ordinal);
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (_, line, fields) in Records(file, format))
        {
            if (wanted.Count == 0)
            {
                break;
            }

            if (keyFields.All(f => f < fields.Count) && KeyText(keyFields.Select(f => fields[f]).ToList()) is var key && wanted.Remove(key))
            {
                found[key] = line;
            }
        }

        return found;
    }

    /// <summary>
    /// The lines of the first and the second record whose fields at <paramref name="keyFields"/>, joined with '-' as
    /// MySQL prints a duplicate entry, equal <paramref name="entry"/>; null when the file has no such pair.
    /// </summary>
    public static (long First, long Second)? FindDuplicate(CsvFileInfo file, CsvFormat format, IReadOnlyList<int> keyFields, string entry)
    {
        long? first = null;
        foreach (var (_, line, fields) in Records(file, format))
        {
            if (keyFields.All(f => f < fields.Count) && string.Join('-', keyFields.Select(f => fields[f].Trim())) == entry)
            {
                if (first is { } earlier)
                {
                    return (earlier, line);
                }

                first = line;
            }
        }

        return null;
    }

    /// <summary>A key's values as one comparable text: trimmed, numbers in their shortest form.</summary>
    public static string KeyText(IReadOnlyList<string> values) =>
        string.Join('\u001f', values.Select(v => v.Trim()).Select(v =>
            decimal.TryParse(v, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var number)
                ? (number / 1.000000000000000000000000000000000m).ToString(System.Globalization.CultureInfo.InvariantCulture)
                : v));

    /// <summary>
    /// The line on which the first broken quoted field opens: one that is never closed, or whose closing quote is
    /// followed by something other than a delimiter or a line end. Readers report such a field where they give up (at
    /// the end of the file); the person fixing the file needs the line where it starts. Null when every quote is sound.
    /// </summary>
    public static long? FindBrokenQuote(CsvFileInfo file, CsvFormat format)
    {
        using var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        stream.Seek(file.BomLength, SeekOrigin.Begin);
        using var reader = new StreamReader(stream, TextEncodings.Resolve(format.Encoding), false, 1 << 16);
        long line = 1;
        long opened = 0;
        var quoted = false;
        var fieldStart = true;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            if (c == '\n')
            {
                line++;
            }

            if (quoted)
            {
                if (format.Escape is { } escape && c == escape && escape != format.Quote)
                {
                    reader.Read();
                }
                else if (c == format.Quote && reader.Peek() == format.Quote)
                {
                    reader.Read();
                }
                else if (c == format.Quote)
                {
                    quoted = false;
                    var next = reader.Peek();
                    if (next >= 0 && next != format.Delimiter && next != '\r' && next != '\n')
                    {
                        return opened;
                    }
                }

                continue;
            }

            if (c == format.Quote && fieldStart)
            {
                quoted = true;
                opened = line;
            }

            fieldStart = c == format.Delimiter || c == '\n';
        }

        return quoted ? opened : null;
    }
}
