using BatchDb.Engine.Sql;

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

    /// <summary>
    /// Sends every row a query on <paramref name="source"/> streams, each followed by <paramref name="trailing"/> (the
    /// batch id), and completes; <paramref name="sent"/> hears the count after each row. Returns the rows written.
    /// </summary>
    public async Task<long> CopyRowsAsync(DatabaseSession source, string sql, object?[] parameters, object?[] trailing, Action<long>? sent, CancellationToken cancellationToken)
    {
        object?[]? row = null;
        long count = 0;
        await source.StreamRowsAsync(sql, parameters,
            async (values, token) =>
            {
                if (row is null)
                {
                    row = new object?[values.Length + trailing.Length];
                    Array.Copy(trailing, 0, row, values.Length, trailing.Length);
                }

                Array.Copy(values, row, values.Length);
                await WriteRowAsync(row, token).ConfigureAwait(false);
                sent?.Invoke(++count);
            },
            cancellationToken).ConfigureAwait(false);
        return await CompleteAsync(cancellationToken).ConfigureAwait(false);
    }
}
