using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Switching;
using BatchDb.Engine.Tests.Infrastructure;
using BatchDb.Engine.WorkTables;

namespace BatchDb.Engine.Tests.Scenarios;

/// <summary>
/// Seed 002 end to end on both engines: T_STOCK loaded, warehouse 1 replaced through T_STOCK_S01 (EXCHANGE
/// PARTITION on MariaDB, DETACH/ATTACH on PostgreSQL), and back; same CSVs, same expected tables.
/// </summary>
public sealed class SeedScenarioTests
{
    // Warehouse 3, which the switch of P_S01 must not touch (declared first: the listings below use it).
    private static readonly string[] Warehouse3 =
    [
        "3|1234567-01|82|1|2015-09-23 16:32:49", "3|1234567-02|146|1|2015-09-23 16:32:49",
        "3|1234567-03|593|1|2015-09-23 16:32:49", "3|1234567-04|341|1|2015-09-23 16:32:49",
        "3|1234567-05|788|1|2015-09-23 16:32:49", "3|1234567-06|895|1|2015-09-23 16:32:49",
        "3|1234567-07|133|1|2015-09-23 16:32:49", "3|1234567-08|261|1|2015-09-23 16:32:49",
        "3|1234567-09|427|1|2015-09-23 16:32:49", "3|1234567-10|269|1|2015-09-23 16:32:49",
    ];

    // The seed's listing of SELECT * FROM T_STOCK WHERE STOCKHOUSE_ID IN (1,3) before the switch.
    private static readonly string[] Before =
    [
        "1|1234567-01|313|1|2015-09-23 16:33:52", "1|1234567-02|600|1|2015-09-23 16:33:52",
        "1|1234567-03|702|1|2015-09-23 16:33:52", "1|1234567-04|395|1|2015-09-23 16:33:52",
        "1|1234567-05|903|1|2015-09-23 16:33:52", "1|1234567-06|679|1|2015-09-23 16:33:52",
        "1|1234567-07|2|1|2015-09-23 16:33:52", "1|1234567-08|158|1|2015-09-23 16:33:52",
        "1|1234567-09|518|1|2015-09-23 16:33:52", "1|1234567-10|75|1|2015-09-23 16:33:52",
        .. Warehouse3,
    ];

    // The seed's listing after ALTER TABLE T_STOCK EXCHANGE PARTITION P_S01 WITH TABLE T_STOCK_S01.
    private static readonly string[] After =
    [
        "1|1234567-01|400|1|2015-09-23 16:45:12", "1|1234567-02|600|1|2015-09-23 16:45:12",
        "1|1234567-03|400|1|2015-09-23 16:45:12", "1|1234567-04|400|1|2015-09-23 16:45:12",
        "1|1234567-05|600|1|2015-09-23 16:45:12", "1|1234567-06|400|1|2015-09-23 16:45:12",
        "1|1234567-07|400|1|2015-09-23 16:45:12", "1|1234567-08|600|1|2015-09-23 16:45:12",
        "1|1234567-09|400|1|2015-09-23 16:45:12", "1|1234567-10|400|1|2015-09-23 16:45:12",
        .. Warehouse3,
    ];

