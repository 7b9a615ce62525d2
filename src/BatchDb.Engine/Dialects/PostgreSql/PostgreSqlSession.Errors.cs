using BatchDb.Engine.Sql;
using Npgsql;

namespace BatchDb.Engine.Dialects.PostgreSql;

/// <summary>Npgsql's errors turned into BatchDb errors; the statements themselves run in <see cref="Sql.DatabaseSession"/>.</summary>
internal sealed partial class PostgreSqlSession
{
    protected override System.Data.Common.DbConnection Connection => connection;

    protected override Task<T> RunDriverAsync<T>(string sql, Func<Task<T>> run, CancellationToken cancellationToken) => RunAsync(sql, run);

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
