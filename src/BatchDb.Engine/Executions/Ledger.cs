using System.Globalization;
using System.Text;
using System.Text.Json;
using BatchDb.Engine.Connections;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Executions;

/// <summary>
/// The execution ledger of one database, read and written through one session. Its SQL is portable; the
/// engine-specific pieces come from <see cref="LedgerSql"/>. Times go in and out as UTC.
/// </summary>
internal sealed class Ledger
{
    private const string Columns =
        "execution_id, batch_name, parent_id, operation, parameters, host, process_id, start_time, end_time, status, records_processed, error_message, last_heartbeat, attempt";

    private Ledger(DatabaseSession session, BatchDbConnection connection, LedgerTables tables, int version)
    {
        Session = session;
        Version = version;
        Connection = connection;
        Tables = tables;
        Executions = session.QuoteName(tables.Executions);
        Schedule = session.QuoteName(tables.Schedule);
    }

    public DatabaseSession Session { get; }

    public BatchDbConnection Connection { get; }

    public LedgerTables Tables { get; }

    public int Version { get; }

    /// <summary>This engine's pieces of the ledger's SQL.</summary>
    public LedgerSql Sql => SqlOf(Session);

    public static LedgerSql SqlOf(DatabaseSession session) => session.Require<ILedgerSession>().Ledger;

    private string Executions { get; }

    private string Schedule { get; }

    public static LedgerTables TablesFor(BatchDbConnection connection, DatabaseSession session) =>
        new(Naming.QualifiedName.ValidateIdentifier(connection.LedgerSchema ?? SqlOf(session).DefaultSchema(connection.Database), "ledger schema"));

    /// <summary>The ledger of the connection's database, or null when Initialize-BatchSchema has not made one.</summary>
    public static async Task<Ledger?> OpenAsync(DatabaseSession session, BatchDbConnection connection, CancellationToken cancellationToken)
    {
        var tables = TablesFor(connection, session);
        return await ReadVersionAsync(session, tables, cancellationToken).ConfigureAwait(false) is { } version ? new Ledger(session, connection, tables, version) : null;
    }

    public static async Task<Ledger> RequireAsync(DatabaseSession session, BatchDbConnection connection, CancellationToken cancellationToken) =>
        await OpenAsync(session, connection, cancellationToken).ConfigureAwait(false)
        ?? throw new BatchDbException(ErrorIds.LedgerNotFound, BatchDbErrorKind.ObjectNotFound,
            $"There is no batch ledger in {TablesFor(connection, session).Schema} on {connection}. Run Initialize-BatchSchema first.")
        { Target = TablesFor(connection, session).Schema };

    /// <summary>The ledger, at a version that keeps high-water marks (2 or later).</summary>
    public static async Task<Ledger> RequireWatermarksAsync(DatabaseSession session, BatchDbConnection connection, CancellationToken cancellationToken)
    {
        var ledger = await RequireAsync(session, connection, cancellationToken).ConfigureAwait(false);
        return ledger.Version >= 2
            ? ledger
            : throw new BatchDbException(ErrorIds.LedgerNotFound, BatchDbErrorKind.InvalidOperation,
                $"The batch ledger in {ledger.Tables.Schema} on {connection} is at version {ledger.Version}, which keeps no high-water marks. Run Initialize-BatchSchema to upgrade it.")
            { Target = ledger.Tables.Schema };
    }

    /// <summary>The ledger's version, or null when there is none; fails for a version newer than this BatchDb understands.</summary>
    public static async Task<int?> ReadVersionAsync(DatabaseSession session, LedgerTables tables, CancellationToken cancellationToken)
    {
        List<object?[]> rows;
        try
        {
            if (await session.DescribeTableAsync(tables.Version, cancellationToken).ConfigureAwait(false) == TableKind.Missing)
            {
                return null;
            }

            rows = await session.QueryRowsAsync($"SELECT MAX(version) FROM {session.QuoteName(tables.Version)}", cancellationToken).ConfigureAwait(false);
        }
        catch (BatchDbException ex) when (ex.Kind == BatchDbErrorKind.PermissionDenied)
        {
            throw new BatchDbException(ErrorIds.PermissionDenied, BatchDbErrorKind.PermissionDenied,
                $"The batch ledger in {tables.Schema} exists, but this login may not use it ({ex.Message}). Operations that change data are recorded there, " +
                $"so they need {SqlOf(session).RequiredPrivileges(tables.Schema)}; reading tables does not.", ex)
            { Target = tables.Schema };
        }

        var version = rows[0][0] is null ? (int?)null : Convert.ToInt32(rows[0][0], CultureInfo.InvariantCulture);
        if (version > LedgerTables.CurrentVersion)
        {
            throw new BatchDbException(ErrorIds.LedgerConflict, BatchDbErrorKind.NotSupported,
                $"The ledger in {tables.Schema} is at version {version}, newer than this BatchDb understands ({LedgerTables.CurrentVersion}). Update the BatchDb module.");
        }

        return version;
    }

