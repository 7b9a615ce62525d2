using System.Collections.Concurrent;
using BatchDb.Engine.Calendar;
using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Errors;

namespace BatchDb.Engine.Executions;

/// <summary>
/// A batch's run lock, held by a session of its own outside the connection pool: while the lease lives, no
/// other session on any host can start a run of the batch. It writes the heartbeat of the run's current
/// execution. If the process dies, the server closes the session and frees the lock, and the next run marks the
/// execution Abandoned. If the session is lost while the process lives, <see cref="Lost"/> is cancelled so that
/// the work stops instead of running unguarded.
/// </summary>
internal sealed class RunLease : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<(string Ledger, long ExecutionId), RunLease> Active = new();

    private readonly Ledger _ledger;
    private readonly RunOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stopHeartbeat = new();
    private Task? _heartbeat;
    private long? _currentId;
    private long? _stepRecords;
    private bool _disposed;

    private readonly ConcurrentDictionary<string, long> _completedItems;

    private RunLease(Ledger ledger, RunOptions options, TimeSpan? scheduledTimeout, IReadOnlyDictionary<string, long> completedItems)
    {
        _ledger = ledger;
        _options = options;
        ScheduledTimeout = scheduledTimeout;
        _completedItems = new ConcurrentDictionary<string, long>(completedItems, StringComparer.Ordinal);
    }

    public BatchDbConnection Connection => _ledger.Connection;

    public string BatchName => _options.BatchName;

    /// <summary>The worker's share of a batch split among workers, or null.</summary>
    public BatchShare? Share => _options.Share;

    /// <summary>The execution of the current attempt, as it was when the attempt started.</summary>
    public BatchExecution? Execution { get; private set; }

    /// <summary>Cancelled when the lock session is lost or the execution was ended by someone else.</summary>
    public CancellationToken Lost => _lost.Token;

    public string? LostReason { get; private set; }

    /// <summary>The timeout of the batch's schedule, if it has one.</summary>
    public TimeSpan? ScheduledTimeout { get; }

    private string LedgerKey => KeyOf(Connection, _ledger.Tables.Schema);

    /// <summary>
    /// Takes the batch's run lock (waiting for it if asked), marks Abandoned any run of the batch still shown as
    /// Running (none can be alive while the lock is free), and advances the batch's schedule.
    /// </summary>
    internal static async Task<RunLease> AcquireAsync(BatchDbConnection connection, RunOptions options, IOperationLog log, CancellationToken cancellationToken)
    {
        options.Validate();
        var session = await connection.OpenDedicatedSessionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var ledger = await Ledger.RequireAsync(session, connection, cancellationToken).ConfigureAwait(false);
            var waiting = false;
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (!await ledger.TryLockAsync(options.BatchName, cancellationToken).ConfigureAwait(false))
            {
                var running = await ledger.FindRunningAsync(options.BatchName, cancellationToken).ConfigureAwait(false);
                if (!options.Wait)
                {
                    throw AlreadyRunning(options.BatchName, running);
                }

                if (options.WaitTimeout is { } limit && waited.Elapsed >= limit)
                {
                    throw new BatchDbException(ErrorIds.RunTimedOut, BatchDbErrorKind.TimedOut,
                        $"{DescribeRunning(options.BatchName, running)} Waited {limit} for it to end (the timeout counts the wait) and gave up; nothing ran.")
                    { Target = options.BatchName };
                }

                if (!waiting)
                {
                    log.Verbose($"{AlreadyRunning(options.BatchName, running).Message} Waiting for it to end.");
                    waiting = true;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            }

            var abandoned = await ledger.AbandonRunningAsync(options.BatchName,
                $"Abandoned: its process ended or lost its connection without completing the run; found when a new run started on {Environment.MachineName}.",
                cancellationToken).ConfigureAwait(false);
            if (abandoned > 0)
            {
                log.Warning($"{abandoned} earlier run(s) of batch '{options.BatchName}' were still marked Running although their lock was free; they are now marked Abandoned.");
            }

            var schedule = await ledger.FindScheduleAsync(options.BatchName, cancellationToken).ConfigureAwait(false);
            if (schedule is { } s)
            {
                var now = await ledger.UtcNowAsync(cancellationToken).ConfigureAwait(false);
                var next = CronExpression.Parse(s.Cron).Next(new DateTimeOffset(now, TimeSpan.Zero), TimeZones.Find(s.TimeZone));
                await ledger.MarkScheduleStartedAsync(options.BatchName, now, next?.UtcDateTime, cancellationToken).ConfigureAwait(false);
            }

            var completed = options.ResumeKey is { } key
                ? await ledger.CompletedItemsAsync(options.BatchName, key, cancellationToken).ConfigureAwait(false)
                : new Dictionary<string, long>();
            if (completed.Count > 0)
            {
                log.Verbose($"Batch '{options.BatchName}' continues its unfinished runs with resume key '{options.ResumeKey}': {completed.Count} item(s) they completed are skipped.");
            }

            return new RunLease(ledger, options, schedule is { } found ? TimeSpan.FromMinutes(found.TimeoutMinutes) : null, completed);
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The lease in this process whose current execution is <paramref name="executionId"/> in that ledger, if any.</summary>
    internal static RunLease? FindActive(BatchDbConnection connection, string ledgerSchema, long executionId) =>
        Active.TryGetValue((KeyOf(connection, ledgerSchema), executionId), out var lease) ? lease : null;

    private static string KeyOf(BatchDbConnection connection, string ledgerSchema) =>
        $"{connection.Provider}:{connection.Server}:{connection.Port}/{connection.Database}/{ledgerSchema}";

    /// <summary>Records the start of attempt <paramref name="attempt"/> as a new Running execution and starts its heartbeat.</summary>
    internal async Task<BatchExecution> BeginAttemptAsync(int attempt, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var id = await _ledger.InsertAsync(BatchName, null, _options.Operation, _options.Parameters, attempt, _options.HeartbeatInterval, cancellationToken).ConfigureAwait(false);
            _currentId = id;
            _stepRecords = null;
            Execution = await _ledger.FindAsync(id, cancellationToken).ConfigureAwait(false);
            Active[(LedgerKey, id)] = this;
        }
        finally
        {
            _gate.Release();
        }

        _heartbeat ??= Task.Run(BeatAsync, CancellationToken.None);
        return Execution!;
    }

    /// <summary>Ends the current attempt's execution. Records default to the sum of the loading steps recorded under it.</summary>
    public async Task<BatchExecution> CompleteAsync(ExecutionStatus status, long? records, string? error, CancellationToken cancellationToken)
    {
        RequireFinal(status);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var id = _currentId ?? throw new BatchDbException(ErrorIds.ExecutionNotRunning, BatchDbErrorKind.InvalidOperation,
                $"The run of batch '{BatchName}' has no execution in progress.");
            if (!await _ledger.EndAsync(id, status, records ?? _stepRecords, error, cancellationToken).ConfigureAwait(false))
            {
                throw NotRunning(await _ledger.FindAsync(id, cancellationToken).ConfigureAwait(false), id);
            }

            _currentId = null;
            Active.TryRemove((LedgerKey, id), out _);
            return (await _ledger.FindAsync(id, cancellationToken).ConfigureAwait(false))!;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The execution that completed the share's item <paramref name="item"/>: an earlier attempt, or a run this one resumes; null if none did.</summary>
    internal long? CompletedBy(string item) => _completedItems.TryGetValue(item, out var by) ? by : null;

    /// <summary>Records an item of the share as done by the current attempt, in the ledger (a step) and for the attempts that follow.</summary>
    internal async Task CompleteItemAsync(string item, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        var step = new ExecutionStep
        {
            Operation = BatchShare.ItemOperation,
            DefaultBatchName = BatchName,
            Parameters = new Dictionary<string, object?> { [BatchShare.ItemParameter] = item },
        };
        await ExecutionRecorder.RecordAsync(Connection, step, this, async token => { await work(token).ConfigureAwait(false); return 0; }, _ => null,
            NullOperationLog.Instance, cancellationToken).ConfigureAwait(false);
        _completedItems.TryAdd(item, Execution!.ExecutionId);
    }

    /// <summary>Records a step of the current run (an operation such as Import-WorkTable) as a Running execution whose parent is the run.</summary>
    internal async Task<long> BeginStepAsync(ExecutionStep step, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var parent = _currentId ?? throw new BatchDbException(ErrorIds.ExecutionNotRunning, BatchDbErrorKind.InvalidOperation,
                $"The run of batch '{BatchName}' has already been completed; start a new run to record more steps.");
            return await _ledger.InsertAsync(step.BatchName ?? BatchName, parent, step.Operation, step.Parameters, 1, _options.HeartbeatInterval,
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    internal async Task CompleteStepAsync(long stepId, ExecutionStep step, ExecutionStatus status, long? records, string? error, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _ledger.EndAsync(stepId, status, records, error, cancellationToken).ConfigureAwait(false);
            if (status == ExecutionStatus.Succeeded && step.CountsTowardRun && records is { } n)
            {
                _stepRecords = (_stepRecords ?? 0) + n;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    internal BatchDbException LostException(Exception? failure) =>
        new(ErrorIds.RunLockLost, BatchDbErrorKind.ConnectionFailed,
            $"The run of batch '{BatchName}' was stopped because {LostReason}. Without its lock another run could start, so the work was cancelled; " +
            "the execution will be marked Abandoned by the next run or listing.", failure);

    private async Task BeatAsync()
    {
        var token = _stopHeartbeat.Token;
        try
        {
            while (true)
            {
                await Task.Delay(_options.HeartbeatInterval, token).ConfigureAwait(false);
                await _gate.WaitAsync(token).ConfigureAwait(false);
                try
                {
                    if (_currentId is { } id)
                    {
                        if (!await _ledger.HeartbeatAsync(id, token).ConfigureAwait(false))
                        {
                            Lose($"its execution {id} was ended by another session (see Get-BatchExecution -ExecutionId {id})");
                            return;
                        }
                    }
                    else
                    {
                        await _ledger.UtcNowAsync(token).ConfigureAwait(false);
                    }
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Lose($"its lock session failed ({ex.Message})");
        }
    }

    private void Lose(string reason)
    {
        LostReason = reason;
        _lost.Cancel();
    }

    /// <summary>Stops the heartbeat and closes the lock session, which frees the lock. An attempt still in progress is recorded as Failed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stopHeartbeat.Cancel();
        if (_heartbeat is not null)
        {
            await _heartbeat.ConfigureAwait(false);
        }

        if (_currentId is { } id && !_lost.IsCancellationRequested)
        {
            Active.TryRemove((LedgerKey, id), out _);
            try
            {
                await _ledger.EndAsync(id, ExecutionStatus.Failed, _stepRecords, "The run ended without being completed.", CancellationToken.None).ConfigureAwait(false);
            }
            catch (BatchDbException)
            {
                // The session is gone; the next run or listing marks the execution Abandoned.
            }
        }

        if (!_lost.IsCancellationRequested)
        {
            try
            {
                await _ledger.UnlockAsync(BatchName, CancellationToken.None).ConfigureAwait(false);
            }
            catch (BatchDbException)
            {
                // Closing the session below frees the lock anyway.
            }
        }

        await _ledger.Session.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
        _lost.Dispose();
        _stopHeartbeat.Dispose();
    }

    internal static void RequireFinal(ExecutionStatus status)
    {
        if (status == ExecutionStatus.Running)
        {
            throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument, "An execution cannot be completed as Running.");
        }
    }

    internal static BatchDbException AlreadyRunning(string batchName, BatchExecution? running) =>
        new(ErrorIds.BatchAlreadyRunning, BatchDbErrorKind.ResourceBusy, $"{DescribeRunning(batchName, running)} Use -Wait to wait for it.") { Target = batchName };

    private static string DescribeRunning(string batchName, BatchExecution? running) => running is null
        ? $"Batch '{batchName}' is already running (its run is starting)."
        : $"Batch '{batchName}' is already running since {running.StartTime:yyyy-MM-dd HH:mm:ss zzz} on host {running.Host} " +
          $"(process {running.ProcessId}, execution {running.ExecutionId}).";

    internal static BatchDbException NotRunning(BatchExecution? execution, long id) =>
        new(ErrorIds.ExecutionNotRunning, BatchDbErrorKind.InvalidOperation, execution is null
            ? $"There is no execution {id} in the ledger."
            : $"Execution {id} of batch '{execution.BatchName}' is not running: it ended as {execution.Status} at {execution.EndTime:yyyy-MM-dd HH:mm:ss zzz}" +
              (execution.ErrorMessage is { } message ? $" ({message})." : "."))
        { Target = id.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
