using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Switching;
using BatchDb.Engine.Tests.Infrastructure;
using BatchDb.Engine.WorkTables;

namespace BatchDb.Engine.Tests.MySql;

/// <summary>Seed 002 end to end: T_STOCK loaded, warehouse 1 replaced through T_STOCK_S01 by EXCHANGE PARTITION, and back.</summary>
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

    [MySqlFact]
    public async Task Seed_scenario_switches_warehouse_1_and_switches_back()
    {
        await using var stock = await MySqlStockTable.CreateAsync();
        stock.Track(stock.WorkTable);
        var select13 = $"SELECT * FROM `{stock.Name}` WHERE STOCKHOUSE_ID IN (1,3) ORDER BY STOCKHOUSE_ID, ITEM_ID";
        Assert.Equal(Before, await MySqlStockTable.QueryAsync(select13));
        var untouched = (await stock.AllRowsAsync()).Where(r => r[0] is '2' or '4' or '5').ToList();

        var created = await WorkTableOperations.CreateAsync(stock.Connection,
            new WorkTableRequest { Table = stock.Name, Partition = "P_S01", WorkTable = stock.WorkTable }, NullOperationLog.Instance, CancellationToken.None);
        Assert.EndsWith("." + stock.WorkTable, created.WorkTable);
        Assert.Equal("LIST (`STOCKHOUSE_ID`) 1", created.PartitionBound);

        var progress = new List<OperationProgress>();
        var imported = await WorkTableOperations.ImportAsync(stock.Connection,
            new ImportRequest { Table = stock.Name, Partition = "P_S01", WorkTable = stock.WorkTable, Path = TestData.Path("T_STOCK_S01.csv") },
            new SynchronousProgress(progress), NullOperationLog.Instance, CancellationToken.None);
        Assert.Equal(10, imported.RowsLoaded);
        Assert.Equal(10, imported.LiveRows);
        Assert.Equal(created.WorkTable, imported.WorkTable);
        Assert.Contains(progress, p => p.Status.StartsWith("Loading", StringComparison.Ordinal));
        Assert.Equal(100, progress[^1].PercentComplete);
        Assert.Equal(Before, await MySqlStockTable.QueryAsync(select13));

        var switched = await PartitionSwitcher.SwitchAsync(stock.Connection,
            new SwitchPartitionRequest { Table = imported.Table, Partition = imported.Partition, WorkTable = imported.WorkTable },
            NullOperationLog.Instance, CancellationToken.None);
        Assert.Equal(1, switched.Attempts);
        Assert.Equal(10, switched.LiveRows);
        Assert.Equal(10, switched.WorkTableRows);
        Assert.Equal(After, await MySqlStockTable.QueryAsync(select13));
        Assert.Equal(Before[..10], await stock.AllRowsAsync(stock.WorkTable));
        Assert.Equal(untouched, (await stock.AllRowsAsync()).Where(r => r[0] is '2' or '4' or '5').ToList());

        await PartitionSwitcher.SwitchAsync(stock.Connection,
            new SwitchPartitionRequest { Table = stock.Name, Partition = "P_S01", WorkTable = stock.WorkTable },
            NullOperationLog.Instance, CancellationToken.None);
        Assert.Equal(Before, await MySqlStockTable.QueryAsync(select13));
        Assert.Equal(After[..10], await stock.AllRowsAsync(stock.WorkTable));
    }

    [MySqlFact]
    public async Task Import_creates_the_default_work_table_when_missing()
    {
        await using var stock = await MySqlStockTable.CreateAsync();
        var expectedWork = stock.Track($"{stock.Name}_P_S01");

        var imported = await WorkTableOperations.ImportAsync(stock.Connection,
            new ImportRequest { Table = stock.Name, Partition = "p_s01", Path = TestData.Path("T_STOCK_S01.csv") },
            null, NullOperationLog.Instance, CancellationToken.None);

        Assert.EndsWith("." + expectedWork, imported.WorkTable);
        Assert.Equal("P_S01", imported.Partition);
        Assert.Equal(10, (await stock.AllRowsAsync(expectedWork)).Count);
        var indexes = await MySqlStockTable.QueryAsync(
            $"SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{expectedWork}' ORDER BY INDEX_NAME");
        Assert.Equal(["IDX_NO1", "PRIMARY"], indexes);
    }

    private sealed class SynchronousProgress(List<OperationProgress> reports) : IProgress<OperationProgress>
    {
        public void Report(OperationProgress value) => reports.Add(value);
    }
}
