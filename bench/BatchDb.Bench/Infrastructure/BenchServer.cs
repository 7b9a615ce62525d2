using System.Data.Common;
using System.Globalization;
using BatchDb.Engine;
using BatchDb.Engine.Connections;

namespace BatchDb.Bench.Infrastructure;

/// <summary>
/// One database server as the benchmarks use it: the seed's partitioned T_STOCK under a bench name, the work
/// table of warehouse 1, direct SQL for setting up and checking, the outside client's commands, and the
/// server's own counters (bytes of WAL or redo written, table sizes).
/// </summary>
internal abstract class BenchServer
{
    protected BenchServer(string connectionString) => ConnectionString = connectionString;

    public string ConnectionString { get; }

    public abstract DatabaseProvider Provider { get; }

    public abstract string Name { get; }

    /// <summary>The partitioned table, the partition of warehouse 1 as Switch-Partition names it, and its work table.</summary>
    public abstract string Table { get; }

    public abstract string Partition { get; }

    public abstract string WorkTable { get; }

    /// <summary>What the outside client is called in the report.</summary>
    public abstract string ClientName { get; }

    public abstract DbConnection CreateConnection();

    public DbConnection Open()
    {
        var connection = CreateConnection();
        connection.Open();
        return connection;
    }

    public Task<BatchDbConnection> ConnectAsync() => DatabaseEngines.ConnectAsync(
        new ConnectionOptions { Provider = Provider, ConnectionString = ConnectionString, Name = "bench-" + Name }, CancellationToken.None);

    public void Execute(string sql)
    {
        using var connection = Open();
        Execute(connection, sql);
    }

    public static void Execute(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        command.ExecuteNonQuery();
    }

    public object? Scalar(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        return command.ExecuteScalar();
    }

    public long Long(string sql) => Convert.ToInt64(Scalar(sql), CultureInfo.InvariantCulture);

    /// <summary>Drops and creates T_STOCK with warehouse 1 loaded from <paramref name="warehouseOneCsv"/>, and an empty work table.</summary>
    public abstract void CreateStock(string warehouseOneCsv, string otherWarehousesCsv);

    /// <summary>The outside client as a shell command line (the password in <see cref="ClientEnvironment"/>), for pipelines.</summary>
    public abstract string ClientShell { get; }

    public abstract IReadOnlyDictionary<string, string> ClientEnvironment { get; }

    /// <summary>The database as a URL with its password, as pgloader takes it.</summary>
    public abstract string Url { get; }

    /// <summary>How many indexes the work table and warehouse 1's live partition (on MariaDB, the live table) have.</summary>
    public abstract (long Work, long Live) IndexCounts();

    public void DropStock() => Execute($"DROP TABLE IF EXISTS {WorkTable}; DROP TABLE IF EXISTS {Table}");

    public void DropBurstStock(int warehouses) =>
        Execute(string.Concat(Enumerable.Range(1, warehouses).Select(w => $"DROP TABLE IF EXISTS {BurstWorkTable(w)}; ")) + $"DROP TABLE IF EXISTS {BurstTable}");

    public void TruncateWorkTable() => Execute($"TRUNCATE TABLE {WorkTable}");

