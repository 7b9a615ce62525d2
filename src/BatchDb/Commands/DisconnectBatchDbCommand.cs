using System.Management.Automation;
using BatchDb.Engine.Connections;
using BatchDb.Engine.Errors;
using BatchDb.Internal;
using BatchDb.Completion;

namespace BatchDb.Commands;

/// <summary>Disconnect-BatchDb: forgets a connection in this session and closes its pooled sessions.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "BatchDb", DefaultParameterSetName = NameSet)]
[OutputType(typeof(void))]
public sealed class DisconnectBatchDbCommand : BatchDbCmdlet
{
    private const string NameSet = "Name";
    private const string ConnectionSet = "Connection";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    public string Name { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ConnectionSet)]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    public BatchDbConnection? Connection { get; set; }

    protected override void ProcessRecordCore()
    {
        var registry = ConnectionRegistry.Current;
        var connection = Connection ?? registry.Find(Name)
            ?? throw new BatchDbException(ErrorIds.ConnectionNotFound, BatchDbErrorKind.ObjectNotFound,
                $"No connection named '{Name}' in this session.") { Target = Name };
        registry.Remove(connection);
        BatchDbConnections.Close(connection);
        WriteVerbose($"Disconnected {connection}.");
    }
}
