using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Executions;
using BatchDb.Engine.Extracts;
using BatchDb.Engine.Tests.Infrastructure;

namespace BatchDb.Engine.Tests.Staging;

/// <summary>Copy-BatchData: incremental, stamped, exact across engines, and all-or-nothing with its watermark.</summary>
public sealed class ExtractTests
{
    [EngineTheory]
    [EngineDirections]
    public async Task Copies_new_rows_exactly_stamped_with_the_batch_and_only_past_the_watermark(DatabaseProvider source, DatabaseProvider destination)
    {
        await using var orders = await OrdersFixture.CreateAsync(source, destination);
        await orders.AddOrdersAsync(1, 500);
        await orders.Source.ExecuteAsync($"""
            UPDATE {orders.Orders} SET note = 'say "hi", then
            東京都千代田区 {(orders.Source.IsPostgres ? "\\" : "\\\\")} done' WHERE id = '{OrdersFixture.Id(7)}';
            UPDATE {orders.Orders} SET note = NULL WHERE id = '{OrdersFixture.Id(8)}';
            UPDATE {orders.Orders} SET note = '' WHERE id = '{OrdersFixture.Id(9)}';
            UPDATE {orders.Orders} SET amount = 9999999999999.99 WHERE id = '{OrdersFixture.Id(10)}';
            UPDATE {orders.Orders} SET amount = -0.01 WHERE id = '{OrdersFixture.Id(11)}';
            """);

        var first = await CopyAsync(orders, batchId: 41);

        Assert.Equal((500L, 0L, null, "41"), (first.RowsCopied, first.RowsReplaced, first.WatermarkFrom, first.BatchId));
        Assert.Equal(new DateTime(2026, 11, 1, 0, 8, 20).AddTicks(5_000), (DateTime)first.WatermarkTo!);
        Assert.Equal(await orders.SourceRowsAsync(), await orders.StagingRowsAsync());
        Assert.Equal("500|41", await orders.ScalarAsync($"SELECT COUNT(*), MIN(batch_id) FROM {orders.Staging} WHERE batch_id = '41'"));
        Assert.Contains(await orders.StagingRowsAsync(), r => r.Contains("say \"hi\", then\n東京都千代田区 \\ done", StringComparison.Ordinal));

        var nothingNew = await CopyAsync(orders, batchId: 42);
        Assert.Equal((0L, first.WatermarkTo), (nothingNew.RowsCopied, nothingNew.WatermarkTo));

        // Two orders change and two are new: with the key, staging keeps only the latest version of each.
        await orders.AddOrdersAsync(501, 502);
        await orders.Source.ExecuteAsync(
            $"UPDATE {orders.Orders} SET status = 'shipped', updated_at = {(orders.Source.IsPostgres ? "timestamp" : "TIMESTAMP")}'2026-11-02 10:00:00.123456' WHERE id IN ('{OrdersFixture.Id(3)}', '{OrdersFixture.Id(4)}')");
        var changes = await CopyAsync(orders, batchId: 43, keys: ["id"]);

        Assert.Equal((4L, 2L, first.WatermarkTo), (changes.RowsCopied, changes.RowsReplaced, changes.WatermarkFrom));
        Assert.Equal(await orders.SourceRowsAsync(), await orders.StagingRowsAsync());
        Assert.Equal(["41|498", "43|4"], await orders.Destination.Db.QueryAsync($"SELECT batch_id, COUNT(*) FROM {orders.Staging} GROUP BY batch_id ORDER BY batch_id"));
    }

    [EngineTheory]
    [EngineDirections]
    public async Task Copying_a_window_again_replaces_it_instead_of_duplicating_it(DatabaseProvider source, DatabaseProvider destination)
    {
        await using var orders = await OrdersFixture.CreateAsync(source, destination);
        await orders.AddOrdersAsync(1, 300);
        await CopyAsync(orders, batchId: 1);
        await orders.AddOrdersAsync(301, 400);
        var second = await CopyAsync(orders, batchId: 2);

        var again = await CopyAsync(orders, batchId: 3, from: second.WatermarkFrom);

        Assert.Equal((100L, 100L), (again.RowsCopied, again.RowsReplaced));
        Assert.Equal(await orders.SourceRowsAsync(), await orders.StagingRowsAsync());
        Assert.Equal(["1|300", "3|100"], await orders.Destination.Db.QueryAsync($"SELECT batch_id, COUNT(*) FROM {orders.Staging} GROUP BY batch_id ORDER BY batch_id"));
    }

