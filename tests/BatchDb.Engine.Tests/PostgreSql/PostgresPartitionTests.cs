using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Switching;
using BatchDb.Engine.Tests.Infrastructure;
using BatchDb.Engine.WorkTables;

namespace BatchDb.Engine.Tests.PostgreSql;

/// <summary>PostgreSQL's own cases: COPY's line numbers, the bound constraint, the preflight and partition kinds.</summary>
public sealed class PostgresPartitionTests
{
    private const string GoodLine = "\"1\",\"1234567-01\",\"400\",\"1\",\"2015/09/23 16:45:12\"\n";

    [PostgresFact]
    public async Task A_bad_value_is_named_with_the_line_and_column_that_COPY_reports()
    {
        var csv = "exported today\n" + GoodLine + "\"1\",\"1234567-02\",\"six hundred\",\"1\",\"2015/09/23 16:45:12\"\n";
        var error = await ImportFailsAsync(csv, ErrorIds.CsvInvalid, new() { SkipLines = 1 });
        Assert.Contains("line 3, column amount", error.Message);
        Assert.Contains("invalid input syntax for type integer: \"six hundred\"", error.Message);
        Assert.Contains("was emptied", error.Message);
    }

    [PostgresFact]
    public async Task A_short_line_is_named()
    {
        var error = await ImportFailsAsync(GoodLine + "\"1\",\"1234567-03\",\"400\",\"1\"\n", ErrorIds.CsvInvalid);
        Assert.Contains("line 2", error.Message);
        Assert.Contains("missing data for column", error.Message);
    }

    [PostgresFact]
    public async Task A_row_of_another_warehouse_is_refused_at_its_line()
    {
        var csv = File.ReadAllText(TestData.Path("T_STOCK_S01.csv")) + "\"2\",\"1234567-99\",\"5\",\"1\",\"2015/09/23 16:45:12\"\n";
        var error = await ImportFailsAsync(csv, ErrorIds.RowsOutsidePartition);
        Assert.Contains("line 11", error.Message);
        Assert.Contains("does not belong in the partition", error.Message);
        Assert.True(error.Message.Contains("(2, 1234567-99"), error.Message);
    }

    [PostgresFact]
    public async Task Duplicate_keys_and_a_cut_file_are_refused()
    {
        var duplicate = await ImportFailsAsync(GoodLine + GoodLine, ErrorIds.CsvInvalid, minimumRowRatio: 0);
        Assert.Contains("line 2", duplicate.Message);
        Assert.Contains("duplicate key", duplicate.Message);

        var cut = await ImportFailsAsync(string.Concat(File.ReadAllLines(TestData.Path("T_STOCK_S01.csv")).Take(3).Select(l => l + "\n")), ErrorIds.RowCountTooLow);
        Assert.Contains("has 3 rows but partition", cut.Message);
    }

    [PostgresFact]
    public async Task A_missing_table_partition_or_work_table_is_named_and_a_hash_partition_is_refused()
    {
        await using var stock = await StockTable.CreateAsync(DatabaseProvider.PostgreSql);
        var noTable = await Assert.ThrowsAsync<BatchDbException>(() => ImportAsync(stock, TestData.Path("T_STOCK_S01.csv"), table: "no_such_table"));
        Assert.Equal(ErrorIds.TableNotFound, noTable.ErrorId);

        var noPartition = await Assert.ThrowsAsync<BatchDbException>(() => ImportAsync(stock, TestData.Path("T_STOCK_S01.csv"), partition: "p_s09"));
        Assert.Equal(ErrorIds.PartitionNotFound, noPartition.ErrorId);
        Assert.Contains($"Its partitions are: {stock.Partition(1)}, {stock.Partition(2)}", noPartition.Message);

        var noWork = await Assert.ThrowsAsync<BatchDbException>(() => PartitionSwitcher.SwitchAsync(stock.Connection,
            new SwitchPartitionRequest { Table = stock.Name, Partition = stock.Partition(), WorkTable = "no_such_work" }, NullOperationLog.Instance, CancellationToken.None));
        Assert.Equal(ErrorIds.WorkTableNotFound, noWork.ErrorId);

        var hashed = stock.Track(stock.Name + "_h");
        await stock.ExecuteAsync($"CREATE TABLE {hashed} (id int) PARTITION BY HASH (id); CREATE TABLE {hashed}_0 PARTITION OF {hashed} FOR VALUES WITH (MODULUS 1, REMAINDER 0);");
        var hash = await Assert.ThrowsAsync<BatchDbException>(() => WorkTableOperations.CreateAsync(stock.Connection,
            new WorkTableRequest { Table = hashed, Partition = hashed + "_0" }, NullOperationLog.Instance, CancellationToken.None));
        Assert.Equal(ErrorIds.PartitioningNotSupported, hash.ErrorId);
        Assert.Contains("HASH", hash.Message);
    }

