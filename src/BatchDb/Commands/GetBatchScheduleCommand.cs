using System.Management.Automation;
using BatchDb.Engine.Schedules;
using BatchDb.Completion;

namespace BatchDb.Commands;

/// <summary>Get-BatchSchedule: lists batch schedules, or with -Due only those whose next execution has come.</summary>
[Cmdlet(VerbsCommon.Get, "BatchSchedule")]
[OutputType(typeof(BatchSchedule))]
public sealed class GetBatchScheduleCommand : BatchDbDataCmdlet
{
    [Parameter(Position = 0)]
    [Alias("BatchName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(BatchNameCompleter))]
    public string? Name { get; set; }

    [Parameter]
    public SwitchParameter Due { get; set; }

    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        foreach (var schedule in RunEngine((_, _, token) => BatchSchedules.GetAsync(connection, Name, Due, token)))
        {
            WriteObject(schedule);
        }
    }
}
