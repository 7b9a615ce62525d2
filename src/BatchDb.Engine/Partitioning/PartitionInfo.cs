using BatchDb.Engine.Naming;

namespace BatchDb.Engine.Partitioning;

/// <summary>
/// One partition as the server's catalog describes it. <see cref="Method"/>, <see cref="Expression"/>
/// and <see cref="Bound"/> are the server's own text (for example LIST, <c>`STOCKHOUSE_ID`</c>, <c>1</c>).
/// <see cref="InsidePredicate"/> is a SQL condition true for exactly the rows that belong to the
/// partition, or null where the method (HASH, KEY) cannot be checked by a predicate.
/// <see cref="PartitionTable"/> is the partition as a table of its own on PostgreSQL, and null on MySQL,
/// where partitions are not tables.
/// </summary>
internal sealed record PartitionInfo(
    QualifiedName Table,
    string Name,
    string Method,
    string Expression,
    string Bound,
    string? InsidePredicate,
    QualifiedName? PartitionTable = null)
{
    public string Describe() => $"{Method} ({Expression}) {Bound}";
}
