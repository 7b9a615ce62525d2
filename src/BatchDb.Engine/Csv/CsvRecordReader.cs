using System.Text;

namespace BatchDb.Engine.Csv;

/// <summary>
/// A small RFC 4180 record reader for the few records BatchDb reads itself (the header); quoted fields
/// may hold delimiters, doubled quotes and line breaks.
/// </summary>
internal sealed class CsvRecordReader(TextReader reader, CsvFormat format)
{
    public void SkipLine() => reader.ReadLine();

    public bool HasMoreContent()
    {
        while (reader.Peek() is '\r' or '\n')
        {
            reader.Read();
        }

        return reader.Peek() >= 0;
    }

    public IReadOnlyList<string>? ReadRecord()
    {
        if (reader.Peek() < 0)
        {
            return null;
        }

        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        while (true)
        {
            var c = reader.Read();
            if (c < 0)
            {
                fields.Add(field.ToString());
                return fields;
            }

            var ch = (char)c;
            if (quoted)
            {
                if (format.Escape is { } escape && ch == escape && escape != format.Quote && reader.Peek() >= 0)
                {
                    field.Append((char)reader.Read());
                }
                else if (ch == format.Quote)
                {
                    if (reader.Peek() == format.Quote)
                    {
                        field.Append((char)reader.Read());
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    field.Append(ch);
                }
            }
            else if (ch == format.Quote && field.Length == 0)
            {
                quoted = true;
            }
            else if (ch == format.Delimiter)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (ch is '\r' or '\n')
            {
                if (ch == '\r' && reader.Peek() == '\n')
                {
                    reader.Read();
                }

                fields.Add(field.ToString());
                return fields;
            }
            else
            {
                field.Append(ch);
            }
        }
    }
}
