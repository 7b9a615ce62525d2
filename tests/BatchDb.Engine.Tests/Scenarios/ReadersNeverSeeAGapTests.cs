using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Switching;
using BatchDb.Engine.Tests.Infrastructure;
using BatchDb.Engine.ViewSwitching;
using BatchDb.Engine.WorkTables;

namespace BatchDb.Engine.Tests.Scenarios;

/// <summary>
/// While one session switches 50 times between two versions of the data, another reads continuously: it
/// never gets an error, an empty result or rows of two versions (each version has its own VER_ID).
/// </summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class ReadersNeverSeeAGapTests
{
    private const int Switches = 50;

    private static readonly LockRetryPolicy Patient = new() { LockWaitTimeout = TimeSpan.FromSeconds(2), MaxAttempts = 10, InitialDelay = TimeSpan.FromMilliseconds(50) };

    [EngineTheory]
    [BothEngines]
    public async Task Partition_switches(DatabaseProvider provider)
    {
        await using var stock = await StockTable.CreateAsync(provider);
        stock.Track(stock.WorkTable);
        await WorkTableOperations.ImportAsync(stock.Connection,
            new ImportRequest { Table = stock.Name, Partition = stock.Partition(), WorkTable = stock.WorkTable, Path = VersionTwoCsv() },
            null, NullOperationLog.Instance, CancellationToken.None);

        await SwitchRepeatedlyAsync(stock, $"SELECT VER_ID FROM {stock.Name} WHERE STOCKHOUSE_ID = 1", () =>
            PartitionSwitcher.SwitchAsync(stock.Connection,
                new SwitchPartitionRequest { Table = stock.Name, Partition = stock.Partition(), WorkTable = stock.WorkTable, Retry = Patient },
                NullOperationLog.Instance, CancellationToken.None));
    }

    [EngineTheory]
    [BothEngines]
    public async Task Whole_table_swaps_by_rename(DatabaseProvider provider)
    {
        await using var stock = await CreatePlainStockAsync(provider);
        var work = stock.Track(stock.Name + "_work");
        var imported = await WorkTableOperations.ImportAsync(stock.Connection,
            new ImportRequest { Table = stock.Name, Path = VersionTwoCsv() }, null, NullOperationLog.Instance, CancellationToken.None);
        Assert.Null(imported.Partition);
        Assert.Equal(work, imported.WorkTable.Split('.')[1]);

        await SwitchRepeatedlyAsync(stock, $"SELECT VER_ID FROM {stock.Name} WHERE STOCKHOUSE_ID = 1", () =>
            TableSwitcher.SwitchAsync(stock.Connection,
                new SwitchTableRequest { Table = imported.Table, WorkTable = imported.WorkTable, Retry = Patient }, NullOperationLog.Instance, CancellationToken.None));
    }

    [EngineTheory]
    [BothEngines]
    public async Task View_switch_flips(DatabaseProvider provider)
    {
        await using var stock = await CreatePlainStockAsync(provider);
        // The default sides are _A/_B for a name without lower-case letters: the random suffix can be all digits.
        var (a, b) = stock.Name.Any(char.IsLower) ? ("_a", "_b") : ("_A", "_B");
        stock.Track(stock.Name + a);
        stock.Track(stock.Name + b);
        var enabled = await ViewSwitchOperations.EnableAsync(stock.Connection, new ViewSwitchRequest { Table = stock.Name }, NullOperationLog.Instance, CancellationToken.None);
        Assert.EndsWith(stock.Name + b, enabled.WorkTable);
        Assert.Equal(20, enabled.LiveRows);

        var imported = await WorkTableOperations.ImportAsync(stock.Connection,
            new ImportRequest { Table = enabled.Table, WorkTable = enabled.WorkTable, Path = VersionTwoCsv() }, null, NullOperationLog.Instance, CancellationToken.None);
        Assert.Equal(enabled.WorkTable, imported.WorkTable);

        SwitchTableResult? last = null;
        await SwitchRepeatedlyAsync(stock, $"SELECT VER_ID FROM {stock.Name} WHERE STOCKHOUSE_ID = 1", async () =>
            last = await TableSwitcher.SwitchAsync(stock.Connection,
                new SwitchTableRequest { Table = stock.Name, Retry = Patient }, NullOperationLog.Instance, CancellationToken.None));
        Assert.Equal("View", last!.Method);
        Assert.EndsWith(stock.Name + a, last.LiveTable);
        Assert.Equal([$"{stock.Name}|{stock.Name}{a}|{stock.Name}{b}"],
            await stock.QueryAsync($"SELECT view_name, live_table, standby_table FROM {ViewSwitchControl.Table} WHERE view_name = '{stock.Name}'"));
        await stock.ExecuteAsync($"DELETE FROM {ViewSwitchControl.Table} WHERE view_name = '{stock.Name}'");
    }

    /// <summary>Switches <see cref="Switches"/> times while a reader runs; every read must be whole and of one version.</summary>
    private static async Task SwitchRepeatedlyAsync(StockTable stock, string readerSql, Func<Task> switchOnce)
    {
        var reader = new ReaderProbe();
        reader.Start(stock, readerSql, expectedRows: 10);
        try
        {
            for (var i = 0; i < Switches; i++)
            {
                await switchOnce();
            }
        }
        finally
        {
            await reader.StopAsync();
        }

        Assert.Empty(reader.Anomalies);
        Assert.True(reader.Reads > Switches, $"the reader ran only {reader.Reads} queries");
        Assert.Equal(["1", "2"], reader.VersionsSeen.Order());

        // An even number of switches leaves the original version live and the new one off screen.
        Assert.Equal(Enumerable.Repeat("1", 10), await stock.QueryAsync($"SELECT VER_ID FROM {stock.Name} WHERE STOCKHOUSE_ID = 1"));
    }

    /// <summary>Warehouse 1 as in T_STOCK_S01.csv, but every row is version 2.</summary>
    private static string VersionTwoCsv() =>
        TestData.WriteCsv(string.Concat(File.ReadAllLines(TestData.Path("T_STOCK_S01.csv")).Select(l => l.Replace(",\"1\",\"2015", ",\"2\",\"2015", StringComparison.Ordinal) + "\n")));

    /// <summary>A T_STOCK without partitions holding warehouses 1 and 3 of the seed, all version 1.</summary>
    private static async Task<StockTable> CreatePlainStockAsync(DatabaseProvider provider)
    {
        var stock = await StockTable.CreateEmptyAsync(provider, provider == DatabaseProvider.PostgreSql ? "t_plain" : "T_PLAIN");
        await stock.ExecuteAsync($"CREATE TABLE {stock.Name} (STOCKHOUSE_ID INT NOT NULL, ITEM_ID CHAR(10) NOT NULL, AMOUNT INT, VER_ID CHAR(1), UPD_DTTM {(stock.IsPostgres ? "timestamp" : "DATETIME")}, PRIMARY KEY (STOCKHOUSE_ID, ITEM_ID))");
        await WorkTableOperations.ImportAsync(stock.Connection,
            new ImportRequest { Table = stock.Name, WorkTable = stock.Track(stock.Name + "_seed"), Path = TestData.Path("T_STOCK.csv") },
            null, NullOperationLog.Instance, CancellationToken.None);
        await stock.ExecuteAsync($"INSERT INTO {stock.Name} SELECT * FROM {stock.Name}_seed WHERE STOCKHOUSE_ID IN (1, 3)");
        return stock;
    }
}
