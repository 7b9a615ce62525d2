using BatchDb.Engine.Connections;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Sql;
using MySqlConnector;

namespace BatchDb.Engine.Dialects.MySql;

/// <summary>MySQL and MariaDB through MySqlConnector; every MySqlConnector type stays inside this folder.</summary>
internal sealed class MySqlDialect : Dialect
{
    public static readonly MySqlDialect Instance = new();

    private const int DefaultPort = 3306;

    public override ConnectionTarget BuildTarget(ConnectionOptions options)
    {
        MySqlConnectionStringBuilder builder;
        try
        {
            builder = new MySqlConnectionStringBuilder(options.ConnectionString ?? string.Empty);
        }
        catch (ArgumentException ex)
        {
            throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
                $"The MySQL connection string is not valid: {ex.Message}");
        }

        if (options.Server is not null)
        {
            builder.Server = options.Server;
        }

        if (options.Port is { } port)
        {
            builder.Port = (uint)port;
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
            builder.UserID = credential.UserName;
            builder.Password = credential.Password;
        }

        if (string.IsNullOrEmpty(builder.Server) || string.IsNullOrEmpty(builder.Database))
        {
            throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
                "A MySQL connection needs a server and a database (-Server and -Database, or Server= and Database= in the connection string).");
        }

        // LOAD DATA LOCAL streams files; user variables carry fields through SET clauses; CHAR(36) stays text
        // (MySqlConnector would read it as a Guid and change its spelling in extracts).
        builder.AllowLoadLocalInfile = true;
        builder.AllowUserVariables = true;
        builder.GuidFormat = MySqlGuidFormat.None;
        return new ConnectionTarget(builder.ConnectionString, builder.Server, (int)builder.Port, builder.Database, builder.UserID);
    }

    public override void ClearPool(string connectionString)
    {
        using var connection = new MySqlConnection(connectionString);
        MySqlConnection.ClearPool(connection);
    }

    public override string WithoutPooling(string connectionString) =>
        new MySqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    public override async Task<DatabaseSession> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new MySqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var session = new MySqlSession(connection);
            await session.InitializeAsync(cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch (MySqlException) when (cancellationToken.IsCancellationRequested)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new OperationCanceledException(cancellationToken);
        }
        catch (MySqlException ex)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            var settings = new MySqlConnectionStringBuilder(connection.ConnectionString);
            throw MySqlErrors.Translate(ex, null, $"{settings.Server}:{settings.Port}/{settings.Database}");
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
