using BatchDb.Engine.Naming;
using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Cdc;

/// <summary>What change capture needs from the source database: a publication and slot, and the slot's changes as a stream.</summary>
[Capability("change capture from logical replication")]
internal interface IChangeStreamSession
{
    /// <summary>
    /// Creates the publication of <paramref name="tables"/> and the logical replication slot of a capture, after checking
    /// that the server decodes changes, the login may replicate and each table's updates and deletes can be applied.
    /// With <paramref name="copy"/>, the slot exports its starting snapshot, and <paramref name="copy"/> runs with a
    /// session that reads the database as of that snapshot, and the slot's starting position: the copy holds exactly
    /// the transactions the slot will not deliver. If the copy fails, the slot and publication are dropped again.
    /// </summary>
    Task CreateCaptureAsync(CaptureNames names, IReadOnlyList<QualifiedName> tables, Func<DatabaseSession, ulong, Task>? copy, CancellationToken cancellationToken);

    /// <summary>The captures on this database (all, or the one named), with their slots' positions.</summary>
    Task<IReadOnlyList<CaptureState>> DescribeCapturesAsync(string? name, CancellationToken cancellationToken);

    /// <summary>Drops the capture's slot (the server then frees the WAL it kept) and its publication.</summary>
    Task DropCaptureAsync(CaptureNames names, CancellationToken cancellationToken);

    /// <summary>
    /// Streams the slot's transactions to <paramref name="sink"/>, one at a time, from the slot's confirmed position.
    /// A transaction committed at or below <see cref="ChangeStreamRequest.AppliedLsn"/> is acknowledged without being
    /// handed on; any other is acknowledged only after <see cref="IChangeSink.CommitAsync"/> returns. Returns at the
    /// first commit after <paramref name="stop"/> is signalled (at once when no transaction is open), or, in a drain,
    /// when the stream reaches the WAL position the server had when it began.
    /// </summary>
    Task StreamChangesAsync(ChangeStreamRequest request, IChangeSink sink, CancellationToken stop, CancellationToken cancellationToken);
}
