namespace BatchDb.Engine.Csv;

/// <summary>
/// How a CSV file is written. The defaults read RFC 4180 files: comma-separated, fields optionally in
/// double quotes, a quote inside a quoted field doubled, LF or CRLF line ends, UTF-8 with or without BOM.
/// </summary>
internal sealed record CsvFormat
{
    public char Delimiter { get; init; } = ',';

    public char Quote { get; init; } = '"';

    /// <summary>A character that escapes the next one; null means quotes are escaped by doubling them.</summary>
    public char? Escape { get; init; }

    /// <summary>The first line (after <see cref="SkipLines"/>) names the columns.</summary>
    public bool HasHeader { get; init; }

    /// <summary>Lines to skip at the start of the file, before the header if there is one.</summary>
    public int SkipLines { get; init; }

    /// <summary>The file's encoding: utf-8 (default), shift_jis, euc-jp, latin1, …</summary>
    public string Encoding { get; init; } = "utf-8";

    /// <summary>
    /// The table column for each field of the file, in file order; null or "-" skips a field. When null,
    /// the header names the columns, or the fields fill the table's columns in order.
    /// </summary>
    public IReadOnlyList<string?>? Columns { get; init; }

    /// <summary>An unquoted field with exactly this text is loaded as NULL; null leaves the engine's own rule.</summary>
    public string? NullText { get; init; }

    /// <summary>Lines before the first data row.</summary>
    public int LinesBeforeData => SkipLines + (HasHeader ? 1 : 0);
}
