using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Extracts;

/// <summary>
/// What an extract from this database into another engine needs to hand the rows over as CSV that the server
/// writes itself, instead of reading them into values and formatting them one by one.
/// </summary>
[Capability("writing a query's rows as CSV")]
internal interface ICsvExportSession
{
    /// <summary>A watermark or batch id as a literal of this engine's SQL (the export takes no parameters).</summary>
    string Literal(object value);

    /// <summary>
    /// Starts streaming the rows of <paramref name="query"/> as the CSV an <see cref="ICsvLoadSession"/> reads: fields
    /// separated by commas, every value but NULL in double quotes (a quote inside doubled), NULL as
    /// <paramref name="nullMarker"/> unquoted, '\n' after each row, times in UTC to the microsecond, booleans as 1 and 0.
    /// Null when a column's type has no such form here; the caller then copies value by value.
    /// </summary>
    Task<CsvExport?> ExportCsvAsync(string query, string nullMarker, CancellationToken cancellationToken);
}
