using System.Diagnostics;
using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Executions;
using BatchDb.Engine.Extracts;
using BatchDb.Engine.Naming;
using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Cdc;

/// <summary>
/// Change data capture from a PostgreSQL source's logical replication: a capture is a publication of one table and a
/// pgoutput slot, both named batchdb_&lt;name&gt;; receiving applies the slot's transactions to a staging table on any
/// engine, each exactly once.
/// </summary>
internal static class ChangeCaptures
{
    /// <summary>
    /// Creates the capture; with <paramref name="copy"/>, also fills its staging table with the table's rows as of the
    /// slot's start, in one destination transaction that stores that start as the capture's position.
    /// </summary>
    public static async Task<ChangeCapture> CreateAsync(BatchDbConnection source, string name, string table, InitialCopy? copy, CancellationToken cancellationToken)
    {
        var names = CaptureNames.Parse(name);
        var requested = QualifiedName.Parse(table);
        await using var session = await source.OpenDedicatedSessionAsync(cancellationToken).ConfigureAwait(false);
        var stream = session.Require<IChangeStreamSession>();
        var resolved = await session.ResolveAsync(requested, cancellationToken).ConfigureAwait(false);
        if (!await session.TableExistsAsync(resolved, cancellationToken).ConfigureAwait(false))
        {
            throw new BatchDbException(ErrorIds.TableNotFound, BatchDbErrorKind.ObjectNotFound, $"The table {resolved} does not exist on {source}.") { Target = resolved.ToString() };
        }

        Func<DatabaseSession, ulong, Task>? copyRows = copy is null ? null
            : (reader, start) => CopyAsync(reader, resolved, names, source, copy, start, cancellationToken);
        await stream.CreateCaptureAsync(names, resolved, copyRows, cancellationToken).ConfigureAwait(false);
        return ToRecord(source, await RequireAsync(stream, names, source, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The table's rows as <paramref name="reader"/> sees them into staging, replacing its rows, with the position stored.</summary>
    private static async Task CopyAsync(DatabaseSession reader, QualifiedName table, CaptureNames names, BatchDbConnection source, InitialCopy copy,
        ulong start, CancellationToken cancellationToken)
    {
        await reader.UseUtcAsync(cancellationToken).ConfigureAwait(false);
        var sourceColumns = (await reader.DescribeColumnsAsync(table, cancellationToken).ConfigureAwait(false)).Select(c => c.Name).ToList();
        await using var target = await copy.Destination.OpenDedicatedSessionAsync(cancellationToken).ConfigureAwait(false);
        await target.UseUtcAsync(cancellationToken).ConfigureAwait(false);
        var staging = await RequireStagingAsync(target, copy.Destination, copy.Table, table.ToString(), CaptureMode.Mirror, cancellationToken).ConfigureAwait(false);
        var stagingColumns = await target.DescribeColumnsAsync(staging, cancellationToken).ConfigureAwait(false);
        var missing = sourceColumns.Where(c => ColumnNames.Find(stagingColumns, s => s.Name, c) is null)
            .Concat(copy.BatchIdColumn is { } b && ColumnNames.Find(stagingColumns, s => s.Name, b) is null ? [b] : []).ToList();
        if (missing.Count > 0)
        {
            throw new BatchDbException(ErrorIds.ColumnNotFound, BatchDbErrorKind.InvalidOperation,
                $"The staging table {staging} has no column {string.Join(", ", missing)} for the rows of {table}; add it. No capture was created.")
            { Target = staging.ToString() };
        }

        var ledger = await Ledger.RequireWatermarksAsync(target, copy.Destination, cancellationToken).ConfigureAwait(false);
        var columns = sourceColumns.Select(c => ColumnNames.Find(stagingColumns, s => s.Name, c)!.Name)
            .Concat(copy.BatchIdColumn is { } stamp ? [ColumnNames.Find(stagingColumns, s => s.Name, stamp)!.Name] : []).ToList();
        var row = new object?[columns.Count];
        if (copy.BatchIdColumn is not null)
        {
            row[^1] = copy.BatchId?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await target.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await target.ExecuteStatementAsync($"DELETE FROM {target.QuoteName(staging)}", cancellationToken).ConfigureAwait(false);
            await using (var writer = await target.Require<IBulkCopySession>().BeginBulkInsertAsync(staging, columns, cancellationToken).ConfigureAwait(false))
            {
                await reader.StreamRowsAsync($"SELECT {string.Join(", ", sourceColumns.Select(reader.QuoteIdentifier))} FROM {reader.QuoteName(table)}", [],
                    async (values, token) =>
                    {
                        Array.Copy(values, row, values.Length);
                        await writer.WriteRowAsync(row, token).ConfigureAwait(false);
                    },
                    cancellationToken).ConfigureAwait(false);
                await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }

            await ledger.SaveWatermarkAsync(PositionSource(names, source), staging.ToString(), new Watermark(ChangeApplier.PositionColumn, (long)start), copy.BatchId, cancellationToken).ConfigureAwait(false);
            await target.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await target.RollBackQuietlyAsync().ConfigureAwait(false);
            throw;
        }
    }

    public static async Task<IReadOnlyList<ChangeCapture>> GetAsync(BatchDbConnection source, string? name, CancellationToken cancellationToken)
    {
        var names = name is null ? null : CaptureNames.Parse(name);
        await using var session = await source.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        var captures = await session.Require<IChangeStreamSession>().DescribeCapturesAsync(names?.Name, cancellationToken).ConfigureAwait(false);
        return captures.Select(c => ToRecord(source, c)).ToList();
    }

    /// <summary>The names of the source's captures, for Tab completion.</summary>
    public static async Task<IReadOnlyList<string>> GetNamesAsync(BatchDbConnection source, CancellationToken cancellationToken) =>
        (await GetAsync(source, null, cancellationToken).ConfigureAwait(false)).Select(c => c.Name).ToList();

    public static async Task RemoveAsync(BatchDbConnection source, string name, CancellationToken cancellationToken)
    {
        var names = CaptureNames.Parse(name);
        await using var session = await source.OpenDedicatedSessionAsync(cancellationToken).ConfigureAwait(false);
        var stream = session.Require<IChangeStreamSession>();
        await RequireAsync(stream, names, source, cancellationToken).ConfigureAwait(false);
        await stream.DropCaptureAsync(names, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Applies the capture's transactions to the staging table of <paramref name="destination"/>, from the position
    /// stored there, until the WAL position the source had at the start (or a bound, or a stop in continuous mode).
    /// </summary>
    public static async Task<ChangeReceipt> ReceiveAsync(BatchDbConnection destination, ReceiveRequest request, long? batchId,
        IProgress<OperationProgress>? progress, IOperationLog log, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var names = CaptureNames.Parse(request.Name);
        if (request.MaxChanges is <= 0 || request.MaxDuration is { } d && d <= TimeSpan.Zero)
        {
            throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument, "-MaxChanges and -MaxDuration must be positive.");
        }

        await using var source = await request.Source.OpenDedicatedSessionAsync(cancellationToken).ConfigureAwait(false);
        var stream = source.Require<IChangeStreamSession>();
        var capture = await RequireAsync(stream, names, request.Source, cancellationToken).ConfigureAwait(false);

        await using var target = await destination.OpenDedicatedSessionAsync(cancellationToken).ConfigureAwait(false);
        await target.UseUtcAsync(cancellationToken).ConfigureAwait(false);
        var table = await RequireStagingAsync(target, destination, request.Table, capture.Table, request.Mode, cancellationToken).ConfigureAwait(false);
        var columns = await target.DescribeColumnsAsync(table, cancellationToken).ConfigureAwait(false);
        var ledger = await Ledger.RequireWatermarksAsync(target, destination, cancellationToken).ConfigureAwait(false);
        var positionSource = PositionSource(names, request.Source);
        var stored = await ledger.FindWatermarkAsync(positionSource, table.ToString(), cancellationToken).ConfigureAwait(false);
        if (stored is not null && (stored.Column != ChangeApplier.PositionColumn || stored.Value is not long))
        {
            throw new BatchDbException(ErrorIds.WatermarkConflict, BatchDbErrorKind.InvalidOperation,
                $"The ledger of {destination} holds a {stored.Column} mark for {positionSource} into {table}, not a commit position.")
            { Target = table.ToString() };
        }

        var applied = stored is null ? (ulong?)null : (ulong)(long)stored.Value;
        log.Verbose($"Receiving capture {names.Name} ({capture.Table}) into {table} as {request.Mode}, after commit {LogSequenceNumber.Format(applied) ?? "(none yet)"}" +
            (request.Continuous ? " until stopped." : $" up to the source's WAL position at the start ({LogSequenceNumber.Format(capture.CurrentLsn)})."));
        using var stop = new CancellationTokenSource();
        if (request.MaxDuration is { } duration)
        {
            stop.CancelAfter(duration);
        }

        var applier = new ChangeApplier(target, ledger, table, columns, request, positionSource, batchId, stop, progress);
        try
        {
            await stream.StreamChangesAsync(new ChangeStreamRequest(names, applied, Drain: !request.Continuous), applier, stop.Token, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await target.RollBackQuietlyAsync().ConfigureAwait(false);
            throw;
        }

        log.Verbose($"Applied {applier.Changes:N0} changes in {applier.Transactions:N0} transactions; the stored position is {LogSequenceNumber.Format(applier.LastLsn ?? applied) ?? "(none)"}.");
        return new ChangeReceipt(destination, names.Name, table.ToString(), request.Mode, applier.Transactions,
            applier.Count(ChangeKind.Insert), applier.Count(ChangeKind.Update), applier.Count(ChangeKind.Delete), applier.Count(ChangeKind.Truncate),
            LogSequenceNumber.Format(applied), LogSequenceNumber.Format(applier.LastLsn ?? applied),
            applier.LastCommitTimeUtc is { } utc ? new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToLocalTime() : null,
            batchId?.ToString(System.Globalization.CultureInfo.InvariantCulture), stopwatch.Elapsed);
    }

    /// <summary>The key of a capture's position in the destination's ledger: the capture and its source database.</summary>
    private static string PositionSource(CaptureNames names, BatchDbConnection source) =>
        $"capture {names.Name} of {source.Server}:{source.Port}/{source.Database}";

    private static async Task<QualifiedName> RequireStagingAsync(DatabaseSession target, BatchDbConnection destination, string name, string capturedTable,
        CaptureMode mode, CancellationToken cancellationToken)
    {
        var table = await target.ResolveAsync(QualifiedName.Parse(name, "staging table"), cancellationToken).ConfigureAwait(false);
        return await target.TableExistsAsync(table, cancellationToken).ConfigureAwait(false)
            ? table
            : throw new BatchDbException(ErrorIds.TableNotFound, BatchDbErrorKind.ObjectNotFound,
                $"The staging table {table} does not exist on {destination}. Create it with the columns of {capturedTable}" +
                (mode == CaptureMode.ChangeLog ? $" and {string.Join(", ", ChangeApplier.LogColumns)}." : "."))
            { Target = table.ToString() };
    }

    private static async Task<CaptureState> RequireAsync(IChangeStreamSession stream, CaptureNames names, BatchDbConnection source, CancellationToken cancellationToken) =>
        (await stream.DescribeCapturesAsync(names.Name, cancellationToken).ConfigureAwait(false)).SingleOrDefault()
        ?? throw new BatchDbException(ErrorIds.CaptureNotFound, BatchDbErrorKind.ObjectNotFound,
            $"There is no change capture '{names.Name}' (replication slot {names.Slot}) on {source}; create it with New-ChangeCapture.")
        { Target = names.Name };

    private static ChangeCapture ToRecord(BatchDbConnection source, CaptureState state)
    {
        var names = new CaptureNames(state.Name);
        return new ChangeCapture(source, state.Name, state.Table, names.Slot, names.Publication, state.Active,
            LogSequenceNumber.Format(state.ConfirmedLsn), LogSequenceNumber.Format(state.CurrentLsn), state.RetainedBytes);
    }
}
