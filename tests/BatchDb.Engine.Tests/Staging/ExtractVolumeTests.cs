using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Extracts;
using BatchDb.Engine.Tests.Infrastructure;
using Xunit.Abstractions;

namespace BatchDb.Engine.Tests.Staging;

/// <summary>
/// A million-row extract holds no more than a bounded amount of memory, and is many times faster than the seed's
/// migration code (one INSERT per row in one transaction), measured on a sample of the same rows. Run apart from
/// the parallel tests so that neither measurement carries their load.
/// </summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class ExtractVolumeTests(ITestOutputHelper output)
{
    private const int Rows = 1_000_000;
    private const int RowByRowSample = 200_000;
    private const long HeapLimit = 96L << 20;

    [EngineTheory]
    [InlineData(DatabaseProvider.MySql, DatabaseProvider.PostgreSql)]
    [InlineData(DatabaseProvider.PostgreSql, DatabaseProvider.MySql)]
    public async Task A_million_row_extract_streams_in_bounded_memory_and_outruns_the_seeds_row_by_row_insert(DatabaseProvider source, DatabaseProvider destination)
    {
        await using var orders = await OrdersFixture.CreateAsync(source, destination);
        await orders.AddOrdersAsync(1, Rows);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var baselineWorkingSet = Environment.WorkingSet;
        long peakHeap = 0, peakWorkingSet = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                peakWorkingSet = Math.Max(peakWorkingSet, Environment.WorkingSet);
                await Task.Delay(10);
            }
        });
        var stopwatch = Stopwatch.StartNew();
        var copied = await BatchExtract.CopyAsync(orders.Destination.Connection,
            new CopyRequest { Source = orders.Source.Connection, SourceTable = orders.Orders, Table = orders.Staging, WatermarkColumn = "updated_at" },
            1, null, NullOperationLog.Instance, CancellationToken.None);
        var elapsed = stopwatch.Elapsed;
        await sampling.CancelAsync();
        await sampler;

        Assert.Equal(Rows, copied.RowsCopied);
        Assert.Equal($"{Rows}|{Rows}", await orders.ScalarAsync($"SELECT COUNT(*), COUNT(DISTINCT id) FROM {orders.Staging}"));
        Assert.Equal(await orders.Source.QueryAsync($"SELECT SUM(amount) FROM {orders.Orders}"), await orders.Destination.Db.QueryAsync($"SELECT SUM(amount) FROM {orders.Staging}"));

        var rowByRow = await SeedRowByRowAsync(orders);
        var streamedRate = Rows / elapsed.TotalSeconds;
        var rowByRowRate = RowByRowSample / rowByRow.TotalSeconds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{source} -> {destination}: {Rows:N0} rows in {elapsed.TotalSeconds:F1} s ({streamedRate:N0} rows/s); managed heap peak +{(peakHeap - baseline) / 1048576.0:F1} MiB, " +
            $"working set peak {peakWorkingSet / 1048576.0:F0} MiB (+{(peakWorkingSet - baselineWorkingSet) / 1048576.0:F0} MiB); " +
            $"row-by-row INSERT: {RowByRowSample:N0} rows in {rowByRow.TotalSeconds:F1} s ({rowByRowRate:N0} rows/s, {Rows / rowByRowRate:F0} s for {Rows:N0}); ratio {streamedRate / rowByRowRate:F1}x"));

        Assert.True(peakHeap - baseline < HeapLimit, $"The managed heap grew by {(peakHeap - baseline) >> 20} MiB while copying {Rows:N0} rows; the limit is {HeapLimit >> 20} MiB.");
        Assert.True(streamedRate > 3 * rowByRowRate, $"Streaming copied {streamedRate:N0} rows/s, row-by-row INSERT {rowByRowRate:N0} rows/s.");
    }

    /// <summary>The seed's DataMigrationBatch: read the source with a cursor and INSERT each row with its batch id, committing once.</summary>
    private static async Task<TimeSpan> SeedRowByRowAsync(OrdersFixture orders)
    {
        var target = orders.Destination.Db.Track("rowbyrow_" + Guid.NewGuid().ToString("N")[..8]);
        await orders.CreateStagingAsync(target);
        await using var source = await orders.Source.OpenAsync();
        await using var destination = await orders.Destination.Db.OpenAsync();
        var stopwatch = Stopwatch.StartNew();
        await using var transaction = await destination.BeginTransactionAsync();
        await using var select = source.CreateCommand();
        select.CommandText = $"SELECT id, user_id, amount, status, note, created_at, updated_at FROM {orders.Orders} ORDER BY updated_at LIMIT {RowByRowSample}";
        await using DbDataReader reader = await select.ExecuteReaderAsync();
        await using var insert = destination.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO {target} (id, user_id, amount, status, note, created_at, updated_at, batch_id) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7)";
        var parameters = Enumerable.Range(0, 8).Select(i =>
        {
            var parameter = insert.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            insert.Parameters.Add(parameter);
            return parameter;
        }).ToList();
        while (await reader.ReadAsync())
        {
            for (var i = 0; i < 7; i++)
            {
                parameters[i].Value = reader.IsDBNull(i) ? DBNull.Value : orders.Destination.Db.IsPostgres || reader.GetValue(i) is not Guid g ? ConvertFor(orders, reader.GetValue(i)) : g.ToString("D");
            }

            parameters[7].Value = "1";
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return stopwatch.Elapsed;
    }

    private static object ConvertFor(OrdersFixture orders, object value) =>
        orders.Destination.Db.IsPostgres && value is string s && Guid.TryParse(s, out var g) ? g : value;
}
