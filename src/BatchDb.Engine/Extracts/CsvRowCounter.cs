namespace BatchDb.Engine.Extracts;

/// <summary>
/// Reads a CSV stream through, counting its rows as they pass: a newline outside double quotes ends a row (a quote
/// inside a quoted value is doubled, which leaves the count of quotes even).
/// </summary>
internal sealed class CsvRowCounter(Stream csv, Action<long>? sent) : ReadOnlyStream
{
    private bool _quoted;

    public long Rows { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await csv.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Count(buffer.Span[..read]);
    }

    private int Count(ReadOnlySpan<byte> read)
    {
        var rows = Rows;
        for (var rest = read; !rest.IsEmpty;)
        {
            var next = _quoted ? rest.IndexOf((byte)'"') : rest.IndexOfAny((byte)'"', (byte)'\n');
            if (next < 0)
            {
                break;
            }

            if (rest[next] == '"')
            {
                _quoted = !_quoted;
            }
            else
            {
                rows++;
            }

            rest = rest[(next + 1)..];
        }

        if (rows != Rows)
        {
            Rows = rows;
            sent?.Invoke(rows);
        }

        return read.Length;
    }
}
