using System.Globalization;
using BatchDb.Engine.Aggregates;
using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Extracts;
using BatchDb.Engine.Tests.Infrastructure;

namespace BatchDb.Engine.Tests.Staging;

/// <summary>Invoke-DailyAggregate: idempotent upserts, exact decimals on both engines, days in a time zone, user-defined aggregates.</summary>
public sealed class AggregateTests
{
    private static readonly DateOnly November1 = new(2026, 11, 1);

    [EngineTheory]
    [EngineDirections]
    public async Task Running_a_day_again_changes_nothing_and_a_late_order_updates_only_its_day(DatabaseProvider source, DatabaseProvider destination)
    {
        await using var orders = await OrdersFixture.CreateAsync(source, destination);
        var daily = await orders.CreateDailySalesAsync();
        await orders.AddOrdersAsync(1, 2000);
        await CopyAsync(orders);

        var first = await AggregateAsync(orders, daily);
        var expected = Enumerable.Range(1, 2000).Select(i => ((long)i * 7919 % 1_000_000) / 100m).ToList();
        Assert.Equal([(new DateTime(2026, 11, 1), 1, 1, 0)], first.Select(r => (r.Date, r.Groups, r.Changed, r.Removed)));
        Assert.Equal($"2026-11-01|{expected.Sum():0.00}|2000|{Average(expected):0.00}", await DayAsync(orders, daily, "2026-11-01"));
        var rows = await RowsAsync(orders, daily);

        Assert.Empty(await AggregateAsync(orders, daily));
        var again = await AggregateAsync(orders, daily, November1, November1);
        Assert.Equal([(1, 0, 0)], again.Select(r => (r.Groups, r.Changed, r.Removed)));
        Assert.Equal(rows, await RowsAsync(orders, daily));

        await orders.Source.ExecuteAsync($"""
            INSERT INTO {orders.Orders} (id, user_id, amount, status, note, created_at, updated_at)
            VALUES ('{OrdersFixture.Id(900_001)}', NULL, 12.34, 'new', 'late', '2026-10-30 23:30:00', '2026-11-05 08:00:00')
            """);
        Assert.Equal(1L, (await CopyAsync(orders)).RowsCopied);
        var late = await AggregateAsync(orders, daily);

        Assert.Equal([(new DateTime(2026, 10, 30), 1, 1)], late.Select(r => (r.Date, r.Groups, r.Changed)));
        Assert.Equal("2026-10-30|12.34|1|12.34", await DayAsync(orders, daily, "2026-10-30"));
        Assert.Equal(rows, (await RowsAsync(orders, daily)).Where(r => r.StartsWith("2026-11-01", StringComparison.Ordinal)));
    }

