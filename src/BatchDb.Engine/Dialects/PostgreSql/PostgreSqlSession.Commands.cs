using Npgsql;

namespace BatchDb.Engine.Dialects.PostgreSql;

/// <summary>Running statements: parameters bound by name (@p0, @p1 … as on MySQL), cancellation sent to the server, errors translated.</summary>
internal sealed partial class PostgreSqlSession
{
    private const int NoTimeout = 0;

    private Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken) => ExecuteAsync(sql, cancellationToken, timeoutSeconds: null);

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, int? timeoutSeconds)
    {
        await using var command = CreateCommand(sql, timeoutSeconds, []);
        return await RunAsync(command, c => c.ExecuteNonQueryAsync(cancellationToken)).ConfigureAwait(false);
    }

    private Task<List<object?[]>> QueryAsync(string sql, CancellationToken cancellationToken, params object?[] parameters) =>
        QueryAsync(sql, cancellationToken, null, parameters);

    private async Task<List<object?[]>> QueryAsync(string sql, CancellationToken cancellationToken, int? timeoutSeconds, object?[] parameters)
    {
        await using var command = CreateCommand(sql, timeoutSeconds, parameters);
        return await RunAsync(command, async c =>
        {
            var rows = new List<object?[]>();
            await using var reader = await c.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var values = new object?[reader.FieldCount];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                rows.Add(values);
            }

            return rows;
        }).ConfigureAwait(false);
    }

    private NpgsqlCommand CreateCommand(string sql, int? timeoutSeconds, object?[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, (NpgsqlTransaction?)Transaction);
        if (timeoutSeconds is { } timeout)
        {
            command.CommandTimeout = timeout;
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            // Npgsql binds @name placeholders itself, reading past string literals and comments.
            command.Parameters.Add(new NpgsqlParameter($"p{i}", parameters[i] ?? DBNull.Value));
        }

        return command;
    }

    protected override System.Data.Common.DbConnection Connection => connection;

    protected override Task<T> RunDriverAsync<T>(string sql, Func<Task<T>> run, CancellationToken cancellationToken) => RunAsync(sql, run);

    private Task<T> RunAsync<T>(NpgsqlCommand command, Func<NpgsqlCommand, Task<T>> run) => RunAsync(command.CommandText, () => run(command));

    /// <summary>Runs a statement (or a driver call standing for one) with errors turned into BatchDb errors.</summary>
    private async Task<T> RunAsync<T>(string sql, Func<Task<T>> run)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (PostgresException ex)
        {
            throw PostgreSqlErrors.Translate(ex, sql);
        }
        catch (NpgsqlException ex) when (ex.InnerException is not OperationCanceledException)
        {
            throw PostgreSqlErrors.Translate(ex, sql);
        }
        catch (InvalidOperationException ex) when (connection.FullState is not System.Data.ConnectionState.Open)
        {
            throw PostgreSqlErrors.ConnectionLost(ex, sql);
        }
    }
}
