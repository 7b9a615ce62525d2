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
    public void Report(OperationProgress value) => queue.Add(cmdlet =>
    {
        var record = new ProgressRecord(activityId, value.Activity, value.Status) { PercentComplete = value.PercentComplete };
        if (value.PercentComplete >= 100)
        {
            record.RecordType = ProgressRecordType.Completed;
        }

        cmdlet.WriteProgress(record);
    });

    public void Verbose(string message) => queue.Add(cmdlet => cmdlet.WriteVerbose(message));

    public void Warning(string message) => queue.Add(cmdlet => cmdlet.WriteWarning(message));
}
