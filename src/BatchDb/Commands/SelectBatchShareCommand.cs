using System.Management.Automation;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Executions;
using BatchDb.Internal;

namespace BatchDb.Commands;

/// <summary>
/// Select-BatchShare: passes on this worker's share of the items piped in (partitions, warehouses, days), inside
/// Invoke-BatchJob -PartitionCount or with -Index and -Count. Items are dealt by their sorted names, so workers
/// that see the same items take disjoint shares and together take each once, whatever the order they came in.
/// Inside a run, each item whose work further down the pipeline ends without error is recorded as done; a run with
/// Invoke-BatchJob -ResumeKey, and a retried attempt, skip the items already done.
/// </summary>
[Cmdlet(VerbsCommon.Select, "BatchShare")]
[OutputType(typeof(object))]
public sealed class SelectBatchShareCommand : BatchDbCmdlet
{
    private readonly List<object> _items = [];

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public object InputObject { get; set; } = null!;

    /// <summary>This worker's share, from 0; the enclosing Invoke-BatchJob's by default.</summary>
    [Parameter]
    [ValidateRange(0, 999)]
    public int? Index { get; set; }

    /// <summary>The number of workers; the enclosing Invoke-BatchJob's -PartitionCount by default.</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int? Count { get; set; }

    protected override void ProcessRecordCore() => _items.Add(InputObject);

    protected override void EndProcessing()
    {
        try
        {
            var run = Index is null && Count is null ? RunRegistry.Current.Innermost : null;
            var share = Index is { } index && Count is { } count ? new BatchShare(index, count)
                : run?.Share ?? throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
                    "Select-BatchShare needs a share: run it inside Invoke-BatchJob -PartitionCount, or give both -Index and -Count.");
            // A share's run records its items. Only work done further down this pipeline has ended when WriteObject returns;
            // an item collected into a variable has not been done.
            var shareRun = run?.Share is null ? null : run;
            var recordsItems = shareRun is not null && MyInvocation.PipelinePosition < MyInvocation.PipelineLength;
            foreach (var item in share.Select(_items, NameOf))
            {
                var name = NameOf(item);
                if (shareRun?.CompletedBy(name) is { } by)
                {
                    WriteVerbose($"Skipped {name}: execution {by} of batch '{shareRun.BatchName}' completed it.");
                }
                else if (recordsItems)
                {
                    RunEngine((_, _, token) => shareRun!.CompleteItemAsync(name, _ => OnPipelineThread(() => { WriteObject(item); return true; }), token));
                }
                else
                {
                    WriteObject(item);
                }
            }
        }
        catch (BatchDbException ex)
        {
            ThrowTerminatingError(ErrorMapper.ToErrorRecord(ex, null));
        }
    }

    private static string NameOf(object item) => LanguagePrimitives.ConvertTo<string>(item) ?? string.Empty;
}
