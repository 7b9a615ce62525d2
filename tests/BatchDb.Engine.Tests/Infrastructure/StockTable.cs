using System.Data.Common;
using System.Globalization;
using BatchDb.Engine;
using BatchDb.Engine.Connections;
using MySqlConnector;
using Npgsql;

namespace BatchDb.Engine.Tests.Infrastructure;

/// <summary>
/// The seed's partitioned T_STOCK (LIST by STOCKHOUSE_ID, partitions for warehouses 1…5, IDX_NO1 and PK_NO1)
/// under a name unique to one test, on either engine, loaded with the seed's T_STOCK.csv; plus direct SQL
/// access for checking it. On MySQL the partitions are P_S01…P_S05; on PostgreSQL, where partitions are
/// tables, they are &lt;name&gt;_p_s01…. Names are plain, so the tests' SQL needs no quoting on either engine.
/// </summary>
internal sealed class StockTable : IAsyncDisposable
{
    private readonly List<string> _objects = [];

    private StockTable(DatabaseProvider provider, string name, BatchDbConnection connection)
    {
        Provider = provider;
        Name = name;
        Connection = connection;
        _objects.Add(name);
    }

    public DatabaseProvider Provider { get; }

    public bool IsPostgres => Provider == DatabaseProvider.PostgreSql;

    public string Name { get; }

    /// <summary>The seed's work table name for warehouse 1, made unique.</summary>
    public string WorkTable => Name + (IsPostgres ? "_s01" : "_S01");

    public BatchDbConnection Connection { get; }

    /// <summary>The name of warehouse <paramref name="warehouse"/>'s partition.</summary>
    public string Partition(int warehouse = 1) => IsPostgres ? $"{Name}_p_s0{warehouse}" : $"P_S0{warehouse}";

    public static async Task<StockTable> CreateAsync(DatabaseProvider provider)
    {
        var table = await CreateEmptyAsync(provider, provider == DatabaseProvider.PostgreSql ? "t_stock" : "T_STOCK");
        var name = table.Name;
        if (table.IsPostgres)
        {
            await table.ExecuteAsync($"""
                CREATE TABLE {name} (stockhouse_id int, item_id char(10), amount int, ver_id char(1), upd_dttm timestamp)
                  PARTITION BY LIST (stockhouse_id);
                {string.Concat(Enumerable.Range(1, 5).Select(i => $"CREATE TABLE {name}_p_s0{i} PARTITION OF {name} FOR VALUES IN ({i});"))}
                CREATE INDEX {name}_idx_no1 ON {name} (stockhouse_id, item_id);
                ALTER TABLE {name} ADD CONSTRAINT {name}_pk_no1 PRIMARY KEY (stockhouse_id, item_id);
                """);
            await table.CopyAsync(name, TestData.Path("T_STOCK.csv"));
            await table.ExecuteAsync($"ANALYZE {name}");
        }
        else
        {
            await table.ExecuteAsync($"""
                CREATE TABLE {name} (STOCKHOUSE_ID INT, ITEM_ID CHAR(10), AMOUNT INT, VER_ID CHAR(1), UPD_DTTM DATETIME)
                PARTITION BY LIST(STOCKHOUSE_ID) (
                  PARTITION P_S01 VALUES IN (1), PARTITION P_S02 VALUES IN (2), PARTITION P_S03 VALUES IN (3),
                  PARTITION P_S04 VALUES IN (4), PARTITION P_S05 VALUES IN (5));
                CREATE INDEX IDX_NO1 ON {name} (STOCKHOUSE_ID, ITEM_ID);
                ALTER TABLE {name} ADD CONSTRAINT PK_NO1 PRIMARY KEY(STOCKHOUSE_ID, ITEM_ID);
                """);
            await using (var connection = (MySqlConnection)await table.OpenAsync())
            {
                var loader = new MySqlBulkLoader(connection)
                {
                    TableName = name,
                    FileName = TestData.Path("T_STOCK.csv"),
                    FieldTerminator = ",",
                    FieldQuotationCharacter = '"',
                };
                loader.Columns.AddRange(["STOCKHOUSE_ID", "ITEM_ID", "AMOUNT", "VER_ID", "UPD_DTTM"]);
                await loader.LoadAsync();
            }

            await table.ExecuteAsync($"ANALYZE TABLE {name}");
        }

        return table;
    }

