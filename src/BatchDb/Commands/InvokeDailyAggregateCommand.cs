using System.Management.Automation;
using BatchDb.Engine.Aggregates;
using BatchDb.Completion;

namespace BatchDb.Commands;

/// <summary>
/// Invoke-DailyAggregate: writes one row per day (and group) of a daily aggregate — by default the seed's
/// daily_sales from staging_orders — with an upsert that leaves unchanged rows alone, for -Date, -From/-To, or
/// the days whose source rows changed since the last run. Days are calendar days in -TimeZone.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "DailyAggregate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ChangedSet)]
[OutputType(typeof(DailyAggregateResult))]
public sealed class InvokeDailyAggregateCommand : BatchDbChangeCmdlet
{
    private const string ChangedSet = "SinceLastRun";
    private const string DateSet = "Date";
    private const string RangeSet = "Range";

    /// <summary>The source table; a Copy-BatchData result binds its staging table here.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Table")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string SourceTable { get; set; } = "staging_orders";

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string AggregateTable { get; set; } = "daily_sales";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = DateSet)]
    public DateTime Date { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = RangeSet)]
    public DateTime From { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = RangeSet)]
    public DateTime To { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TimeZoneCompleter))]
    public string TimeZone { get; set; } = "UTC";

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string DateColumn { get; set; } = "created_at";

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string AggregateDateColumn { get; set; } = "sale_date";

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] GroupBy { get; set; } = [];

    /// <summary>Measures as column=function(source column): sum, count, avg, min, max; count(*) counts rows.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Measure { get; set; }

    /// <summary>The aggregate table's column stamped when a row's figures change; an empty string for none.</summary>
    [Parameter]
    [AllowEmptyString]
    public string LastUpdatedColumn { get; set; } = "last_updated";

    /// <summary>The source column that tells which rows changed since the last run.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string ChangedColumn { get; set; } = "updated_at";

    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        var defaults = new AggregateDefinition();
        var definition = new AggregateDefinition
        {
            SourceTable = SourceTable,
            Table = AggregateTable,
            DateColumn = DateColumn,
            TableDateColumn = AggregateDateColumn,
            GroupBy = GroupBy,
            Measures = Measure is null ? defaults.Measures : Measure.Select(AggregateMeasure.Parse).ToList(),
            LastUpdatedColumn = LastUpdatedColumn.Length == 0 ? null : LastUpdatedColumn,
            ChangedColumn = ChangedColumn,
        };
        var (from, to) = ParameterSetName switch
        {
            DateSet => (DateOnly.FromDateTime(Date), DateOnly.FromDateTime(Date)),
            RangeSet => (DateOnly.FromDateTime(From), DateOnly.FromDateTime(To)),
            _ => ((DateOnly?)null, (DateOnly?)null),
        };
        var days = from is null ? $"the days changed since the last run ({ChangedColumn})" : from == to ? $"{from:yyyy-MM-dd}" : $"{from:yyyy-MM-dd} to {to:yyyy-MM-dd}";
        if (!ShouldProcess($"{AggregateTable} on {connection}", $"Upsert the rows for {days} ({TimeZone}) from {SourceTable}"))
        {
            return;
        }

        var request = new AggregateRequest { Definition = definition, From = from, To = to, TimeZone = TimeZone };
        var results = RunRecorded(connection, AggregateTable,
            new Dictionary<string, object?> { ["SourceTable"] = SourceTable, ["AggregateTable"] = AggregateTable, ["From"] = from?.ToString("yyyy-MM-dd"), ["To"] = to?.ToString("yyyy-MM-dd"), ["TimeZone"] = TimeZone },
            countsTowardRun: true, (progress, log, token) => DailyAggregates.RunAsync(connection, request, progress, log, token), r => r.Sum(d => (long)d.Groups));
        foreach (var result in results)
        {
            WriteObject(result);
        }
    }
}
