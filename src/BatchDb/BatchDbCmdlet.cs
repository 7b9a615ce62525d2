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
    private readonly CancellationTokenSource _stopping = new();
    private int _progressId;
    private BlockingCollection<Action<Cmdlet>>? _pipelineQueue;

    protected sealed override void ProcessRecord()
    {
        try
        {
            ProcessRecordCore();
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

    protected abstract void ProcessRecordCore();

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Runs an engine operation, pumping its messages on this thread until it ends; returns its result.</summary>
    protected T RunEngine<T>(Func<IProgress<OperationProgress>, IOperationLog, CancellationToken, Task<T>> operation)
    {
        using var queue = new BlockingCollection<Action<Cmdlet>>();
        var relay = new PipelineRelay(queue, ++_progressId);
        _pipelineQueue = queue;
        var task = Task.Run(() => operation(relay, relay, _stopping.Token));
        task.ContinueWith(_ => queue.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        foreach (var write in queue.GetConsumingEnumerable())
        {
            write(this);
        }

        _pipelineQueue = null;
        relay.CloseProgress(this);
        return task.GetAwaiter().GetResult();
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
        GC.SuppressFinalize(this);
    }
}
