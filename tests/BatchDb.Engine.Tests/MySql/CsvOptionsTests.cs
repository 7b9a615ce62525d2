using System.Text;
using BatchDb.Engine.Csv;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Tests.Infrastructure;
using BatchDb.Engine.WorkTables;

namespace BatchDb.Engine.Tests.MySql;

/// <summary>The CSV options users expect, each loaded into a partitioned item table and read back.</summary>
public sealed class CsvOptionsTests
{
    private static readonly string[] Expected =
    [
        "1|A-01|在庫 テスト|5",
        "1|A-02|comma, \"quoted\"\nand newline|∅",
        "1|A-03||7",
    ];

    [MySqlFact]
    public async Task Header_row_maps_columns_by_name_and_crlf_is_detected()
    {
        var csv = "ITEM_NAME,QTY,ITEM_ID,STOCKHOUSE_ID\r\n" +
                  "在庫 テスト,5,A-01,1\r\n" +
                  "\"comma, \"\"quoted\"\"\nand newline\",NULL,A-02,1\r\n" +
                  "\"\",7,A-03,1\r\n";
        Assert.Equal(Expected, await LoadAsync(TestData.WriteCsv(csv), new CsvFormat { HasHeader = true }));
    }

    [MySqlFact]
    public async Task Utf8_bom_without_header_is_tolerated()
    {
        Assert.Equal(Expected, await LoadAsync(TestData.WriteCsv(PlainCsv, bom: true), PositionalFormat));
    }

    [MySqlFact]
    public async Task Shift_jis_is_read_with_encoding()
    {
        var path = TestData.WriteCsv(PlainCsv, TextEncodings.Resolve("shift_jis"));
        Assert.Equal(Expected, await LoadAsync(path, PositionalFormat with { Encoding = "shift_jis" }));
    }

    [MySqlFact]
    public async Task Skipped_lines_semicolons_and_a_null_marker()
    {
        var csv = "exported 2026-11-22\nsecond preamble line\n" +
                  "1;A-01;在庫 テスト;5\n1;A-02;\"comma, \"\"quoted\"\"\nand newline\";\\N\n1;A-03;\"\";7\n";
        var format = PositionalFormat with { Delimiter = ';', SkipLines = 2, NullText = "\\N" };
        Assert.Equal(Expected, await LoadAsync(TestData.WriteCsv(csv), format));
    }

    [MySqlFact]
    public async Task Skipped_fields_are_not_loaded()
    {
        var csv = "1,ignored,A-01,在庫 テスト,5\n1,ignored,A-02,\"comma, \"\"quoted\"\"\nand newline\",NULL\n1,x,A-03,\"\",7\n";
        var format = new CsvFormat { Columns = ["STOCKHOUSE_ID", "-", "ITEM_ID", "ITEM_NAME", "QTY"] };
        Assert.Equal(Expected, await LoadAsync(TestData.WriteCsv(csv), format));
    }

    private const string PlainCsv = "1,A-01,在庫 テスト,5\n1,A-02,\"comma, \"\"quoted\"\"\nand newline\",NULL\n1,A-03,\"\",7\n";

    private static readonly CsvFormat PositionalFormat = new();

    private static async Task<List<string>> LoadAsync(string path, CsvFormat format)
    {
        await using var stock = await MySqlStockTable.CreateAsync();
        var items = stock.Track("T_ITEM_" + Guid.NewGuid().ToString("N")[..8]);
        stock.Track(items + "_P1");
        await stock.ExecuteAsync($"""
            CREATE TABLE `{items}` (STOCKHOUSE_ID INT NOT NULL, ITEM_ID VARCHAR(10) NOT NULL, ITEM_NAME VARCHAR(100), QTY INT,
              PRIMARY KEY (STOCKHOUSE_ID, ITEM_ID)) DEFAULT CHARSET utf8mb4
            PARTITION BY LIST (STOCKHOUSE_ID) (PARTITION P1 VALUES IN (1), PARTITION P2 VALUES IN (2));
            """);
        var result = await WorkTableOperations.ImportAsync(stock.Connection,
            new ImportRequest { Table = items, Partition = "P1", Path = path, Format = format },
            null, NullOperationLog.Instance, CancellationToken.None);
        Assert.Equal(3, result.RowsLoaded);
        return await MySqlStockTable.QueryAsync($"SELECT * FROM `{result.WorkTable.Split('.')[1]}` ORDER BY ITEM_ID");
    }
}
