using System.Data.Common;
using System.Globalization;
using BatchDb.Engine.Connections;
using MySqlConnector;

namespace BatchDb.Bench.Infrastructure;

internal sealed class MariaDbServer : BenchServer
{
    private const string Columns = "(STOCKHOUSE_ID, ITEM_ID, AMOUNT, VER_ID, UPD_DTTM)";

    private readonly MySqlConnectionStringBuilder _settings;
    private readonly Lazy<bool> _exchangesWithoutValidation;

    public MariaDbServer(string connectionString)
        : base(connectionString)
    {
        _settings = new(connectionString);
        _exchangesWithoutValidation = new(() =>
        {
            var version = ((string)Scalar("SELECT VERSION()")!).Split('-')[0].Split('.');
            return new Version(int.Parse(version[0], CultureInfo.InvariantCulture), int.Parse(version[1], CultureInfo.InvariantCulture)) >= new Version(11, 4);
        });
    }

    public override DatabaseProvider Provider => DatabaseProvider.MySql;

    public override string Name => "MariaDB";

    public override string Table => "T_STOCK_BENCH";

    public override string Partition => "P_S01";

    public override string WorkTable => "T_STOCK_BENCH_S01";

    public override (long Work, long Live) IndexCounts() =>
        (Indexes(WorkTable), Indexes(Table));

    private long Indexes(string table) =>
        Long($"SELECT COUNT(DISTINCT INDEX_NAME) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{table}'");

    public override string ClientName => "mariadb";

    public override DbConnection CreateConnection() => new MySqlConnection(ConnectionString);

    public override void CreateStock(string warehouseOneCsv, string otherWarehousesCsv)
    {
        DropStock();
        Execute($"""
            CREATE TABLE {Table} (STOCKHOUSE_ID INT, ITEM_ID CHAR(10), AMOUNT INT, VER_ID CHAR(1), UPD_DTTM DATETIME)
            PARTITION BY LIST(STOCKHOUSE_ID) (
              PARTITION P_S01 VALUES IN (1), PARTITION P_S02 VALUES IN (2), PARTITION P_S03 VALUES IN (3),
              PARTITION P_S04 VALUES IN (4), PARTITION P_S05 VALUES IN (5));
            CREATE INDEX IDX_NO1 ON {Table} (STOCKHOUSE_ID, ITEM_ID);
            ALTER TABLE {Table} ADD CONSTRAINT PK_NO1 PRIMARY KEY(STOCKHOUSE_ID, ITEM_ID);
            """);
        ClientLoad(Table, warehouseOneCsv).Run();
        ClientLoad(Table, otherWarehousesCsv).Run();
        Execute($"ANALYZE TABLE {Table}");
    }

    public override string BurstTable => "T_STOCK_BURST";

    public override string BurstPartition(int warehouse) => string.Create(CultureInfo.InvariantCulture, $"P_S{warehouse:D2}");

    public override string BurstScript => "bench/burst/hand-mariadb.sh";

    public override void CreateBurstStock(int warehouses, string csv)
    {
        DropBurstStock(warehouses);
        Execute($"""
            CREATE TABLE {BurstTable} (STOCKHOUSE_ID INT, ITEM_ID CHAR(10), AMOUNT INT, VER_ID CHAR(1), UPD_DTTM DATETIME)
            PARTITION BY LIST(STOCKHOUSE_ID) ({string.Join(", ", Enumerable.Range(1, warehouses).Select(w => $"PARTITION {BurstPartition(w)} VALUES IN ({w})"))});
            CREATE INDEX IDX_NO1 ON {BurstTable} (STOCKHOUSE_ID, ITEM_ID);
            ALTER TABLE {BurstTable} ADD CONSTRAINT PK_NO1 PRIMARY KEY(STOCKHOUSE_ID, ITEM_ID);
            """);
        ClientLoad(BurstTable, csv).Run();
        Execute($"ANALYZE TABLE {BurstTable}");
    }

    public override ExternalClient ClientLoad(string table, string csv) => Client(LoadData(table, csv));

    public override ExternalClient DeleteAndInsert(string csv) =>
        Client($"START TRANSACTION; DELETE FROM {Table} WHERE STOCKHOUSE_ID = 1; {LoadData(Table, csv)}; COMMIT");

    public override ExternalClient TruncateAndLoad(string csv) =>
        Client($"ALTER TABLE {Table} TRUNCATE PARTITION {Partition}; {LoadData($"{Table} PARTITION ({Partition})", csv)}");

    public override string TruncateAndLoadNote =>
        "`ALTER TABLE … TRUNCATE PARTITION` then `LOAD DATA`: TRUNCATE is DDL and commits at once, so readers see the partition empty, then filling";

    public override long WriteAheadBytes() => Convert.ToInt64(Status("Innodb_lsn_current"), CultureInfo.InvariantCulture);

