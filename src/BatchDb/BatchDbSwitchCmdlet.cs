using System.Management.Automation;
using BatchDb.Engine.Switching;
using BatchDb.Completion;

namespace BatchDb;

/// <summary>
/// A cmdlet that takes a metadata lock on a live table: it waits at most -LockWaitTimeout seconds each time
/// (readers queue behind a waiting lock), and retries up to -MaxAttempts times with growing pauses.
/// </summary>
public abstract class BatchDbSwitchCmdlet : BatchDbChangeCmdlet
{
    /// <summary>The live table (or view), optionally qualified by database or schema.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string Table { get; set; } = string.Empty;

    /// <summary>The off-screen table; each cmdlet documents its default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string? WorkTable { get; set; }

    [Parameter]
    [ValidateRange(1, 3600)]
    public int LockWaitTimeout { get; set; } = 3;

    [Parameter]
    [ValidateRange(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    [Parameter]
    [ValidateRange(0.0, 3600.0)]
    public double RetryDelay { get; set; } = 1;

    private protected LockRetryPolicy RetryPolicy => new()
    {
        LockWaitTimeout = TimeSpan.FromSeconds(LockWaitTimeout),
        MaxAttempts = MaxAttempts,
        InitialDelay = TimeSpan.FromSeconds(RetryDelay),
        MaxDelay = TimeSpan.FromSeconds(Math.Max(30, RetryDelay)),
    };
}
