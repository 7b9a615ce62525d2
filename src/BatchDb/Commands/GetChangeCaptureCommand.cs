using System.Management.Automation;
using BatchDb.Engine.Cdc;
using BatchDb.Completion;

namespace BatchDb.Commands;

/// <summary>
/// Get-ChangeCapture: lists a PostgreSQL database's change captures with their slots' state: whether a receiver is
/// connected, the position it has confirmed, and the WAL the slot keeps on the source's disk. Warns about a capture
/// that keeps more than -WarningRetainedBytes: an abandoned slot fills the disk.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ChangeCapture")]
[OutputType(typeof(ChangeCapture))]
public sealed class GetChangeCaptureCommand : BatchDbDataCmdlet
{
    private const long OneGibibyte = 1L << 30;

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CaptureNameCompleter))]
    public string? Name { get; set; }

    /// <summary>Warn about captures whose slot keeps more WAL than this; 1 GiB by default.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long WarningRetainedBytes { get; set; } = OneGibibyte;

    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        foreach (var capture in RunEngine((_, _, token) => ChangeCaptures.GetAsync(connection, Name, token)))
        {
            if (capture.RetainedBytes is { } kept && kept > WarningRetainedBytes)
            {
                WriteWarning($"The change capture '{capture.Name}' keeps {Size(kept)} of WAL on {connection}; " +
                    "receive it (Receive-ChangeCapture) or remove it (Remove-ChangeCapture) before the disk fills.");
            }

            WriteObject(capture);
        }
    }

    private static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):N1} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):N1} MiB",
        _ => $"{bytes / 1024.0:N1} KiB",
    };
}
