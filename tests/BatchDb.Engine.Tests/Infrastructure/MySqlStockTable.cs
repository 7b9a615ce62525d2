using System.Globalization;
using BatchDb.Engine.Connections;
using MySql.Data.MySqlClient;

namespace BatchDb.Engine.Tests.Infrastructure;

/// <summary>
/// The seed's partitioned T_STOCK (LIST by STOCKHOUSE_ID, P_S01…P_S05, IDX_NO1 and PK_NO1) under a name
/// unique to one test, loaded with the seed's T_STOCK.csv, plus direct SQL access for checking it.
/// </summary>
internal sealed class MySqlStockTable : IAsyncDisposable
{
    private readonly List<string> _tables = [];

    private MySqlStockTable(string name, BatchDbConnection connection)
    {
        Name = name;
        Connection = connection;
        _tables.Add(name);
    }

    public string Name { get; }

    /// <summary>The seed's work table name for warehouse 1, made unique.</summary>
    public string WorkTable => Name + "_S01";

    public BatchDbConnection Connection { get; }

    public static async Task<MySqlStockTable> CreateAsync(string? name = null)
    {
        name ??= "T_STOCK_" + Guid.NewGuid().ToString("N")[..10];
        var connection = await BatchDbConnections.ConnectAsync(
            new ConnectionOptions { Provider = DatabaseProvider.MySql, ConnectionString = TestServers.MySql, Name = "test" },
            CancellationToken.None);
        var table = new MySqlStockTable(name, connection);
        await table.ExecuteAsync($"""
            CREATE TABLE `{name}` (
              STOCKHOUSE_ID INT,
              ITEM_ID CHAR(10),
              AMOUNT INT,
              VER_ID CHAR(1),
              UPD_DTTM DATETIME
            )
            PARTITION BY LIST(STOCKHOUSE_ID) (
              PARTITION P_S01 VALUES IN (1),
              PARTITION P_S02 VALUES IN (2),
              PARTITION P_S03 VALUES IN (3),
              PARTITION P_S04 VALUES IN (4),
              PARTITION P_S05 VALUES IN (5)
            );
            CREATE INDEX IDX_NO1 ON `{name}` (STOCKHOUSE_ID, ITEM_ID);
            ALTER TABLE `{name}` ADD CONSTRAINT PK_NO1 PRIMARY KEY(STOCKHOUSE_ID, ITEM_ID);
            LOAD DATA LOCAL INFILE '{TestData.Path("T_STOCK.csv")}' INTO TABLE `{name}`
              FIELDS TERMINATED BY ',' ENCLOSED BY '"' (STOCKHOUSE_ID, ITEM_ID, AMOUNT, VER_ID, UPD_DTTM);
            ANALYZE TABLE `{name}`;
            """);
        return table;
    }

    /// <summary>Registers another table for clean-up.</summary>
    public string Track(string table)
    {
        _tables.Add(table);
        return table;
    }

    public static async Task<MySqlConnection> OpenAsync()
    {
        var builder = new MySqlConnectionStringBuilder(TestServers.MySql)
        {
            AllowLoadLocalInfile = true,
            AllowUserVariables = true,
            CharacterSet = "utf8mb4",
            SslMode = MySqlSslMode.None,
        };
        var connection = new MySqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        using var command = new MySqlCommand("SET character_set_results = utf8mb4", connection);
        await command.ExecuteNonQueryAsync();
        return connection;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Rows as "a|b|c" strings (DATETIME as yyyy-MM-dd HH:mm:ss, NULL as ∅), in the query's order.</summary>
    public static async Task<List<string>> QueryAsync(string sql)
    {
        await using var connection = await OpenAsync();
        using var command = new MySqlCommand(sql, connection);
        using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            var values = new string[reader.FieldCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(i) ? "∅" : reader.GetValue(i) switch
                {
                    DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    var v => Convert.ToString(v, CultureInfo.InvariantCulture)!,
                };
            }

            rows.Add(string.Join('|', values));
        }

        return rows;
    }

    /// <summary>Every row of the table, ordered by key: the snapshot that "unchanged" is checked against.</summary>
    public Task<List<string>> AllRowsAsync(string? table = null) =>
        QueryAsync($"SELECT * FROM `{table ?? Name}` ORDER BY STOCKHOUSE_ID, ITEM_ID");

    public async ValueTask DisposeAsync()
    {
        foreach (var table in _tables)
        {
            await ExecuteAsync($"DROP TABLE IF EXISTS `{table}`");
        }
    }
}
