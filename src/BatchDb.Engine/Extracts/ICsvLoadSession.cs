using BatchDb.Engine.Naming;
using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Extracts;

/// <summary>What an extract into this database needs to load another engine's CSV export (<see cref="ICsvExportSession"/>) as it streams.</summary>
[Capability("loading CSV from a stream")]
internal interface ICsvLoadSession
{
    /// <summary>How this engine's bulk load reads NULL in that CSV.</summary>
    string CsvNullMarker { get; }

    /// <summary>Loads the CSV into the table's columns in the current transaction; a row the server had to alter or skip is an error naming it.</summary>
    Task LoadCsvAsync(QualifiedName table, IReadOnlyList<string> columns, Stream csv, CancellationToken cancellationToken);
}
