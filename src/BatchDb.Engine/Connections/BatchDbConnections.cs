using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Connections;

/// <summary>Opens and verifies connections.</summary>
internal static class BatchDbConnections
{
    /// <summary>
    /// Opens one session to check the server, the database and the credential, and returns a
    /// connection that later operations open their own sessions from.
    /// </summary>
    public static async Task<BatchDbConnection> ConnectAsync(Dialect dialect, ConnectionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.LedgerSchema is { } ledgerSchema)
        {
            Naming.QualifiedName.ValidateIdentifier(ledgerSchema, "ledger schema");
        }

        var target = dialect.BuildTarget(options);
        await using var session = await dialect.OpenAsync(target.ConnectionString, cancellationToken).ConfigureAwait(false);
        var name = string.IsNullOrEmpty(options.Name) ? $"{target.Server}:{target.Port}/{target.Database}" : options.Name;
        return new BatchDbConnection(dialect, name, options.Provider, target.Server, target.Port, target.Database, target.UserName,
            session.ServerVersion, target.ConnectionString, options.LedgerSchema);
    }

    /// <summary>Closes the idle pooled sessions of a connection.</summary>
    public static void Close(BatchDbConnection connection) => connection.Dialect.ClearPool(connection.ConnectionString);

    internal static Task<DatabaseSession> OpenSessionAsync(this BatchDbConnection connection, CancellationToken cancellationToken) =>
        connection.Dialect.OpenAsync(connection.ConnectionString, cancellationToken);

    /// <summary>A session outside the pool, for a batch lock: closing it ends the server session, and with it the lock.</summary>
    internal static Task<DatabaseSession> OpenDedicatedSessionAsync(this BatchDbConnection connection, CancellationToken cancellationToken)
    {
        return connection.Dialect.OpenAsync(connection.Dialect.WithoutPooling(connection.ConnectionString), cancellationToken);
    }
}
