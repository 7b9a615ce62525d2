using System.Management.Automation;
using BatchDb.Engine.Cdc;
using BatchDb.Engine.Connections;
using BatchDb.Internal;
using BatchDb.Completion;

namespace BatchDb.Commands;

/// <summary>
/// Receive-ChangeCapture: applies a capture's changes from the -Source PostgreSQL database to staging tables of the
/// -Connection database (PostgreSQL or MySQL/MariaDB), one destination transaction per source transaction, with the
/// source commit position stored in the same transaction. The slot is acknowledged only after that commit, and a
/// transaction at or below the stored position is skipped: stopped or killed at any moment, nothing is lost and
/// nothing applied twice. By default it ends at the WAL position the source had when it started.
/// </summary>
[Cmdlet(VerbsCommunications.Receive, "ChangeCapture", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = TableSet)]
[OutputType(typeof(ChangeReceipt))]
public sealed class ReceiveChangeCaptureCommand : BatchDbChangeCmdlet
{
    private const string TableSet = "Table";
    private const string MapSet = "TableMap";

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CaptureNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>The PostgreSQL database the capture is on (a connection or its name).</summary>
    [Parameter(Mandatory = true)]
    [ConnectionTransformation]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    public BatchDbConnection? Source { get; set; }

    /// <summary>The staging table on the -Connection database, for a capture of one table.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = TableSet)]
    [Alias("StagingTable")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string Table { get; set; } = string.Empty;

    /// <summary>The staging table of each captured table, for a capture of several: @{ 'orders' = 'staging_orders'; 'order_lines' = 'staging_order_lines' }.</summary>
    [Parameter(Mandatory = true, ParameterSetName = MapSet)]
    [ValidateNotNullOrEmpty]
    public System.Collections.IDictionary? TableMap { get; set; }

    // Boxed, as ConnectBatchDbCommand.Provider is: PowerShell lists the module's public types before BatchDb.Engine can load.
    private object _mode = CaptureMode.Mirror;

    [Parameter]
    public CaptureMode Mode { get => (CaptureMode)_mode; set => _mode = value; }

    /// <summary>The staging column for the batch id; an empty string stamps none.</summary>
    [Parameter]
    [AllowEmptyString]
    public string BatchIdColumn { get; set; } = "batch_id";

    /// <summary>Keep receiving until stopped (Ctrl+C, -MaxChanges, -MaxDuration) instead of ending at the WAL position of the start.</summary>
    [Parameter]
    public SwitchParameter Continuous { get; set; }

    /// <summary>End at the first commit after this many changes.</summary>
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long? MaxChanges { get; set; }

    /// <summary>How much of one transaction the source may decode in memory before it spills to disk (logical_decoding_work_mem), e.g. 512MB.</summary>
    [Parameter]
    [ValidateRange(64L * 1024, int.MaxValue * 1024L)]
    public long? DecodingMemory { get; set; }

    /// <summary>End at the first commit after this long, or at once when no transaction is being applied.</summary>
    [Parameter]
    public TimeSpan? MaxDuration { get; set; }

    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        var source = Source!;
        var tables = ParameterSetName == MapSet
            ? TableMap!.Keys.Cast<object>().Select(k => new TableMapping(k.ToString(), TableMap[k]?.ToString() ?? string.Empty)).ToList()
            : [new TableMapping(null, Table)];
        var stagingTables = string.Join(", ", tables.Select(t => t.Staging));
        if (!ShouldProcess($"{stagingTables} on {connection}", $"Apply the changes of capture {Name} on {source} as {Mode}"))
        {
            return;
        }

        var request = new ReceiveRequest
        {
            Source = source,
            Name = Name,
            Tables = tables,
            Mode = Mode,
            BatchIdColumn = BatchIdColumn.Length == 0 ? null : BatchIdColumn,
            Continuous = Continuous,
            MaxChanges = MaxChanges,
            MaxDuration = MaxDuration,
            DecodingMemory = DecodingMemory,
        };
        WriteObject(RunRecorded(connection, $"{Name} {string.Join(", ", tables.Select(t => t.Staging).Order(StringComparer.OrdinalIgnoreCase))}",
            new Dictionary<string, object?> { ["Source"] = source.ToString(), ["Name"] = Name, ["Table"] = stagingTables, ["Mode"] = Mode.ToString() },
            countsTowardRun: true, (progress, log, batchId, token) => ChangeCaptures.ReceiveAsync(connection, request, batchId, progress, log, token), r => r.Changes));
    }
}
