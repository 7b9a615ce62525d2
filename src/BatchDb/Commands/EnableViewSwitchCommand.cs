using System.Management.Automation;
using BatchDb.Engine.ViewSwitching;
using BatchDb.Completion;

namespace BatchDb.Commands;

/// <summary>
/// Enable-ViewSwitch: turns a table into the seed's view method — the table renamed to -LiveTable, a view
/// with the table's name over it, an empty -WorkTable beside it, and a screen-control row — in one step
/// that readers never see.
/// </summary>
[Cmdlet(VerbsLifecycle.Enable, "ViewSwitch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ViewSwitchInfo))]
public sealed class EnableViewSwitchCommand : BatchDbSwitchCmdlet
{
    /// <summary>The name the current table gets; the default is &lt;Table&gt;_a.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string? LiveTable { get; set; }

    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        var request = new ViewSwitchRequest { Table = Table, LiveTable = LiveTable, StandbyTable = WorkTable, Retry = RetryPolicy };
        var plan = RunEngine((_, _, token) => ViewSwitchOperations.DescribeAsync(connection, request, token));
        if (!ShouldProcess($"{Table} on {connection}", plan))
        {
            return;
        }

        WriteObject(RunRecorded(connection, Table,
            new Dictionary<string, object?> { ["Table"] = Table, ["LiveTable"] = LiveTable, ["WorkTable"] = WorkTable },
            countsTowardRun: false, (_, log, token) => ViewSwitchOperations.EnableAsync(connection, request, log, token), r => r.LiveRows));
    }
}
