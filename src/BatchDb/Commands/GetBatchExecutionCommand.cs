using System.Management.Automation;
using BatchDb.Engine.Executions;
using BatchDb.Completion;

namespace BatchDb.Commands;

/// <summary>
/// Get-BatchExecution: lists executions from the ledger, oldest first — by batch name (wildcards), status,
/// start time, still running (with the running time), the last N, or by id. Runs whose process died are
/// marked Abandoned first.
/// </summary>
[Cmdlet(VerbsCommon.Get, "BatchExecution", DefaultParameterSetName = FilterSet)]
[OutputType(typeof(BatchExecution))]
public sealed class GetBatchExecutionCommand : BatchDbDataCmdlet
{
    private const string FilterSet = "Filter";
    private const string IdSet = "Id";

    [Parameter(Position = 0, ParameterSetName = FilterSet)]
    [Alias("BatchName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(BatchNameCompleter))]
    public string? Name { get; set; }

    [Parameter(ParameterSetName = FilterSet)]
    public ExecutionStatus[]? Status { get; set; }

    /// <summary>Executions that started at or after this time (local time unless the value says otherwise).</summary>
    [Parameter(ParameterSetName = FilterSet)]
    public DateTime? Since { get; set; }

    /// <summary>Executions that started before this time.</summary>
    [Parameter(ParameterSetName = FilterSet)]
    public DateTime? Until { get; set; }

    [Parameter(ParameterSetName = FilterSet)]
    public SwitchParameter Running { get; set; }

    [Parameter(ParameterSetName = FilterSet)]
    [ValidateRange(1, int.MaxValue)]
    public int? Last { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, long.MaxValue)]
    public long[] ExecutionId { get; set; } = [];

    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        var query = ParameterSetName == IdSet
            ? new ExecutionQuery { ExecutionIds = ExecutionId }
            : new ExecutionQuery
            {
                Name = Name,
                Status = Status ?? [],
                Since = Since is { } since ? new DateTimeOffset(since) : null,
                Until = Until is { } until ? new DateTimeOffset(until) : null,
                Running = Running,
                Last = Last,
            };
        foreach (var execution in RunEngine((_, _, token) => BatchLedger.GetExecutionsAsync(connection, query, token)))
        {
            WriteObject(execution);
        }
    }
}
