namespace BatchDb.Engine.Extracts;

/// <summary>
/// Rows written one at a time into a table through the engine's bulk path (COPY, LOAD DATA), within the
/// session's current transaction. Disposing without <see cref="CompleteAsync"/> abandons the rows not yet sent.
/// </summary>
internal abstract class BulkRowWriter : IAsyncDisposable
{
    /// <summary>Sends one row; the values are in the writer's column order and the array may be reused afterwards.</summary>
    public abstract ValueTask WriteRowAsync(object?[] values, CancellationToken cancellationToken);

    /// <summary>Sends what is left and waits for the server; returns the number of rows written.</summary>
    public abstract Task<long> CompleteAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}
