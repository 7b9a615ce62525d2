using System.Collections.Concurrent;
using System.Management.Automation;
using BatchDb.Engine.Diagnostics;

namespace BatchDb.Internal;

/// <summary>
/// Carries an engine operation's progress and diagnostics, raised on a worker thread, to the pipeline
/// thread, the only one allowed to call WriteProgress and WriteVerbose.
/// </summary>
internal sealed class PipelineRelay(BlockingCollection<Action<Cmdlet>> queue, int activityId) : IProgress<OperationProgress>, IOperationLog
{
    private string? _openActivity;

    public void Report(OperationProgress value) => Post(cmdlet =>
    {
        var record = new ProgressRecord(activityId, value.Activity, value.Status) { PercentComplete = value.PercentComplete };
        if (value.PercentComplete >= 100)
        {
            record.RecordType = ProgressRecordType.Completed;
        }

        _openActivity = record.RecordType == ProgressRecordType.Completed ? null : value.Activity;
        cmdlet.WriteProgress(record);
    });

    /// <summary>Closes a progress bar that the operation left open (it failed or was stopped midway). Pipeline thread only.</summary>
    public void CloseProgress(Cmdlet cmdlet)
    {
        if (_openActivity is { } activity)
        {
            cmdlet.WriteProgress(new ProgressRecord(activityId, activity, "Stopped") { RecordType = ProgressRecordType.Completed });
            _openActivity = null;
        }
    }

    public void Verbose(string message) => Post(cmdlet => cmdlet.WriteVerbose(message));

    public void Warning(string message) => Post(cmdlet => cmdlet.WriteWarning(message));

    private void Post(Action<Cmdlet> write)
    {
        try
        {
            queue.Add(write);
        }
        catch (InvalidOperationException)
        {
            // The cmdlet has returned (it was stopped while the operation waited for its server): nothing can be shown.
        }
    }
}
