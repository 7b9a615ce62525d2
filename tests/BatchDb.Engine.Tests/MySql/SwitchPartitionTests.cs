using System.Diagnostics;
using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Switching;
using BatchDb.Engine.Tests.Infrastructure;
using BatchDb.Engine.WorkTables;
using MySqlConnector;

namespace BatchDb.Engine.Tests.MySql;

[Collection(TimingSensitiveCollection.Name)]
public sealed class SwitchPartitionTests
{
    [MySqlFact]
    public async Task A_row_of_another_warehouse_added_after_the_import_is_named_and_nothing_changes()
    {
        await using var stock = await StockTable.CreateAsync(DatabaseProvider.MySql);
        var work = stock.Track(stock.WorkTable);
        await WorkTableOperations.ImportAsync(stock.Connection,
            new ImportRequest { Table = stock.Name, Partition = "P_S01", WorkTable = work, Path = TestData.Path("T_STOCK_S01.csv") },
            null, NullOperationLog.Instance, CancellationToken.None);
        await stock.ExecuteAsync($"INSERT INTO `{work}` VALUES (2, 'BY-HAND', 1, '2', NOW())");
        var before = await stock.AllRowsAsync();

        // MariaDB before 11.4 validates the exchange itself; the refusal is explained with the rows, as BatchDb's own check would.
        var error = await Assert.ThrowsAsync<BatchDbException>(() => SwitchAsync(stock, new LockRetryPolicy()));

        Assert.Equal(ErrorIds.RowsOutsidePartition, error.ErrorId);
        Assert.Contains("1 row(s) do not belong in partition P_S01", error.Message);
        Assert.Contains("STOCKHOUSE_ID 2, ITEM_ID BY-HAND", error.Message);
        Assert.Equal(before, await stock.AllRowsAsync());
        Assert.Equal(11, (await stock.AllRowsAsync(work)).Count);
    }

    [MySqlFact]
    public async Task A_work_table_with_another_index_name_is_explained_by_the_preflight()
    {
        await using var stock = await StockTable.CreateAsync(DatabaseProvider.MySql);
        var work = stock.Track(stock.WorkTable);
        // The seed's ERROR 1736 pitfall: same columns, but the index has another name.
        await stock.ExecuteAsync($"""
            CREATE TABLE `{work}` (STOCKHOUSE_ID INT, ITEM_ID CHAR(10), AMOUNT INT, VER_ID CHAR(1), UPD_DTTM DATETIME);
            CREATE INDEX IDX_OTHER ON `{work}` (STOCKHOUSE_ID, ITEM_ID);
            ALTER TABLE `{work}` ADD CONSTRAINT PK_NO1 PRIMARY KEY(STOCKHOUSE_ID, ITEM_ID);
            ALTER TABLE `{work}` MODIFY AMOUNT BIGINT;
            INSERT INTO `{work}` VALUES (1, 'X', 1, '2', NOW());
            """);
        var before = await stock.AllRowsAsync();

        var error = await Assert.ThrowsAsync<BatchDbException>(() => SwitchAsync(stock, new LockRetryPolicy()));

        Assert.Equal(ErrorIds.DefinitionMismatch, error.ErrorId);
        Assert.Contains("index IDX_NO1: missing from the work table", error.Message);
        Assert.Contains("index IDX_OTHER: only in the work table", error.Message);
        Assert.Contains("column AMOUNT: live table has position 3, int(11)", error.Message);
        Assert.Contains("work table has position 3, bigint(20)", error.Message);
        Assert.Equal(before, await stock.AllRowsAsync());
        Assert.Single(await stock.AllRowsAsync(work));
    }

    [MySqlFact]
    public async Task A_partitioned_work_table_is_explained_by_the_preflight()
    {
        await using var stock = await StockTable.CreateAsync(DatabaseProvider.MySql);
        var work = stock.Track(stock.WorkTable);
        await stock.ExecuteAsync($"CREATE TABLE `{work}` LIKE `{stock.Name}`; INSERT INTO `{work}` VALUES (1, 'X', 1, '2', NOW())");

        var error = await Assert.ThrowsAsync<BatchDbException>(() => SwitchAsync(stock, new LockRetryPolicy()));

        Assert.Equal(ErrorIds.DefinitionMismatch, error.ErrorId);
        Assert.Contains("partitioning: live table has not partitioned (plain table expected), work table has partitioned", error.Message);
    }

