using System.Management.Automation;
using BatchDb.Engine.Cdc;
using BatchDb.Completion;

namespace BatchDb.Commands;

/// <summary>
/// Remove-ChangeCapture: drops a capture's replication slot and publication. The source then frees the WAL the slot
/// kept; changes not yet received are gone for good, so a new capture starts from a fresh copy.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ChangeCapture", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveChangeCaptureCommand : BatchDbChangeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CaptureNameCompleter))]
    public string Name { get; set; } = string.Empty;

    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        if (!ShouldProcess($"change capture {Name} on {connection}", "Drop its replication slot and publication; changes not yet received are lost"))
        {
            return;
        }

        RunRecorded(connection, Name, new Dictionary<string, object?> { ["Name"] = Name }, countsTowardRun: false,
            async (_, _, token) =>
            {
                await ChangeCaptures.RemoveAsync(connection, Name, token).ConfigureAwait(false);
                return true;
            }, _ => null);
    }
}
