using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Partitioning;
using BatchDb.Engine.Tests.Infrastructure;

namespace BatchDb.Engine.Tests.Staging;

/// <summary>Monthly RANGE partitions of staging tables: premake the months ahead, retire exactly those older than the limit.</summary>
public sealed class MonthlyPartitionTests
{
    private static readonly DateOnly Today = new(2026, 11, 22);

    [EngineTheory]
    [BothEngines]
    public async Task Premake_creates_the_missing_months_through_N_months_ahead_and_a_second_run_creates_none(DatabaseProvider provider)
    {
        await using var db = await StockTable.CreateEmptyAsync(provider, "staged");
        await db.ExecuteAsync(db.IsPostgres
            ? $"""
              CREATE TABLE {db.Name} (id bigint, created_at timestamp NOT NULL) PARTITION BY RANGE (created_at);
              CREATE TABLE {db.Name}_2026_07 PARTITION OF {db.Name} FOR VALUES FROM ('2026-07-01') TO ('2026-08-01');
              CREATE TABLE {db.Name}_2026_08 PARTITION OF {db.Name} FOR VALUES FROM ('2026-08-01') TO ('2026-09-01');
              INSERT INTO {db.Name} VALUES (1, '2026-07-15'), (2, '2026-08-31 23:59:59')
              """
            : $"""
              CREATE TABLE {db.Name} (id BIGINT, created_at DATETIME NOT NULL) PARTITION BY RANGE COLUMNS (created_at) (
                PARTITION p2026_07 VALUES LESS THAN ('2026-08-01'), PARTITION p2026_08 VALUES LESS THAN ('2026-09-01'), PARTITION pmax VALUES LESS THAN MAXVALUE);
              INSERT INTO {db.Name} VALUES (1, '2026-07-15'), (2, '2026-08-31 23:59:59'), (3, '2026-12-24')
              """);

        var planned = await MonthlyPartitions.PlanPremakeAsync(db.Connection, db.Name, 2, Today, CancellationToken.None);
        var months = new[] { "2026_09", "2026_10", "2026_11", "2026_12", "2027_01" };
        Assert.Equal(months.Select(m => db.IsPostgres ? $"{db.Name}_{m}" : $"p{m}"), planned.Select(p => p.Name));
        Assert.All(planned, p => Assert.Equal(MonthlyPartitionState.Planned, p.State));
        Assert.Equal(new DateTime(2027, 2, 1), planned[^1].To);

        var created = await MonthlyPartitions.CreateAsync(db.Connection, planned, NullOperationLog.Instance, CancellationToken.None);
        Assert.All(created, p => Assert.Equal(MonthlyPartitionState.Created, p.State));

        var listed = await MonthlyPartitions.GetAsync(db.Connection, db.Name, CancellationToken.None);
        Assert.Equal(
            ["07", "08", .. months.Select(m => m[5..])],
            listed.Where(p => p.To is not null).Select(p => p.To!.Value.AddMonths(-1).Month.ToString("00", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Empty(await MonthlyPartitions.PlanPremakeAsync(db.Connection, db.Name, 2, Today, CancellationToken.None));
        Assert.Equal(db.IsPostgres ? ["1", "2"] : ["1", "2", "3"], await db.QueryAsync($"SELECT id FROM {db.Name} ORDER BY id"));
        if (!db.IsPostgres)
        {
            Assert.Equal(["3"], await db.QueryAsync($"SELECT id FROM {db.Name} PARTITION (p2026_12)"));
        }
    }

    [EngineTheory]
    [BothEngines]
    public async Task Retention_retires_exactly_the_partitions_wholly_older_than_the_limit(DatabaseProvider provider)
    {
        await using var db = await StockTable.CreateEmptyAsync(provider, "staged");
        var months = Enumerable.Range(5, 7).Select(m => new DateOnly(2026, m, 1)).ToList();
        await db.ExecuteAsync(db.IsPostgres
            ? $"CREATE TABLE {db.Name} (id bigint, created_at timestamp NOT NULL) PARTITION BY RANGE (created_at);" +
              string.Concat(months.Select(m => $"CREATE TABLE {db.Name}_{m:yyyy_MM} PARTITION OF {db.Name} FOR VALUES FROM ('{m:yyyy-MM-dd}') TO ('{m.AddMonths(1):yyyy-MM-dd}');"))
            : $"CREATE TABLE {db.Name} (id BIGINT, created_at DATETIME NOT NULL) PARTITION BY RANGE (TO_DAYS(created_at)) (" +
              string.Join(", ", months.Select(m => $"PARTITION p{m:yyyy_MM} VALUES LESS THAN (TO_DAYS('{m.AddMonths(1):yyyy-MM-dd}'))")) + ")");
        await db.ExecuteAsync($"INSERT INTO {db.Name} VALUES " + string.Join(", ", months.Select(m => $"({m.Month}, '{m:yyyy-MM}-15'), ({m.Month + 100}, '{m:yyyy-MM}-28')")));
        var limit = MonthlyPartitions.RetentionLimit(Today, 3);
        Assert.Equal(new DateOnly(2026, 8, 1), limit);

        var planned = await MonthlyPartitions.PlanRetirementAsync(db.Connection, db.Name, limit, CancellationToken.None);
        var names = months.Take(3).Select(m => db.IsPostgres ? $"{db.Name}_{m:yyyy_MM}" : $"p{m:yyyy_MM}").ToList();
        Assert.Equal(names, planned.Select(p => p.Name));
        Assert.Equal(new DateTime(2026, 8, 1), planned[^1].To);

        var detached = await MonthlyPartitions.RetireAsync(db.Connection, planned.Take(1).ToList(), detach: true, NullOperationLog.Instance, CancellationToken.None);
        var dropped = await MonthlyPartitions.RetireAsync(db.Connection, planned.Skip(1).ToList(), detach: false, NullOperationLog.Instance, CancellationToken.None);
        var detachedTable = db.Track(detached[0].DetachedTable!.Split('.')[^1]);

        Assert.Equal([MonthlyPartitionState.Detached, MonthlyPartitionState.Dropped, MonthlyPartitionState.Dropped], detached.Concat(dropped).Select(p => p.State));
        Assert.Equal(["5", "105"], await db.QueryAsync($"SELECT id FROM {detachedTable} ORDER BY id"));
        Assert.Equal(["8", "9", "10", "11", "108", "109", "110", "111"], await db.QueryAsync($"SELECT id FROM {db.Name} ORDER BY id"));
        Assert.Equal(4, (await MonthlyPartitions.GetAsync(db.Connection, db.Name, CancellationToken.None)).Count);
        Assert.Empty(await MonthlyPartitions.PlanRetirementAsync(db.Connection, db.Name, limit, CancellationToken.None));
    }

    [EngineTheory]
    [BothEngines]
    public async Task A_table_not_partitioned_by_a_date_range_is_refused_by_name(DatabaseProvider provider)
    {
        await using var stock = await StockTable.CreateAsync(provider);
        var error = await Assert.ThrowsAsync<BatchDbException>(() => MonthlyPartitions.PlanPremakeAsync(stock.Connection, stock.Name, 3, Today, CancellationToken.None));
        Assert.Equal((ErrorIds.PartitionLayoutInvalid, true), (error.ErrorId, error.Message.Contains(stock.Name, StringComparison.OrdinalIgnoreCase)));
    }
}
