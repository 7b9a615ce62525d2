namespace BatchDb.Engine.Extracts;

/// <summary>A query's rows streaming out as CSV (<see cref="ICsvExportSession"/>); disposing it ends the export, read to the end or not.</summary>
internal sealed class CsvExport(Stream csv, IAsyncDisposable export) : IAsyncDisposable
{
    public Stream Csv { get; } = csv;

    public ValueTask DisposeAsync() => export.DisposeAsync();
}
