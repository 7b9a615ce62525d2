using System.Management.Automation;
using BatchDb.Engine.Switching;

namespace BatchDb.Commands;

/// <summary>
/// Switch-Partition: swaps a loaded work table with the live partition in one metadata step, waiting
/// briefly for the lock and retrying with backoff; run again to swap back.
/// </summary>
[Cmdlet(VerbsCommon.Switch, "Partition", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(SwitchPartitionResult))]
public sealed class SwitchPartitionCommand : BatchDbPartitionCmdlet
{
    [Parameter]
    [ValidateRange(1, 3600)]
    public int LockWaitTimeout { get; set; } = 3;

    [Parameter]
    [ValidateRange(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    [Parameter]
    [ValidateRange(0.0, 3600.0)]
    public double RetryDelay { get; set; } = 1;

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        if (!ShouldProcess($"partition {Partition} of {Table} on {connection}", $"Exchange with work table {WorkTableForDisplay}"))
        {
            return;
        }

        var request = new SwitchPartitionRequest
        {
            Table = Table,
            Partition = Partition,
            WorkTable = WorkTable,
            Force = Force,
            Retry = new LockRetryPolicy
            {
                LockWaitTimeout = TimeSpan.FromSeconds(LockWaitTimeout),
                MaxAttempts = MaxAttempts,
                InitialDelay = TimeSpan.FromSeconds(RetryDelay),
                MaxDelay = TimeSpan.FromSeconds(Math.Max(30, RetryDelay)),
            },
        };
        WriteObject(RunEngine((_, log, token) => PartitionSwitcher.SwitchAsync(connection, request, log, token)));
    }
}