    [EngineTheory]
    [BothEngines]
    public async Task Sums_of_100000_orders_are_exact_and_averages_round_half_away_from_zero_in_the_time_zone(DatabaseProvider provider)
    {
        await using var orders = await OrdersFixture.CreateAsync(provider, provider);
        var daily = await orders.CreateDailySalesAsync();
        await orders.AddStagingOrdersAsync(1, 100_000, secondsApart: 7);
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        var expected = Enumerable.Range(1, 100_000)
            .GroupBy(i => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(7L * i), tokyo)))
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var amounts = g.Select(i => OrdersFixture.Amount(i)).ToList();
                return FormattableString.Invariant($"{g.Key:yyyy-MM-dd}|{amounts.Sum():0.00}|{amounts.Count}|{Average(amounts):0.00}");
            })
            .ToList();

        var written = await AggregateAsync(orders, daily, November1, new DateOnly(2026, 11, 9), "Asia/Tokyo");

        Assert.Equal(9, written.Count);
        Assert.Equal(expected, await orders.Destination.Db.QueryAsync(
            $"SELECT sale_date, total_sales, order_count, average_order_value FROM {daily} ORDER BY sale_date").ContinueWith(t => t.Result.Select(r => r.Replace(" 00:00:00", string.Empty, StringComparison.Ordinal)).ToList()));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(9)), written[0].FromTime);

        // 0.025 and -0.025 round away from zero on both engines (banker's rounding would give 0.02).
        await orders.Destination.Db.ExecuteAsync($"""
            INSERT INTO {orders.Staging} (amount, created_at, updated_at) VALUES
              (0.02, '2026-11-20 01:00:00', '2026-11-20 01:00:00'), (0.03, '2026-11-20 02:00:00', '2026-11-20 02:00:00'),
              (-0.02, '2026-11-21 01:00:00', '2026-11-21 01:00:00'), (-0.03, '2026-11-21 02:00:00', '2026-11-21 02:00:00')
            """);
        await AggregateAsync(orders, daily, new DateOnly(2026, 11, 20), new DateOnly(2026, 11, 21));
        Assert.Equal("2026-11-20|0.05|2|0.03", await DayAsync(orders, daily, "2026-11-20"));
        Assert.Equal("2026-11-21|-0.05|2|-0.03", await DayAsync(orders, daily, "2026-11-21"));
    }

    [EngineTheory]
    [BothEngines]
    public async Task A_user_defined_aggregate_groups_and_removes_groups_that_no_longer_have_rows(DatabaseProvider provider)
    {
        await using var orders = await OrdersFixture.CreateAsync(provider, provider);
        await orders.AddStagingOrdersAsync(1, 40, secondsApart: 60);
        await orders.Destination.Db.ExecuteAsync($"UPDATE {orders.Staging} SET status = 'shipped' WHERE amount > 2000");
        var byStatus = orders.Destination.Db.Track("by_status_" + Guid.NewGuid().ToString("N")[..8]);
        var definition = new AggregateDefinition
        {
            SourceTable = orders.Staging,
            Table = byStatus,
            TableDateColumn = "day",
            GroupBy = ["status"],
            Measures = [AggregateMeasure.Parse("orders = count(*)"), AggregateMeasure.Parse("smallest=min(amount)"), AggregateMeasure.Parse("largest=max(amount)")],
            LastUpdatedColumn = null,
        };
        await orders.Destination.Db.ExecuteAsync($"CREATE TABLE {byStatus} (day date, status varchar(50), orders int, smallest decimal(15,2), largest decimal(15,2))");
        var noKey = await Assert.ThrowsAsync<BatchDbException>(() => AggregateAsync(orders, definition, November1));
        Assert.Equal(ErrorIds.UniqueKeyRequired, noKey.ErrorId);
        Assert.Contains("(day, status)", noKey.Message, StringComparison.Ordinal);
        Assert.Empty(await orders.Destination.Db.QueryAsync($"SELECT * FROM {byStatus}"));

        await orders.Destination.Db.ExecuteAsync($"ALTER TABLE {byStatus} ADD PRIMARY KEY (day, status)");
        var amounts = Enumerable.Range(1, 40).Select(i => OrdersFixture.Amount(i)).ToList();
        var shipped = amounts.Where(a => a > 2000).ToList();
        var fresh = amounts.Where(a => a <= 2000).ToList();
        var written = await AggregateAsync(orders, definition, November1);

        Assert.Equal([(2, 2, 0)], written.Select(r => (r.Groups, r.Changed, r.Removed)));
        Assert.Equal(
            [FormattableString.Invariant($"new|{fresh.Count}|{fresh.Min():0.00}|{fresh.Max():0.00}"), FormattableString.Invariant($"shipped|{shipped.Count}|{shipped.Min():0.00}|{shipped.Max():0.00}")],
            await orders.Destination.Db.QueryAsync($"SELECT status, orders, smallest, largest FROM {byStatus} ORDER BY status"));

        await orders.Destination.Db.ExecuteAsync($"DELETE FROM {orders.Staging} WHERE status = 'shipped'");
        var after = await AggregateAsync(orders, definition, November1);
        Assert.Equal([(1, 0, 1)], after.Select(r => (r.Groups, r.Changed, r.Removed)));

        var rows = await orders.Destination.Db.QueryAsync($"SELECT * FROM {byStatus} ORDER BY status");
        var missing = await Assert.ThrowsAsync<BatchDbException>(() => AggregateAsync(orders, definition with { Measures = [AggregateMeasure.Parse("orders=sum(price)")] }, November1));
        Assert.Equal((ErrorIds.ColumnNotFound, $"{orders.Staging}.price"), (missing.ErrorId, missing.Target![(missing.Target!.IndexOf('.') + 1)..]));
        Assert.Equal(rows, await orders.Destination.Db.QueryAsync($"SELECT * FROM {byStatus} ORDER BY status"));
    }

    private static decimal Average(IReadOnlyCollection<decimal> amounts) => Math.Round(amounts.Sum() / amounts.Count, 2, MidpointRounding.AwayFromZero);

    private static Task<CopyResult> CopyAsync(OrdersFixture orders) =>
        BatchExtract.CopyAsync(orders.Destination.Connection,
            new CopyRequest { Source = orders.Source.Connection, SourceTable = orders.Orders, Table = orders.Staging, WatermarkColumn = "updated_at", KeyColumns = ["id"] },
            7, null, NullOperationLog.Instance, CancellationToken.None);

    private static Task<IReadOnlyList<DailyAggregateResult>> AggregateAsync(OrdersFixture orders, string daily, DateOnly? from = null, DateOnly? to = null, string zone = "UTC") =>
        AggregateAsync(orders, new AggregateDefinition { SourceTable = orders.Staging, Table = daily }, from, to, zone);

    private static Task<IReadOnlyList<DailyAggregateResult>> AggregateAsync(OrdersFixture orders, AggregateDefinition definition, DateOnly? from, DateOnly? to = null, string zone = "UTC") =>
        DailyAggregates.RunAsync(orders.Destination.Connection, new AggregateRequest { Definition = definition, From = from, To = to ?? from, TimeZone = zone },
            null, NullOperationLog.Instance, CancellationToken.None);

    private static async Task<string> DayAsync(OrdersFixture orders, string daily, string day) =>
        (await orders.Destination.Db.QueryAsync($"SELECT sale_date, total_sales, order_count, average_order_value FROM {daily} WHERE sale_date = '{day}'"))
            .Single().Replace(" 00:00:00", string.Empty, StringComparison.Ordinal);

    private static Task<List<string>> RowsAsync(OrdersFixture orders, string daily) =>
        OrdersFixture.ReadAsync(orders.Destination.Db, $"SELECT * FROM {daily}");
}
