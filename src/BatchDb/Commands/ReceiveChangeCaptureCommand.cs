using System.Management.Automation;
using BatchDb.Engine.Cdc;
using BatchDb.Engine.Connections;
using BatchDb.Internal;
using BatchDb.Completion;

namespace BatchDb.Commands;

/// <summary>
/// Receive-ChangeCapture: applies a capture's changes from the -Source PostgreSQL database to a staging table of the
/// -Connection database (PostgreSQL or MySQL/MariaDB), one destination transaction per source transaction, with the
/// source commit position stored in the same transaction. The slot is acknowledged only after that commit, and a
/// transaction at or below the stored position is skipped: stopped or killed at any moment, nothing is lost and
/// nothing applied twice. By default it ends at the WAL position the source had when it started.
/// </summary>
[Cmdlet(VerbsCommunications.Receive, "ChangeCapture", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ChangeReceipt))]
public sealed class ReceiveChangeCaptureCommand : BatchDbChangeCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CaptureNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>The PostgreSQL database the capture is on (a connection or its name).</summary>
    [Parameter(Mandatory = true)]
    [ConnectionTransformation]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    public BatchDbConnection? Source { get; set; }

    /// <summary>The staging table on the -Connection database.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [Alias("StagingTable")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string Table { get; set; } = string.Empty;

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

    /// <summary>End at the first commit after this long, or at once when no transaction is being applied.</summary>
    [Parameter]
    public TimeSpan? MaxDuration { get; set; }

    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        var source = Source!;
        if (!ShouldProcess($"{Table} on {connection}", $"Apply the changes of capture {Name} on {source} as {Mode}"))
        {
            return;
        }

        var request = new ReceiveRequest
        {
            Source = source,
            Name = Name,
            Table = Table,
            Mode = Mode,
            BatchIdColumn = BatchIdColumn.Length == 0 ? null : BatchIdColumn,
            Continuous = Continuous,
            MaxChanges = MaxChanges,
            MaxDuration = MaxDuration,
        };
        WriteObject(RunRecorded(connection, $"{Name} {Table}",
            new Dictionary<string, object?> { ["Source"] = source.ToString(), ["Name"] = Name, ["Table"] = Table, ["Mode"] = Mode.ToString() },
            countsTowardRun: true, (progress, log, batchId, token) => ChangeCaptures.ReceiveAsync(connection, request, batchId, progress, log, token), r => r.Changes));
    }
}
