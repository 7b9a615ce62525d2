using BatchDb.Engine.Naming;
using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Extracts;

/// <summary>What extracts need from the target database: rows written through the bulk path, and duplicates removed.</summary>
[Capability("extracts into this database")]
internal interface IBulkCopySession
{
    /// <summary>Starts writing rows into the table's columns through the engine's bulk path, in the current transaction.</summary>
    Task<BulkRowWriter> BeginBulkInsertAsync(QualifiedName table, IReadOnlyList<string> columns, CancellationToken cancellationToken);

    /// <summary>A DELETE of the rows (alias d) of a table that have a partner row (alias n) in the same table meeting the condition.</summary>
    string DeleteWithPartner(QualifiedName table, string condition);
}
