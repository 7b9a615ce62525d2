using System.Management.Automation;
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
        if (!ShouldProcess(DescribeWorkTable(connection), Force ? "Create (dropping it first if it exists)" : "Create"))
        {
            return;
        }

        var request = new WorkTableRequest { Table = Table, Partition = Partition, WorkTable = WorkTable, Force = Force };
        WriteObject(RunRecorded(connection, Partition is null ? Table : $"{Table} {Partition}",
            new Dictionary<string, object?> { ["Table"] = Table, ["Partition"] = Partition, ["WorkTable"] = WorkTable, ["Force"] = Force.IsPresent },
            countsTowardRun: false, (_, log, token) => WorkTableOperations.CreateAsync(connection, request, log, token), _ => null));
    }
}
