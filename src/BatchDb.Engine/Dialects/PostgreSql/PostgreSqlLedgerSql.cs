using BatchDb.Engine.Executions;
using BatchDb.Engine.Naming;

namespace BatchDb.Engine.Dialects.PostgreSql;

/// <summary>The ledger on PostgreSQL: schema <c>batch</c> by default, advisory locks keyed by a 64-bit hash of the batch.</summary>
internal sealed class PostgreSqlLedgerSql : LedgerSql
{
    public static readonly PostgreSqlLedgerSql Instance = new();

    public override string RequiredPrivileges(string schema) =>
        $"USAGE on schema {schema} and SELECT, INSERT and UPDATE on its tables batch_executions, batch_schedule, batch_watermarks and batch_ledger_version";

    public override string DefaultSchema(string database) => "batch";

    public override string CreateSchema(string schema) => $"CREATE SCHEMA IF NOT EXISTS {PostgreSqlSession.Quote(schema)}";

    public override IReadOnlyList<string> CreateVersion1(LedgerTables tables)
    {
        var executions = PostgreSqlSession.Quote(tables.Executions);
        var prefix = tables.Executions.Name;
        return
        [
            $"""
            CREATE TABLE IF NOT EXISTS {executions} (
                execution_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                batch_name varchar(200) NOT NULL,
                parent_id bigint,
                operation varchar(100),
                parameters text,
                host varchar(255) NOT NULL,
                process_id integer NOT NULL,
                start_time timestamp(6) NOT NULL,
                end_time timestamp(6),
                status varchar(20) NOT NULL CONSTRAINT {prefix}_status
                    CHECK (status IN ('Running', 'Succeeded', 'Failed', 'TimedOut', 'Abandoned')),
                records_processed bigint,
                error_message text,
                last_heartbeat timestamp(6),
                heartbeat_seconds integer NOT NULL,
                attempt integer NOT NULL DEFAULT 1)
            """,
            $"CREATE INDEX IF NOT EXISTS {prefix}_name_start ON {executions} (batch_name, start_time)",
            $"CREATE INDEX IF NOT EXISTS {prefix}_running ON {executions} (batch_name) WHERE status = 'Running'",
            $"CREATE INDEX IF NOT EXISTS {prefix}_parent ON {executions} (parent_id) WHERE parent_id IS NOT NULL",
            $"""
            CREATE TABLE IF NOT EXISTS {PostgreSqlSession.Quote(tables.Schedule)} (
                batch_name varchar(200) PRIMARY KEY,
                cron_expression varchar(100) NOT NULL,
                time_zone varchar(64) NOT NULL DEFAULT 'UTC',
                last_execution timestamp(6),
                next_execution timestamp(6),
                enabled boolean NOT NULL DEFAULT true,
                timeout_minutes integer NOT NULL DEFAULT 60)
            """,
            $"CREATE TABLE IF NOT EXISTS {PostgreSqlSession.Quote(tables.Version)} (version integer NOT NULL, applied_at timestamp(6) NOT NULL)",
            $"""
            INSERT INTO {PostgreSqlSession.Quote(tables.Version)} (version, applied_at)
            SELECT 1, {UtcNow} WHERE NOT EXISTS (SELECT 1 FROM {PostgreSqlSession.Quote(tables.Version)})
            """,
        ];
    }

    public override IReadOnlyList<string> CreateVersion2(LedgerTables tables) =>
    [
        $"""
        CREATE TABLE IF NOT EXISTS {PostgreSqlSession.Quote(tables.Watermarks)} (
            source_name varchar(400) NOT NULL,
            target_name varchar(300) NOT NULL,
            watermark_column varchar(128) NOT NULL,
            watermark_type varchar(20) NOT NULL,
            watermark_value varchar(100) NOT NULL,
            execution_id bigint,
            updated_at timestamp(6) NOT NULL,
            PRIMARY KEY (source_name, target_name))
        """,
        $"""
        INSERT INTO {PostgreSqlSession.Quote(tables.Version)} (version, applied_at)
        SELECT 2, {UtcNow} WHERE NOT EXISTS (SELECT 1 FROM {PostgreSqlSession.Quote(tables.Version)} WHERE version >= 2)
        """,
    ];

    public override string UpsertWatermark(QualifiedName watermarks) =>
        $"""
        INSERT INTO {PostgreSqlSession.Quote(watermarks)} (source_name, target_name, watermark_column, watermark_type, watermark_value, execution_id, updated_at)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5, {UtcNow})
        ON CONFLICT (source_name, target_name) DO UPDATE SET watermark_column = EXCLUDED.watermark_column, watermark_type = EXCLUDED.watermark_type,
            watermark_value = EXCLUDED.watermark_value, execution_id = EXCLUDED.execution_id, updated_at = EXCLUDED.updated_at
        """;

    public override string UtcNow => "(clock_timestamp() AT TIME ZONE 'UTC')";

    public override string Seconds(string from, string to) => $"EXTRACT(EPOCH FROM ({to} - {from}))";

    public override string ReturningExecutionId(string insert) => insert + " RETURNING execution_id";

    public override string UpsertSchedule(QualifiedName schedule) =>
        $"""
        INSERT INTO {PostgreSqlSession.Quote(schedule)} (batch_name, cron_expression, time_zone, next_execution, enabled, timeout_minutes)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5)
        ON CONFLICT (batch_name) DO UPDATE SET cron_expression = EXCLUDED.cron_expression, time_zone = EXCLUDED.time_zone,
            next_execution = EXCLUDED.next_execution, enabled = EXCLUDED.enabled, timeout_minutes = EXCLUDED.timeout_minutes
        """;

    public override object LockKey(string ledgerSchema, string batchName) =>
        BitConverter.ToInt64(BatchLockKeys.Hash(ledgerSchema, batchName), 0);

    public override string TryLock => "SELECT pg_try_advisory_lock(@p0)";

    public override string Unlock => "SELECT pg_advisory_unlock(@p0)";

    // A one-bigint advisory lock shows in pg_locks as classid = high 32 bits, objid = low 32 bits, objsubid = 1.
    public override string LockIsFree =>
        """
        SELECT NOT EXISTS (
            SELECT 1 FROM pg_locks
            WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND classid = ((@p0::bigint >> 32) & 4294967295)::oid AND objid = (@p0::bigint & 4294967295)::oid AND objsubid = 1)
        """;
}
