using System.Management.Automation;
using BatchDb.Engine.Connections;
using BatchDb.Engine.WorkTables;

namespace BatchDb.Commands;

/// <summary>New-WorkTable: creates the off-screen table for a partition or a whole table, with the live definition exactly.</summary>
[Cmdlet(VerbsCommon.New, "WorkTable", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(WorkTableInfo))]
public sealed class NewWorkTableCommand : BatchDbWorkTableCmdlet
{
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        var described = DescribeWorkTable(connection);
        if (!ShouldProcess(described, Force ? "Create (dropping it first if it exists)" : "Create") || !ConfirmDropWithRows(connection, described))
        {
            return;
        }

        var request = new WorkTableRequest { Table = Table, Partition = Partition, WorkTable = WorkTable, Force = Force };
        WriteObject(RunRecorded(connection, Partition is null ? Table : $"{Table} {Partition}",
            new Dictionary<string, object?> { ["Table"] = Table, ["Partition"] = Partition, ["WorkTable"] = WorkTable, ["Force"] = Force.IsPresent },
            countsTowardRun: false, (_, log, token) => WorkTableOperations.CreateAsync(connection, request, log, token), _ => null));
    }

    /// <summary>
    /// -Force on a work table that holds rows drops them, usually the rollback copy: that step asks as a High-impact
    /// action would (by default, unless -Confirm:$false), although creating a work table does not.
    /// </summary>
    private bool ConfirmDropWithRows(BatchDbConnection connection, string described)
    {
        // -Confirm (either way) has decided already, and $ConfirmPreference = 'None' turns confirmation off.
        var decided = MyInvocation.BoundParameters.ContainsKey("Confirm") || MyInvocation.BoundParameters.ContainsKey("WhatIf");
        if (!Force || decided || GetVariableValue("ConfirmPreference") is ConfirmImpact.None)
        {
            return true;
        }

        var rows = RunEngine((_, _, token) => WorkTableOperations.CountWorkTableRowsAsync(connection, Table, Partition, WorkTable, token));
        return rows is null or 0 || ShouldContinue(
            $"{described} holds {rows} rows, the rollback copy if a switch put them there. -Force drops them before creating the table again.",
            "Drop a work table that holds rows?");
    }
}
