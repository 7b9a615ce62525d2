namespace BatchDb.Engine.Executions;

/// <summary>
/// A data-changing operation as the ledger records it: the operation (a cmdlet name), the batch name given
/// for it (null: the enclosing run's, or <see cref="DefaultBatchName"/> on its own), its parameters, and
/// whether its record count adds to the run's (loads do; a switch moves rows that a load already counted).
/// </summary>
internal sealed record ExecutionStep
{
    public required string Operation { get; init; }

    public string? BatchName { get; init; }

    /// <summary>The batch name used outside a run when none is given, such as "Import-WorkTable T_STOCK P_S01".</summary>
    public required string DefaultBatchName { get; init; }

    public IReadOnlyDictionary<string, object?>? Parameters { get; init; }

    public bool CountsTowardRun { get; init; }
}