    [MySqlFact]
    public async Task A_foreign_key_of_the_work_table_is_explained_by_the_preflight()
    {
        await using var stock = await StockTable.CreateAsync(DatabaseProvider.MySql);
        // Foreign key names are unique in a schema, so each run has its own.
        var houses = stock.Track("T_HOUSE_" + Guid.NewGuid().ToString("N")[..8]);
        var key = "FK_" + houses;
        var work = stock.Track(stock.WorkTable);
        await ImportAsync(stock);
        await stock.ExecuteAsync($"""
            CREATE TABLE `{houses}` (STOCKHOUSE_ID INT PRIMARY KEY);
            INSERT INTO `{houses}` VALUES (1);
            ALTER TABLE `{work}` ADD CONSTRAINT `{key}` FOREIGN KEY (STOCKHOUSE_ID) REFERENCES `{houses}` (STOCKHOUSE_ID);
            """);
        var before = await stock.AllRowsAsync();

        var error = await Assert.ThrowsAsync<BatchDbException>(() => SwitchAsync(stock, new LockRetryPolicy()));

        Assert.Equal(ErrorIds.DefinitionMismatch, error.ErrorId);
        Assert.Contains($"foreign key {key}: only in the work table (references {houses}; MySQL cannot exchange a table that has or is the target of a foreign key)", error.Message);
        Assert.Equal(before, await stock.AllRowsAsync());
    }

    [MySqlFact]
    public async Task A_foreign_key_that_references_the_work_table_is_named_by_the_refused_exchange_and_nothing_changes()
    {
        await using var stock = await StockTable.CreateAsync(DatabaseProvider.MySql);
        var work = stock.Track(stock.WorkTable);
        await ImportAsync(stock);
        var orders = stock.Track("T_ORDER_" + Guid.NewGuid().ToString("N")[..8]);
        var key = "FK_" + orders;
        await stock.ExecuteAsync($"""
            CREATE TABLE `{orders}` (ORDER_ID INT PRIMARY KEY, STOCKHOUSE_ID INT, ITEM_ID CHAR(10),
                CONSTRAINT `{key}` FOREIGN KEY (STOCKHOUSE_ID, ITEM_ID) REFERENCES `{work}` (STOCKHOUSE_ID, ITEM_ID));
            """);
        var before = await stock.AllRowsAsync();
        var workBefore = await stock.AllRowsAsync(work);

        var error = await Assert.ThrowsAsync<BatchDbException>(() => SwitchAsync(stock, new LockRetryPolicy()));

        Assert.Equal(ErrorIds.DefinitionMismatch, error.ErrorId);
        Assert.Contains($"MySQL cannot exchange a table that is the target of a foreign key, and batchdb_test.{orders} ({key}) references it", error.Message);
        Assert.Contains("Nothing was changed", error.Message);
        Assert.Equal(before, await stock.AllRowsAsync());
        Assert.Equal(workBefore, await stock.AllRowsAsync(work));
    }

    [MySqlFact]
    public async Task A_lock_holder_makes_the_switch_give_up_name_it_and_hold_readers_no_longer_than_the_lock_wait()
    {
        await using var stock = await StockTable.CreateAsync(DatabaseProvider.MySql);
        stock.Track(stock.WorkTable);
        await WorkTableOperations.ImportAsync(stock.Connection,
            new ImportRequest { Table = stock.Name, Partition = "P_S01", WorkTable = stock.WorkTable, Path = TestData.Path("T_STOCK_S01.csv") },
            null, NullOperationLog.Instance, CancellationToken.None);
        var before = await stock.AllRowsAsync();
        var workBefore = await stock.AllRowsAsync(stock.WorkTable);

        // Session 1 holds a shared metadata lock on the table: an open transaction that has read it.
        await using var holder = (MySqlConnection)await stock.OpenAsync();
        await new MySqlCommand($"START TRANSACTION; SELECT COUNT(*) FROM `{stock.Name}`;", holder).ExecuteScalarAsync();
        var holderId = holder.ServerThread;

        // Session 3 reads continuously while the switch tries; no read may wait longer than the lock wait.
        using var stop = new CancellationTokenSource();
        var readerLatencies = new List<TimeSpan>();
        var reader = Task.Run(async () =>
        {
            await using var connection = (MySqlConnection)await stock.OpenAsync();
            while (!stop.IsCancellationRequested)
            {
                var watch = Stopwatch.StartNew();
                await new MySqlCommand($"SELECT COUNT(*) FROM `{stock.Name}` WHERE STOCKHOUSE_ID = 3", connection).ExecuteScalarAsync();
                readerLatencies.Add(watch.Elapsed);
                await Task.Delay(20);
            }
        });

        var policy = new LockRetryPolicy { LockWaitTimeout = TimeSpan.FromSeconds(1), MaxAttempts = 3, InitialDelay = TimeSpan.FromMilliseconds(200) };
        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<LockTimeoutException>(() => SwitchAsync(stock, policy));
        watch.Stop();
        await stop.CancelAsync();
        await reader;

        Assert.Equal(ErrorIds.LockTimeout, error.ErrorId);
        Assert.Equal(3, error.Attempts);
        Assert.Contains($"session {holderId} ", error.Message);
        Assert.Contains(error.Blockers, b => b.SessionId == holderId && b.TransactionStartedAt is not null);
        Assert.Contains("in any of 3 attempt(s)", error.Message);
        Assert.Contains("Nothing was changed", error.Message);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(8));
        Assert.True(readerLatencies.Count > 10, $"the reader ran only {readerLatencies.Count} queries");
        Assert.True(readerLatencies.Max() < TimeSpan.FromSeconds(1.5), $"a reader waited {readerLatencies.Max().TotalMilliseconds:F0} ms");