    [EngineTheory]
    [InlineData(DatabaseProvider.MySql, DatabaseProvider.PostgreSql)]
    [InlineData(DatabaseProvider.PostgreSql, DatabaseProvider.MySql)]
    public async Task A_failure_in_the_middle_leaves_staging_and_the_watermark_as_they_were_and_the_rerun_has_no_gaps_or_duplicates(
        DatabaseProvider source, DatabaseProvider destination)
    {
        await using var orders = await OrdersFixture.CreateAsync(source, destination);
        await orders.AddOrdersAsync(1, 1000);
        var first = await CopyAsync(orders, batchId: 1);
        var before = await orders.StagingRowsAsync();

        // 250,000 more orders, one in the middle too long for staging's status: the destination rejects it after
        // more than 100,000 rows have gone in (two LOAD DATA chunks on MariaDB).
        await orders.AddOrdersAsync(1001, 251_000);
        await orders.Source.ExecuteAsync($"UPDATE {orders.Orders} SET status = '{new string('x', 60)}' WHERE id = '{OrdersFixture.Id(201_000)}'");
        var error = await Assert.ThrowsAsync<BatchDbException>(() => CopyAsync(orders, batchId: 2));

        Assert.Equal(BatchDbErrorKind.InvalidData, error.Kind);
        Assert.Contains("status", error.Message + error.Target, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await orders.StagingRowsAsync());
        Assert.Equal("2026-11-01T00:16:40.0000000", await orders.ScalarAsync($"SELECT watermark_value FROM {orders.Destination.Schema}.batch_watermarks"));

        await orders.Source.ExecuteAsync($"UPDATE {orders.Orders} SET status = 'new' WHERE id = '{OrdersFixture.Id(201_000)}'");
        var rerun = await CopyAsync(orders, batchId: 4);

        Assert.Equal((250_000L, 0L, first.WatermarkTo), (rerun.RowsCopied, rerun.RowsReplaced, rerun.WatermarkFrom));
        Assert.Equal("251000|251000", await orders.ScalarAsync($"SELECT COUNT(*), COUNT(DISTINCT id) FROM {orders.Staging}"));
        Assert.Equal(await orders.Source.QueryAsync($"SELECT SUM(amount) FROM {orders.Orders}"), await orders.Destination.Db.QueryAsync($"SELECT SUM(amount) FROM {orders.Staging}"));
    }

    [EngineTheory]
    [BothEngines]
    public async Task A_recorded_copy_is_stamped_with_its_execution_id_and_a_missing_column_is_named(DatabaseProvider provider)
    {
        await using var orders = await OrdersFixture.CreateAsync(provider, provider);
        await orders.AddOrdersAsync(1, 10);
        var step = new ExecutionStep { Operation = "Copy-BatchData", DefaultBatchName = "orders-extract" };

        var copied = await ExecutionRecorder.RecordAsync(orders.Destination.Connection, step, null,
            (batchId, token) => BatchExtract.CopyAsync(orders.Destination.Connection, Request(orders), batchId, null, NullOperationLog.Instance, token),
            r => r.RowsCopied, NullOperationLog.Instance, CancellationToken.None);

        Assert.Equal([$"{copied.BatchId}|orders-extract|Succeeded|10"], await orders.Destination.RowsAsync("execution_id, batch_name, status, records_processed"));
        Assert.Equal($"10|{copied.BatchId}", await orders.ScalarAsync($"SELECT COUNT(*), MAX(batch_id) FROM {orders.Staging}"));

        var narrow = orders.Destination.Db.Track("narrow_" + Guid.NewGuid().ToString("N")[..8]);
        await orders.Destination.Db.ExecuteAsync($"CREATE TABLE {narrow} (id {(provider == DatabaseProvider.PostgreSql ? "uuid" : "CHAR(36)")}, batch_id varchar(50))");
        var missing = await Assert.ThrowsAsync<BatchDbException>(() =>
            BatchExtract.CopyAsync(orders.Destination.Connection, Request(orders) with { Table = narrow }, 5, null, NullOperationLog.Instance, CancellationToken.None));
        Assert.Equal(ErrorIds.ColumnNotFound, missing.ErrorId);
        Assert.Contains("user_id, amount, status, note, created_at, updated_at", missing.Message, StringComparison.Ordinal);
        Assert.Empty(await orders.Destination.Db.QueryAsync($"SELECT * FROM {narrow}"));
    }

