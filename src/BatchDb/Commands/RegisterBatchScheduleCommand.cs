using System.Management.Automation;
using BatchDb.Completion;
using BatchDb.Engine.Calendar;
using BatchDb.Engine.Schedules;

namespace BatchDb.Commands;

/// <summary>
/// Register-BatchSchedule: creates or replaces a batch's schedule — a five-field cron expression in a time zone,
/// and the run timeout — and computes its next execution.
/// </summary>
[Cmdlet(VerbsLifecycle.Register, "BatchSchedule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(BatchSchedule))]
public sealed class RegisterBatchScheduleCommand : BatchDbDataCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("BatchName")]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 200)]
    [ArgumentCompleter(typeof(BatchNameCompleter))]
    public string Name { get; set; } = string.Empty;

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Cron")]
    [ValidateNotNullOrEmpty]
    public string CronExpression { get; set; } = string.Empty;

    /// <summary>The time zone of the expression's times: an IANA id such as Asia/Tokyo, or UTC (the default).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TimeZoneCompleter))]
    public string TimeZone { get; set; } = "UTC";

    /// <summary>How long a run may take; Invoke-BatchJob uses it when given no -Timeout.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(60);

    [Parameter]
    public SwitchParameter Disabled { get; set; }

    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        if (!ShouldProcess($"schedule {Name} on {connection}", $"Register '{CronExpression}' ({TimeZone}), timeout {Timeout}{(Disabled ? ", disabled" : string.Empty)}"))
        {
            return;
        }

        var registration = new ScheduleRegistration { Name = Name, CronExpression = CronExpression, TimeZone = TimeZone, Timeout = Timeout, Enabled = !Disabled };
        WriteObject(RunEngine((_, _, token) => BatchSchedules.RegisterAsync(connection, registration, token)));
    }
}
