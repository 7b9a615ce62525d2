using System.Management.Automation;
using BatchDb.Completion;
using BatchDb.Engine.Errors;
using BatchDb.Internal;
using BatchDb.Engine.Csv;
using BatchDb.Engine.WorkTables;

namespace BatchDb.Commands;

/// <summary>
/// Import-WorkTable: loads a CSV file into a partition's or a table's work table with the database's bulk path,
/// checks every row, the row count and the server's warnings, and leaves the live table untouched.
/// </summary>
[Cmdlet(VerbsData.Import, "WorkTable", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = PathSet)]
[OutputType(typeof(ImportResult))]
public sealed class ImportWorkTableCommand : BatchDbWorkTableCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    [Parameter(Mandatory = true, Position = 2, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "FullName", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

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
        if (ResolveFile() is not { } file || !ShouldProcess(DescribeWorkTable(connection), $"Empty and load from {file}"))
        {
            return;
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

    /// <summary>
    /// The one file this record loads. Each load empties the work table first, so a -Path that matches no file
    /// or several is an error (files from Get-ChildItem come one per pipeline record).
    /// </summary>
    private string? ResolveFile()
    {
        var literal = ParameterSetName == LiteralPathSet;
        var files = new List<string>();
        foreach (var path in literal ? LiteralPath : Path)
        {
            try
            {
                var resolved = literal
                    ? [SessionState.Path.GetUnresolvedProviderPathFromPSPath(path)]
                    : GetResolvedProviderPathFromPSPath(path, out _);
                if (resolved.Count == 0 || (literal && !File.Exists(resolved[0])))
                {
                    throw new ItemNotFoundException(path);
                }

                files.AddRange(resolved);
            }
            catch (ItemNotFoundException)
            {
                WriteError(ErrorMapper.ToErrorRecord(new BatchDbException(ErrorIds.FileNotFound, BatchDbErrorKind.ObjectNotFound,
                    literal || !WildcardPattern.ContainsWildcardCharacters(path)
                        ? $"The file '{path}' does not exist."
                        : $"No file matches '{path}'. Use -LiteralPath for a name with [ ] * or ? in it."), path));
                return null;
            }
        }

        if (files.Count > 1)
        {
            WriteError(ErrorMapper.ToErrorRecord(new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
                $"-Path names {files.Count} files ({string.Join(", ", files.Take(3))}{(files.Count > 3 ? ", …" : "")}), but a work table takes one: "
                + "each load replaces the last. Pipe the files one at a time, each with its -Partition."), string.Join(", ", files)));
            return null;
        }

        return files[0];
    }
}