    [EngineTheory]
    [EngineDirections]
    public async Task A_source_query_is_sent_as_written_with_placeholder_text_in_its_literals(DatabaseProvider source, DatabaseProvider destination)
    {
        await using var orders = await OrdersFixture.CreateAsync(source, destination);
        await orders.AddOrdersAsync(1, 20);
        var request = Request(orders) with
        {
            SourceTable = null,
            Query = $"SELECT id, user_id, amount, status, '%@p1.example @p0' AS note, created_at, updated_at FROM {orders.Orders}",
        };

        var copied = await BatchExtract.CopyAsync(orders.Destination.Connection, request, 7, null, NullOperationLog.Instance, CancellationToken.None);

        Assert.Equal(20L, copied.RowsCopied);
        Assert.Equal(["%@p1.example @p0|20"], await orders.Destination.Db.QueryAsync($"SELECT note, COUNT(*) FROM {orders.Staging} GROUP BY note"));
    }

    [EngineTheory]
    [InlineData(DatabaseProvider.PostgreSql, DatabaseProvider.MySql)]
    [InlineData(DatabaseProvider.PostgreSql, DatabaseProvider.PostgreSql)]
    public async Task Booleans_dates_and_times_with_a_zone_come_through_the_servers_own_export_exactly(DatabaseProvider source, DatabaseProvider destination)
    {
        await using var orders = await OrdersFixture.CreateAsync(source, destination);
        var typed = orders.Source.Track("typed_" + Guid.NewGuid().ToString("N")[..10]);
        var staging = orders.Destination.Db.Track("typed_staging_" + Guid.NewGuid().ToString("N")[..10]);
        await orders.Source.ExecuteAsync($"""
            CREATE TABLE {typed} (id int, flag boolean, day date, at timestamptz, midnight timestamp, note text);
            INSERT INTO {typed} VALUES
              (1, true, '2026-11-30', '2026-11-30 10:00:00.123456+09', '2026-11-30 00:00:00', 'NULL'),
              (2, false, NULL, NULL, '2026-11-30 23:59:59.999999', ''),
              (3, NULL, '2026-01-01', '2026-11-30 00:00:00+00', NULL, NULL)
            """);
        await orders.Destination.Db.ExecuteAsync(orders.Destination.Db.IsPostgres
            ? $"CREATE TABLE {staging} (id int, flag boolean, day date, at timestamptz, midnight timestamp, note text, batch_id varchar(50))"
            : $"CREATE TABLE {staging} (id INT, flag TINYINT(1), day DATE, at DATETIME(6), midnight DATETIME(6), note TEXT, batch_id VARCHAR(50)) CHARACTER SET utf8mb4");

        var copied = await BatchExtract.CopyAsync(orders.Destination.Connection,
            Request(orders) with { SourceTable = typed, Table = staging, WatermarkColumn = "id" }, 5, null, NullOperationLog.Instance, CancellationToken.None);

        Assert.Equal((3L, (object)3L), (copied.RowsCopied, copied.WatermarkTo!));
        Assert.Equal(
            [
                "1|True|2026-11-30 00:00:00.000000|2026-11-30 01:00:00.123456|2026-11-30 00:00:00.000000|NULL|5",
                "2|False|∅|∅|2026-11-30 23:59:59.999999||5",
                "3|∅|2026-01-01 00:00:00.000000|2026-11-30 00:00:00.000000|∅|∅|5",
            ],
            await OrdersFixture.ReadAsync(orders.Destination.Db, $"SELECT id, flag, day, at, midnight, note, batch_id FROM {staging}"));
    }

