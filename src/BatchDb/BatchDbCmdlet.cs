using System.Collections.Concurrent;
using System.Management.Automation;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Errors;
using BatchDb.Internal;

namespace BatchDb;

/// <summary>
/// The base of every BatchDb cmdlet: runs one engine operation off the pipeline thread, relays its
/// progress and verbose messages back, cancels it on Ctrl+C, and turns engine errors into error records.
/// </summary>
public abstract class BatchDbCmdlet : PSCmdlet, IDisposable
{
    // How long a stopped cmdlet waits for its cancelled operation to finish (and record itself as stopped).
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);
    private readonly CancellationTokenSource _stopping = new();
    private int _progressId;
    private BlockingCollection<Action<Cmdlet>>? _pipelineQueue;
    // The messages of operations started by StartEngine, which run side by side and report through one queue.
    private BlockingCollection<Action<Cmdlet>>? _startedQueue;

    protected sealed override void ProcessRecord() => ReportingErrors(ProcessRecordCore);

    protected abstract void ProcessRecordCore();

    /// <summary>Runs a step of the cmdlet: an engine error becomes an error record of this input, and a stopped pipeline ends it quietly.</summary>
    private protected void ReportingErrors(Action step)
    {
        try
        {
            step();
        }
        catch (BatchDbException ex)
        {
            WriteError(ErrorMapper.ToErrorRecord(ex, null));
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Ctrl+C or a closed pipeline: PowerShell is already stopping; nothing to report.
        }
    }

    protected override void StopProcessing()
    {
        // Cancelled without waiting: a driver's cancel request to a server that does not answer would hold Ctrl+C.
        _ = _stopping.CancelAsync();
        foreach (var queue in new[] { _pipelineQueue, _startedQueue })
        {
            try
            {
                queue?.CompleteAdding();
            }
            catch (ObjectDisposedException)
            {
                // The operation had just ended.
            }
        }
    }

    /// <summary>Runs an engine operation, pumping its messages on this thread until it ends; returns its result.</summary>
    private protected T RunEngine<T>(Func<IProgress<OperationProgress>, IOperationLog, CancellationToken, Task<T>> operation)
    {
        var queue = new BlockingCollection<Action<Cmdlet>>();
        var relay = new PipelineRelay(queue, ++_progressId);
        _pipelineQueue = queue;
        var task = Task.Run(() => operation(relay, relay, _stopping.Token));
        task.ContinueWith(_ => queue.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            var stopped = false;
            foreach (var write in queue.GetConsumingEnumerable())
            {
                try
                {
                    write(this);
                }
                catch (PipelineStoppedException)
                {
                    // A stopping pipeline refuses writes. Drain the rest, so the cancelled operation can still record its stop.
                    stopped = true;
                }
            }

            if (!task.IsCompleted && !task.ContinueWith(_ => { }, TaskScheduler.Default).Wait(StopGrace))
            {
                stopped = true;
            }

            if (stopped)
            {
                throw new PipelineStoppedException();
            }
        }
        finally
        {
            // Stopped: the operation, cancelled, may still be waiting for a server that does not answer. The cmdlet
            // returns now; what the operation reports later is dropped.
            _pipelineQueue = null;
            queue.CompleteAdding();
            if (task.IsCompleted)
            {
                queue.Dispose();
            }
        }

        relay.CloseProgress(this);
        return task.GetAwaiter().GetResult();
    }

    /// <summary>Runs an engine operation that returns nothing, pumping its messages on this thread until it ends.</summary>
    private protected void RunEngine(Func<IProgress<OperationProgress>, IOperationLog, CancellationToken, Task> operation) =>
        RunEngine(async (progress, log, token) =>
        {
            await operation(progress, log, token).ConfigureAwait(false);
            return true;
        });

    /// <summary>
    /// Starts an engine operation that runs while this cmdlet goes on to its next input; its messages are shown
    /// by <see cref="PumpStartedUntil"/>, which must run until the returned task has ended.
    /// </summary>
    private protected Task<T> StartEngine<T>(Func<IProgress<OperationProgress>, IOperationLog, CancellationToken, Task<T>> operation)
    {
        var queue = _startedQueue ??= new BlockingCollection<Action<Cmdlet>>();
        var relay = new PipelineRelay(queue, ++_progressId);
        var task = Task.Run(() => operation(relay, relay, _stopping.Token));
        task.ContinueWith(_ =>
        {
            try
            {
                // Wakes the pump, and closes a progress bar the operation left open.
                queue.Add(relay.CloseProgress);
            }
            catch (InvalidOperationException)
            {
                // The pipeline is stopping: nothing more is shown.
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return task;
    }

    /// <summary>Shows the messages of the operations <see cref="StartEngine{T}"/> started, on this thread, until <paramref name="done"/>.</summary>
    private protected void PumpStartedUntil(Func<bool> done, IReadOnlyCollection<Task> started)
    {
        var queue = _startedQueue;
        var stopped = false;
        while (queue is not null)
        {
            // Everything already reported is shown; the wait is only for what is not done yet.
            if (!queue.TryTake(out var write) && (done() || !queue.TryTake(out write, Timeout.Infinite)))
            {
                // Done, or completed for adding because the pipeline is stopping.
                stopped = !done() && queue.IsAddingCompleted;
                break;
            }

            try
            {
                write(this);
            }
            catch (PipelineStoppedException)
            {
                stopped = true;
                break;
            }
        }

        if (stopped)
        {
            // Let the cancelled operations record their stop, as RunEngine does, then end quietly.
            Task.WhenAll(started).ContinueWith(_ => { }, TaskScheduler.Default).Wait(StopGrace);
            throw new PipelineStoppedException();
        }
    }

    /// <summary>From inside a <see cref="RunEngine{T}"/> operation: runs <paramref name="work"/> on the pipeline thread (where script blocks must run).</summary>
    protected Task<T> OnPipelineThread<T>(Func<T> work)
    {
        var queue = _pipelineQueue ?? throw new InvalidOperationException("OnPipelineThread is only for operations that RunEngine is running.");
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        queue.Add(_ =>
        {
            try
            {
                done.SetResult(work());
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        });
        return done.Task;
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _startedQueue?.Dispose();
        GC.SuppressFinalize(this);
    }
}