    /// <summary>A connection and a unique name, with no table created yet.</summary>
    public static async Task<StockTable> CreateEmptyAsync(DatabaseProvider provider, string prefix)
    {
        var connection = await DatabaseEngines.ConnectAsync(
            new ConnectionOptions { Provider = provider, ConnectionString = ConnectionString(provider), Name = "test" },
            CancellationToken.None);
        return new StockTable(provider, $"{prefix}_{Guid.NewGuid().ToString("N")[..10]}", connection);
    }

    /// <summary>Registers another table or view for clean-up, and returns its name.</summary>
    public string Track(string table)
    {
        _objects.Add(table);
        return table;
    }

    public DbConnection CreateConnection() => IsPostgres
        ? new NpgsqlConnection(TestServers.Postgres)
        : new MySqlConnection(new MySqlConnectionStringBuilder(TestServers.MySql)
        {
            AllowLoadLocalInfile = true,
            AllowUserVariables = true,
            CharacterSet = "utf8mb4",
            SslMode = MySqlSslMode.None,
        }.ConnectionString);

    public async Task<DbConnection> OpenAsync()
    {
        var connection = CreateConnection();
        await connection.OpenAsync();
        return connection;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await ExecuteOnAsync(connection, sql);
    }

    public static async Task<object?> ExecuteOnAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Rows as "a|b|c" strings (timestamps as yyyy-MM-dd HH:mm:ss, NULL as ∅), in the query's order.</summary>
    public async Task<List<string>> QueryAsync(string sql)
    {
        await using var connection = await OpenAsync();
        return await QueryOnAsync(connection, sql);
    }

    public static async Task<List<string>> QueryOnAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            var values = new string[reader.FieldCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(i) ? "∅" : reader.GetValue(i) switch
                {
                    DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " 00:00:00",
                    var v => Convert.ToString(v, CultureInfo.InvariantCulture)!,
                };
            }

            rows.Add(string.Join('|', values));
        }

        return rows;
    }

    /// <summary>Every row of the table, ordered by key: the snapshot that "unchanged" is checked against.</summary>
    public Task<List<string>> AllRowsAsync(string? table = null) =>
        QueryAsync($"SELECT * FROM {table ?? Name} ORDER BY STOCKHOUSE_ID, ITEM_ID");

    public async ValueTask DisposeAsync()
    {
        await using var connection = await OpenAsync();
        foreach (var name in Enumerable.Reverse(_objects))
        {
            var kind = await ExecuteOnAsync(connection, IsPostgres
                ? $"SELECT relkind::text FROM pg_class WHERE oid = to_regclass('{name}')"
                : $"SELECT TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{name}'");
            if (kind is string k)
            {
                var cascade = IsPostgres ? " CASCADE" : string.Empty;
                await ExecuteOnAsync(connection, k is "v" or "VIEW" ? $"DROP VIEW {name}{cascade}" : $"DROP TABLE {name}{cascade}");
            }
        }
    }

    private async Task CopyAsync(string table, string path)
    {
        await using var connection = (NpgsqlConnection)await OpenAsync();
        await using var writer = await connection.BeginTextImportAsync($"COPY {table} FROM STDIN (FORMAT csv)");
        await writer.WriteAsync((await File.ReadAllTextAsync(path)).Replace("/", "-", StringComparison.Ordinal));
    }

    private static string ConnectionString(DatabaseProvider provider) =>
        provider == DatabaseProvider.PostgreSql ? TestServers.Postgres : TestServers.MySql;
}
