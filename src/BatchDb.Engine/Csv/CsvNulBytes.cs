namespace BatchDb.Engine.Csv;

/// <summary>
/// NUL bytes in a CSV file: PostgreSQL refuses them in text, MariaDB would load them, so BatchDb refuses them on MySQL
/// too, before the load. One sequential read of the file, vectorised; the file is usually in the page cache afterwards.
/// </summary>
internal static class CsvNulBytes
{
    /// <summary>The file line (1-based) of the first NUL byte, or null when there is none.</summary>
    public static async Task<long?> FindFirstLineAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
        var buffer = new byte[1 << 20];
        long line = 1;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            var chunk = buffer.AsSpan(0, read);
            var nul = chunk.IndexOf((byte)0);
            if (nul >= 0)
            {
                return line + chunk[..nul].Count((byte)'\n');
            }

            line += chunk.Count((byte)'\n');
        }

        return null;
    }
}
