using System.Data.Common;
using BatchDb.Engine.Connections;
using Npgsql;

namespace BatchDb.Bench.Infrastructure;

internal sealed class PostgresServer(string connectionString) : BenchServer(connectionString)
{
    private readonly NpgsqlConnectionStringBuilder _settings = new(connectionString);

    public override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    public override string Name => "PostgreSQL";

    public override string Table => "t_stock_bench";

    public override string Partition => "t_stock_bench_p_s01";

    public override string WorkTable => "t_stock_bench_s01";

    public override (long Work, long Live) IndexCounts() =>
        (Long($"SELECT COUNT(*) FROM pg_index WHERE indrelid = '{WorkTable}'::regclass"), Long($"SELECT COUNT(*) FROM pg_index WHERE indrelid = '{Partition}'::regclass"));

    public override string ClientName => "psql";

    public override DbConnection CreateConnection() => new NpgsqlConnection(ConnectionString);

    public override void CreateStock(string warehouseOneCsv, string otherWarehousesCsv)
    {
        DropStock();
        Execute($"""
            CREATE TABLE {Table} (stockhouse_id int, item_id char(10), amount int, ver_id char(1), upd_dttm timestamp)
              PARTITION BY LIST (stockhouse_id);
            {string.Concat(Enumerable.Range(1, 5).Select(i => $"CREATE TABLE {Table}_p_s0{i} PARTITION OF {Table} FOR VALUES IN ({i});"))}
            CREATE INDEX {Table}_idx_no1 ON {Table} (stockhouse_id, item_id);
            ALTER TABLE {Table} ADD CONSTRAINT {Table}_pk_no1 PRIMARY KEY (stockhouse_id, item_id);
            """);
        ClientLoad(Table, warehouseOneCsv).Run();
        ClientLoad(Table, otherWarehousesCsv).Run();
        Execute($"VACUUM ANALYZE {Table}");
    }

    public override string BurstTable => "t_stock_burst";

    public override string BurstPartition(int warehouse) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{BurstTable}_p_s{warehouse:D2}");

    public override string BurstScript => "bench/burst/hand-postgres.sh";

    public override void CreateBurstStock(int warehouses, string csv)
    {
        DropBurstStock(warehouses);
        Execute($"""
            CREATE TABLE {BurstTable} (stockhouse_id int, item_id char(10), amount int, ver_id char(1), upd_dttm timestamp)
              PARTITION BY LIST (stockhouse_id);
            {string.Concat(Enumerable.Range(1, warehouses).Select(w => $"CREATE TABLE {BurstPartition(w)} PARTITION OF {BurstTable} FOR VALUES IN ({w});"))}
            CREATE INDEX {BurstTable}_idx_no1 ON {BurstTable} (stockhouse_id, item_id);
            ALTER TABLE {BurstTable} ADD CONSTRAINT {BurstTable}_pk_no1 PRIMARY KEY (stockhouse_id, item_id);
            """);
        ClientLoad(BurstTable, csv).Run();
        Execute($"VACUUM ANALYZE {BurstTable}");
    }

    public override ExternalClient ClientLoad(string table, string csv) => Psql(false, $"\\copy {table} FROM '{csv}' CSV");

    public override ExternalClient DeleteAndInsert(string csv) =>
        Psql(true, $"DELETE FROM {Table} WHERE stockhouse_id = 1", $"\\copy {Table} FROM '{csv}' CSV");

    public override ExternalClient TruncateAndLoad(string csv) =>
        Psql(true, $"TRUNCATE {Partition}", $"\\copy {Partition} FROM '{csv}' CSV");

    public override string TruncateAndLoadNote =>
        "in one transaction (`psql -1`): PostgreSQL's TRUNCATE is transactional, so readers wait on its lock for the whole load instead of seeing an empty table";

    public override long WriteAheadBytes() => Long("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint");

    public override void BeforeMeasuredWrite() => Execute("CHECKPOINT");

    public override (long Partition, long WorkTable) Sizes() =>
        (Long($"SELECT pg_total_relation_size('{Partition}')"), Long($"SELECT pg_total_relation_size('{WorkTable}')"));

    public override IReadOnlyList<(string Name, string Value)> Settings()
    {
        var names = new[] { "server_version", "shared_buffers", "fsync", "synchronous_commit", "full_page_writes", "wal_level", "max_wal_size", "checkpoint_timeout", "maintenance_work_mem", "autovacuum", "lock_timeout" };
        using var connection = Open();
        return names.Select(n =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SHOW {n}";
            return (n, (string)command.ExecuteScalar()!);
        }).ToList();
    }

    public override string HoldTableSql(int seconds) =>
        $"SELECT pg_sleep({seconds}) FROM (SELECT 1 FROM {Table} WHERE stockhouse_id = 1 LIMIT 1) AS held";

    public override long SessionId(DbConnection connection) => ((NpgsqlConnection)connection).ProcessID;

    public override void CancelQuery(long sessionId) => Execute($"SELECT pg_cancel_backend({sessionId})");

    public override string UnboundedSwapSql() => $"""
        SET lock_timeout = 0;
        BEGIN;
        ALTER TABLE {Table} DETACH PARTITION {Partition};
        ALTER TABLE {Table} ATTACH PARTITION {WorkTable} FOR VALUES IN (1);
        ALTER TABLE {Partition} RENAME TO {Table}_parked;
        ALTER TABLE {WorkTable} RENAME TO {Partition};
        ALTER TABLE {Table}_parked RENAME TO {WorkTable};
        COMMIT;
        """;

    public override string ClientShell =>
        $"psql -X -q -v ON_ERROR_STOP=1 -h {_settings.Host} -p {_settings.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)} -U {_settings.Username} -d {_settings.Database}";

    public override IReadOnlyDictionary<string, string> ClientEnvironment => new Dictionary<string, string> { ["PGPASSWORD"] = _settings.Password ?? string.Empty };

    public override string Url =>
        $"postgresql://{_settings.Username}:{_settings.Password}@{_settings.Host}:{_settings.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}/{_settings.Database}";

    private ExternalClient Psql(bool singleTransaction, params string[] commands)
    {
        var arguments = new List<string> { "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", _settings.Host!, "-p", _settings.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", _settings.Username!, "-d", _settings.Database! };
        if (singleTransaction)
        {
            arguments.Add("-1");
        }

        foreach (var command in commands)
        {
            arguments.Add("-c");
            arguments.Add(command);
        }

        return new ExternalClient("psql", arguments, new Dictionary<string, string> { ["PGPASSWORD"] = _settings.Password ?? string.Empty });
    }
}