        await new MySqlCommand("COMMIT", holder).ExecuteNonQueryAsync();
        Assert.Equal(before, await stock.AllRowsAsync());
        Assert.Equal(workBefore, await stock.AllRowsAsync(stock.WorkTable));

        // With the holder gone the same switch goes through at once.
        var result = await SwitchAsync(stock, policy);
        Assert.Equal(1, result.Attempts);
        Assert.Equal(workBefore, (await stock.AllRowsAsync()).Where(r => r[0] == '1').ToList());
    }

    [MySqlFact]
    public async Task Range_partitions_are_bounded_by_their_neighbours()
    {
        await using var stock = await StockTable.CreateAsync(DatabaseProvider.MySql);
        var sales = stock.Track("T_SALES_" + Guid.NewGuid().ToString("N")[..8]);
        var work = stock.Track(sales + "_p2024");
        await stock.ExecuteAsync($"""
            CREATE TABLE `{sales}` (sale_date DATE NOT NULL, order_id INT NOT NULL, amount DECIMAL(15,2), PRIMARY KEY (sale_date, order_id))
            PARTITION BY RANGE COLUMNS (sale_date) (
              PARTITION p2023 VALUES LESS THAN ('2024-01-01'),
              PARTITION p2024 VALUES LESS THAN ('2025-01-01'),
              PARTITION pmax VALUES LESS THAN (MAXVALUE));
            INSERT INTO `{sales}` VALUES ('2023-05-01', 1, 10.00), ('2024-02-01', 2, 20.00), ('2024-03-01', 3, 30.00), ('2026-01-01', 4, 40.00);
            """);
        var inside = TestData.WriteCsv("2024-02-01,2,21.50\n2024-12-31,5,50.25\n");
        var outside = TestData.WriteCsv("2024-02-01,2,21.50\n2025-01-01,6,60.00\n2023-12-31,7,70.00\n");

        var error = await Assert.ThrowsAsync<BatchDbException>(() => WorkTableOperations.ImportAsync(stock.Connection,
            new ImportRequest { Table = sales, Partition = "p2024", WorkTable = work, Path = outside },
            null, NullOperationLog.Instance, CancellationToken.None));
        Assert.Equal(ErrorIds.RowsOutsidePartition, error.ErrorId);
        Assert.Contains("2 row(s) do not belong in partition p2024", error.Message);
        Assert.Contains("2023-12-31 (1 row), 2025-01-01 (1 row)", error.Message);

        await WorkTableOperations.ImportAsync(stock.Connection,
            new ImportRequest { Table = sales, Partition = "p2024", WorkTable = work, Path = inside },
            null, NullOperationLog.Instance, CancellationToken.None);
        await PartitionSwitcher.SwitchAsync(stock.Connection,
            new SwitchPartitionRequest { Table = sales, Partition = "p2024", WorkTable = work }, NullOperationLog.Instance, CancellationToken.None);

        Assert.Equal(
            ["2023-05-01 00:00:00|1|10.00", "2024-02-01 00:00:00|2|21.50", "2024-12-31 00:00:00|5|50.25", "2026-01-01 00:00:00|4|40.00"],
            await stock.QueryAsync($"SELECT * FROM `{sales}` ORDER BY sale_date"));
    }

    private static Task<ImportResult> ImportAsync(StockTable stock) =>
        WorkTableOperations.ImportAsync(stock.Connection,
            new ImportRequest { Table = stock.Name, Partition = "P_S01", WorkTable = stock.WorkTable, Path = TestData.Path("T_STOCK_S01.csv") },
            null, NullOperationLog.Instance, CancellationToken.None);

    private static Task<SwitchPartitionResult> SwitchAsync(StockTable stock, LockRetryPolicy policy) =>
        PartitionSwitcher.SwitchAsync(stock.Connection,
            new SwitchPartitionRequest { Table = stock.Name, Partition = "P_S01", WorkTable = stock.WorkTable, Retry = policy },
            NullOperationLog.Instance, CancellationToken.None);
}
