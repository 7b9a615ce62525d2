namespace BatchDb.Engine.Sql;

/// <summary>What a name refers to in the catalog.</summary>
internal enum TableKind
{
    Missing,
    Table,
    PartitionedTable,
    View,
}