    [PostgresFact]
    public async Task The_work_table_carries_the_bound_as_a_check_constraint_and_attach_does_not_scan()
    {
        await using var stock = await StockTable.CreateAsync(DatabaseProvider.PostgreSql);
        stock.Track(stock.WorkTable);
        await ImportAsync(stock, TestData.Path("T_STOCK_S01.csv"));
        Assert.Equal(["FOR VALUES IN (1)"],
            await stock.QueryAsync($"SELECT obj_description(oid, 'pg_constraint') FROM pg_constraint WHERE conrelid = '{stock.WorkTable}'::regclass AND conname = 'batchdb_partition_bound' AND convalidated"));

        await SwitchAsync(stock, new LockRetryPolicy());

        // The old rows were given the constraint after the swap, so switching back attaches without a scan too.
        Assert.Single(await stock.QueryAsync($"SELECT 1 FROM pg_constraint WHERE conrelid = '{stock.WorkTable}'::regclass AND conname = 'batchdb_partition_bound' AND convalidated"));
        Assert.Equal([stock.Partition()], await stock.QueryAsync($"SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '{stock.Name}'::regclass AND c.relname LIKE '%p_s01'"));
        Assert.Single(await stock.QueryAsync($"SELECT 1 FROM pg_stat_user_tables WHERE relname = '{stock.Name}' AND last_analyze IS NOT NULL"));
    }

    [PostgresFact]
    public async Task A_switch_queues_behind_a_concurrent_detach_instead_of_deadlocking_with_it()
    {
        await using var stock = await StockTable.CreateAsync(DatabaseProvider.PostgreSql);
        stock.Track(stock.WorkTable);
        await ImportAsync(stock, VersionTwoOfWarehouseOne());

        // Another switch's DETACH locks the parent, then the partition; the switch reading the catalog meanwhile must
        // take them in the same order, or PostgreSQL ends one of the two with "deadlock detected" after deadlock_timeout.
        // A change to the partition drops the partition bound that sessions cached, so the switch reads it again.
        await stock.ExecuteAsync($"ALTER TABLE {stock.Partition()} SET (fillfactor = 100)");
        await using var detach = await stock.OpenAsync();
        await StockTable.ExecuteOnAsync(detach, $"BEGIN; LOCK TABLE ONLY {stock.Name} IN ACCESS EXCLUSIVE MODE");
        var switching = SwitchAsync(stock, new LockRetryPolicy { LockWaitTimeout = TimeSpan.FromSeconds(30) });
        await Task.Delay(TimeSpan.FromSeconds(1));
        await StockTable.ExecuteOnAsync(detach, $"LOCK TABLE {stock.Partition()} IN ACCESS EXCLUSIVE MODE");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await StockTable.ExecuteOnAsync(detach, "COMMIT");

        var switched = await switching;
        Assert.Equal(10, switched.LiveRows);
        Assert.Equal(["10|2"], await stock.QueryAsync($"SELECT count(*), max(ver_id) FROM {stock.Partition()}"));
    }

