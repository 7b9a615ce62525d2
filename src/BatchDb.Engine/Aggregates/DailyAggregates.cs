using System.Diagnostics;
using BatchDb.Engine.Calendar;
using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Executions;
using BatchDb.Engine.Naming;
using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Aggregates;

/// <summary>
/// Invoke-DailyAggregate. Each day is one transaction: an upsert of the day's groups (figures that did not change
/// are left alone, last-updated included), then the removal of groups that no longer have source rows. The
/// day's source rows are selected by a UTC range on the date column, so an index on it is used and days
/// follow the time zone's daylight-saving changes. Running a day again changes nothing.
/// </summary>
internal static class DailyAggregates
{
    public static async Task<IReadOnlyList<DailyAggregateResult>> RunAsync(BatchDbConnection connection, AggregateRequest request,
        IProgress<OperationProgress>? progress, IOperationLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var definition = request.Definition;
        var zone = TimeZones.Find(request.TimeZone);
        if (definition.Measures.Count == 0)
        {
            throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument, "The aggregate has no measures.");
        }

        if (request.From is { } f && request.To is { } t && t < f)
        {
            throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument, $"-To ({t:yyyy-MM-dd}) is before -From ({f:yyyy-MM-dd}).");
        }

        // A session of its own: the UTC time zone it sets must not reach pooled sessions.
        await using var session = await connection.OpenDedicatedSessionAsync(cancellationToken).ConfigureAwait(false);
        await session.UseUtcAsync(cancellationToken).ConfigureAwait(false);
        var plan = await AggregatePlan.CreateAsync(session, definition, cancellationToken).ConfigureAwait(false);
        var (days, mark) = await ChooseDaysAsync(session, connection, plan, request, zone, log, cancellationToken).ConfigureAwait(false);

        var results = new List<DailyAggregateResult>(days.Count);
        var activity = $"Aggregating {plan.Source} into {plan.Table}";
        foreach (var day in days)
        {
            progress?.Report(new OperationProgress(activity, $"{day:yyyy-MM-dd}", 100 * results.Count / days.Count));
            results.Add(await WriteDayAsync(session, connection, plan, day, zone, request.TimeZone, cancellationToken).ConfigureAwait(false));
        }

        if (mark is not null)
        {
            await mark.Value.Ledger.SaveWatermarkAsync(plan.MarkSource, plan.Table.ToString(), mark.Value.Mark, null, cancellationToken).ConfigureAwait(false);
        }

        progress?.Report(new OperationProgress(activity, "Done", 100));
        return results;
    }

    /// <summary>The days asked for; or those of rows changed since the last run, with the mark to store after them.</summary>
    private static async Task<(List<DateOnly> Days, (Ledger Ledger, Watermark Mark)? Mark)> ChooseDaysAsync(DatabaseSession session, BatchDbConnection connection,
        AggregatePlan plan, AggregateRequest request, TimeZoneInfo zone, IOperationLog log, CancellationToken cancellationToken)
    {
        if (request.From is not null || request.To is not null)
        {
            var from = request.From ?? request.To!.Value;
            var to = request.To ?? from;
            var days = new List<DateOnly>();
            for (var day = from; day <= to; day = day.AddDays(1))
            {
                days.Add(day);
            }

            return (days, null);
        }

        var changedColumn = plan.ChangedColumn ?? throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
            "The aggregate has no changed column to find the days touched since the last run; give -Date, or -From and -To.");
        var changed = session.QuoteIdentifier(changedColumn);
        var ledger = await Ledger.RequireWatermarksAsync(session, connection, cancellationToken).ConfigureAwait(false);
        var last = await ledger.FindWatermarkAsync(plan.MarkSource, plan.Table.ToString(), cancellationToken).ConfigureAwait(false);
        var since = last is null ? string.Empty : $" WHERE {changed} > @p0";
        object?[] parameters = last is null ? [] : [last.Value];
        var upper = (await session.QueryRowsAsync($"SELECT MAX({changed}) FROM {session.QuoteName(plan.Source)}{since}", cancellationToken, parameters)
            .ConfigureAwait(false))[0][0];
        if (upper is null)
        {
            log.Verbose($"No rows of {plan.Source} changed since the last run; nothing to aggregate.");
            return ([], null);
        }

        var mark = Watermark.From(changedColumn, upper);
        var window = last is null ? $" WHERE {changed} <= @p0" : $" WHERE {changed} > @p0 AND {changed} <= @p1";
        var utcDays = await session.QueryRowsAsync(
            $"SELECT DISTINCT CAST({plan.Date} AS DATE) FROM {session.QuoteName(plan.Source)}{window}",
            cancellationToken, last is null ? [mark.Value] : [last.Value, mark.Value]).ConfigureAwait(false);
        var touched = utcDays.Where(r => r[0] is not null)
            .SelectMany(r => AggregateDays.LocalDaysOf(r[0] is DateOnly day ? day : DateOnly.FromDateTime((DateTime)r[0]!), zone))
            .Distinct().Order().ToList();
        log.Verbose($"Rows of {plan.Source} changed since {last?.ToString() ?? "the beginning"} touch {touched.Count} day(s).");
        return (touched, (ledger, mark));
    }

    private static async Task<DailyAggregateResult> WriteDayAsync(DatabaseSession session, BatchDbConnection connection, AggregatePlan plan, DateOnly day,
        TimeZoneInfo zone, string zoneName, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var countsUnchangedRows = session.Require<IUpsertSession>().UpsertCountsUnchangedRows;
        var (start, end) = AggregateDays.UtcRange(day, zone);
        var date = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        object?[] parameters = [date, start, end];
        await session.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Only where the upsert counts matched rows left unchanged is the day's row count before it needed, to tell them apart.
            var existing = countsUnchangedRows ? await plan.CountDayAsync(session, date, cancellationToken).ConfigureAwait(false) : 0;
            var affected = await session.ExecuteStatementAsync(plan.Upsert, cancellationToken, parameters).ConfigureAwait(false);
            var removed = await session.ExecuteStatementAsync(plan.RemoveVanished, cancellationToken, parameters).ConfigureAwait(false);
            var groups = await plan.CountDayAsync(session, date, cancellationToken).ConfigureAwait(false);
            await session.CommitAsync(cancellationToken).ConfigureAwait(false);
            var changed = countsUnchangedRows ? affected - (existing - removed) : affected;
            return new DailyAggregateResult(connection, plan.Table.ToString(), date, zoneName, groups, changed, removed,
                InZone(start, zone), InZone(end, zone), stopwatch.Elapsed);
        }
        catch
        {
            await session.RollBackQuietlyAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static DateTimeOffset InZone(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(new DateTimeOffset(utc, TimeSpan.Zero), zone);
}