    public async Task<DateTime> UtcNowAsync(CancellationToken cancellationToken) =>
        AsUtc((await Session.QueryRowsAsync($"SELECT {Sql.UtcNow}", cancellationToken).ConfigureAwait(false))[0][0])!.Value;

    public async Task<long> InsertAsync(string batchName, long? parentId, string? operation, IReadOnlyDictionary<string, object?>? parameters, int attempt,
        TimeSpan heartbeat, CancellationToken cancellationToken)
    {
        var insert = $"""
            INSERT INTO {Executions} (batch_name, parent_id, operation, parameters, host, process_id, start_time, status, last_heartbeat, heartbeat_seconds, attempt)
            VALUES (@p0, @p1, @p2, @p3, @p4, @p5, {Sql.UtcNow}, 'Running', {Sql.UtcNow}, @p6, @p7)
            """;
        var rows = await Session.QueryRowsAsync(Sql.ReturningExecutionId(insert), cancellationToken,
            batchName, parentId, operation, parameters is { Count: > 0 } ? JsonSerializer.Serialize(parameters) : null, Environment.MachineName, Environment.ProcessId, (int)Math.Ceiling(heartbeat.TotalSeconds), attempt).ConfigureAwait(false);
        return Convert.ToInt64(rows[^1][0], CultureInfo.InvariantCulture);
    }

    /// <summary>Writes the heartbeat; false when the execution is no longer Running (someone marked it).</summary>
    public async Task<bool> HeartbeatAsync(long executionId, CancellationToken cancellationToken) =>
        await Session.ExecuteStatementAsync($"UPDATE {Executions} SET last_heartbeat = {Sql.UtcNow} WHERE execution_id = @p0 AND status = 'Running'",
            cancellationToken, executionId).ConfigureAwait(false) == 1;

    /// <summary>Ends a Running execution; false when it had already ended.</summary>
    public async Task<bool> EndAsync(long executionId, ExecutionStatus status, long? records, string? error, CancellationToken cancellationToken) =>
        await Session.ExecuteStatementAsync(
            $"""
            UPDATE {Executions} SET status = @p1, end_time = {Sql.UtcNow}, last_heartbeat = {Sql.UtcNow}, records_processed = @p2, error_message = @p3
            WHERE execution_id = @p0 AND status = 'Running'
            """,
            cancellationToken, executionId, status.ToString(), records, error).ConfigureAwait(false) == 1;

