namespace BatchDb.Engine.Csv;

/// <summary>What <see cref="CsvFileInspector"/> learned from the start of a file.</summary>
internal sealed record CsvFileInfo(
    string Path,
    long Length,
    int BomLength,
    string LineTerminator,
    IReadOnlyList<string>? HeaderNames,
    bool HasDataAfterPreamble);
