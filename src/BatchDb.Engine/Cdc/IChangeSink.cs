namespace BatchDb.Engine.Cdc;

/// <summary>Where a change stream delivers the transactions of a capture's tables; the stream waits for each call.</summary>
internal interface IChangeSink
{
    /// <summary>A captured table's columns, before its first change and again whenever its definition changes.</summary>
    Task RelationAsync(CapturedRelation relation, CancellationToken cancellationToken);

    /// <summary>A source transaction with changes to apply begins; it committed at <paramref name="commitLsn"/>.</summary>
    Task BeginAsync(ulong commitLsn, DateTime commitTimeUtc, CancellationToken cancellationToken);

    /// <summary>
    /// One change of <paramref name="relation"/>, in source order: the new row of an insert or update, the key (or old row) of a delete, nothing for a
    /// TRUNCATE; <paramref name="oldKey"/> is the previous key of an update that changed it.
    /// </summary>
    Task ChangeAsync(CapturedRelation relation, ChangeKind kind, object?[]? row, object?[]? oldKey, CancellationToken cancellationToken);

    /// <summary>The source transaction's commit: after this returns, its changes are durable where they were applied.</summary>
    Task CommitAsync(CancellationToken cancellationToken);

    /// <summary>The stream ended inside a transaction: nothing of it may stay applied (it is delivered again next time).</summary>
    Task RollBackAsync();
}
