using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Executions;
using BatchDb.Engine.Extracts;
using BatchDb.Engine.Naming;
using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Cdc;

/// <summary>
/// Change data capture from a PostgreSQL source's logical replication: a capture is a publication of one or more tables
/// and a pgoutput slot, both named batchdb_&lt;name&gt;; receiving applies the slot's transactions to a staging table
/// for each captured table, on any engine, each transaction exactly once, with one stored position per capture.
/// </summary>
internal static class ChangeCaptures
{
    /// <summary>The ledger's target_name holds this much; a capture of many tables keys its position by a shortened list.</summary>
    private const int MaxPositionTarget = 300;

    /// <summary>The range PostgreSQL takes for logical_decoding_work_mem (64 kB to 2^31 - 1 kB).</summary>
    private const long MinDecodingMemory = 64L * 1024, MaxDecodingMemory = int.MaxValue * 1024L;

    /// <summary>
    /// Creates the capture; with <paramref name="copy"/>, also fills its staging tables with the tables' rows as of the
    /// slot's start, in one destination transaction that stores that start as the capture's position.
    /// </summary>
    public static async Task<ChangeCapture> CreateAsync(BatchDbConnection source, string name, IReadOnlyList<string> tables, InitialCopy? copy, CancellationToken cancellationToken)
    {
        var names = CaptureNames.Parse(name);
        var requested = tables.Select(t => QualifiedName.Parse(t)).ToList();
        if (copy is not null && copy.Tables.Count != requested.Count)
        {
            throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
                $"-CopyTo names {copy.Tables.Count} staging table(s) for {requested.Count} captured table(s); give one for each table, in the same order.");
        }

        await using var session = await source.OpenDedicatedSessionAsync(cancellationToken).ConfigureAwait(false);
        var stream = session.Require<IChangeStreamSession>();
        var resolved = new List<QualifiedName>(requested.Count);
        foreach (var table in requested)
        {
            var found = await session.ResolveAsync(table, cancellationToken).ConfigureAwait(false);
            if (!await session.TableExistsAsync(found, cancellationToken).ConfigureAwait(false))
            {
                throw new BatchDbException(ErrorIds.TableNotFound, BatchDbErrorKind.ObjectNotFound, $"The table {found} does not exist on {source}.") { Target = found.ToString() };
            }

            if (resolved.Contains(found))
            {
                throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument, $"-Table names {found} twice.") { Target = found.ToString() };
            }

