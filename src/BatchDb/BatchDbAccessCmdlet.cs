using System.Management.Automation;
using BatchDb.Completion;

namespace BatchDb;

/// <summary>A cmdlet about a login's privileges: the tables and the schema the capabilities cover.</summary>
public abstract class BatchDbAccessCmdlet : BatchDbDataCmdlet
{
    /// <summary>The tables WorkTables swaps (required for it), or that Staging and Source are limited to.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string[] Table { get; set; } = [];

    /// <summary>The schema (database on MySQL) that Staging and Source cover without -Table; the connection's by default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Schema { get; set; }
}
