using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Switching;
using BatchDb.Engine.Tests.Infrastructure;
using BatchDb.Engine.WorkTables;

namespace BatchDb.Engine.Tests.MySql;

/// <summary>Every bad input ends in a clear error, and the live table is exactly as it was, row by row.</summary>
public sealed class ImportBadInputTests
{
    [MySqlFact]
    public async Task A_line_with_the_wrong_number_of_fields_is_named()
    {
        var csv = "\"1\",\"1234567-01\",\"400\",\"1\",\"2015/09/23 16:45:12\"\n" +
                  "\"1\",\"1234567-02\",\"600\",\"1\",\"2015/09/23 16:45:12\"\n" +
                  "\"1\",\"1234567-03\",\"400\",\"1\"\n" +
                  "\"1\",\"1234567-04\",\"400\",\"1\",\"2015/09/23 16:45:12\",\"extra\"\n";
        var error = await ImportFailsAsync(csv, ErrorIds.CsvInvalid);
        Assert.Contains("line 3: the line has fewer fields than there are columns", error.Message);
        Assert.Contains("line 4: the line has more fields than there are columns", error.Message);
    }

    [MySqlFact]
    public async Task A_non_numeric_amount_is_named_with_its_line_and_column()
    {
        var csv = "\"1\",\"1234567-01\",\"400\",\"1\",\"2015/09/23 16:45:12\"\n" +
                  "\"1\",\"1234567-02\",\"six hundred\",\"1\",\"2015/09/23 16:45:12\"\n";
        var error = await ImportFailsAsync(csv, ErrorIds.CsvInvalid, minimumRowRatio: 0);
        Assert.Contains("line 2: Incorrect integer value: 'six hundred'", error.Message);
        Assert.Contains("AMOUNT", error.Message);
    }

    [MySqlFact]
    public async Task A_row_of_another_warehouse_is_refused()
    {
        var csv = File.ReadAllText(TestData.Path("T_STOCK_S01.csv")) + "\"2\",\"1234567-99\",\"5\",\"1\",\"2015/09/23 16:45:12\"\n";
        var error = await ImportFailsAsync(csv, ErrorIds.RowsOutsidePartition);
        Assert.Contains("1 row(s) do not belong in partition P_S01", error.Message);
        Assert.Contains("2 (1 row)", error.Message);
    }

    [MySqlFact]
    public async Task An_empty_file_is_refused()
    {
        var error = await ImportFailsAsync(string.Empty, ErrorIds.CsvEmpty);
        Assert.Contains("no data rows", error.Message);
    }

    [MySqlFact]
    public async Task A_cut_file_is_refused_below_the_minimum_row_ratio_and_accepted_with_force()
    {
        var csv = string.Join("\n", File.ReadAllLines(TestData.Path("T_STOCK_S01.csv")).Take(3)) + "\n";
        var error = await ImportFailsAsync(csv, ErrorIds.RowCountTooLow);
        Assert.Contains("has 3 rows but partition P_S01", error.Message);
        Assert.Contains("has 10", error.Message);

        await using var stock = await StockTable.CreateAsync(DatabaseProvider.MySql);
        stock.Track(stock.WorkTable);
        var result = await WorkTableOperations.ImportAsync(stock.Connection,
            new ImportRequest { Table = stock.Name, Partition = "P_S01", WorkTable = stock.WorkTable, Path = TestData.WriteCsv(csv), Force = true },
            null, NullOperationLog.Instance, CancellationToken.None);
        Assert.Equal(3, result.RowsLoaded);
    }

    [MySqlFact]
    public async Task Duplicate_keys_in_the_file_are_refused()
    {
        var line = "\"1\",\"1234567-01\",\"400\",\"1\",\"2015/09/23 16:45:12\"\n";
        var error = await ImportFailsAsync(line + line, ErrorIds.CsvInvalid, minimumRowRatio: 0);
        Assert.Contains("Duplicate entry", error.Message);
    }

    [MySqlFact]
    public async Task A_missing_file_table_or_partition_is_named()
    {
        await using var stock = await StockTable.CreateAsync(DatabaseProvider.MySql);
        var before = await stock.AllRowsAsync();

        var noFile = await Assert.ThrowsAsync<BatchDbException>(() => ImportAsync(stock, "/nonexistent/stock.csv"));
        Assert.Equal(ErrorIds.FileNotFound, noFile.ErrorId);
        Assert.Contains("/nonexistent/stock.csv", noFile.Message);

        var noTable = await Assert.ThrowsAsync<BatchDbException>(() => WorkTableOperations.ImportAsync(stock.Connection,
            new ImportRequest { Table = "NO_SUCH_TABLE", Partition = "P_S01", Path = TestData.Path("T_STOCK_S01.csv") },
            null, NullOperationLog.Instance, CancellationToken.None));
        Assert.Equal(ErrorIds.TableNotFound, noTable.ErrorId);
        Assert.Contains("NO_SUCH_TABLE does not exist", noTable.Message);

        var noPartition = await Assert.ThrowsAsync<BatchDbException>(() => WorkTableOperations.ImportAsync(stock.Connection,
            new ImportRequest { Table = stock.Name, Partition = "P_S09", Path = TestData.Path("T_STOCK_S01.csv") },
            null, NullOperationLog.Instance, CancellationToken.None));
        Assert.Equal(ErrorIds.PartitionNotFound, noPartition.ErrorId);
        Assert.Contains("Its partitions are: P_S01, P_S02, P_S03, P_S04, P_S05", noPartition.Message);

        var noWorkTable = await Assert.ThrowsAsync<BatchDbException>(() => PartitionSwitcher.SwitchAsync(stock.Connection,
            new SwitchPartitionRequest { Table = stock.Name, Partition = "P_S01", WorkTable = "NO_SUCH_WORK" },
            NullOperationLog.Instance, CancellationToken.None));
        Assert.Equal(ErrorIds.WorkTableNotFound, noWorkTable.ErrorId);
        Assert.Contains("NO_SUCH_WORK does not exist", noWorkTable.Message);

        Assert.Equal(before, await stock.AllRowsAsync());
    }

