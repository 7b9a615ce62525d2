using BatchDb.Engine.Errors;
using BatchDb.Engine.Naming;
using BatchDb.Engine.Partitioning;
using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Switching;

/// <summary>
/// What a load or a swap replaces, resolved against the catalog once: one partition of a partitioned table,
/// a whole table (swapped by renames), or a view switch's on-screen table. <see cref="WorkTable"/> is the
/// off-screen copy: the partition's work table, the table's work table, or the view switch's standby side.
/// </summary>
internal sealed record SwapTarget(QualifiedName Table, PartitionInfo? Partition, ViewSwitchState? View, QualifiedName WorkTable)
{
    /// <summary>The table whose definition the work table must have.</summary>
    public QualifiedName LiveTable => Partition?.PartitionTable ?? View?.LiveTable ?? Table;

    public string Describe() => Partition is not null
        ? $"partition {Partition.Name} of {Table}"
        : View is not null ? $"{Table} (on screen: {View.LiveTable})" : Table.ToString();

    /// <summary>Validates the names a user gave, before any session is opened.</summary>
    public static RequestedNames Parse(string table, string? partition, string? workTable) => new(
        QualifiedName.Parse(table),
        partition is null ? null : QualifiedName.ValidateIdentifier(partition, "partition"),
        workTable is null ? null : QualifiedName.Parse(workTable, "work table"));

    public static async Task<SwapTarget> ResolveAsync(DatabaseSession session, RequestedNames names, CancellationToken cancellationToken)
    {
        var (table, partitionName, requestedWork) = names;
        table = await session.ResolveAsync(table, cancellationToken).ConfigureAwait(false);
        if (partitionName is not null)
        {
            var partition = await session.Require<ISwapSession>().DescribePartitionAsync(table, partitionName, cancellationToken).ConfigureAwait(false);
            var home = partition.PartitionTable ?? table;
            var work = await ResolveWorkTableAsync(session, home, requestedWork, WorkTableNaming.ForPartition(table.Name, partition.Name), cancellationToken).ConfigureAwait(false);
            return new SwapTarget(table, partition, null, work);
        }

        switch (await session.DescribeTableAsync(table, cancellationToken).ConfigureAwait(false))
        {
            case TableKind.Missing:
                throw new BatchDbException(ErrorIds.TableNotFound, BatchDbErrorKind.ObjectNotFound,
                    $"The table {table} does not exist.") { Target = table.ToString() };
            case TableKind.View:
                var view = await ViewSwitchControl.FindAsync(session, table, cancellationToken).ConfigureAwait(false)
                    ?? throw new BatchDbException(ErrorIds.ViewSwitchNotFound, BatchDbErrorKind.InvalidOperation,
                        $"{table} is a view that BatchDb does not switch; set one up from a table with Enable-ViewSwitch.") { Target = table.ToString() };
                if (requestedWork is not null && !string.Equals(requestedWork.Name, view.StandbyTable.Name, StringComparison.OrdinalIgnoreCase))
                {
                    throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
                        $"The view {table} switches between {view.LiveTable} and {view.StandbyTable}; its off-screen table is {view.StandbyTable}, not {requestedWork}.")
                    { Target = requestedWork.ToString() };
                }

                return new SwapTarget(table, null, view, view.StandbyTable);
            default:
                var workTable = await ResolveWorkTableAsync(session, table, requestedWork, WorkTableNaming.ForTable(table.Name), cancellationToken).ConfigureAwait(false);
                return new SwapTarget(table, null, null, workTable);
        }
    }

    /// <summary>
    /// An off-screen table's name: the requested one (in <paramref name="home"/>'s schema when it names none), resolved
    /// against the catalog, or <paramref name="defaultName"/> in that schema, spelled as derived from catalog names.
    /// </summary>
    internal static async Task<QualifiedName> ResolveWorkTableAsync(DatabaseSession session, QualifiedName home, QualifiedName? requested, string defaultName, CancellationToken cancellationToken)
    {
        if (requested is null)
        {
            return home.WithName(defaultName);
        }

        return await session.ResolveAsync(requested.Schema is null && home.Schema is not null ? home.WithName(requested.Name) : requested, cancellationToken).ConfigureAwait(false);
    }

    internal sealed record RequestedNames(QualifiedName Table, string? Partition, QualifiedName? WorkTable);
}
