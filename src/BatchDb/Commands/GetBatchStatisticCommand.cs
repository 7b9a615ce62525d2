using System.Management.Automation;
using BatchDb.Engine.Executions;
using BatchDb.Completion;

namespace BatchDb.Commands;

/// <summary>
/// Get-BatchStatistic: per batch over a window (the last 7 days by default) — executions, successes, failures,
/// running, average and longest duration, most records — as the seed's performance query.
/// </summary>
[Cmdlet(VerbsCommon.Get, "BatchStatistic")]
[OutputType(typeof(BatchStatistic))]
public sealed class GetBatchStatisticCommand : BatchDbDataCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("BatchName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(BatchNameCompleter))]
    public string? Name { get; set; }

    /// <summary>The window's start; the default is 7 days ago.</summary>
    [Parameter]
    public DateTime? Since { get; set; }

    /// <summary>The window's end (exclusive); the default is now.</summary>
    [Parameter]
    public DateTime? Until { get; set; }

    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        var until = Until is { } u ? new DateTimeOffset(u) : DateTimeOffset.Now;
        var since = Since is { } s ? new DateTimeOffset(s) : until.AddDays(-7);
        foreach (var statistic in RunEngine((_, _, token) => BatchLedger.GetStatisticsAsync(connection, Name, since, until, token)))
        {
            WriteObject(statistic);
        }
    }
}
