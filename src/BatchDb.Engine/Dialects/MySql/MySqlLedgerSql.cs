using BatchDb.Engine.Executions;
using BatchDb.Engine.Naming;

namespace BatchDb.Engine.Dialects.MySql;

/// <summary>
/// The ledger on MySQL and MariaDB: the connection's database by default, DATETIME(6) columns holding UTC, and
/// GET_LOCK locks, whose names are server-wide and so carry a hash of the ledger's database and the batch name.
/// </summary>
internal sealed class MySqlLedgerSql : LedgerSql
{
    public static readonly MySqlLedgerSql Instance = new();

    public override string RequiredPrivileges(string schema) =>
        $"SELECT, INSERT and UPDATE on {schema}.batch_executions, {schema}.batch_schedule, {schema}.batch_watermarks and {schema}.batch_ledger_version";

    public override string DefaultSchema(string database) => database;

    public override string CreateSchema(string schema) => $"CREATE DATABASE IF NOT EXISTS {MySqlSession.Quote(schema)} CHARACTER SET utf8mb4";

    public override IReadOnlyList<string> CreateVersion1(LedgerTables tables)
    {
        var executions = MySqlSession.Quote(tables.Executions);
        var prefix = tables.Executions.Name;
        var version = MySqlSession.Quote(tables.Version);
        return
        [
            $"""
            CREATE TABLE IF NOT EXISTS {executions} (
                execution_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
                batch_name VARCHAR(200) NOT NULL,
                parent_id BIGINT NULL,
                operation VARCHAR(100) NULL,
                parameters TEXT NULL,
                host VARCHAR(255) NOT NULL,
                process_id INT NOT NULL,
                start_time DATETIME(6) NOT NULL,
                end_time DATETIME(6) NULL,
                status VARCHAR(20) NOT NULL,
                records_processed BIGINT NULL,
                error_message TEXT NULL,
                last_heartbeat DATETIME(6) NULL,
                heartbeat_seconds INT NOT NULL,
                attempt INT NOT NULL DEFAULT 1,
                CONSTRAINT {prefix}_status CHECK (status IN ('Running', 'Succeeded', 'Failed', 'TimedOut', 'Abandoned')),
                KEY {prefix}_name_start (batch_name, start_time),
                KEY {prefix}_status (status, batch_name),
                KEY {prefix}_parent (parent_id)
            ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4
            """,
            $"""
            CREATE TABLE IF NOT EXISTS {MySqlSession.Quote(tables.Schedule)} (
                batch_name VARCHAR(200) NOT NULL PRIMARY KEY,
                cron_expression VARCHAR(100) NOT NULL,
                time_zone VARCHAR(64) NOT NULL DEFAULT 'UTC',
                last_execution DATETIME(6) NULL,
                next_execution DATETIME(6) NULL,
                enabled BOOLEAN NOT NULL DEFAULT TRUE,
                timeout_minutes INT NOT NULL DEFAULT 60
            ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4
            """,
            $"CREATE TABLE IF NOT EXISTS {version} (version INT NOT NULL, applied_at DATETIME(6) NOT NULL) ENGINE = InnoDB",
            $"INSERT INTO {version} (version, applied_at) SELECT 1, {UtcNow} FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM {version})",
        ];
    }

    public override IReadOnlyList<string> CreateVersion2(LedgerTables tables) =>
    [
        $"""
        CREATE TABLE IF NOT EXISTS {MySqlSession.Quote(tables.Watermarks)} (
            source_name VARCHAR(400) NOT NULL,
            target_name VARCHAR(300) NOT NULL,
            watermark_column VARCHAR(128) NOT NULL,
            watermark_type VARCHAR(20) NOT NULL,
            watermark_value VARCHAR(100) NOT NULL,
            execution_id BIGINT NULL,
            updated_at DATETIME(6) NOT NULL,
            PRIMARY KEY (source_name, target_name)
        ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4
        """,
        $"""
        INSERT INTO {MySqlSession.Quote(tables.Version)} (version, applied_at)
        SELECT 2, {UtcNow} FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM {MySqlSession.Quote(tables.Version)} WHERE version >= 2)
        """,
    ];

    public override string UpsertWatermark(QualifiedName watermarks) =>
        $"""
        INSERT INTO {MySqlSession.Quote(watermarks)} (source_name, target_name, watermark_column, watermark_type, watermark_value, execution_id, updated_at)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5, {UtcNow})
        ON DUPLICATE KEY UPDATE watermark_column = VALUES(watermark_column), watermark_type = VALUES(watermark_type),
            watermark_value = VALUES(watermark_value), execution_id = VALUES(execution_id), updated_at = VALUES(updated_at)
        """;

    public override string UtcNow => "UTC_TIMESTAMP(6)";

    public override string Seconds(string from, string to) => $"(TIMESTAMPDIFF(MICROSECOND, {from}, {to}) / 1000000)";

    public override string ReturningExecutionId(string insert) => insert + "; SELECT LAST_INSERT_ID()";

    public override string UpsertSchedule(QualifiedName schedule) =>
        $"""
        INSERT INTO {MySqlSession.Quote(schedule)} (batch_name, cron_expression, time_zone, next_execution, enabled, timeout_minutes)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5)
        ON DUPLICATE KEY UPDATE cron_expression = VALUES(cron_expression), time_zone = VALUES(time_zone),
            next_execution = VALUES(next_execution), enabled = VALUES(enabled), timeout_minutes = VALUES(timeout_minutes)
        """;

    // GET_LOCK names are limited to 64 characters and shared by every database on the server.
    public override object LockKey(string ledgerSchema, string batchName) =>
        "batchdb:" + Convert.ToHexString(BatchLockKeys.Hash(ledgerSchema, batchName))[..48].ToLowerInvariant();

    public override string TryLock => "SELECT GET_LOCK(@p0, 0)";

    public override string Unlock => "SELECT RELEASE_LOCK(@p0)";

    public override string LockIsFree => "SELECT IS_FREE_LOCK(@p0)";
}
