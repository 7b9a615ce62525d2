using System.Management.Automation;
using BatchDb.Engine.Switching;
using BatchDb.Engine.WorkTables;
using BatchDb.Completion;
using BatchDb.Engine.Connections;

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

    private readonly List<(BatchDbConnection Connection, string Table)> _switched = [];

    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        var described = RunEngine((_, _, token) => WorkTableOperations.DescribeAsync(connection, Table, Partition, WorkTable, token));
        if (!ShouldProcess($"{described} on {connection}", "Exchange the partition with its work table"))
        {
            return;
        }

        var request = new SwitchPartitionRequest
        {
            Table = Table, Partition = Partition, WorkTable = WorkTable, Force = Force, MinimumRowRatio = MinimumRowRatio, Retry = RetryPolicy, AnalyzeTable = false,
        };
        var result = RunRecorded(connection, $"{Table} {Partition}",
            new Dictionary<string, object?> { ["Table"] = Table, ["Partition"] = Partition, ["WorkTable"] = WorkTable, ["Force"] = Force.IsPresent },
            countsTowardRun: false, (_, log, token) => PartitionSwitcher.SwitchAsync(connection, request, log, token), r => r.LiveRows);
        if (!_switched.Contains((connection, result.Table)))
        {
            _switched.Add((connection, result.Table));
        }

        WriteObject(result);
    }

    protected override void EndProcessing()
    {
        foreach (var (connection, table) in _switched)
        {
            WriteVerbose($"Refreshing the statistics of {table} on {connection}.");
            ReportingErrors(() => RunEngine((_, _, token) => PartitionSwitcher.AnalyzeTableAsync(connection, table, token)));
        }
    }
}