    /// <summary>
    /// InnoDB's nearest to a CHECKPOINT: the page cleaner writes the dirty pages out (for at most 30 s), so that no run
    /// pays for flushing what the run before it wrote.
    /// </summary>
    public override void BeforeMeasuredWrite()
    {
        var saved = Convert.ToString(Scalar("SELECT @@GLOBAL.innodb_max_dirty_pages_pct"), CultureInfo.InvariantCulture);
        Execute("SET GLOBAL innodb_max_dirty_pages_pct = 0");
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (Convert.ToInt64(Status("Innodb_buffer_pool_pages_dirty"), CultureInfo.InvariantCulture) > 100 && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
        }
        finally
        {
            Execute($"SET GLOBAL innodb_max_dirty_pages_pct = {saved}");
        }
    }

    public override (long Partition, long WorkTable) Sizes()
    {
        // DATA_LENGTH and INDEX_LENGTH are InnoDB's persistent statistics, which ANALYZE brings up to date.
        Execute($"ANALYZE TABLE {Table}, {WorkTable}");
        return (Long($"SELECT DATA_LENGTH + INDEX_LENGTH FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{Table}' AND PARTITION_NAME = '{Partition}'"),
                Long($"SELECT DATA_LENGTH + INDEX_LENGTH FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{WorkTable}'"));
    }

    public override IReadOnlyList<(string Name, string Value)> Settings()
    {
        var names = new[] { "version", "innodb_buffer_pool_size", "innodb_flush_log_at_trx_commit", "innodb_log_file_size", "innodb_doublewrite", "log_bin", "lock_wait_timeout", "innodb_lock_wait_timeout" };
        return names.Select(n => (n, Convert.ToString(Scalar($"SELECT @@{n}"), CultureInfo.InvariantCulture)!)).ToList();
    }

    /// <summary>Whether EXCHANGE PARTITION takes WITHOUT VALIDATION here (MariaDB 11.4+), which Switch-Partition then uses.</summary>
    public bool ExchangesWithoutValidation => _exchangesWithoutValidation.Value;

    /// <summary>
    /// Runs EXCHANGE PARTITION as Switch-Partition issues it, under SHOW PROFILE, and returns the milliseconds of the
    /// server's own validation scan ("Verifying data with partition", which holds a lock readers pass but writers wait
    /// for) and of the rest of the statement (the exclusive lock, the renames, the commit).
    /// </summary>
    public (double Validation, double Remainder) ProfileExchange()
    {
        using var connection = Open();
        Execute(connection, "SET profiling = 1");
        Execute(connection, $"ALTER TABLE {Table} EXCHANGE PARTITION {Partition} WITH TABLE {WorkTable}{(ExchangesWithoutValidation ? " WITHOUT VALIDATION" : string.Empty)}");
        using var command = connection.CreateCommand();
        command.CommandText = "SHOW PROFILE";
        using var reader = command.ExecuteReader();
        double validation = 0, rest = 0;
        while (reader.Read())
        {
            var milliseconds = Convert.ToDouble(reader.GetValue(1), CultureInfo.InvariantCulture) * 1000;
            if (reader.GetString(0) == "Verifying data with partition")
            {
                validation += milliseconds;
            }
            else
            {
                rest += milliseconds;
            }
        }

        return (validation, rest);
    }

    public override string HoldTableSql(int seconds) => $"SELECT SLEEP({seconds}) FROM {Table} WHERE STOCKHOUSE_ID = 1 LIMIT 1";

    public override long SessionId(DbConnection connection) => ((MySqlConnection)connection).ServerThread;

    public override void CancelQuery(long sessionId) => Execute($"KILL QUERY {sessionId}");

    public override string UnboundedSwapSql() => $"ALTER TABLE {Table} EXCHANGE PARTITION {Partition} WITH TABLE {WorkTable}";

    private static string LoadData(string table, string csv) =>
        $"LOAD DATA LOCAL INFILE '{csv}' INTO TABLE {table} FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' {Columns}";

    private object? Status(string name)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SHOW GLOBAL STATUS LIKE '{name}'";
        using var reader = command.ExecuteReader();
        return reader.Read() ? reader.GetValue(1) : throw new InvalidOperationException($"The server has no status variable {name}.");
    }

    public override string ClientShell =>
        $"mariadb --no-defaults -h {_settings.Server} -P {_settings.Port.ToString(CultureInfo.InvariantCulture)} -u {_settings.UserID} --local-infile=1 {_settings.Database}";

    public override IReadOnlyDictionary<string, string> ClientEnvironment => new Dictionary<string, string> { ["MYSQL_PWD"] = _settings.Password };

    public override string Url => $"mysql://{_settings.UserID}:{_settings.Password}@{_settings.Server}:{_settings.Port.ToString(CultureInfo.InvariantCulture)}/{_settings.Database}";

    private ExternalClient Client(string sql) => new("mariadb",
        ["--no-defaults", "-h", _settings.Server, "-P", _settings.Port.ToString(CultureInfo.InvariantCulture), "-u", _settings.UserID, "--local-infile=1", _settings.Database, "-e", sql],
        new Dictionary<string, string> { ["MYSQL_PWD"] = _settings.Password });
}
