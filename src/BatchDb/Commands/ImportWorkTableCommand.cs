using System.Management.Automation;
using BatchDb.Engine.Csv;
using BatchDb.Engine.WorkTables;
using BatchDb.Completion;

namespace BatchDb.Commands;

/// <summary>
/// Import-WorkTable: loads a CSV file into a partition's or a table's work table with the database's bulk path,
/// checks every row, the row count and the server's warnings, and leaves the live table untouched.
/// </summary>
[Cmdlet(VerbsData.Import, "WorkTable", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ImportResult))]
public sealed class ImportWorkTableCommand : BatchDbWorkTableCmdlet
{
    [Parameter(Mandatory = true, Position = 2, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    [Parameter]
    public char Delimiter { get; set; } = ',';

    [Parameter]
    public char Quote { get; set; } = '"';

    [Parameter]
    public char? Escape { get; set; }

    [Parameter]
    public SwitchParameter Header { get; set; }

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int SkipLines { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(EncodingNameCompleter))]
    public string Encoding { get; set; } = "utf-8";

    [Parameter]
    public string[]? Columns { get; set; }

    [Parameter]
    public string? NullText { get; set; }

    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double MinimumRowRatio { get; set; } = 0.5;

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        var format = new CsvFormat
        {
            Delimiter = Delimiter,
            Quote = Quote,
            Escape = Escape,
            HasHeader = Header,
            SkipLines = SkipLines,
            Encoding = Encoding,
            Columns = Columns,
            NullText = NullText,
        };
        foreach (var pattern in Path)
        {
            foreach (var file in GetResolvedProviderPathFromPSPath(pattern, out _))
            {
                if (!ShouldProcess($"{WorkTableForDisplay} on {connection}", $"Empty and load from {file}"))
                {
                    continue;
                }

                var request = new ImportRequest
                {
                    Table = Table,
                    Partition = Partition,
                    WorkTable = WorkTable,
                    Path = file,
                    Format = format,
                    MinimumRowRatio = MinimumRowRatio,
                    Force = Force,
                };
                WriteObject(RunRecorded(connection, Partition is null ? Table : $"{Table} {Partition}",
                    new Dictionary<string, object?> { ["Table"] = Table, ["Partition"] = Partition, ["WorkTable"] = WorkTable, ["Path"] = file },
                    countsTowardRun: true, (progress, log, token) => WorkTableOperations.ImportAsync(connection, request, progress, log, token), r => r.RowsLoaded));
            }
        }
    }
}
