using System.Management.Automation;
using BatchDb.Engine.Partitioning;
using BatchDb.Completion;

namespace BatchDb.Commands;

/// <summary>
/// Remove-MonthlyPartition: retires the partitions whose whole range is older than the retention — the first day
/// of the month -RetentionMonths before this one, or -Before — by dropping them with their rows, or with -Detach
/// by keeping each as a table of its own. -WhatIf lists exactly which.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "MonthlyPartition", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = RetentionSet)]
[OutputType(typeof(MonthlyPartition))]
public sealed class RemoveMonthlyPartitionCommand : BatchDbChangeCmdlet
{
    private const string RetentionSet = "Retention";
    private const string BeforeSet = "Before";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string Table { get; set; } = string.Empty;

    /// <summary>Whole months to keep before the current one; older partitions are retired.</summary>
    [Parameter(Mandatory = true, ParameterSetName = RetentionSet)]
    [ValidateRange(0, 1200)]
    public int RetentionMonths { get; set; }

    /// <summary>Retire the partitions whose upper bound is at or before this date.</summary>
    [Parameter(Mandatory = true, ParameterSetName = BeforeSet)]
    public DateTime Before { get; set; }

    /// <summary>The day whose month counts as this month for -RetentionMonths; today by default.</summary>
    [Parameter(ParameterSetName = RetentionSet)]
    public DateTime? AsOf { get; set; }

    /// <summary>Keep each retired partition as a table of its own instead of dropping its rows.</summary>
    [Parameter]
    public SwitchParameter Detach { get; set; }

    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        var limit = ParameterSetName == BeforeSet
            ? DateOnly.FromDateTime(Before)
            : MonthlyPartitions.RetentionLimit(DateOnly.FromDateTime(AsOf ?? DateTime.Today), RetentionMonths);
        var planned = RunEngine((_, _, token) => MonthlyPartitions.PlanRetirementAsync(connection, Table, limit, token));
        var action = Detach ? "Detach into a table of its own" : "Drop with its rows";
        var approved = planned.Where(p => ShouldProcess($"{p.Table} on {connection}",
            $"{action}: partition {p.Name} [{p.From?.ToString("yyyy-MM-dd") ?? "…"}, {p.To:yyyy-MM-dd}), about {p.Rows?.ToString("N0") ?? "?"} rows")).ToList();
        if (approved.Count == 0)
        {
            WriteVerbose(planned.Count == 0 ? $"{Table} has no partition wholly before {limit:yyyy-MM-dd}." : "No partition was retired.");
            return;
        }

        var retired = RunRecorded(connection, Table,
            new Dictionary<string, object?> { ["Table"] = Table, ["Before"] = limit.ToString("yyyy-MM-dd"), ["Detach"] = Detach.IsPresent },
            countsTowardRun: false, (_, log, token) => MonthlyPartitions.RetireAsync(connection, approved, Detach, log, token), r => r.Count);
        foreach (var partition in retired)
        {
            WriteObject(partition);
        }
    }
}