    [EngineTheory]
    [BothEngines]
    public async Task Seed_scenario_switches_warehouse_1_and_switches_back(DatabaseProvider provider)
    {
        await using var stock = await StockTable.CreateAsync(provider);
        stock.Track(stock.WorkTable);
        var select13 = $"SELECT * FROM {stock.Name} WHERE STOCKHOUSE_ID IN (1,3) ORDER BY STOCKHOUSE_ID, ITEM_ID";
        Assert.Equal(Before, await stock.QueryAsync(select13));
        var untouched = (await stock.AllRowsAsync()).Where(r => r[0] is '2' or '4' or '5').ToList();

        var created = await WorkTableOperations.CreateAsync(stock.Connection,
            new WorkTableRequest { Table = stock.Name, Partition = stock.Partition(), WorkTable = stock.WorkTable }, NullOperationLog.Instance, CancellationToken.None);
        Assert.EndsWith("." + stock.WorkTable, created.WorkTable);
        Assert.Equal(stock.IsPostgres ? "LIST (stockhouse_id) FOR VALUES IN (1)" : "LIST (`STOCKHOUSE_ID`) 1", created.PartitionBound);

        var progress = new List<OperationProgress>();
        var imported = await WorkTableOperations.ImportAsync(stock.Connection,
            new ImportRequest { Table = stock.Name, Partition = stock.Partition(), WorkTable = stock.WorkTable, Path = TestData.Path("T_STOCK_S01.csv") },
            new SynchronousProgress(progress), NullOperationLog.Instance, CancellationToken.None);
        Assert.Equal(10, imported.RowsLoaded);
        Assert.Equal(10, imported.LiveRows);
        Assert.Equal(created.WorkTable, imported.WorkTable);
        Assert.Contains(progress, p => p.Status.StartsWith("Loading", StringComparison.Ordinal));
        Assert.Equal(100, progress[^1].PercentComplete);
        Assert.Equal(Before, await stock.QueryAsync(select13));
        Assert.Equal(After[..10], await stock.AllRowsAsync(stock.WorkTable));

        var switched = await PartitionSwitcher.SwitchAsync(stock.Connection,
            new SwitchPartitionRequest { Table = imported.Table, Partition = imported.Partition!, WorkTable = imported.WorkTable },
            NullOperationLog.Instance, CancellationToken.None);
        Assert.Equal(1, switched.Attempts);
        Assert.Equal(10, switched.LiveRows);
        Assert.Equal(10, switched.WorkTableRows);
        Assert.Equal(After, await stock.QueryAsync(select13));
        Assert.Equal(Before[..10], await stock.AllRowsAsync(stock.WorkTable));
        Assert.Equal(untouched, (await stock.AllRowsAsync()).Where(r => r[0] is '2' or '4' or '5').ToList());

        await PartitionSwitcher.SwitchAsync(stock.Connection,
            new SwitchPartitionRequest { Table = stock.Name, Partition = stock.Partition(), WorkTable = stock.WorkTable },
            NullOperationLog.Instance, CancellationToken.None);
        Assert.Equal(Before, await stock.QueryAsync(select13));
        Assert.Equal(untouched, (await stock.AllRowsAsync()).Where(r => r[0] is '2' or '4' or '5').ToList());
        Assert.Equal(After[..10], await stock.AllRowsAsync(stock.WorkTable));
    }

    [EngineTheory]
    [BothEngines]
    public async Task Import_creates_the_default_work_table_when_missing(DatabaseProvider provider)
    {
        await using var stock = await StockTable.CreateAsync(provider);
        var expectedWork = stock.Track(stock.IsPostgres ? $"{stock.Partition()}_work" : $"{stock.Name}_{stock.Partition()}");

        // Names are matched as the engine matches them: partition names case-insensitively on MySQL (table names
        // follow the server's file system there), and unquoted names folded to lower case on PostgreSQL.
        var imported = await WorkTableOperations.ImportAsync(stock.Connection,
            new ImportRequest
            {
                Table = stock.IsPostgres ? stock.Name.ToUpperInvariant() : stock.Name,
                Partition = stock.IsPostgres ? stock.Partition().ToUpperInvariant() : stock.Partition().ToLowerInvariant(),
                Path = TestData.Path("T_STOCK_S01.csv"),
            },
            null, NullOperationLog.Instance, CancellationToken.None);

        Assert.Equal(expectedWork, imported.WorkTable.Split('.')[1], ignoreCase: !stock.IsPostgres);
        Assert.Equal(stock.Partition(), imported.Partition);
        Assert.Equal(10, (await stock.AllRowsAsync(expectedWork)).Count);
        var indexes = await stock.QueryAsync(stock.IsPostgres
            ? $"SELECT indisunique::text || ' ' || substring(pg_get_indexdef(indexrelid) FROM 'USING .*') FROM pg_index WHERE indrelid = '{expectedWork}'::regclass ORDER BY 1"
            : $"SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{expectedWork}' ORDER BY INDEX_NAME");
        Assert.Equal(stock.IsPostgres
            ? ["false USING btree (stockhouse_id, item_id)", "true USING btree (stockhouse_id, item_id)"]
            : ["IDX_NO1", "PRIMARY"], indexes);
    }

    private sealed class SynchronousProgress(List<OperationProgress> reports) : IProgress<OperationProgress>
    {
        public void Report(OperationProgress value) => reports.Add(value);
    }
}
