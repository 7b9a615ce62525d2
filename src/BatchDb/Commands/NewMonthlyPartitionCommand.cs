using System.Management.Automation;
using BatchDb.Engine.Partitioning;
using BatchDb.Completion;

namespace BatchDb.Commands;

/// <summary>
/// New-MonthlyPartition: creates the missing monthly partitions of a RANGE-partitioned table for this month and
/// the -Premake months after it (and any months since its last partition), each confirmed on its own.
/// </summary>
[Cmdlet(VerbsCommon.New, "MonthlyPartition", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(MonthlyPartition))]
public sealed class NewMonthlyPartitionCommand : BatchDbChangeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string Table { get; set; } = string.Empty;

    [Parameter]
    [ValidateRange(0, 120)]
    public int Premake { get; set; } = 3;

    /// <summary>The day whose month counts as this month; today by default.</summary>
    [Parameter]
    public DateTime? AsOf { get; set; }

    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        var today = DateOnly.FromDateTime(AsOf ?? DateTime.Today);
        var planned = RunEngine((_, _, token) => MonthlyPartitions.PlanPremakeAsync(connection, Table, Premake, today, token));
        var approved = planned.Where(p => ShouldProcess($"{p.Table} on {connection}", $"Add partition {p.Name} for [{p.From:yyyy-MM-dd}, {p.To:yyyy-MM-dd})")).ToList();
        if (approved.Count == 0)
        {
            WriteVerbose(planned.Count == 0 ? $"{Table} already has partitions through {Premake} month(s) ahead." : "No partition was created.");
            return;
        }

        var created = RunRecorded(connection, Table,
            new Dictionary<string, object?> { ["Table"] = Table, ["Premake"] = Premake, ["AsOf"] = today.ToString("yyyy-MM-dd") },
            countsTowardRun: false, (_, log, token) => MonthlyPartitions.CreateAsync(connection, approved, log, token), r => r.Count);
        foreach (var partition in created)
        {
            WriteObject(partition);
        }
    }
}
