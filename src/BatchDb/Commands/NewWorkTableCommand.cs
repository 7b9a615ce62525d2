using System.Management.Automation;
using BatchDb.Engine.WorkTables;

namespace BatchDb.Commands;

/// <summary>New-WorkTable: creates the off-screen table for one partition, with the partitioned table's exact definition.</summary>
[Cmdlet(VerbsCommon.New, "WorkTable", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(WorkTableInfo))]
public sealed class NewWorkTableCommand : BatchDbPartitionCmdlet
{
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        var action = Force ? "Create (dropping it first if it exists)" : "Create";
        if (!ShouldProcess($"{WorkTableForDisplay} on {connection}", $"{action} the work table for partition {Partition} of {Table}"))
        {
            return;
        }

        var request = new WorkTableRequest { Table = Table, Partition = Partition, WorkTable = WorkTable, Force = Force };
        WriteObject(RunEngine((_, log, token) => WorkTableOperations.CreateAsync(connection, request, log, token)));
    }
}
