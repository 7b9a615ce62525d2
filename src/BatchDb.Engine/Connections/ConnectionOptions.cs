using System.Net;

namespace BatchDb.Engine.Connections;

/// <summary>
/// What <see cref="BatchDbConnections.ConnectAsync"/> needs: either a full <see cref="ConnectionString"/>,
/// or a server, port, database and credential. Explicit values override the same keys in the string.
/// </summary>
internal sealed record ConnectionOptions
{
    public required DatabaseProvider Provider { get; init; }

    public string? Name { get; init; }

    public string? Server { get; init; }

    public int? Port { get; init; }

    public string? Database { get; init; }

    public NetworkCredential? Credential { get; init; }

    public string? ConnectionString { get; init; }

    /// <summary>Where the execution ledger is: a schema on PostgreSQL (default batch), a database on MySQL (default the connection's).</summary>
    public string? LedgerSchema { get; init; }
}
