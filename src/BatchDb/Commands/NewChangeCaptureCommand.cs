using System.Management.Automation;
using BatchDb.Engine.Cdc;
using BatchDb.Completion;

namespace BatchDb.Commands;

/// <summary>
/// New-ChangeCapture: starts capturing a PostgreSQL table's changes: a publication of the table and a logical
/// replication slot (pgoutput), both named batchdb_&lt;name&gt;. From then on the source keeps every change until
/// Receive-ChangeCapture has applied it.
/// </summary>
[Cmdlet(VerbsCommon.New, "ChangeCapture", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ChangeCapture))]
public sealed class NewChangeCaptureCommand : BatchDbChangeCmdlet
{
    /// <summary>The capture's name: lower-case letters, digits and underscores.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>The source table whose changes are captured.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string Table { get; set; } = string.Empty;

    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        if (!ShouldProcess($"{Table} on {connection}", $"Create the publication and replication slot batchdb_{Name}, which keep its changes until they are received"))
        {
            return;
        }

        WriteObject(RunRecorded(connection, Name, new Dictionary<string, object?> { ["Name"] = Name, ["Table"] = Table },
            countsTowardRun: false, (_, _, token) => ChangeCaptures.CreateAsync(connection, Name, Table, token), _ => null));
    }
}