    [PostgresFact]
    public async Task Switches_that_leave_the_statistics_to_the_caller_analyze_the_table_once_at_the_end()
    {
        await using var stock = await StockTable.CreateAsync(DatabaseProvider.PostgreSql);
        stock.Track(stock.WorkTable);
        await ImportAsync(stock, VersionTwoOfWarehouseOne());
        var versions = $"SELECT most_common_vals::text FROM pg_stats WHERE tablename = '{stock.Name}' AND inherited AND attname = 'ver_id'";
        Assert.Equal(["{1}"], await stock.QueryAsync(versions));
        // The import left the work table's statistics to the ANALYZE of the partitioned table, which samples it too.
        var ownStatistics = $"SELECT count(*) FROM pg_stats WHERE tablename = '{stock.Partition()}' AND NOT inherited";
        Assert.Equal(["0"], await stock.QueryAsync($"SELECT count(*) FROM pg_stats WHERE tablename = '{stock.WorkTable}'"));

        await PartitionSwitcher.SwitchAsync(stock.Connection,
            new SwitchPartitionRequest { Table = stock.Name, Partition = stock.Partition(), WorkTable = stock.WorkTable, AnalyzeTable = false },
            NullOperationLog.Instance, CancellationToken.None);
        Assert.Equal(["{1}"], await stock.QueryAsync(versions));

        Assert.Equal(["0"], await stock.QueryAsync(ownStatistics));

        await PartitionSwitcher.AnalyzeTableAsync(stock.Connection, $"public.{stock.Name}", CancellationToken.None);
        Assert.Equal(["{1,2}"], await stock.QueryAsync(versions));
        Assert.Equal(["5"], await stock.QueryAsync(ownStatistics));
    }

    [PostgresFact]
    public async Task A_work_table_with_another_type_a_missing_index_or_an_extra_column_is_explained_by_the_preflight()
    {
        await using var stock = await StockTable.CreateAsync(DatabaseProvider.PostgreSql);
        var work = stock.Track(stock.WorkTable);
        await stock.ExecuteAsync($"""
            CREATE TABLE {work} (stockhouse_id int NOT NULL, item_id char(10) NOT NULL, amount bigint, ver_id char(1), upd_dttm timestamp, note text,
              PRIMARY KEY (stockhouse_id, item_id));
            INSERT INTO {work} VALUES (1, 'X', 1, '2', now(), 'n');
            """);
        var before = await stock.AllRowsAsync();

        var error = await Assert.ThrowsAsync<BatchDbException>(() => SwitchAsync(stock, new LockRetryPolicy()));

        Assert.Equal(ErrorIds.DefinitionMismatch, error.ErrorId);
        Assert.Contains("column amount: live table has integer NULL, work table has bigint NULL", error.Message);
        Assert.Contains("column note: only in the work table (text NULL)", error.Message);
        Assert.Contains("index btree (stockhouse_id, item_id): missing from the work table", error.Message);
        Assert.Contains("Nothing was changed", error.Message);
        Assert.Equal(before, await stock.AllRowsAsync());
        Assert.Single(await stock.QueryAsync($"SELECT * FROM {work}"));
    }

