using System.Management.Automation;
using BatchDb.Engine.Switching;
using BatchDb.Engine.WorkTables;

namespace BatchDb.Commands;

/// <summary>
/// Switch-Table: puts a loaded work table on screen in place of a whole table — by an atomic rename of
/// the two, or, for a view switch, by pointing the view at the other table; run again to swap back.
/// </summary>
[Cmdlet(VerbsCommon.Switch, "Table", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(SwitchTableResult))]
public sealed class SwitchTableCommand : BatchDbSwitchCmdlet
{
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double MinimumRowRatio { get; set; } = 0.5;

    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        var described = RunEngine((_, _, token) => WorkTableOperations.DescribeAsync(connection, Table, null, WorkTable, token));
        if (!ShouldProcess($"{described} on {connection}", "Swap the table with its work table"))
        {
            return;
        }

        var request = new SwitchTableRequest { Table = Table, WorkTable = WorkTable, Force = Force, MinimumRowRatio = MinimumRowRatio, Retry = RetryPolicy };
        WriteObject(RunRecorded(connection, Table,
            new Dictionary<string, object?> { ["Table"] = Table, ["WorkTable"] = WorkTable, ["Force"] = Force.IsPresent },
            countsTowardRun: false, (_, log, token) => TableSwitcher.SwitchAsync(connection, request, log, token), r => r.LiveRows));
    }
}
