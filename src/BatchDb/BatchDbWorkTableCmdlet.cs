using System.Management.Automation;
using BatchDb.Completion;
using BatchDb.Engine.Connections;
using BatchDb.Engine.WorkTables;

namespace BatchDb;

/// <summary>
/// A cmdlet about the work table of a table, or of one of its partitions, all bindable from the previous
/// cmdlet's output. Without -Partition it is the whole table's work table, or a view switch's off-screen table.
/// </summary>
public abstract class BatchDbWorkTableCmdlet : BatchDbChangeCmdlet
{
    /// <summary>The live table (or view switch), optionally qualified by database or schema.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string Table { get; set; } = string.Empty;

    /// <summary>The partition, as named in the table's definition (on PostgreSQL, the partition's table name).</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PartitionNameCompleter))]
    public string? Partition { get; set; }

    /// <summary>The work table; the engine's default is &lt;Table&gt;_&lt;Partition&gt;, or &lt;Table&gt;_work.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string? WorkTable { get; set; }

    /// <summary>The work table and what it stands in for, resolved in the catalog, as ShouldProcess messages show them.</summary>
    protected string DescribeWorkTable(BatchDbConnection connection) =>
        RunEngine((_, _, token) => WorkTableOperations.DescribeAsync(connection, Table, Partition, WorkTable, token)) + $" on {connection}";
}
