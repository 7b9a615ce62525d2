using BatchDb.Engine.Dialects;

namespace BatchDb.Engine.Connections;

/// <summary>Opens and verifies connections.</summary>
public static class BatchDbConnections
{
    /// <summary>
    /// Opens one session to check the server, the database and the credential, and returns a
    /// connection that later operations open their own sessions from.
    /// </summary>
    public static async Task<BatchDbConnection> ConnectAsync(ConnectionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var dialect = Dialect.For(options.Provider);
        var target = dialect.BuildTarget(options);
        await using var session = await dialect.OpenAsync(target.ConnectionString, cancellationToken).ConfigureAwait(false);
        var name = string.IsNullOrEmpty(options.Name) ? $"{target.Server}:{target.Port}/{target.Database}" : options.Name;
        return new BatchDbConnection(name, options.Provider, target.Server, target.Port, target.Database, target.UserName,
            session.ServerVersion, target.ConnectionString);
    }

    /// <summary>Closes the idle pooled sessions of a connection.</summary>
    public static void Close(BatchDbConnection connection) => Dialect.For(connection.Provider).ClearPool(connection.ConnectionString);

    internal static Task<DatabaseSession> OpenSessionAsync(this BatchDbConnection connection, CancellationToken cancellationToken) =>
        Dialect.For(connection.Provider).OpenAsync(connection.ConnectionString, cancellationToken);
}