    [PostgresFact]
    public async Task Range_partitions_in_another_schema_switch_with_their_bounds()
    {
        await using var db = await StockTable.CreateEmptyAsync(DatabaseProvider.PostgreSql, "batch");
        var schema = db.Name;
        await db.ExecuteAsync($"""
            CREATE SCHEMA {schema};
            CREATE TABLE {schema}.staging_orders (sale_date date NOT NULL, order_id int NOT NULL, amount numeric(15,2), PRIMARY KEY (sale_date, order_id))
              PARTITION BY RANGE (sale_date);
            CREATE TABLE {schema}.p2023 PARTITION OF {schema}.staging_orders FOR VALUES FROM (MINVALUE) TO ('2024-01-01');
            CREATE TABLE {schema}.p2024 PARTITION OF {schema}.staging_orders FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            CREATE TABLE {schema}.pmax PARTITION OF {schema}.staging_orders FOR VALUES FROM ('2025-01-01') TO (MAXVALUE);
            INSERT INTO {schema}.staging_orders VALUES ('2023-05-01', 1, 10.00), ('2024-02-01', 2, 20.00), ('2024-03-01', 3, 30.00), ('2026-01-01', 4, 40.00);
            """);
        try
        {
            var table = $"{schema}.staging_orders";
            var outside = TestData.WriteCsv("2024-02-01,2,21.50\n2025-01-01,6,60.00\n");
            var error = await Assert.ThrowsAsync<BatchDbException>(() => WorkTableOperations.ImportAsync(db.Connection,
                new ImportRequest { Table = table, Partition = "p2024", Path = outside }, null, NullOperationLog.Instance, CancellationToken.None));
            Assert.Equal(ErrorIds.RowsOutsidePartition, error.ErrorId);
            Assert.Contains("line 2", error.Message);

            var imported = await WorkTableOperations.ImportAsync(db.Connection,
                new ImportRequest { Table = table, Partition = "p2024", Path = TestData.WriteCsv("2024-02-01,2,21.50\n2024-12-31,5,50.25\n") },
                null, NullOperationLog.Instance, CancellationToken.None);
            Assert.Equal($"{schema}.staging_orders_p2024", imported.WorkTable);
            await PartitionSwitcher.SwitchAsync(db.Connection,
                new SwitchPartitionRequest { Table = imported.Table, Partition = imported.Partition!, WorkTable = imported.WorkTable }, NullOperationLog.Instance, CancellationToken.None);

            Assert.Equal(
                ["2023-05-01 00:00:00|1|10.00", "2024-02-01 00:00:00|2|21.50", "2024-12-31 00:00:00|5|50.25", "2026-01-01 00:00:00|4|40.00"],
                await db.QueryAsync($"SELECT * FROM {table} ORDER BY sale_date"));
            Assert.Equal(["2024-02-01 00:00:00|2|20.00", "2024-03-01 00:00:00|3|30.00"], await db.QueryAsync($"SELECT * FROM {schema}.staging_orders_p2024 ORDER BY sale_date"));
        }
        finally
        {
            await db.ExecuteAsync($"DROP SCHEMA {schema} CASCADE");
        }
    }

    private static string VersionTwoOfWarehouseOne() =>
        TestData.WriteCsv(File.ReadAllText(TestData.Path("T_STOCK_S01.csv")).Replace("\"1\",\"2015", "\"2\",\"2015", StringComparison.Ordinal));

    private static async Task<BatchDbException> ImportFailsAsync(string csv, string errorId, Csv.CsvFormat? format = null, double minimumRowRatio = 0.5)
    {
        await using var stock = await StockTable.CreateAsync(DatabaseProvider.PostgreSql);
        stock.Track(stock.WorkTable);
        var before = await stock.AllRowsAsync();
        var path = TestData.WriteCsv(csv);

        var error = await Assert.ThrowsAsync<BatchDbException>(() => ImportAsync(stock, path, minimumRowRatio: minimumRowRatio, format: format));

        Assert.Equal(errorId, error.ErrorId);
        Assert.Contains(path, error.Message);
        Assert.Equal(before, await stock.AllRowsAsync());
        Assert.Empty(await stock.QueryAsync($"SELECT * FROM {stock.WorkTable}"));
        return error;
    }

    private static Task<ImportResult> ImportAsync(StockTable stock, string path, string? table = null, string? partition = null, double minimumRowRatio = 0.5, Csv.CsvFormat? format = null) =>
        WorkTableOperations.ImportAsync(stock.Connection,
            new ImportRequest
            {
                Table = table ?? stock.Name, Partition = partition ?? stock.Partition(), WorkTable = stock.WorkTable, Path = path,
                MinimumRowRatio = minimumRowRatio, Format = format ?? new(),
            },
            null, NullOperationLog.Instance, CancellationToken.None);

    private static Task<SwitchPartitionResult> SwitchAsync(StockTable stock, LockRetryPolicy policy) =>
        PartitionSwitcher.SwitchAsync(stock.Connection,
            new SwitchPartitionRequest { Table = stock.Name, Partition = stock.Partition(), WorkTable = stock.WorkTable, Retry = policy },
            NullOperationLog.Instance, CancellationToken.None);
}
