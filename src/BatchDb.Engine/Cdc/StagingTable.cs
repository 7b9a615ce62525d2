using BatchDb.Engine.Errors;
using BatchDb.Engine.Naming;
using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Cdc;

/// <summary>A captured table and the staging table, with its columns, that its changes are applied to.</summary>
internal sealed record StagingTable(QualifiedName Source, QualifiedName Table, IReadOnlyList<TableColumn> Columns)
{
    /// <summary>
    /// The staging columns of these names, in their order. Names staging lacks fail together with ColumnNotFound,
    /// saying what needed them (<paramref name="purpose"/>) and what that left unchanged (<paramref name="outcome"/>).
    /// </summary>
    public IReadOnlyList<TableColumn> Require(IEnumerable<string> names, string purpose, string outcome)
    {
        var wanted = names.ToList();
        var found = wanted.Select(n => ColumnNames.Find(Columns, c => c.Name, n)).ToList();
        var missing = wanted.Where((_, i) => found[i] is null).ToList();
        return missing.Count == 0 ? found.Select(c => c!).ToList()
            : throw new BatchDbException(ErrorIds.ColumnNotFound, BatchDbErrorKind.InvalidOperation,
                $"The staging table {Table} has no column {string.Join(", ", missing)} for {purpose}; add it. {outcome}")
            { Target = Table.ToString() };
    }
}
