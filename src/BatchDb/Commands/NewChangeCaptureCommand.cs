using System.Management.Automation;
using BatchDb.Engine.Cdc;
using BatchDb.Engine.Connections;
using BatchDb.Internal;
using BatchDb.Completion;

namespace BatchDb.Commands;

/// <summary>
/// New-ChangeCapture: starts capturing the changes of PostgreSQL tables: a publication of the tables and a logical
/// replication slot (pgoutput), both named batchdb_&lt;name&gt;. From then on the source keeps every change until
/// Receive-ChangeCapture has applied it. With -CopyTo, the tables' rows as of the slot's start are copied into their
/// staging tables first (in one transaction), so that copy and stream together hold every row once.
/// </summary>
[Cmdlet(VerbsCommon.New, "ChangeCapture", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = CaptureSet)]
[OutputType(typeof(ChangeCapture))]
public sealed class NewChangeCaptureCommand : BatchDbChangeCmdlet
{
    private const string CaptureSet = "Capture";
    private const string CopySet = "Copy";

    /// <summary>The capture's name: lower-case letters, digits and underscores.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>The source tables whose changes are captured, one or more.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string[] Table { get; set; } = [];

    /// <summary>The staging tables to fill with the tables' rows as of the slot's start, one for each -Table in the same order (their rows are replaced).</summary>
    [Parameter(Mandatory = true, ParameterSetName = CopySet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string[] CopyTo { get; set; } = [];

    /// <summary>The database of the -CopyTo staging table, with the ledger that keeps the capture's position.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CopySet)]
    [ConnectionTransformation]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    public BatchDbConnection? Destination { get; set; }

    /// <summary>The staging column for the batch id; an empty string stamps none.</summary>
    [Parameter(ParameterSetName = CopySet)]
    [AllowEmptyString]
    public string BatchIdColumn { get; set; } = "batch_id";

    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        var copying = ParameterSetName == CopySet;
        var action = $"Create the publication and replication slot batchdb_{Name}, which keep its changes until they are received" +
            (copying ? $", and copy their rows into {string.Join(", ", CopyTo)} on {Destination}" : string.Empty);
        if (!ShouldProcess($"{string.Join(", ", Table)} on {connection}", action))
        {
            return;
        }

        // A copy changes staging: it is recorded in the destination's ledger, and its rows get that run's batch id.
        WriteObject(RunRecorded(copying ? Destination! : connection, Name,
            new Dictionary<string, object?> { ["Name"] = Name, ["Table"] = string.Join(", ", Table), ["CopyTo"] = copying ? string.Join(", ", CopyTo) : null },
            countsTowardRun: false,
            (_, _, batchId, token) => ChangeCaptures.CreateAsync(connection, Name, Table,
                copying ? new InitialCopy(Destination!, CopyTo, BatchIdColumn.Length == 0 ? null : BatchIdColumn, batchId) : null, token),
            _ => null));
    }
}
