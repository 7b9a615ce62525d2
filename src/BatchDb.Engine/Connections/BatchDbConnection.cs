namespace BatchDb.Engine.Connections;

/// <summary>
/// A verified way to reach one database. It holds the connection string privately, so that it can be
/// passed around in pipelines and shown on screen without ever showing the password; each operation
/// opens its own pooled session from it.
/// </summary>
public sealed class BatchDbConnection
{
    internal BatchDbConnection(Dialect dialect, string name, DatabaseProvider provider, string server, int port, string database,
        string userName, string serverVersion, string connectionString, string? ledgerSchema)
    {
        Dialect = dialect;
        Name = name;
        Provider = provider;
        Server = server;
        Port = port;
        Database = database;
        UserName = userName;
        ServerVersion = serverVersion;
        ConnectionString = connectionString;
        LedgerSchema = ledgerSchema;
        ConnectedAt = DateTimeOffset.Now;
    }

    public string Name { get; }

    public DatabaseProvider Provider { get; }

    public string Server { get; }

    public int Port { get; }

    public string Database { get; }

    public string UserName { get; }

    public string ServerVersion { get; }

    public DateTimeOffset ConnectedAt { get; }

    /// <summary>The schema (database on MySQL) of the execution ledger, or null for the engine's default.</summary>
    public string? LedgerSchema { get; }

    internal string ConnectionString { get; }

    internal Dialect Dialect { get; }

    public override string ToString() => $"{Name} ({Provider} {UserName}@{Server}:{Port}/{Database})";
}
