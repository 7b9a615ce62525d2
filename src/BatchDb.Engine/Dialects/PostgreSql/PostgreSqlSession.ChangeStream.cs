using System.Text;
using BatchDb.Engine.Cdc;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Naming;
using Npgsql;
using Npgsql.Replication;
using Npgsql.Replication.PgOutput;
using Npgsql.Replication.PgOutput.Messages;
using NpgsqlTypes;

namespace BatchDb.Engine.Dialects.PostgreSql;

/// <summary>
/// Change capture through logical replication: a publication of the table and a pgoutput slot, read with Npgsql's
/// replication protocol. Values arrive in binary and are read as Npgsql types them; each transaction is acknowledged
/// to the slot only after the sink has committed it.
/// </summary>
internal sealed partial class PostgreSqlSession
{
    private const string MarkerPrefix = "batchdb";

    public async Task CreateCaptureAsync(CaptureNames names, IReadOnlyList<QualifiedName> tables, Func<Sql.DatabaseSession, ulong, Task>? copy, CancellationToken cancellationToken)
    {
        var walLevel = (string)(await QueryAsync("SHOW wal_level", cancellationToken).ConfigureAwait(false))[0][0]!;
        if (walLevel != "logical")
        {
            throw new BatchDbException(ErrorIds.ReplicationNotEnabled, BatchDbErrorKind.NotSupported,
                $"The server decodes no changes: wal_level is {walLevel}. Set wal_level = logical in postgresql.conf and restart PostgreSQL.");
        }

        var login = await QueryAsync("SELECT current_user, rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user", cancellationToken).ConfigureAwait(false);
        if (login[0][1] is not true)
        {
            throw new BatchDbException(ErrorIds.PermissionDenied, BatchDbErrorKind.PermissionDenied,
                $"The login {login[0][0]} may not read replication slots; give it the REPLICATION attribute: ALTER ROLE {Quote((string)login[0][0]!)} REPLICATION.");
        }

        foreach (var table in tables)
        {
            await RequireReplicaIdentityAsync(table, cancellationToken).ConfigureAwait(false);
        }

        if ((await QueryAsync("SELECT 1 FROM pg_replication_slots WHERE slot_name = @p0", cancellationToken, names.Slot).ConfigureAwait(false)).Count > 0)
        {
            throw new BatchDbException(ErrorIds.CaptureExists, BatchDbErrorKind.InvalidOperation,
                $"The change capture '{names.Name}' (replication slot {names.Slot}) already exists; remove it with Remove-ChangeCapture first, or choose another name.")
            { Target = names.Name };
        }

        await ExecuteAsync($"DROP PUBLICATION IF EXISTS {Quote(names.Publication)}", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync($"CREATE PUBLICATION {Quote(names.Publication)} FOR TABLE {string.Join(", ", tables.Select(Quote))}", cancellationToken).ConfigureAwait(false);
        try
        {
            if (copy is null)
            {
                await ExecuteAsync("SELECT pg_create_logical_replication_slot(@p0, 'pgoutput')", cancellationToken, null, names.Slot).ConfigureAwait(false);
            }
            else
            {
                await CreateSlotAndCopyAsync(names, copy, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await DropHalfCreatedAsync(names).ConfigureAwait(false);
            throw;
        }
    }

    private async Task RequireReplicaIdentityAsync(QualifiedName table, CancellationToken cancellationToken)
    {
        var identity = await QueryAsync(
            """
            SELECT c.relreplident::text, EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)
            FROM pg_class c WHERE c.oid = to_regclass(@p0)
            """,
            cancellationToken, Quote(table)).ConfigureAwait(false);
        if ((string)identity[0][0]! == "n" || (string)identity[0][0]! == "d" && identity[0][1] is false)
        {
            throw new BatchDbException(ErrorIds.UniqueKeyRequired, BatchDbErrorKind.InvalidOperation,
                $"{table} has no primary key and REPLICA IDENTITY {((string)identity[0][0]! == "n" ? "NOTHING" : "DEFAULT")}: its updates and deletes could not be applied. " +
                $"Add a primary key, or run ALTER TABLE {Quote(table)} REPLICA IDENTITY FULL.")
            { Target = table.ToString() };
        }
    }

    /// <summary>
    /// Drops what a failed creation left, so that no slot keeps WAL for a capture that does not exist. The slot is
    /// released a moment after its replication connection closes; the caller's error stays the one reported.
    /// </summary>
    private async Task DropHalfCreatedAsync(CaptureNames names)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteAsync("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = @p0", CancellationToken.None, null, names.Slot).ConfigureAwait(false);
                await ExecuteAsync($"DROP PUBLICATION IF EXISTS {Quote(names.Publication)}", CancellationToken.None).ConfigureAwait(false);
                return;
            }
            catch (BatchDbException) when (attempt < 20)
            {
                await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
            }
            catch (BatchDbException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Creates the slot through the replication protocol with its snapshot exported, and runs the copy in a transaction
    /// of another session that imports that snapshot. The replication connection stays open, and idle, until the copy
    /// ends: the snapshot lives only that long.
    /// </summary>
    private async Task CreateSlotAndCopyAsync(CaptureNames names, Func<Sql.DatabaseSession, ulong, Task> copy, CancellationToken cancellationToken)
    {
        await using var replication = new LogicalReplicationConnection(connectionString);
        var slot = await RunAsync("CREATE_REPLICATION_SLOT", async () =>
        {
            await replication.Open(cancellationToken).ConfigureAwait(false);
            return await replication.CreatePgOutputReplicationSlot(names.Slot, slotSnapshotInitMode: LogicalSlotSnapshotInitMode.Export, cancellationToken: cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        if (slot.SnapshotName is not { } snapshot || !SnapshotName().IsMatch(snapshot))
        {
            throw new InvalidOperationException($"The server exported no usable snapshot for slot {names.Slot} ('{slot.SnapshotName}').");
        }

        await using var reader = await PostgreSqlDialect.Instance.OpenAsync(connectionString, cancellationToken).ConfigureAwait(false);
        await reader.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await reader.ExecuteStatementAsync("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", cancellationToken).ConfigureAwait(false);
        await reader.ExecuteStatementAsync($"SET TRANSACTION SNAPSHOT '{snapshot}'", cancellationToken).ConfigureAwait(false);
        await copy(reader, (ulong)slot.ConsistentPoint).ConfigureAwait(false);
        await reader.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[0-9A-F-]+$")]
    private static partial System.Text.RegularExpressions.Regex SnapshotName();

    public async Task<IReadOnlyList<CaptureState>> DescribeCapturesAsync(string? name, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            """
            SELECT substr(s.slot_name, 9), s.active, s.confirmed_flush_lsn::text, pg_current_wal_lsn()::text,
                   pg_wal_lsn_diff(pg_current_wal_lsn(), s.restart_lsn)::bigint,
                   ARRAY(SELECT format('%s.%s', p.schemaname, p.tablename) FROM pg_publication_tables p WHERE p.pubname = s.slot_name ORDER BY 1)
            FROM pg_replication_slots s
            WHERE s.slot_name LIKE 'batchdb\_%' AND s.plugin = 'pgoutput' AND s.database = current_database()
              AND (@p0::text IS NULL OR s.slot_name = 'batchdb_' || @p0::text)
            ORDER BY 1
            """,
            cancellationToken, name).ConfigureAwait(false);
        return rows.Select(r => new CaptureState((string)r[0]!, ((string[])r[5]!).Select(t => QualifiedName.Parse(t)).ToList(), (bool)r[1]!,
            r[2] is string confirmed ? (ulong)NpgsqlLogSequenceNumber.Parse(confirmed) : null,
            (ulong)NpgsqlLogSequenceNumber.Parse((string)r[3]!), r[4] as long?)).ToList();
    }

    public async Task DropCaptureAsync(CaptureNames names, CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteAsync("SELECT pg_drop_replication_slot(@p0)", cancellationToken, null, names.Slot).ConfigureAwait(false);
        }
        catch (BatchDbException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.ObjectInUse })
        {
            throw CaptureBusy(names, ex.InnerException);
        }

        await ExecuteAsync($"DROP PUBLICATION IF EXISTS {Quote(names.Publication)}", cancellationToken).ConfigureAwait(false);
    }

    public async Task StreamChangesAsync(ChangeStreamRequest request, IChangeSink sink, CancellationToken stop, CancellationToken cancellationToken)
    {
        // A transactional message written now is decoded after every transaction committed before it: reaching it
        // is reaching the WAL position of the start, whatever else the source writes meanwhile.
        string? marker = null;
        if (request.Drain)
        {
            marker = Guid.NewGuid().ToString("N");
            await ExecuteAsync($"SELECT pg_logical_emit_message(true, '{MarkerPrefix}', @p0::text)", cancellationToken, null, marker).ConfigureAwait(false);
        }

        await using var replication = new LogicalReplicationConnection(DecodingConnectionString(request.DecodingMemory));
        await RunAsync("START_REPLICATION", async () =>
        {
            await replication.Open(cancellationToken).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
        var options = new PgOutputReplicationOptions(request.Names.Publication, PgOutputProtocolVersion.V1, binary: true, streamingMode: null, messages: true, twoPhase: null);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var transaction = new StreamedTransaction();
        using var stopping = stop.Register(() =>
        {
            if (!transaction.Open)
            {
                reading.Cancel();
            }
        });
        try
        {
            await foreach (var message in replication.StartReplication(new PgOutputReplicationSlot(request.Names.Slot), options, reading.Token).ConfigureAwait(false))
            {
                if (await HandleAsync(message, request, sink, transaction, marker, cancellationToken).ConfigureAwait(false) is not { } end)
                {
                    continue;
                }

                replication.SetReplicationStatus(end);
                await replication.SendStatusUpdate(cancellationToken).ConfigureAwait(false);
                if (transaction.ReachedMarker || stop.IsCancellationRequested)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && stop.IsCancellationRequested)
        {
            if (transaction.Open)
            {
                await sink.RollBackAsync().ConfigureAwait(false);
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse)
        {
            throw CaptureBusy(request.Names, ex);
        }
        catch (PostgresException ex)
        {
            throw PostgreSqlErrors.Translate(ex, $"START_REPLICATION SLOT {request.Names.Slot} LOGICAL", request.Names.Name);
        }
        catch (NpgsqlException ex) when (ex.InnerException is not OperationCanceledException)
        {
            throw PostgreSqlErrors.Translate(ex, $"START_REPLICATION SLOT {request.Names.Slot} LOGICAL", request.Names.Name);
        }
    }

    /// <summary>
    /// The replication connection's settings: with <paramref name="decodingMemory"/>, the walsender holds that much of
    /// a transaction in memory before it spills the rest to disk, where a large transaction decodes several times slower.
    /// </summary>
    private string DecodingConnectionString(long? decodingMemory)
    {
        if (decodingMemory is not { } bytes)
        {
            return connectionString;
        }

        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        settings.Options = $"{settings.Options} -c logical_decoding_work_mem={bytes / 1024}kB".Trim();
        return settings.ConnectionString;
    }

    /// <summary>Hands one replication message on; returns the position to acknowledge at a transaction's end, else null.</summary>
    private static async Task<NpgsqlLogSequenceNumber?> HandleAsync(PgOutputReplicationMessage message, ChangeStreamRequest request, IChangeSink sink,
        StreamedTransaction transaction, string? marker, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case BeginMessage begin:
                transaction.Start((ulong)begin.TransactionFinalLsn, begin.TransactionCommitTimestamp, skip: request.AppliedLsn is { } applied && (ulong)begin.TransactionFinalLsn <= applied);
                return null;
            case RelationMessage described:
                transaction.Describe(new CapturedRelation(described.RelationId, described.Namespace, described.RelationName,
                    described.Columns.Select(c => c.ColumnName).ToList(),
                    described.Columns.Select(c => (c.Flags & RelationMessage.Column.ColumnFlags.PartOfKey) != 0).ToList()));
                return null;
            case LogicalDecodingMessage { Prefix: MarkerPrefix } decoding:
                using (var reader = new StreamReader(decoding.Data, Encoding.UTF8))
                {
                    transaction.ReachedMarker |= await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false) == marker;
                }

                return null;
            case CommitMessage commit:
                if (transaction.Open)
                {
                    await sink.CommitAsync(cancellationToken).ConfigureAwait(false);
                    transaction.Open = false;
                }

                return commit.TransactionEndLsn;
        }

        if (transaction.Skip || message is not (InsertMessage or UpdateMessage or DeleteMessage or TruncateMessage))
        {
            return null;
        }

        if (!transaction.Open)
        {
            await sink.BeginAsync(transaction.CommitLsn, transaction.CommitTime, cancellationToken).ConfigureAwait(false);
            transaction.Open = true;
        }

        // A table's description goes to the sink before its first change, and again after the source sent a new one.
        async Task<CapturedRelation> DescribedAsync(uint id)
        {
            var (relation, sent) = transaction.Relations.TryGetValue(id, out var known) ? known
                : throw new InvalidOperationException($"A change of relation {id} arrived before its description.");
            if (!sent)
            {
                await sink.RelationAsync(relation, cancellationToken).ConfigureAwait(false);
                transaction.Relations[id] = (relation, true);
            }

            return relation;
        }

        if (message is TruncateMessage truncate)
        {
            foreach (var truncated in truncate.Relations)
            {
                await sink.ChangeAsync(await DescribedAsync(truncated.RelationId).ConfigureAwait(false), ChangeKind.Truncate, null, null, cancellationToken).ConfigureAwait(false);
            }

            return null;
        }

        var relation = await DescribedAsync(message switch
        {
            InsertMessage m => m.Relation.RelationId,
            UpdateMessage m => m.Relation.RelationId,
            DeleteMessage m => m.Relation.RelationId,
            _ => throw new InvalidOperationException($"Unexpected change message {message.GetType().Name}."),
        }).ConfigureAwait(false);
        var relationName = relation.ToString();
        switch (message)
        {
            case InsertMessage insert:
                await sink.ChangeAsync(relation, ChangeKind.Insert, await ReadAsync(insert.NewRow, null, relationName, cancellationToken).ConfigureAwait(false), null, cancellationToken).ConfigureAwait(false);
                break;
            case FullUpdateMessage full:
                var old = await ReadAsync(full.OldRow, null, relationName, cancellationToken).ConfigureAwait(false);
                await sink.ChangeAsync(relation, ChangeKind.Update, await ReadAsync(full.NewRow, old, relationName, cancellationToken).ConfigureAwait(false), old, cancellationToken).ConfigureAwait(false);
                break;
            case IndexUpdateMessage keyChange:
                var oldKey = await ReadAsync(keyChange.Key, null, relationName, cancellationToken).ConfigureAwait(false);
                await sink.ChangeAsync(relation, ChangeKind.Update, await ReadAsync(keyChange.NewRow, null, relationName, cancellationToken).ConfigureAwait(false), oldKey, cancellationToken).ConfigureAwait(false);
                break;
            case UpdateMessage update:
                await sink.ChangeAsync(relation, ChangeKind.Update, await ReadAsync(update.NewRow, null, relationName, cancellationToken).ConfigureAwait(false), null, cancellationToken).ConfigureAwait(false);
                break;
            case KeyDeleteMessage keyDelete:
                await sink.ChangeAsync(relation, ChangeKind.Delete, await ReadAsync(keyDelete.Key, null, relationName, cancellationToken).ConfigureAwait(false), null, cancellationToken).ConfigureAwait(false);
                break;
            case FullDeleteMessage fullDelete:
                await sink.ChangeAsync(relation, ChangeKind.Delete, await ReadAsync(fullDelete.OldRow, null, relationName, cancellationToken).ConfigureAwait(false), null, cancellationToken).ConfigureAwait(false);
                break;
        }

        return null;
    }

    /// <summary>
    /// A row's values. A large value an update left unchanged is not sent again; with REPLICA IDENTITY FULL it is
    /// taken from the old row, otherwise the change cannot be applied whole.
    /// </summary>
    private static async Task<object?[]> ReadAsync(ReplicationTuple tuple, object?[]? oldRow, string relation, CancellationToken cancellationToken)
    {
        var values = new object?[tuple.NumColumns];
        var i = 0;
        await foreach (var value in tuple.ConfigureAwait(false))
        {
            values[i] = value.IsDBNull ? null
                : value.IsUnchangedToastedValue ? oldRow?[i] ?? throw new BatchDbException(ErrorIds.NotSupported, BatchDbErrorKind.NotSupported,
                    $"An update of {relation} left the large value of {value.GetFieldName()} unchanged, and PostgreSQL does not send such values again; " +
                    $"run ALTER TABLE {relation} REPLICA IDENTITY FULL so that it does, then receive again.") { Target = relation }
                : await value.Get(cancellationToken).ConfigureAwait(false);
            i++;
        }

        return values;
    }

    private static BatchDbException CaptureBusy(CaptureNames names, Exception inner) =>
        new(ErrorIds.CaptureBusy, BatchDbErrorKind.ResourceBusy,
            $"The change capture '{names.Name}' is being received by another session ({inner.Message}); a slot has one consumer at a time.", inner)
        { Target = names.Name };

    /// <summary>The transaction the stream is in: where it committed, whether it is already applied, whether the sink has it open.</summary>
    private sealed class StreamedTransaction
    {
        private volatile bool _open;

        public bool Open { get => _open; set => _open = value; }

        public ulong CommitLsn { get; private set; }

        public DateTime CommitTime { get; private set; }

        public bool Skip { get; private set; }

        public bool ReachedMarker { get; set; }

        /// <summary>The captured tables by relation id, and whether the sink has their current description.</summary>
        public Dictionary<uint, (CapturedRelation Relation, bool Sent)> Relations { get; } = [];

        public void Describe(CapturedRelation relation) => Relations[relation.Id] = (relation, false);

        public void Start(ulong commitLsn, DateTime commitTime, bool skip) => (CommitLsn, CommitTime, Skip) = (commitLsn, commitTime, skip);
    }
}
