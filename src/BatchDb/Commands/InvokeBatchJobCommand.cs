using System.Collections;
using System.Collections.ObjectModel;
using System.Management.Automation;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Executions;
using BatchDb.Internal;
using BatchDb.Completion;

namespace BatchDb.Commands;

/// <summary>
/// Invoke-BatchJob: runs a script block as a run of a batch — one run per batch name at a time across hosts,
/// a heartbeat while it runs, -Timeout that stops it as TimedOut, and -MaxAttempts retries with exponential
/// backoff on transient errors (lock wait timeout, deadlock, lost connection) only. Every attempt is recorded;
/// data-changing cmdlets inside are recorded as its steps. Errors inside the script block are terminating.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "BatchJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PSObject), typeof(BatchExecution))]
public sealed class InvokeBatchJobCommand : BatchDbDataCmdlet
{
    private const string JobCompletionIndex = "JOB_COMPLETION_INDEX";
    private const string Wrapper = "param($BatchDbScript, $BatchDbArguments) $ErrorActionPreference = 'Stop'; & $BatchDbScript @BatchDbArguments";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("BatchName")]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 200)]
    [ArgumentCompleter(typeof(BatchNameCompleter))]
    public string Name { get; set; } = string.Empty;

    [Parameter(Mandatory = true, Position = 1)]
    public ScriptBlock ScriptBlock { get; set; } = null!;

    [Parameter]
    [Alias("Args")]
    public object[]? ArgumentList { get; set; }

    /// <summary>Recorded with each execution as JSON.</summary>
    [Parameter]
    public Hashtable? Parameters { get; set; }

    /// <summary>The longest the run may take, retries included; the default is the batch schedule's timeout, if it has one.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public TimeSpan? Timeout { get; set; }

    [Parameter]
    [ValidateRange(1, 100)]
    public int MaxAttempts { get; set; } = 1;

    /// <summary>Seconds before the first retry; each later pause doubles (±20 % jitter), up to five minutes.</summary>
    [Parameter]
    [ValidateRange(0.0, 300.0)]
    public double RetryDelay { get; set; } = 2;

    [Parameter]
    public SwitchParameter Wait { get; set; }

    [Parameter]
    [ValidateRange(1, 3600)]
    public int HeartbeatSeconds { get; set; } = 30;

    /// <summary>Also writes the run's final execution record after the script block's output.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Split the batch among this many workers; this run is the share -PartitionIndex (one run per share at a time).</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int? PartitionCount { get; set; }

    /// <summary>This worker's share, from 0; a Kubernetes Indexed Job's JOB_COMPLETION_INDEX by default.</summary>
    [Parameter]
    [ValidateRange(0, 999)]
    public int? PartitionIndex { get; set; }

    /// <summary>
    /// Continues the unfinished runs of this batch (or share) that had the same key: Select-BatchShare skips the items
    /// they completed. Give an id that stays the same when one job is restarted and changes for the next job: a
    /// Kubernetes Job's name, an Automation job id, the business day.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 200)]
    public string? ResumeKey { get; set; }

    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        var share = Share();
        if (ResumeKey is not null && share is null)
        {
            throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
                "-ResumeKey continues the items of a share that Select-BatchShare hands out: give -PartitionCount too (1 for a single worker).");
        }

        var batchName = share?.BatchName(Name) ?? Name;
        if (!ShouldProcess($"batch {batchName} on {connection}", "Run the script block as a batch run"))
        {
            return;
        }

        var request = new BatchJobRequest
        {
            Run = new RunOptions
            {
                BatchName = batchName,
                Share = share,
                Operation = "Invoke-BatchJob",
                Parameters = RunParameters(),
                ResumeKey = ResumeKey,
                Wait = Wait,
                HeartbeatInterval = TimeSpan.FromSeconds(HeartbeatSeconds),
            },
            Timeout = Timeout,
            MaxAttempts = MaxAttempts,
            InitialRetryDelay = TimeSpan.FromSeconds(RetryDelay),
        };
        Collection<PSObject>? output = null;
        BatchExecution execution;
        try
        {
            execution = RunEngine((_, log, token) => BatchJobRunner.RunAsync(connection, request,
                async (run, attemptToken) => output = await OnPipelineThread(() => InvokeScript(run, attemptToken)).ConfigureAwait(false),
                log, token));
        }
        catch (ScriptBlockFailedException ex)
        {
            // The script's own error record, with its position; the failure is already recorded in the ledger.
            WriteError(ex.ErrorRecord ?? new ErrorRecord(ex, "BatchJobFailed", ErrorCategory.NotSpecified, Name));
            return;
        }

        foreach (var item in output ?? [])
        {
            WriteObject(item);
        }

        if (PassThru)
        {
            WriteObject(execution);
        }
    }

    /// <summary>-Parameters as recorded with each execution, with -ResumeKey, by which a later run finds the runs it continues.</summary>
    private IReadOnlyDictionary<string, object?>? RunParameters()
    {
        if (ResumeKey is null)
        {
            return Parameters is null ? null : BatchParameters.From(Parameters);
        }

        var parameters = Parameters is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(BatchParameters.From(Parameters));
        parameters[BatchShare.ResumeKeyParameter] = ResumeKey;
        return parameters;
    }

    /// <summary>The share of -PartitionCount: -PartitionIndex, else the Indexed Job's JOB_COMPLETION_INDEX.</summary>
    private BatchShare? Share()
    {
        if (PartitionCount is not { } count)
        {
            return PartitionIndex is null ? null
                : throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument, "-PartitionIndex needs -PartitionCount, the number of workers.");
        }

        var index = PartitionIndex
            ?? (int.TryParse(Environment.GetEnvironmentVariable(JobCompletionIndex), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var fromJob)
                ? fromJob
                : throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
                    $"-PartitionCount {count} needs this worker's share: give -PartitionIndex, or run as a Kubernetes Indexed Job, which sets {JobCompletionIndex}."));
        return new BatchShare(index, count);
    }

    /// <summary>Runs the script block in a nested pipeline of this runspace, stoppable from the engine's timeout. Pipeline thread only.</summary>
    private Collection<PSObject> InvokeScript(RunLease run, CancellationToken token)
    {
        RunRegistry.Current.Enter(run);
        try
        {
            using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
            shell.AddScript(Wrapper, useLocalScope: true).AddArgument(ScriptBlock).AddArgument(ArgumentList ?? []);
            using (token.Register(() => shell.BeginStop(null, null)))
            {
                try
                {
                    var results = shell.Invoke();
                    RelayStreams(shell);
                    token.ThrowIfCancellationRequested();
                    return results;
                }
                catch (RuntimeException ex)
                {
                    RelayStreams(shell);
                    throw new ScriptBlockFailedException(ex);
                }
            }
        }
        finally
        {
            RunRegistry.Current.Leave(run);
        }
    }

    private void RelayStreams(PowerShell shell)
    {
        foreach (var warning in shell.Streams.Warning)
        {
            WriteWarning(warning.Message);
        }

        foreach (var verbose in shell.Streams.Verbose)
        {
            WriteVerbose(verbose.Message);
        }

        foreach (var information in shell.Streams.Information)
        {
            WriteInformation(information);
        }
    }
}