    /// <summary>The rows of warehouse 1 in the live table, and their versions.</summary>
    public (long Rows, string Versions) LiveState()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*), MIN(VER_ID), MAX(VER_ID) FROM {Table} WHERE STOCKHOUSE_ID = 1";
        command.CommandTimeout = 0;
        using var reader = command.ExecuteReader();
        reader.Read();
        var rows = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
        return (rows, rows == 0 ? "none" : reader.GetString(1) == reader.GetString(2) ? reader.GetString(1) : $"{reader.GetString(1)}…{reader.GetString(2)}");
    }

    /// <summary>The outside client loading a CSV file into a table, as an operator would type it.</summary>
    public abstract ExternalClient ClientLoad(string table, string csv);

    /// <summary>Naive replacement: DELETE the warehouse's rows and load the file into the live table, in one transaction.</summary>
    public abstract ExternalClient DeleteAndInsert(string csv);

    /// <summary>Naive replacement: TRUNCATE the partition, then load the file into it.</summary>
    public abstract ExternalClient TruncateAndLoad(string csv);

    /// <summary>What the TRUNCATE + load reference does about transactions, for the report.</summary>
    public abstract string TruncateAndLoadNote { get; }

    /// <summary>Bytes of WAL (PostgreSQL) or redo log (InnoDB) written since the server started.</summary>
    public abstract long WriteAheadBytes();

    /// <summary>Brings the server to the same state before every measured write (PostgreSQL: a CHECKPOINT).</summary>
    public virtual void BeforeMeasuredWrite()
    {
    }

    /// <summary>Bytes on disk of the live partition and of the work table (data and indexes).</summary>
    public abstract (long Partition, long WorkTable) Sizes();

    /// <summary>The server version and the settings that decide load and lock behaviour, as name = value.</summary>
    public abstract IReadOnlyList<(string Name, string Value)> Settings();

    /// <summary>A statement that holds a shared lock on the table for <paramref name="seconds"/>.</summary>
    public abstract string HoldTableSql(int seconds);

    public abstract long SessionId(DbConnection connection);

    public abstract void CancelQuery(long sessionId);

    /// <summary>The swap as a naive script writes it: no lock timeout, so it waits as long as any query holds the table.</summary>
    public abstract string UnboundedSwapSql();

    /// <summary>The table of the morning burst: warehouses 1…N, each in its own partition with its own work table.</summary>
    public abstract string BurstTable { get; }

    public abstract string BurstPartition(int warehouse);

    public string BurstWorkTable(int warehouse) => string.Create(CultureInfo.InvariantCulture, $"{BurstTable}_{(Provider == DatabaseProvider.PostgreSql ? 's' : 'S')}{warehouse:D2}");

    /// <summary>Drops and creates the burst table with <paramref name="warehouses"/> partitions, loaded from <paramref name="csv"/>.</summary>
    public abstract void CreateBurstStock(int warehouses, string csv);

    /// <summary>The hand-written burst script in bench/burst for this engine, which takes the client's command line in BENCH_CLIENT.</summary>
    public abstract string BurstScript { get; }

    /// <summary>Each warehouse of the burst table: its rows and versions.</summary>
    public IReadOnlyList<(int Warehouse, long Rows, string Versions)> BurstState()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT STOCKHOUSE_ID, COUNT(*), MIN(VER_ID), MAX(VER_ID) FROM {BurstTable} GROUP BY STOCKHOUSE_ID ORDER BY STOCKHOUSE_ID";
        command.CommandTimeout = 0;
        using var reader = command.ExecuteReader();
        var state = new List<(int, long, string)>();
        while (reader.Read())
        {
            var (low, high) = (reader.GetString(2), reader.GetString(3));
            state.Add((Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture), low == high ? low : $"{low}…{high}"));
        }

        return state;
    }

    public string BurstReaderSql(int warehouse, int firstItem, int count) => string.Create(CultureInfo.InvariantCulture,
        $"SELECT VER_ID FROM {BurstTable} WHERE STOCKHOUSE_ID = {warehouse} AND ITEM_ID BETWEEN '{firstItem:D10}' AND '{firstItem + count - 1:D10}'");

    /// <summary>A reader's query: the rows of <paramref name="count"/> consecutive items of warehouse 1.</summary>
    public string ReaderSql(int firstItem, int count) => string.Create(CultureInfo.InvariantCulture,
        $"SELECT VER_ID FROM {Table} WHERE STOCKHOUSE_ID = 1 AND ITEM_ID BETWEEN '{firstItem:D10}' AND '{firstItem + count - 1:D10}'");
}
