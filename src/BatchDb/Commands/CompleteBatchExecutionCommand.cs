using System.Management.Automation;
using BatchDb.Engine.Executions;
using BatchDb.Internal;

namespace BatchDb.Commands;

/// <summary>
/// Complete-BatchExecution: ends a Running execution as Succeeded or Failed (with its error) and, for a run
/// started in this session, releases the batch lock. Binds ExecutionId and Connection from Start-BatchExecution
/// or Get-BatchExecution output.
/// </summary>
[Cmdlet(VerbsLifecycle.Complete, "BatchExecution", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(BatchExecution))]
public sealed class CompleteBatchExecutionCommand : BatchDbDataCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, long.MaxValue)]
    public long ExecutionId { get; set; }

    /// <summary>Succeeded, or Failed; the default is Failed when -ErrorMessage is given, else Succeeded.</summary>
    [Parameter(Position = 1)]
    [ValidateSet(nameof(ExecutionStatus.Succeeded), nameof(ExecutionStatus.Failed))]
    public string? Status { get; set; }

    /// <summary>The records processed; for a run, the default is the sum of the rows its imports loaded.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long? RecordsProcessed { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ErrorMessage { get; set; }

    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        var status = Status is null
            ? ErrorMessage is null ? ExecutionStatus.Succeeded : ExecutionStatus.Failed
            : Enum.Parse<ExecutionStatus>(Status, ignoreCase: true);
        if (!ShouldProcess($"execution {ExecutionId} on {connection}", $"Complete as {status}"))
        {
            return;
        }

        var run = RunRegistry.Current.Find(ExecutionId);
        try
        {
            WriteObject(RunEngine((_, _, token) => BatchRuns.CompleteAsync(connection, ExecutionId, status, RecordsProcessed, ErrorMessage, token)));
        }
        finally
        {
            // Completing a run of this session ends its lease, whatever the outcome; later cmdlets must not record under it.
            if (run is not null)
            {
                RunRegistry.Current.Leave(run);
            }
        }
    }
}
