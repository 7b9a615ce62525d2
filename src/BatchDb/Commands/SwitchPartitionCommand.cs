using System.Management.Automation;
using BatchDb.Engine.Switching;
using BatchDb.Engine.WorkTables;
using BatchDb.Completion;

namespace BatchDb.Commands;

/// <summary>
/// Switch-Partition: swaps a loaded work table with the live partition in one metadata step, waiting
/// briefly for the lock and retrying with backoff; run again to swap back.
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

    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        var described = RunEngine((_, _, token) => WorkTableOperations.DescribeAsync(connection, Table, Partition, WorkTable, token));
        if (!ShouldProcess($"{described} on {connection}", "Exchange the partition with its work table"))
        {
            return;
        }

        var request = new SwitchPartitionRequest { Table = Table, Partition = Partition, WorkTable = WorkTable, Force = Force, MinimumRowRatio = MinimumRowRatio, Retry = RetryPolicy };
        WriteObject(RunRecorded(connection, $"{Table} {Partition}",
            new Dictionary<string, object?> { ["Table"] = Table, ["Partition"] = Partition, ["WorkTable"] = WorkTable, ["Force"] = Force.IsPresent },
            countsTowardRun: false, (_, log, token) => PartitionSwitcher.SwitchAsync(connection, request, log, token), r => r.LiveRows));
    }
}
