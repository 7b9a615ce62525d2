using System.Text;
using BatchDb.Engine.Errors;

namespace BatchDb.Engine.Csv;

/// <summary>
/// Reads only the start of a CSV file: its byte-order mark, its line terminator, the header record and
/// whether any data follows. The bulk of the file is streamed by the database's own loader.
/// </summary>
internal static class CsvFileInspector
{
    private const int SampleSize = 64 * 1024;

    public static CsvFileInfo Inspect(string path, CsvFormat format)
    {
        if (!File.Exists(path))
        {
            throw new BatchDbException(ErrorIds.FileNotFound, BatchDbErrorKind.ObjectNotFound,
                $"The file '{path}' does not exist.") { Target = path };
        }

        var encoding = TextEncodings.Resolve(format.Encoding);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan);
        var sample = new byte[(int)Math.Min(SampleSize, stream.Length)];
        stream.ReadExactly(sample);

        var bomLength = BomLength(sample, path);
        var lineTerminator = DetectLineTerminator(sample, bomLength);
        using var reader = new StreamReader(new MemoryStream(sample, bomLength, sample.Length - bomLength), encoding, false);
        var parser = new CsvRecordReader(reader, format);
        for (var i = 0; i < format.SkipLines; i++)
        {
            parser.SkipLine();
        }

        IReadOnlyList<string>? header = null;
        if (format.HasHeader)
        {
            header = parser.ReadRecord();
            if (header is null)
            {
                throw new BatchDbException(ErrorIds.CsvEmpty, BatchDbErrorKind.InvalidData,
                    $"{path}: the file has no header line.") { Target = path };
            }
        }

        var hasData = parser.HasMoreContent();
        return new CsvFileInfo(path, stream.Length, bomLength, lineTerminator, header, hasData);
    }

    private static int BomLength(byte[] sample, string path)
    {
        if (sample is [0xEF, 0xBB, 0xBF, ..])
        {
            return 3;
        }

        if (sample is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..])
        {
            throw new BatchDbException(ErrorIds.EncodingNotSupported, BatchDbErrorKind.InvalidData,
                $"{path}: the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8.") { Target = path };
        }

        return 0;
    }

    private static string DetectLineTerminator(byte[] sample, int start)
    {
        var newline = Array.IndexOf(sample, (byte)'\n', start);
        if (newline > start && sample[newline - 1] == (byte)'\r')
        {
            return "\r\n";
        }

        return newline < 0 && Array.IndexOf(sample, (byte)'\r', start) >= 0 ? "\r" : "\n";
    }
}
