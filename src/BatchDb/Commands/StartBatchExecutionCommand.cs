using System.Collections;
using System.Management.Automation;
using BatchDb.Engine.Executions;
using BatchDb.Internal;
using BatchDb.Completion;

namespace BatchDb.Commands;

/// <summary>
/// Start-BatchExecution: begins a run of a batch for a script that manages its own flow — takes the batch's
/// run lock (one run per name across hosts), records the execution as Running and keeps its heartbeat until
/// Complete-BatchExecution. Data-changing cmdlets in between are recorded as its steps.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "BatchExecution", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(BatchExecution))]
public sealed class StartBatchExecutionCommand : BatchDbDataCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("BatchName")]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 200)]
    [ArgumentCompleter(typeof(BatchNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>Recorded with the execution as JSON.</summary>
    [Parameter]
    public Hashtable? Parameters { get; set; }

    [Parameter]
    public SwitchParameter Wait { get; set; }

    [Parameter]
    [ValidateRange(1, 3600)]
    public int HeartbeatSeconds { get; set; } = 30;

    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        if (!ShouldProcess($"batch {Name} on {connection}", "Start a run (take the batch lock and record it as Running)"))
        {
            return;
        }

        var options = new RunOptions
        {
            BatchName = Name,
            Operation = "Start-BatchExecution",
            Parameters = Parameters is null ? null : BatchParameters.From(Parameters),
            Wait = Wait,
            HeartbeatInterval = TimeSpan.FromSeconds(HeartbeatSeconds),
        };
        var run = RunEngine((_, log, token) => BatchRuns.StartAsync(connection, options, log, token));
        RunRegistry.Current.Enter(run);
        WriteObject(run.Execution);
    }
}
