namespace BatchDb.Engine.Executions;

/// <summary>
/// How a run starts: its batch name (one run per name at a time, across hosts), its parameters (recorded as
/// JSON), whether to wait for a running one to end, and how often it proves it is alive.
/// </summary>
internal sealed record RunOptions
{
    public required string BatchName { get; init; }

    /// <summary>What started the run, recorded in the operation column (a cmdlet name).</summary>
    public string? Operation { get; init; }

    public IReadOnlyDictionary<string, object?>? Parameters { get; init; }

    /// <summary>Wait for a running execution of the batch to end instead of failing.</summary>
    public bool Wait { get; init; }

    /// <summary>With <see cref="Wait"/>: how long to wait before giving up (RunTimedOut); null waits as long as it takes.</summary>
    public TimeSpan? WaitTimeout { get; init; }

    /// <summary>The worker's share when the batch is split among workers; <see cref="BatchName"/> is then the share's.</summary>
    public BatchShare? Share { get; init; }

    /// <summary>
    /// Continues the unfinished runs of the batch (since its last success) that had the same key: the items they
    /// completed through Select-BatchShare are skipped. The key is recorded with the run's parameters.
    /// </summary>
    public string? ResumeKey { get; init; }

    /// <summary>How often the heartbeat is written; the run counts as dead after two missed beats and a free lock.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    internal static void ValidateBatchName(string batchName)
    {
        if (string.IsNullOrWhiteSpace(batchName) || batchName.Length > 200)
        {
            throw new Errors.BatchDbException(Errors.ErrorIds.InvalidArgument, Errors.BatchDbErrorKind.InvalidArgument,
                "A batch name must be 1 to 200 characters and not only spaces.");
        }

        if (batchName.Any(char.IsControl))
        {
            throw new Errors.BatchDbException(Errors.ErrorIds.InvalidArgument, Errors.BatchDbErrorKind.InvalidArgument,
                "A batch name must not hold control characters (such as NUL or a line break).");
        }
    }

    internal void Validate()
    {
        ValidateBatchName(BatchName);

        if (HeartbeatInterval < TimeSpan.FromSeconds(1))
        {
            throw new Errors.BatchDbException(Errors.ErrorIds.InvalidArgument, Errors.BatchDbErrorKind.InvalidArgument,
                "The heartbeat interval must be at least 1 second.");
        }
    }
}
