using System.Management.Automation;
using BatchDb.Engine.Connections;
using BatchDb.Engine.Extracts;
using BatchDb.Internal;
using BatchDb.Completion;

namespace BatchDb.Commands;

/// <summary>
/// Copy-BatchData: copies the rows of a source table or query changed since the stored watermark into a staging
/// table of the -Connection database, stamped with the batch id, through COPY or LOAD DATA. The window's staging
/// rows are replaced and the watermark advanced in the same transaction, so a failed or repeated copy never
/// duplicates or loses rows.
/// </summary>
[Cmdlet(VerbsCommon.Copy, "BatchData", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = TableSet)]
[OutputType(typeof(CopyResult))]
public sealed class CopyBatchDataCommand : BatchDbChangeCmdlet
{
    private const string TableSet = "Table";
    private const string QuerySet = "Query";

    /// <summary>The online database to read from (a connection or its name).</summary>
    [Parameter(Mandatory = true)]
    [ConnectionTransformation]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    public BatchDbConnection? Source { get; set; }

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = TableSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string SourceTable { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ParameterSetName = QuerySet)]
    [ValidateNotNullOrEmpty]
    public string Query { get; set; } = string.Empty;

    /// <summary>The staging table on the -Connection database.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [Alias("StagingTable")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string Table { get; set; } = string.Empty;

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string WatermarkColumn { get; set; } = string.Empty;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] KeyColumn { get; set; } = [];

    /// <summary>The staging column for the batch id; an empty string stamps none.</summary>
    [Parameter]
    [AllowEmptyString]
    public string BatchIdColumn { get; set; } = "batch_id";

    /// <summary>Copy from this watermark value instead of the stored one, to copy a window again.</summary>
    [Parameter]
    public object? From { get; set; }

    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        var source = Source!;
        var what = ParameterSetName == QuerySet ? "the query's rows" : $"rows of {SourceTable}";
        if (!ShouldProcess($"{Table} on {connection}", $"Copy {what} from {source} with {WatermarkColumn} past the stored watermark"))
        {
            return;
        }

        var request = new CopyRequest
        {
            Source = source,
            SourceTable = ParameterSetName == TableSet ? SourceTable : null,
            Query = ParameterSetName == QuerySet ? Query : null,
            Table = Table,
            WatermarkColumn = WatermarkColumn,
            KeyColumns = KeyColumn,
            BatchIdColumn = BatchIdColumn.Length == 0 ? null : BatchIdColumn,
            From = From is PSObject wrapped ? wrapped.BaseObject : From,
        };
        WriteObject(RunRecorded(connection, $"{(request.SourceTable ?? "query")} {Table}",
            new Dictionary<string, object?> { ["Source"] = source.ToString(), ["SourceTable"] = request.SourceTable, ["Query"] = request.Query, ["Table"] = Table, ["WatermarkColumn"] = WatermarkColumn },
            countsTowardRun: true, (progress, log, batchId, token) => BatchExtract.CopyAsync(connection, request, batchId, progress, log, token), r => r.RowsCopied));
    }
}