    public async Task<BatchExecution?> FindAsync(long executionId, CancellationToken cancellationToken) =>
        (await QueryAsync(new ExecutionQuery { ExecutionIds = [executionId] }, cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    /// <summary>The run of the batch that is Running now (the newest, if the ledger holds more).</summary>
    public async Task<BatchExecution?> FindRunningAsync(string batchName, CancellationToken cancellationToken)
    {
        var rows = await Session.QueryRowsAsync(
            $"SELECT {Columns}, {Sql.UtcNow} FROM {Executions} WHERE batch_name = @p0 AND parent_id IS NULL AND status = 'Running' ORDER BY start_time DESC",
            cancellationToken, batchName).ConfigureAwait(false);
        return rows.Count == 0 ? null : ToExecution(rows[0]);
    }

    public async Task<IReadOnlyList<BatchExecution>> QueryAsync(ExecutionQuery query, CancellationToken cancellationToken)
    {
        var where = new List<string>();
        var parameters = new List<object?>();
        if (query.Name is { } name)
        {
            where.Add(NameFilter(parameters.Count));
            parameters.Add(LikePattern(name));
            parameters.Add(LikePattern(BatchShare.SharesPattern(name)));
        }

        if (query.Status.Count > 0)
        {
            where.Add($"status IN ({string.Join(", ", query.Status.Distinct().Select(s => $"'{s}'"))})");
        }

        if (query.Since is { } since)
        {
            where.Add($"start_time >= @p{parameters.Count}");
            parameters.Add(ToDatabase(since));
        }

        if (query.Until is { } until)
        {
            where.Add($"start_time < @p{parameters.Count}");
            parameters.Add(ToDatabase(until));
        }

        if (query.Running)
        {
            where.Add("end_time IS NULL");
        }

        if (query.ExecutionIds.Count > 0)
        {
            where.Add($"execution_id IN ({string.Join(", ", query.ExecutionIds.Select(id => id.ToString(CultureInfo.InvariantCulture)))})");
        }

        var sql = new StringBuilder($"SELECT {Columns}, {Sql.UtcNow} FROM {Executions}");
        if (where.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", where);
        }

        sql.Append(query.Last is { } last
            ? FormattableString.Invariant($" ORDER BY start_time DESC, execution_id DESC LIMIT {last}")
            : " ORDER BY start_time, execution_id");
        var rows = await Session.QueryRowsAsync(sql.ToString(), cancellationToken, [.. parameters]).ConfigureAwait(false);
        var executions = rows.Select(ToExecution).ToList();
        if (query.Last is not null)
        {
            executions.Reverse();
        }

        return executions;
    }

    /// <summary>Every batch name the ledger knows, from its runs and its schedules.</summary>
    public async Task<IReadOnlyList<string>> BatchNamesAsync(CancellationToken cancellationToken)
    {
        var rows = await Session.QueryRowsAsync(
            $"SELECT batch_name FROM {Executions} WHERE parent_id IS NULL UNION SELECT batch_name FROM {Schedule} ORDER BY 1",
            cancellationToken).ConfigureAwait(false);
        return rows.Select(r => (string)r[0]!).ToList();
    }

    public async Task<IReadOnlyList<BatchStatistic>> StatisticsAsync(string? name, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var seconds = Sql.Seconds("start_time", "end_time");
        var filter = name is null ? string.Empty : " AND " + NameFilter(2);
        object?[] parameters = name is null ? [ToDatabase(since), ToDatabase(until)]
            : [ToDatabase(since), ToDatabase(until), LikePattern(name), LikePattern(BatchShare.SharesPattern(name))];
        var rows = await Session.QueryRowsAsync(
            $"""
            SELECT batch_name, COUNT(*),
                SUM(CASE WHEN status = 'Succeeded' THEN 1 ELSE 0 END),
                SUM(CASE WHEN status IN ('Failed', 'TimedOut', 'Abandoned') THEN 1 ELSE 0 END),
                SUM(CASE WHEN status = 'Running' THEN 1 ELSE 0 END),
                AVG({seconds}), MAX({seconds}), MAX(records_processed), MAX(start_time)
            FROM {Executions}
            WHERE parent_id IS NULL AND start_time >= @p0 AND start_time < @p1{filter}
            GROUP BY batch_name ORDER BY batch_name
            """,
            cancellationToken, parameters).ConfigureAwait(false);
        var statistics = rows.Select(r => new BatchStatistic(Connection, (string)r[0]!, Long(r[1]), Long(r[2]), Long(r[3]), Long(r[4]),
            Seconds(r[5]), Seconds(r[6]), r[7] is null ? null : Long(r[7]), ToLocal(AsUtc(r[8])!.Value), since.ToLocalTime(), until.ToLocalTime())).ToList();
        return BatchStatistic.WithWholeBatches(statistics);
    }

    /// <summary>A batch name filter on a pattern (parameter <paramref name="index"/>) and its shares' names (the next one).</summary>
    private static string NameFilter(int index) => $"(batch_name LIKE @p{index} ESCAPE '!' OR batch_name LIKE @p{index + 1} ESCAPE '!')";

    /// <summary>
    /// The items (by name) that Select-BatchShare completed in the runs this run of the batch continues: its runs since
    /// its last success, newest first, as long as they carry the same resume key; each with the execution that did it.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> CompletedItemsAsync(string batchName, string resumeKey, CancellationToken cancellationToken)
    {
        var runs = await Session.QueryRowsAsync(
            $"""
            SELECT execution_id, parameters FROM {Executions}
            WHERE batch_name = @p0 AND parent_id IS NULL AND status <> 'Running' AND execution_id >
                (SELECT COALESCE(MAX(execution_id), 0) FROM {Executions} WHERE batch_name = @p0 AND parent_id IS NULL AND status = 'Succeeded')
            ORDER BY execution_id DESC
            """,
            cancellationToken, batchName).ConfigureAwait(false);
        var continued = runs.TakeWhile(r => Parameter(r[1] as string, BatchShare.ResumeKeyParameter) == resumeKey).Select(r => Long(r[0])).ToHashSet();
        var completed = new Dictionary<string, long>(StringComparer.Ordinal);
        if (continued.Count == 0)
        {
            return completed;
        }

        var steps = await Session.QueryRowsAsync(
            $"SELECT parent_id, parameters FROM {Executions} WHERE batch_name = @p0 AND parent_id >= @p1 AND operation = @p2 AND status = 'Succeeded'",
            cancellationToken, batchName, continued.Min(), BatchShare.ItemOperation).ConfigureAwait(false);
        foreach (var step in steps.Where(s => continued.Contains(Long(s[0]))))
        {
            if (Parameter(step[1] as string, BatchShare.ItemParameter) is { } item)
            {
                completed.TryAdd(item, Long(step[0]));
            }
        }

        return completed;
    }

    /// <summary>A string parameter of an execution's recorded JSON parameters, or null.</summary>
    private static string? Parameter(string? json, string name)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
    }

    /// <summary>
    /// Marks Abandoned the batch's runs still shown as Running, and their steps. Only for the holder of the batch
    /// lock: any other Running run of the batch cannot be alive, since it would hold the lock.
    /// </summary>
    public async Task<int> AbandonRunningAsync(string batchName, string reason, CancellationToken cancellationToken)
    {
        var rows = await Session.QueryRowsAsync(
            $"SELECT execution_id FROM {Executions} WHERE batch_name = @p0 AND parent_id IS NULL AND status = 'Running'",
            cancellationToken, batchName).ConfigureAwait(false);
        foreach (var row in rows)
        {
            await AbandonAsync(Long(row[0]), reason, cancellationToken).ConfigureAwait(false);
        }

        return rows.Count;
    }

    /// <summary>
    /// Marks Abandoned every Running run whose heartbeat is older than two beats and whose batch lock no session
    /// holds: its process died or lost its connection.
    /// </summary>
    public async Task<int> AbandonDeadRunsAsync(CancellationToken cancellationToken)
    {
        var rows = await Session.QueryRowsAsync(
            $"SELECT execution_id, batch_name, last_heartbeat, heartbeat_seconds, {Sql.UtcNow} FROM {Executions} WHERE parent_id IS NULL AND status = 'Running'",
            cancellationToken).ConfigureAwait(false);
        var abandoned = 0;
        foreach (var row in rows)
        {
            var now = AsUtc(row[4])!.Value;
            var beat = AsUtc(row[2]) ?? DateTime.MinValue;
            var interval = TimeSpan.FromSeconds(Convert.ToInt32(row[3], CultureInfo.InvariantCulture));
            var batchName = (string)row[1]!;
            if (now - beat <= 2 * interval || !await IsLockFreeAsync(batchName, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            await AbandonAsync(Long(row[0]), $"Abandoned: no heartbeat since {beat:yyyy-MM-dd HH:mm:ss} UTC and the batch lock was free, so its process ended or lost its connection without completing.",
                cancellationToken).ConfigureAwait(false);
            abandoned++;
        }

        return abandoned;
    }

    /// <summary>
    /// <see cref="AbandonDeadRunsAsync"/> for a listing: a login that may only read the ledger (monitoring) sees the
    /// runs as they are recorded, and a login that may write marks them.
    /// </summary>
    public async Task AbandonDeadRunsIfAllowedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await AbandonDeadRunsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (BatchDbException ex) when (ex.Kind == BatchDbErrorKind.PermissionDenied)
        {
        }
    }

    private async Task AbandonAsync(long executionId, string reason, CancellationToken cancellationToken)
    {
        await Session.ExecuteStatementAsync(
            $"UPDATE {Executions} SET status = 'Abandoned', end_time = {Sql.UtcNow}, error_message = @p1 WHERE (execution_id = @p0 OR parent_id = @p0) AND status = 'Running'",
            cancellationToken, executionId, reason).ConfigureAwait(false);
    }

    public async Task<bool> TryLockAsync(string batchName, CancellationToken cancellationToken) =>
        IsTrue((await Session.QueryRowsAsync(Sql.TryLock, cancellationToken, LockKey(batchName)).ConfigureAwait(false))[0][0]);

    public Task UnlockAsync(string batchName, CancellationToken cancellationToken) =>
        Session.QueryRowsAsync(Sql.Unlock, cancellationToken, LockKey(batchName));

    public async Task<bool> IsLockFreeAsync(string batchName, CancellationToken cancellationToken) =>
        IsTrue((await Session.QueryRowsAsync(Sql.LockIsFree, cancellationToken, LockKey(batchName)).ConfigureAwait(false))[0][0]);

    /// <summary>The schedule row of a batch as (cron, time zone, timeout minutes), or null.</summary>
    public async Task<(string Cron, string TimeZone, int TimeoutMinutes)?> FindScheduleAsync(string batchName, CancellationToken cancellationToken)
    {
        var rows = await Session.QueryRowsAsync($"SELECT cron_expression, time_zone, timeout_minutes FROM {Schedule} WHERE batch_name = @p0",
            cancellationToken, batchName).ConfigureAwait(false);
        return rows.Count == 0 ? null : ((string)rows[0][0]!, (string)rows[0][1]!, Convert.ToInt32(rows[0][2], CultureInfo.InvariantCulture));
    }

    public Task MarkScheduleStartedAsync(string batchName, DateTime startedUtc, DateTime? nextUtc, CancellationToken cancellationToken) =>
        Session.ExecuteStatementAsync($"UPDATE {Schedule} SET last_execution = @p1, next_execution = @p2 WHERE batch_name = @p0",
            cancellationToken, batchName, ToDatabase(startedUtc), nextUtc is { } next ? ToDatabase(next) : null);

    /// <summary>The stored high-water mark of a source and target, or null.</summary>
    public async Task<Watermark?> FindWatermarkAsync(string source, string target, CancellationToken cancellationToken)
    {
        var rows = await Session.QueryRowsAsync(
            $"SELECT watermark_column, watermark_type, watermark_value FROM {Session.QuoteName(Tables.Watermarks)} WHERE source_name = @p0 AND target_name = @p1",
            cancellationToken, source, target).ConfigureAwait(false);
        return rows.Count == 0 ? null : Watermark.Parse((string)rows[0][0]!, (string)rows[0][1]!, (string)rows[0][2]!);
    }

    /// <summary>Stores a high-water mark through this ledger's session, so inside its transaction when one is open.</summary>
    public Task SaveWatermarkAsync(string source, string target, Watermark watermark, long? executionId, CancellationToken cancellationToken) =>
        Session.ExecuteStatementAsync(Sql.UpsertWatermark(Tables.Watermarks), cancellationToken,
            source, target, watermark.Column, watermark.TypeName, watermark.Text, executionId);

    private object LockKey(string batchName) => Sql.LockKey(Tables.Schema, batchName);

    private BatchExecution ToExecution(object?[] r)
    {
        var start = AsUtc(r[7])!.Value;
        var end = AsUtc(r[8]);
        var now = AsUtc(r[14])!.Value;
        return new BatchExecution(Connection, Long(r[0]), (string)r[1]!, r[2] is null ? null : Long(r[2]), r[3] as string, r[4] as string,
            (string)r[5]!, Convert.ToInt32(r[6], CultureInfo.InvariantCulture), ToLocal(start), end is { } e ? ToLocal(e) : null,
            Enum.Parse<ExecutionStatus>((string)r[9]!), r[10] is null ? null : Long(r[10]), r[11] as string,
            AsUtc(r[12]) is { } beat ? ToLocal(beat) : null, Convert.ToInt32(r[13], CultureInfo.InvariantCulture), (end ?? now) - start);
    }

    /// <summary>A * and ? wildcard pattern as a LIKE pattern with '!' as its escape character.</summary>
    internal static string LikePattern(string wildcard)
    {
        var like = new StringBuilder(wildcard.Length);
        foreach (var c in wildcard)
        {
            like.Append(c switch
            {
                '*' => "%",
                '?' => "_",
                '%' or '_' or '!' => "!" + c,
                _ => c.ToString(),
            });
        }

        return like.ToString();
    }

    /// <summary>A timestamp as the ledger stores it: UTC, without a kind (Npgsql writes Unspecified as timestamp).</summary>
    internal static DateTime ToDatabase(DateTimeOffset value) => DateTime.SpecifyKind(value.UtcDateTime, DateTimeKind.Unspecified);

    internal static DateTime ToDatabase(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Unspecified);

    internal static DateTime? AsUtc(object? value) => value is DateTime d ? DateTime.SpecifyKind(d, DateTimeKind.Utc) : null;

    internal static DateTimeOffset ToLocal(DateTime utc) => new DateTimeOffset(utc, TimeSpan.Zero).ToLocalTime();

    private static long Long(object? value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);

    private static TimeSpan? Seconds(object? value) => value is null ? null : TimeSpan.FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture));

    private static bool IsTrue(object? value) => value is bool b ? b : Convert.ToInt64(value ?? 0, CultureInfo.InvariantCulture) == 1;
}
