using System.Management.Automation;
using BatchDb.Engine;
using BatchDb.Engine.Connections;
using BatchDb.Internal;

namespace BatchDb.Commands;

/// <summary>Connect-BatchDb: verifies and remembers a connection to a MySQL/MariaDB or PostgreSQL database.</summary>
[Cmdlet(VerbsCommunications.Connect, "BatchDb", DefaultParameterSetName = ServerSet)]
[OutputType(typeof(BatchDbConnection))]
public sealed class ConnectBatchDbCommand : BatchDbCmdlet
{
    private const string ServerSet = "Server";
    private const string ConnectionStringSet = "ConnectionString";

    // Boxed: PowerShell lists the module's public types before BatchDb.Engine can load (Loading/DependencyLoadContext.cs),
    // and a field of the engine's enum type would need the engine to lay this class out.
    private object _provider = DatabaseProvider.MySql;

    [Parameter(Mandatory = true, Position = 0)]
    public DatabaseProvider Provider { get => (DatabaseProvider)_provider; set => _provider = value; }

    [Parameter(Mandatory = true, ParameterSetName = ServerSet, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Server { get; set; } = string.Empty;

    [Parameter(ParameterSetName = ServerSet)]
    [ValidateRange(1, 65535)]
    public int Port { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ServerSet, Position = 2)]
    [ValidateNotNullOrEmpty]
    public string Database { get; set; } = string.Empty;

    [Parameter(ParameterSetName = ServerSet)]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ConnectionStringSet)]
    [ValidateNotNullOrEmpty]
    public string ConnectionString { get; set; } = string.Empty;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Where the batch ledger is: a schema on PostgreSQL (default batch), a database on MySQL (default the connection's).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LedgerSchema { get; set; }

    protected override void ProcessRecordCore()
    {
        var options = ParameterSetName == ConnectionStringSet
            ? new ConnectionOptions { Provider = Provider, ConnectionString = ConnectionString, Name = Name, LedgerSchema = LedgerSchema }
            : new ConnectionOptions
            {
                Provider = Provider,
                Server = Server,
                Port = MyInvocation.BoundParameters.ContainsKey(nameof(Port)) ? Port : null,
                Database = Database,
                Credential = Credential?.GetNetworkCredential(),
                Name = Name,
                LedgerSchema = LedgerSchema,
            };
        var connection = RunEngine((_, _, token) => DatabaseEngines.ConnectAsync(options, token));
        ConnectionRegistry.Current.Add(connection);
        WriteObject(connection);
    }
}
