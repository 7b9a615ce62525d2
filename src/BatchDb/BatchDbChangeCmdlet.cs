using System.Management.Automation;
using System.Reflection;
using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Executions;
using BatchDb.Internal;
using BatchDb.Completion;

namespace BatchDb;

/// <summary>
/// A cmdlet that changes data: when the database has a batch ledger, each operation is recorded as an
/// execution — a step of the enclosing run (Invoke-BatchJob, Start-BatchExecution), or a run of its own
/// under -BatchName.
/// </summary>
public abstract class BatchDbChangeCmdlet : BatchDbDataCmdlet
{
    /// <summary>The batch name to record the operation under. Inside a run it names the step; the default is the cmdlet and its target.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 200)]
    [ArgumentCompleter(typeof(BatchNameCompleter))]
    public string? BatchName { get; set; }

    /// <summary>Runs an engine operation, recorded in the ledger with its record count and outcome.</summary>
    private protected T RunRecorded<T>(
        BatchDbConnection connection,
        string target,
        IReadOnlyDictionary<string, object?> parameters,
        bool countsTowardRun,
        Func<IProgress<OperationProgress>, IOperationLog, CancellationToken, Task<T>> operation,
        Func<T, long?> records) =>
        RunRecorded(connection, target, parameters, countsTowardRun, (progress, log, _, token) => operation(progress, log, token), records);

    /// <summary>Runs an engine operation that stamps its rows with the batch id: the execution id of the run it is recorded in, if any.</summary>
    private protected T RunRecorded<T>(
        BatchDbConnection connection,
        string target,
        IReadOnlyDictionary<string, object?> parameters,
        bool countsTowardRun,
        Func<IProgress<OperationProgress>, IOperationLog, long?, CancellationToken, Task<T>> operation,
        Func<T, long?> records) =>
        RunEngine(Recorded(connection, target, parameters, countsTowardRun, operation, records));

    /// <summary>
    /// Starts a recorded engine operation that runs while the cmdlet goes on to its next input (see
    /// <see cref="BatchDbCmdlet.StartEngine{T}"/>). Not inside a run: a run's steps are recorded one at a time.
    /// </summary>
    private protected Task<T> StartRecorded<T>(
        BatchDbConnection connection,
        string target,
        IReadOnlyDictionary<string, object?> parameters,
        bool countsTowardRun,
        Func<IProgress<OperationProgress>, IOperationLog, CancellationToken, Task<T>> operation,
        Func<T, long?> records) =>
        StartEngine(Recorded(connection, target, parameters, countsTowardRun, (progress, log, _, token) => operation(progress, log, token), records));

    /// <summary>Whether an operation of this cmdlet would be recorded as a step of a run in progress.</summary>
    private protected static bool InsideRun => RunRegistry.Current.Innermost is not null;

    private Func<IProgress<OperationProgress>, IOperationLog, CancellationToken, Task<T>> Recorded<T>(
        BatchDbConnection connection,
        string target,
        IReadOnlyDictionary<string, object?> parameters,
        bool countsTowardRun,
        Func<IProgress<OperationProgress>, IOperationLog, long?, CancellationToken, Task<T>> operation,
        Func<T, long?> records)
    {
        var attribute = GetType().GetCustomAttribute<CmdletAttribute>()!;
        var name = $"{attribute.VerbName}-{attribute.NounName}";
        var step = new ExecutionStep
        {
            Operation = name,
            BatchName = BatchName,
            // At most a batch name's 200 characters, so that a name that is too long is reported as the table's, by the engine.
            DefaultBatchName = $"{name} {target}" is { Length: > 200 } lengthy ? lengthy[..200] : $"{name} {target}",
            Parameters = parameters,
            CountsTowardRun = countsTowardRun,
        };
        var run = RunRegistry.Current.Innermost;
        return (progress, log, token) =>
            ExecutionRecorder.RecordAsync(connection, step, run, (batchId, t) => operation(progress, log, batchId, t), records, log, token);
    }
}