            resolved.Add(found);
        }

        Func<DatabaseSession, ulong, Task>? copyRows = copy is null ? null
            : (reader, start) => CopyAsync(reader, resolved, names, source, copy, start, cancellationToken);
        await stream.CreateCaptureAsync(names, resolved, copyRows, cancellationToken).ConfigureAwait(false);
        return ToRecord(source, await RequireAsync(stream, names, source, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The tables' rows as <paramref name="reader"/> sees them into staging, replacing its rows, with the position stored.</summary>
    private static async Task CopyAsync(DatabaseSession reader, IReadOnlyList<QualifiedName> tables, CaptureNames names, BatchDbConnection source, InitialCopy copy,
        ulong start, CancellationToken cancellationToken)
    {
        await reader.UseUtcAsync(cancellationToken).ConfigureAwait(false);
        await using var target = await copy.Destination.OpenDedicatedSessionAsync(cancellationToken).ConfigureAwait(false);
        await target.UseUtcAsync(cancellationToken).ConfigureAwait(false);
        var stagings = new List<StagingTable>(tables.Count);
        var plans = new List<(string Select, IReadOnlyList<string> Columns)>(tables.Count);
        for (var i = 0; i < tables.Count; i++)
        {
            var staging = await RequireStagingAsync(target, copy.Destination, copy.Tables[i], tables[i], CaptureMode.Mirror, cancellationToken).ConfigureAwait(false);
            var sourceColumns = (await reader.DescribeColumnsAsync(tables[i], cancellationToken).ConfigureAwait(false)).Select(c => c.Name).ToList();
            var columns = staging.Require(sourceColumns.Concat(copy.BatchIdColumn is { } b ? [b] : []), $"the rows of {tables[i]}", "No capture was created.");
            stagings.Add(staging);
            plans.Add(($"SELECT {string.Join(", ", sourceColumns.Select(reader.QuoteIdentifier))} FROM {reader.QuoteName(tables[i])}", columns.Select(c => c.Name).ToList()));
        }

        var ledger = await Ledger.RequireWatermarksAsync(target, copy.Destination, cancellationToken).ConfigureAwait(false);
        await target.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var i = 0; i < stagings.Count; i++)
            {
                await target.ExecuteStatementAsync($"DELETE FROM {target.QuoteName(stagings[i].Table)}", cancellationToken).ConfigureAwait(false);
                await using var writer = await target.Require<IBulkCopySession>().BeginBulkInsertAsync(stagings[i].Table, plans[i].Columns, cancellationToken).ConfigureAwait(false);
                await writer.CopyRowsAsync(reader, plans[i].Select, [], copy.BatchIdColumn is null ? [] : [copy.BatchId?.ToString(CultureInfo.InvariantCulture)], null, cancellationToken)
                    .ConfigureAwait(false);
            }

            await ledger.SaveWatermarkAsync(PositionSource(names, source), PositionTarget(stagings), new Watermark(ChangeApplier.PositionColumn, (long)start), copy.BatchId, cancellationToken)
                .ConfigureAwait(false);
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

        if (request.DecodingMemory is < MinDecodingMemory or > MaxDecodingMemory)
        {
            throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
                $"-DecodingMemory must be between 64KB and 2TB; {request.DecodingMemory:N0} bytes is not.");
        }

        await using var source = await request.Source.OpenDedicatedSessionAsync(cancellationToken).ConfigureAwait(false);
        var stream = source.Require<IChangeStreamSession>();
        var capture = await RequireAsync(stream, names, request.Source, cancellationToken).ConfigureAwait(false);

        await using var target = await destination.OpenDedicatedSessionAsync(cancellationToken).ConfigureAwait(false);
        await target.UseUtcAsync(cancellationToken).ConfigureAwait(false);
        var stagings = await ResolveStagingAsync(target, destination, request, capture, names, cancellationToken).ConfigureAwait(false);
        var ledger = await Ledger.RequireWatermarksAsync(target, destination, cancellationToken).ConfigureAwait(false);
        var positionSource = PositionSource(names, request.Source);
        var positionTarget = PositionTarget(stagings);
        var stored = await ledger.FindWatermarkAsync(positionSource, positionTarget, cancellationToken).ConfigureAwait(false);
        if (stored is not null && (stored.Column != ChangeApplier.PositionColumn || stored.Value is not long))
        {
            throw new BatchDbException(ErrorIds.WatermarkConflict, BatchDbErrorKind.InvalidOperation,
                $"The ledger of {destination} holds a {stored.Column} mark for {positionSource} into {positionTarget}, not a commit position.")
            { Target = positionTarget };
        }

        var applied = stored is null ? (ulong?)null : (ulong)(long)stored.Value;
        log.Verbose($"Receiving capture {names.Name} into {string.Join(", ", stagings.Select(t => $"{t.Table} ({t.Source})"))} as {request.Mode}, after commit {LogSequenceNumber.Format(applied) ?? "(none yet)"}" +
            (request.Continuous ? " until stopped." : $" up to the source's WAL position at the start ({LogSequenceNumber.Format(capture.CurrentLsn)})."));
        using var stop = new CancellationTokenSource();
        if (request.MaxDuration is { } duration)
        {
            stop.CancelAfter(duration);
        }

        var applier = new ChangeApplier(target, ledger, stagings, request, positionSource, positionTarget, batchId, stop, progress);
        try
        {
            await stream.StreamChangesAsync(new ChangeStreamRequest(names, applied, Drain: !request.Continuous, request.DecodingMemory), applier, stop.Token, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await applier.RollBackAsync().ConfigureAwait(false);
            throw;
        }

        log.Verbose($"Applied {applier.Changes:N0} changes in {applier.Transactions:N0} transactions; the stored position is {LogSequenceNumber.Format(applier.LastLsn ?? applied) ?? "(none)"}.");
        return new ChangeReceipt(destination, names.Name, string.Join(", ", stagings.Select(t => t.Table)), request.Mode, applier.Transactions,
            applier.Count(ChangeKind.Insert), applier.Count(ChangeKind.Update), applier.Count(ChangeKind.Delete), applier.Count(ChangeKind.Truncate),
            LogSequenceNumber.Format(applied), LogSequenceNumber.Format(applier.LastLsn ?? applied),
            applier.LastCommitTimeUtc is { } utc ? new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToLocalTime() : null,
            batchId?.ToString(System.Globalization.CultureInfo.InvariantCulture), stopwatch.Elapsed);
    }

    /// <summary>The key of a capture's position in the destination's ledger: the capture and its source database.</summary>
    private static string PositionSource(CaptureNames names, BatchDbConnection source) =>
        $"capture {names.Name} of {source.Server}:{source.Port}/{source.Database}";

    /// <summary>The key of a capture's position in the destination's ledger, beside the source's: its staging tables.</summary>
    private static string PositionTarget(IReadOnlyList<StagingTable> stagings)
    {
        var joined = string.Join(", ", stagings.Select(t => t.Table.ToString()).Order(StringComparer.Ordinal));
        return joined.Length <= MaxPositionTarget ? joined
            : $"{joined[..(MaxPositionTarget - 20)]}… #{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(joined)))[..16]}";
    }

    /// <summary>The staging table of each captured table: the one -Table names for a capture of one table, else -TableMap's.</summary>
    private static async Task<IReadOnlyList<StagingTable>> ResolveStagingAsync(DatabaseSession target, BatchDbConnection destination, ReceiveRequest request,
        CaptureState capture, CaptureNames names, CancellationToken cancellationToken)
    {
        var captured = capture.Tables.ToList();
        var list = string.Join(", ", captured);
        if (captured.Count == 0)
        {
            throw new BatchDbException(ErrorIds.CaptureNotFound, BatchDbErrorKind.ObjectNotFound,
                $"The publication {names.Publication} of capture '{names.Name}' is missing or empty; remove the capture and create it again.")
            { Target = names.Name };
        }

        QualifiedName Captured(string text)
        {
            var wanted = QualifiedName.Parse(text);
            var found = captured.Where(c => string.Equals(c.Name, wanted.Name, StringComparison.OrdinalIgnoreCase)
                && (wanted.Schema is null || string.Equals(c.Schema, wanted.Schema, StringComparison.OrdinalIgnoreCase))).ToList();
            return found.Count == 1 ? found[0]
                : throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument, found.Count == 0
                    ? $"{text} is not a table of capture '{names.Name}' ({list})."
                    : $"{text} could be {string.Join(" or ", found)} of capture '{names.Name}'; qualify it with its schema.")
                { Target = text };
        }

        List<(QualifiedName Source, string Staging)> pairs;
        if (request.Tables is [{ Source: null } only])
        {
            pairs = captured.Count == 1 ? [(captured[0], only.Staging)]
                : throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
                    $"The capture '{names.Name}' holds {captured.Count} tables ({list}); give each its staging table with -TableMap @{{ '{captured[0]}' = '…'; … }}.")
                { Target = names.Name };
        }
        else
        {
            pairs = request.Tables.Select(m => (Captured(m.Source!), m.Staging)).OrderBy(p => captured.IndexOf(p.Item1)).ToList();
            if (pairs.GroupBy(p => p.Source).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument, $"-TableMap maps {twice.Key} twice.") { Target = twice.Key.ToString() };
            }

            if (captured.Where(c => !pairs.Any(p => p.Source == c)).ToList() is { Count: > 0 } unmapped)
            {
                throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
                    $"-TableMap gives no staging table for {string.Join(", ", unmapped)} of capture '{names.Name}'; map every table it captures ({list}).")
                { Target = names.Name };
            }
        }

        var stagings = new List<StagingTable>(pairs.Count);
        foreach (var (source, staging) in pairs)
        {
            var table = await RequireStagingAsync(target, destination, staging, source, request.Mode, cancellationToken).ConfigureAwait(false);
            if (stagings.FirstOrDefault(s => s.Table == table.Table) is { } shared)
            {
                throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
                    $"{shared.Source} and {source} would both go into {table.Table}; give each captured table its own staging table.")
                { Target = table.Table.ToString() };
            }

            stagings.Add(table);
        }

        return stagings;
    }

    private static async Task<StagingTable> RequireStagingAsync(DatabaseSession target, BatchDbConnection destination, string name, QualifiedName capturedTable,
        CaptureMode mode, CancellationToken cancellationToken)
    {
        var table = await target.ResolveAsync(QualifiedName.Parse(name, "staging table"), cancellationToken).ConfigureAwait(false);
        return await target.TableExistsAsync(table, cancellationToken).ConfigureAwait(false)
            ? new StagingTable(capturedTable, table, await target.DescribeColumnsAsync(table, cancellationToken).ConfigureAwait(false))
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
        return new ChangeCapture(source, state.Name, state.Tables.Count == 0 ? "(none: the publication is missing)" : string.Join(", ", state.Tables), names.Slot, names.Publication, state.Active,
            LogSequenceNumber.Format(state.ConfirmedLsn), LogSequenceNumber.Format(state.CurrentLsn), state.RetainedBytes);
    }
}
