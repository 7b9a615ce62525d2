using System.Diagnostics;
using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Executions;
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
    public static async Task<ChangeCapture> CreateAsync(BatchDbConnection source, string name, string table, CancellationToken cancellationToken)
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

        await stream.CreateCaptureAsync(names, resolved, cancellationToken).ConfigureAwait(false);
        return ToRecord(source, await RequireAsync(stream, names, source, cancellationToken).ConfigureAwait(false));
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
        var table = await target.ResolveAsync(QualifiedName.Parse(request.Table, "staging table"), cancellationToken).ConfigureAwait(false);
        if (!await target.TableExistsAsync(table, cancellationToken).ConfigureAwait(false))
        {
            throw new BatchDbException(ErrorIds.TableNotFound, BatchDbErrorKind.ObjectNotFound,
                $"The staging table {table} does not exist on {destination}. Create it with the columns of {capture.Table}" +
                (request.Mode == CaptureMode.ChangeLog ? $" and {string.Join(", ", ChangeApplier.LogColumns)}." : "."))
            { Target = table.ToString() };
        }

        var columns = await target.DescribeColumnsAsync(table, cancellationToken).ConfigureAwait(false);
        var ledger = await Ledger.RequireWatermarksAsync(target, destination, cancellationToken).ConfigureAwait(false);
        var positionSource = $"capture {names.Name} of {request.Source.Server}:{request.Source.Port}/{request.Source.Database}";
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
