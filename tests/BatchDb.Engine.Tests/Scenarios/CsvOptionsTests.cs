using BatchDb.Engine.Connections;
using BatchDb.Engine.Csv;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Tests.Infrastructure;
using BatchDb.Engine.WorkTables;

namespace BatchDb.Engine.Tests.Scenarios;

/// <summary>
/// The CSV options users expect, each loaded into a partitioned item table and read back: the same file
/// gives the same rows on MariaDB (LOAD DATA) and on PostgreSQL (COPY).
/// </summary>
public sealed class CsvOptionsTests
{
    private const string PlainCsv = "1,A-01,在庫 テスト,5\n1,A-02,\"comma, \"\"quoted\"\"\nand newline\",NULL\n1,A-03,\"\",7\n";

    private static readonly string[] Expected =
    [
        "1|A-01|在庫 テスト|5",
        "1|A-02|comma, \"quoted\"\nand newline|∅",
        "1|A-03||7",
    ];

    [EngineTheory]
    [BothEngines]
    public async Task Header_row_maps_columns_by_name_and_crlf_is_detected(DatabaseProvider provider)
    {
        var csv = "ITEM_NAME,QTY,ITEM_ID,STOCKHOUSE_ID\r\n" +
                  "在庫 テスト,5,A-01,1\r\n" +
                  "\"comma, \"\"quoted\"\"\nand newline\",NULL,A-02,1\r\n" +
                  "\"\",7,A-03,1\r\n";
        Assert.Equal(Expected, await LoadAsync(provider, TestData.WriteCsv(csv), new CsvFormat { HasHeader = true }));
    }

    [EngineTheory]
    [BothEngines]
    public async Task Utf8_bom_without_header_is_tolerated(DatabaseProvider provider)
    {
        Assert.Equal(Expected, await LoadAsync(provider, TestData.WriteCsv(PlainCsv, bom: true), new CsvFormat()));
    }

    [EngineTheory]
    [BothEngines]
    public async Task Utf8_bom_before_a_header_is_tolerated(DatabaseProvider provider)
    {
        var csv = "STOCKHOUSE_ID,ITEM_ID,ITEM_NAME,QTY\n" + PlainCsv;
        Assert.Equal(Expected, await LoadAsync(provider, TestData.WriteCsv(csv, bom: true), new CsvFormat { HasHeader = true }));
    }

    [EngineTheory]
    [BothEngines]
    public async Task Shift_jis_is_read_with_encoding(DatabaseProvider provider)
    {
        var path = TestData.WriteCsv(PlainCsv, TextEncodings.Resolve("shift_jis"));
        Assert.Equal(Expected, await LoadAsync(provider, path, new CsvFormat { Encoding = "shift_jis" }));
    }

    [EngineTheory]
    [BothEngines]
    public async Task Skipped_lines_semicolons_and_a_null_marker(DatabaseProvider provider)
    {
        var csv = "exported 2026-11-22\nsecond preamble line\n" +
                  "1;A-01;在庫 テスト;5\n1;A-02;\"comma, \"\"quoted\"\"\nand newline\";\\N\n1;A-03;\"\";7\n";
        var format = new CsvFormat { Delimiter = ';', SkipLines = 2, NullText = "\\N" };
        Assert.Equal(Expected, await LoadAsync(provider, TestData.WriteCsv(csv), format));
    }

    [EngineTheory]
    [BothEngines]
    public async Task Empty_fields_are_empty_strings_and_an_unquoted_NULL_is_null(DatabaseProvider provider)
    {
        var csv = "1,A-01,,5\n1,A-02,\"\",6\n1,A-03,NULL,7\n1,A-04,\"NULL\",8\n";
        Assert.Equal(["1|A-01||5", "1|A-02||6", "1|A-03|∅|7", "1|A-04|NULL|8"], await LoadAsync(provider, TestData.WriteCsv(csv), new CsvFormat(), rows: 4));
    }

    [EngineTheory]
    [BothEngines]
    public async Task An_empty_null_text_makes_every_empty_field_null(DatabaseProvider provider)
    {
        var csv = "1,A-01,,5\n1,A-02,\"\",\n1,A-03,x,7\n";
        Assert.Equal(["1|A-01|∅|5", "1|A-02|∅|∅", "1|A-03|x|7"], await LoadAsync(provider, TestData.WriteCsv(csv), new CsvFormat { NullText = string.Empty }));
    }

    [EngineTheory]
    [BothEngines]
    public async Task Skipped_fields_load_on_MySQL_and_are_refused_clearly_on_PostgreSQL(DatabaseProvider provider)
    {
        var csv = "1,ignored,A-01,在庫 テスト,5\n1,ignored,A-02,\"comma, \"\"quoted\"\"\nand newline\",NULL\n1,x,A-03,\"\",7\n";
        var format = new CsvFormat { Columns = ["STOCKHOUSE_ID", "-", "ITEM_ID", "ITEM_NAME", "QTY"] };
        if (provider == DatabaseProvider.MySql)
        {
            Assert.Equal(Expected, await LoadAsync(provider, TestData.WriteCsv(csv), format));
            return;
        }

        var error = await Assert.ThrowsAsync<BatchDbException>(() => LoadAsync(provider, TestData.WriteCsv(csv), format));
        Assert.Equal(ErrorIds.NotSupported, error.ErrorId);
        Assert.Contains("field 2 is marked to be skipped", error.Message);
    }

    private static async Task<List<string>> LoadAsync(DatabaseProvider provider, string path, CsvFormat format, int rows = 3)
    {
        await using var db = await StockTable.CreateEmptyAsync(provider, provider == DatabaseProvider.PostgreSql ? "t_item" : "T_ITEM");
        var items = db.Name;
        string partition;
        if (db.IsPostgres)
        {
            partition = db.Track(items + "_p1");
            await db.ExecuteAsync($"""
                CREATE TABLE {items} (stockhouse_id int NOT NULL, item_id varchar(10) NOT NULL, item_name varchar(100), qty int,
                  PRIMARY KEY (stockhouse_id, item_id)) PARTITION BY LIST (stockhouse_id);
                CREATE TABLE {items}_p1 PARTITION OF {items} FOR VALUES IN (1);
                CREATE TABLE {items}_p2 PARTITION OF {items} FOR VALUES IN (2);
                """);
        }
        else
        {
            partition = "P1";
            await db.ExecuteAsync($"""
                CREATE TABLE {items} (STOCKHOUSE_ID INT NOT NULL, ITEM_ID VARCHAR(10) NOT NULL, ITEM_NAME VARCHAR(100), QTY INT,
                  PRIMARY KEY (STOCKHOUSE_ID, ITEM_ID)) DEFAULT CHARSET utf8mb4
                PARTITION BY LIST (STOCKHOUSE_ID) (PARTITION P1 VALUES IN (1), PARTITION P2 VALUES IN (2));
                """);
        }

        var work = db.Track(items + "_work");
        var result = await WorkTableOperations.ImportAsync(db.Connection,
            new ImportRequest { Table = items, Partition = partition, WorkTable = work, Path = path, Format = format },
            null, NullOperationLog.Instance, CancellationToken.None);
        Assert.Equal(rows, result.RowsLoaded);
        return await db.QueryAsync($"SELECT * FROM {work} ORDER BY ITEM_ID");
    }
}
