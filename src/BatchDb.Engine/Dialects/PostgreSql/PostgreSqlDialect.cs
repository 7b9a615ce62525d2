using BatchDb.Engine.Connections;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Sql;
using Npgsql;

namespace BatchDb.Engine.Dialects.PostgreSql;

/// <summary>PostgreSQL through Npgsql; every Npgsql type stays inside this folder.</summary>
internal sealed class PostgreSqlDialect : Dialect
{
    public static readonly PostgreSqlDialect Instance = new();

    private const int DefaultPort = 5432;

    public override ConnectionTarget BuildTarget(ConnectionOptions options)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(options.ConnectionString ?? string.Empty);
        }
        catch (ArgumentException ex)
        {
            throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
                $"The PostgreSQL connection string is not valid: {ex.Message}");
        }

        if (options.Server is not null)
        {
            builder.Host = options.Server;
        }

        if (options.Port is { } port)
        {
            builder.Port = port;
        }
        else if (builder.Port == 0)
        {
            builder.Port = DefaultPort;
        }

        if (options.Database is not null)
        {
            builder.Database = options.Database;
        }

        if (options.Credential is { } credential)
        {
            builder.Username = credential.UserName;
            builder.Password = credential.Password;
        }

        if (string.IsNullOrEmpty(builder.Host) || string.IsNullOrEmpty(builder.Database))
        {
            throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
                "A PostgreSQL connection needs a server and a database (-Server and -Database, or Host= and Database= in the connection string).");
        }

        builder.ApplicationName ??= "BatchDb";

        // A rejected row's values (COPY's "Failing row contains …") are what an operator needs to fix a file.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = options.ConnectionString ?? string.Empty };
        if (!given.ContainsKey("Include Error Detail") && !given.ContainsKey("IncludeErrorDetail"))
        {
            builder.IncludeErrorDetail = true;
        }

        return new ConnectionTarget(builder.ConnectionString, builder.Host, builder.Port, builder.Database, builder.Username ?? string.Empty);
    }

    public override void ClearPool(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        NpgsqlConnection.ClearPool(connection);
    }

    public override string WithoutPooling(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    public override async Task<DatabaseSession> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return new PostgreSqlSession(connection, connectionString);
        }
        catch (Exception ex) when (ex is NpgsqlException or PostgresException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            var target = new NpgsqlConnectionStringBuilder(connectionString);
            throw PostgreSqlErrors.Translate(ex, null, $"{target.Host}:{target.Port}/{target.Database}");
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
