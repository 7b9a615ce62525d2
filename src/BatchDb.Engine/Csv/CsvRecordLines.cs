namespace BatchDb.Engine.Csv;

/// <summary>
/// Where records start in a file: MySQL numbers the rows it warns about by record (after the ignored lines), while
/// readers and PostgreSQL count file lines, which differ once a quoted field spans lines. Read only on the error path.
/// </summary>
internal static class CsvRecordLines
{
    /// <summary>The file line (1-based) on which each of the given data records (1-based, after the lines before data) starts.</summary>
    public static IReadOnlyDictionary<long, long> Find(CsvFileInfo file, CsvFormat format, IEnumerable<long> records)
    {
        var wanted = new SortedSet<long>(records);
        var found = new Dictionary<long, long>();
        if (wanted.Count == 0)
        {
            return found;
        }

        using var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        stream.Seek(file.BomLength, SeekOrigin.Begin);
        using var reader = new StreamReader(stream, TextEncodings.Resolve(format.Encoding), false, 1 << 16);
        long line = 1;
        long record = 1 - format.LinesBeforeData;
        var recordStart = line;
        var quoted = false;
        var atRecordStart = true;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            if (atRecordStart)
            {
                recordStart = line;
                atRecordStart = false;
            }

            if (format.Escape is { } escape && c == escape && quoted)
            {
                reader.Read();
            }
            else if (c == format.Quote)
            {
                quoted = !quoted;
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && reader.Peek() == '\n')
                {
                    reader.Read();
                }

                line++;
                if (!quoted || record < 1)
                {
                    if (record >= 1 && wanted.Remove(record))
                    {
                        found[record] = recordStart;
                        if (wanted.Count == 0)
                        {
                            return found;
                        }
                    }

                    quoted = false;
                    record++;
                    atRecordStart = true;
                }
            }
        }

        if (!atRecordStart && record >= 1 && wanted.Remove(record))
        {
            found[record] = recordStart;
        }

        return found;
    }
}
