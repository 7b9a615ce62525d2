namespace BatchDb.Engine.Extracts;

/// <summary>A query's rows streaming out as CSV (<see cref="ICsvExportSession"/>); disposing it ends the export, read to the end or not.</summary>
internal sealed class CsvExport(Stream csv, IAsyncDisposable export) : IAsyncDisposable
{
    public Stream Csv { get; } = csv;

    public async ValueTask DisposeAsync()
    {
        await Csv.DisposeAsync().ConfigureAwait(false);
        await export.DisposeAsync().ConfigureAwait(false);
    }
}