    [MySqlFact]
    public async Task A_hostile_identifier_is_rejected_before_anything_is_executed()
    {
        await using var stock = await StockTable.CreateAsync(DatabaseProvider.MySql);
        var victim = stock.Track("victim_" + Guid.NewGuid().ToString("N")[..8]);
        await stock.ExecuteAsync($"CREATE TABLE `{victim}` (id INT)");
        var before = await stock.AllRowsAsync();

        foreach (var hostile in new[] { $"{stock.Name}`; DROP TABLE {victim}; --", $"{stock.Name} ; DROP TABLE {victim}", "a.b.c", "" })
        {
            var error = await Assert.ThrowsAsync<BatchDbException>(() => WorkTableOperations.ImportAsync(stock.Connection,
                new ImportRequest { Table = hostile, Partition = "P_S01", Path = TestData.Path("T_STOCK_S01.csv") },
                null, NullOperationLog.Instance, CancellationToken.None));
            Assert.Equal(ErrorIds.InvalidIdentifier, error.ErrorId);
            Assert.Contains("Nothing was executed", error.Message);
        }

        var hostilePartition = await Assert.ThrowsAsync<BatchDbException>(() => PartitionSwitcher.SwitchAsync(stock.Connection,
            new SwitchPartitionRequest { Table = stock.Name, Partition = $"P_S01`; DROP TABLE {victim}; --" },
            NullOperationLog.Instance, CancellationToken.None));
        Assert.Equal(ErrorIds.InvalidIdentifier, hostilePartition.ErrorId);

        var hostileColumn = await Assert.ThrowsAsync<BatchDbException>(() => WorkTableOperations.ImportAsync(stock.Connection,
            new ImportRequest
            {
                Table = stock.Name, Partition = "P_S01", WorkTable = stock.Track(stock.WorkTable), Path = TestData.Path("T_STOCK_S01.csv"),
                Format = new() { Columns = ["STOCKHOUSE_ID", "ITEM_ID", $"AMOUNT) ; DROP TABLE {victim}; --", "VER_ID", "UPD_DTTM"] },
            },
            null, NullOperationLog.Instance, CancellationToken.None));
        Assert.Equal(ErrorIds.InvalidIdentifier, hostileColumn.ErrorId);
        Assert.Contains("field 3", hostileColumn.Message);

        Assert.Single(await stock.QueryAsync($"SHOW TABLES LIKE '{victim}'"));
        Assert.Equal(before, await stock.AllRowsAsync());
    }

    [MySqlFact]
    public async Task A_failed_import_empties_the_work_table_so_it_cannot_be_switched_in()
    {
        await using var stock = await StockTable.CreateAsync(DatabaseProvider.MySql);
        stock.Track(stock.WorkTable);
        await ImportAsync(stock, TestData.Path("T_STOCK_S01.csv"));
        Assert.Equal(10, (await stock.AllRowsAsync(stock.WorkTable)).Count);
        var before = await stock.AllRowsAsync();

        var bad = TestData.WriteCsv("\"1\",\"1234567-01\",\"x\",\"1\",\"2015/09/23 16:45:12\"\n");
        var error = await Assert.ThrowsAsync<BatchDbException>(() => ImportAsync(stock, bad, minimumRowRatio: 0));
        Assert.Contains("was emptied", error.Message);
        Assert.Empty(await stock.AllRowsAsync(stock.WorkTable));

        var refused = await Assert.ThrowsAsync<BatchDbException>(() => PartitionSwitcher.SwitchAsync(stock.Connection,
            new SwitchPartitionRequest { Table = stock.Name, Partition = "P_S01", WorkTable = stock.WorkTable },
            NullOperationLog.Instance, CancellationToken.None));
        Assert.Equal(ErrorIds.WorkTableEmpty, refused.ErrorId);
        Assert.Equal(before, await stock.AllRowsAsync());
    }

    private static async Task<BatchDbException> ImportFailsAsync(string csv, string errorId, double minimumRowRatio = 0.5)
    {
        await using var stock = await StockTable.CreateAsync(DatabaseProvider.MySql);
        stock.Track(stock.WorkTable);
        var before = await stock.AllRowsAsync();
        var path = TestData.WriteCsv(csv);

        var error = await Assert.ThrowsAsync<BatchDbException>(() => ImportAsync(stock, path, minimumRowRatio));

        Assert.Equal(errorId, error.ErrorId);
        Assert.Contains(path, error.Message);
        Assert.Equal(before, await stock.AllRowsAsync());
        return error;
    }

    private static Task<ImportResult> ImportAsync(StockTable stock, string path, double minimumRowRatio = 0.5) =>
        WorkTableOperations.ImportAsync(stock.Connection,
            new ImportRequest { Table = stock.Name, Partition = "P_S01", WorkTable = stock.WorkTable, Path = path, MinimumRowRatio = minimumRowRatio },
            null, NullOperationLog.Instance, CancellationToken.None);
}
