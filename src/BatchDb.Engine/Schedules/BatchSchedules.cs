using System.Globalization;
using BatchDb.Engine.Calendar;
using BatchDb.Engine.Connections;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Executions;
using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Schedules;

/// <summary>Batch schedules in the ledger: registering them and finding what is due.</summary>
internal static class BatchSchedules
{
    /// <summary>Creates or replaces a schedule; its next execution is the first match after now (the server's clock).</summary>
    public static async Task<BatchSchedule> RegisterAsync(BatchDbConnection connection, ScheduleRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        RunOptions.ValidateBatchName(registration.Name);
        var cron = CronExpression.Parse(registration.CronExpression);
        var zone = TimeZones.Find(registration.TimeZone);
        if (registration.Timeout < TimeSpan.FromMinutes(1))
        {
            throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument, "A schedule's timeout must be at least one minute.");
        }

        await using var session = await connection.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        var ledger = await Ledger.RequireAsync(session, connection, cancellationToken).ConfigureAwait(false);
        var now = await ledger.UtcNowAsync(cancellationToken).ConfigureAwait(false);
        var next = cron.Next(new DateTimeOffset(now, TimeSpan.Zero), zone);
        await session.ExecuteStatementAsync(ledger.Sql.UpsertSchedule(ledger.Tables.Schedule), cancellationToken,
            registration.Name, cron.Text, registration.TimeZone, next is { } n ? Ledger.ToDatabase(n) : null, registration.Enabled,
            (int)Math.Ceiling(registration.Timeout.TotalMinutes)).ConfigureAwait(false);
        return (await ReadAsync(session, ledger, registration.Name, dueOnly: false, cancellationToken).ConfigureAwait(false)).Single();
    }

    /// <summary>The schedules whose name matches the * and ? pattern (all when null), or only those due now.</summary>
    public static async Task<IReadOnlyList<BatchSchedule>> GetAsync(BatchDbConnection connection, string? name, bool dueOnly, CancellationToken cancellationToken)
    {
        await using var session = await connection.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        var ledger = await Ledger.RequireAsync(session, connection, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(session, ledger, name, dueOnly, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<BatchSchedule>> ReadAsync(DatabaseSession session, Ledger ledger, string? name, bool dueOnly, CancellationToken cancellationToken)
    {
        var filter = name is null ? string.Empty : " WHERE batch_name LIKE @p0 ESCAPE '!'";
        object?[] parameters = name is null ? [] : [Ledger.LikePattern(name)];
        var rows = await session.QueryRowsAsync(
            $"""
            SELECT batch_name, cron_expression, time_zone, last_execution, next_execution, enabled, timeout_minutes, {ledger.Sql.UtcNow}
            FROM {session.QuoteName(ledger.Tables.Schedule)}{filter} ORDER BY batch_name
            """,
            cancellationToken, parameters).ConfigureAwait(false);
        var schedules = rows.Select(r =>
        {
            var next = Ledger.AsUtc(r[4]);
            var enabled = r[5] is bool b ? b : Convert.ToInt64(r[5], CultureInfo.InvariantCulture) != 0;
            return new BatchSchedule(ledger.Connection, (string)r[0]!, (string)r[1]!, (string)r[2]!,
                Ledger.AsUtc(r[3]) is { } last ? Ledger.ToLocal(last) : null, next is { } n ? Ledger.ToLocal(n) : null, enabled,
                TimeSpan.FromMinutes(Convert.ToInt32(r[6], CultureInfo.InvariantCulture)), enabled && next <= Ledger.AsUtc(r[7]));
        });
        return dueOnly ? schedules.Where(s => s.IsDue).ToList() : schedules.ToList();
    }
}