    [MySqlFact]
    public async Task Between_two_MySQL_databases_each_value_comes_through_as_the_server_writes_it_and_a_binary_column_is_named()
    {
        await using var orders = await OrdersFixture.CreateAsync(DatabaseProvider.MySql, DatabaseProvider.MySql);
        var typed = orders.Source.Track("typed_" + Guid.NewGuid().ToString("N")[..10]);
        var staging = orders.Destination.Db.Track("typed_staging_" + Guid.NewGuid().ToString("N")[..10]);
        await orders.Source.ExecuteAsync($"""
            CREATE TABLE {typed} (id INT, flag TINYINT(1), big BIGINT UNSIGNED, ratio FLOAT, at TIMESTAMP(6) NULL, midnight DATETIME, span TIME(3),
              kind ENUM('a','b'), latin VARCHAR(20) CHARACTER SET latin1, note TEXT CHARACTER SET utf8mb4) CHARACTER SET utf8mb4;
            SET time_zone = '+09:00';
            INSERT INTO {typed} VALUES
              (1, 5, 18446744073709551615, 1.1, '2026-11-30 10:00:00.123456', '2026-11-30 00:00:00', '-12:00:01.500', 'b', 'café "x", y', 'NULL'),
              (2, 0, 0, -0.5, NULL, NULL, '00:00:00', NULL, NULL, '東京\n"q"'),
              (3, NULL, NULL, NULL, '2026-11-30 09:00:00', NULL, NULL, 'a', '', NULL);
            """);
        await orders.Destination.Db.ExecuteAsync(
            $"""
            CREATE TABLE {staging} (id INT, flag TINYINT(1), big BIGINT UNSIGNED, ratio FLOAT, at DATETIME(6), midnight DATE, span TIME(3),
              kind VARCHAR(5), latin VARCHAR(20), note TEXT, batch_id VARCHAR(50)) CHARACTER SET utf8mb4
            """);

        var copied = await BatchExtract.CopyAsync(orders.Destination.Connection,
            Request(orders) with { SourceTable = typed, Table = staging, WatermarkColumn = "id" }, 5, null, NullOperationLog.Instance, CancellationToken.None);

        Assert.Equal(3L, copied.RowsCopied);
        Assert.Equal(
            [
                "1|5|18446744073709551615|1.1|2026-11-30 01:00:00.123456|2026-11-30 00:00:00.000000|-12:00:01.500|b|café \"x\", y|NULL|5",
                "2|0|0|-0.5|∅|∅|00:00:00.000|∅|∅|東京\n\"q\"|5",
                "3|∅|∅|∅|2026-11-30 00:00:00.000000|∅|∅|a||∅|5",
            ],
            await OrdersFixture.ReadAsync(orders.Destination.Db,
                $"SELECT id, CAST(flag AS SIGNED), big, CAST(ratio AS CHAR), at, midnight, CAST(span AS CHAR), kind, latin, note, batch_id FROM {staging}"));

        // No text form that LOAD DATA reads back exactly: the copy goes value by value, which names the column it cannot copy.
        var binary = orders.Source.Track("binary_" + Guid.NewGuid().ToString("N")[..10]);
        var binaryStaging = orders.Destination.Db.Track("binary_staging_" + Guid.NewGuid().ToString("N")[..10]);
        await orders.Source.ExecuteAsync($"CREATE TABLE {binary} (id INT, digest VARBINARY(16)); INSERT INTO {binary} VALUES (1, UNHEX('00FF'))");
        await orders.Destination.Db.ExecuteAsync($"CREATE TABLE {binaryStaging} (id INT, digest VARBINARY(16), batch_id VARCHAR(50))");
        var refused = await Assert.ThrowsAsync<BatchDbException>(() => BatchExtract.CopyAsync(orders.Destination.Connection,
            Request(orders) with { SourceTable = binary, Table = binaryStaging, WatermarkColumn = "id" }, 6, null, NullOperationLog.Instance, CancellationToken.None));
        Assert.Equal(ErrorIds.NotSupported, refused.ErrorId);
        Assert.Contains("digest", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await orders.Destination.Db.QueryAsync($"SELECT * FROM {binaryStaging}"));
    }

    private static CopyRequest Request(OrdersFixture orders) => new()
    {
        Source = orders.Source.Connection,
        SourceTable = orders.Orders,
        Table = orders.Staging,
        WatermarkColumn = "updated_at",
    };

    private static Task<CopyResult> CopyAsync(OrdersFixture orders, long batchId, IReadOnlyList<string>? keys = null, object? from = null) =>
        BatchExtract.CopyAsync(orders.Destination.Connection, Request(orders) with { KeyColumns = keys ?? [], From = from }, batchId, null, NullOperationLog.Instance, CancellationToken.None);
}
