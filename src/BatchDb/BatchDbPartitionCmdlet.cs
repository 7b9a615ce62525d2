using System.Management.Automation;

namespace BatchDb;

/// <summary>A cmdlet about one partition of a partitioned table and its work table, all bindable from the previous cmdlet's output.</summary>
public abstract class BatchDbPartitionCmdlet : BatchDbDataCmdlet
{
    /// <summary>The partitioned live table, optionally qualified by database or schema.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Table { get; set; } = string.Empty;

    /// <summary>The partition, as named in the table's definition.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Partition { get; set; } = string.Empty;

    /// <summary>The work table; the engine's default is &lt;Table&gt;_&lt;Partition&gt;.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? WorkTable { get; set; }

    /// <summary>The work table as ShouldProcess messages show it.</summary>
    protected string WorkTableForDisplay => WorkTable ?? $"{Table}_{Partition}";
}
