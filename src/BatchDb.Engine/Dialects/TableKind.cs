namespace BatchDb.Engine.Dialects;

/// <summary>What a name refers to in the catalog.</summary>
internal enum TableKind
{
    Missing,
    Table,
    PartitionedTable,
    View,
}
