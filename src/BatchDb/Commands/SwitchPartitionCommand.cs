using System.Management.Automation;
using BatchDb.Engine.Switching;
using BatchDb.Engine.WorkTables;
using BatchDb.Completion;
using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;

namespace BatchDb.Commands;

/// <summary>
/// Switch-Partition: swaps a loaded work table with the live partition in one metadata step, waiting
/// briefly for the lock and retrying with backoff; run again to swap back. The statistics of the whole
/// partitioned table are refreshed once, after the last partition of the pipeline.
/// </summary>
[Cmdlet(VerbsCommon.Switch, "Partition", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(SwitchPartitionResult))]
public sealed class SwitchPartitionCommand : BatchDbSwitchCmdlet
{
    /// <summary>The partition, as named in the table's definition (on PostgreSQL, the partition's table name).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PartitionNameCompleter))]
    public string Partition { get; set; } = string.Empty;

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double MinimumRowRatio { get; set; } = 0.5;

    /// <summary>How many switches may run at once: one's checks overlap another's exchange. 1 switches one input at a time.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 4;

    private readonly List<(BatchDbConnection Connection, string Table)> _switched = [];

    // Switches under way, in input order: their results are written in that order.
    private readonly List<(string Target, Task<SwitchPartitionResult> Switch)> _underWay = [];

    protected override void ProcessRecordCore()
    {
        WriteEnded(untilUnderWay: ThrottleLimit);
        var connection = ResolveConnection();
        var described = RunEngine((_, _, token) => WorkTableOperations.DescribeAsync(connection, Table, Partition, WorkTable, token));
        var target = $"{described} on {connection}";
        if (!ShouldProcess(target, "Exchange the partition with its work table"))
        {
            return;
        }

        var request = new SwitchPartitionRequest
        {
            Table = Table, Partition = Partition, WorkTable = WorkTable, Force = Force, MinimumRowRatio = MinimumRowRatio, Retry = RetryPolicy, AnalyzeTable = false,
        };
        var recordAs = $"{Table} {Partition}";
        var parameters = new Dictionary<string, object?> { ["Table"] = Table, ["Partition"] = Partition, ["WorkTable"] = WorkTable, ["Force"] = Force.IsPresent };
        Task<SwitchPartitionResult> Switch(IProgress<OperationProgress> _, IOperationLog log, CancellationToken token) =>
            PartitionSwitcher.SwitchAsync(connection, request, log, token);

        // A run records its steps one at a time, and a batch name is held by one switch at a time.
        if (ThrottleLimit == 1 || InsideRun || BatchName is not null)
        {
            WriteEnded(untilUnderWay: 0);
            WriteResult(RunRecorded(connection, recordAs, parameters, countsTowardRun: false, Switch, r => r.LiveRows));
            return;
        }

        // The same partition twice is switched there and back, in input order.
        while (_underWay.Any(s => s.Target == target))
        {
            WriteEnded(untilUnderWay: _underWay.Count - 1);
        }

        WriteEnded(untilUnderWay: ThrottleLimit - 1);

        _underWay.Add((target, StartRecorded(connection, recordAs, parameters, countsTowardRun: false, Switch, r => r.LiveRows)));
    }

    protected override void EndProcessing()
    {
        WriteEnded(untilUnderWay: 0);
        foreach (var (connection, table) in _switched)
        {
            WriteVerbose($"Refreshing the statistics of {table} on {connection}.");
            ReportingErrors(() => RunEngine((_, _, token) => PartitionSwitcher.AnalyzeTableAsync(connection, table, token)));
        }
    }

    /// <summary>
    /// Writes the switches under way that have ended, in input order, waiting until at most <paramref name="untilUnderWay"/>
    /// are left. A failed one is reported once every switch under way has ended, so that an error that stops the
    /// pipeline leaves nothing running.
    /// </summary>
    private void WriteEnded(int untilUnderWay)
    {
        while (_underWay.Count > 0)
        {
            var head = _underWay[0].Switch;
            var tasks = _underWay.Select(s => (Task)s.Switch).ToList();
            if (_underWay.Count > untilUnderWay || head.IsCompleted)
            {
                PumpStartedUntil(() => head.IsCompleted && (head.IsCompletedSuccessfully || tasks.All(t => t.IsCompleted)), tasks);
            }

            if (!head.IsCompleted)
            {
                return;
            }

            _underWay.RemoveAt(0);
            ReportingErrors(() => WriteResult(head.GetAwaiter().GetResult()));
        }
    }

    /// <summary>Writes a switch's result and notes its table for the ANALYZE after the last one.</summary>
    private void WriteResult(SwitchPartitionResult result)
    {
        if (!_switched.Contains((result.Connection, result.Table)))
        {
            _switched.Add((result.Connection, result.Table));
        }

        WriteObject(result);
    }
}
