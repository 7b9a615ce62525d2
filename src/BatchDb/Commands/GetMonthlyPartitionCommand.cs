using System.Management.Automation;
using BatchDb.Engine.Partitioning;
using BatchDb.Completion;

namespace BatchDb.Commands;

/// <summary>Get-MonthlyPartition: lists a table's RANGE partitions on its date column, with their bounds and row estimates.</summary>
[Cmdlet(VerbsCommon.Get, "MonthlyPartition")]
[OutputType(typeof(MonthlyPartition))]
public sealed class GetMonthlyPartitionCommand : BatchDbDataCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string Table { get; set; } = string.Empty;

    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        foreach (var partition in RunEngine((_, _, token) => MonthlyPartitions.GetAsync(connection, Table, token)))
        {
            WriteObject(partition);
        }
    }
}
