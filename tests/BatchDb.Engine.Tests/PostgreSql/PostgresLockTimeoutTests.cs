using System.Diagnostics;
using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Switching;
using BatchDb.Engine.Tests.Infrastructure;
using BatchDb.Engine.WorkTables;

namespace BatchDb.Engine.Tests.PostgreSql;

/// <summary>A session holding a lock on the table: the switch gives up, names it, and never holds readers longer than its lock wait.</summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class PostgresLockTimeoutTests
{
    [PostgresFact]
    public async Task A_lock_holder_makes_the_switch_give_up_name_it_and_hold_readers_no_longer_than_the_lock_wait()
    {
        await using var stock = await StockTable.CreateAsync(DatabaseProvider.PostgreSql);
        stock.Track(stock.WorkTable);
        await WorkTableOperations.ImportAsync(stock.Connection,
            new ImportRequest { Table = stock.Name, Partition = stock.Partition(), WorkTable = stock.WorkTable, Path = TestData.Path("T_STOCK_S01.csv") },
            null, NullOperationLog.Instance, CancellationToken.None);
        var before = await stock.AllRowsAsync();
        var workBefore = await stock.AllRowsAsync(stock.WorkTable);

        await using var holder = await stock.OpenAsync();
        await StockTable.ExecuteOnAsync(holder, $"BEGIN; SELECT count(*) FROM {stock.Name};");
        var holderPid = Convert.ToInt64(await StockTable.ExecuteOnAsync(holder, "SELECT pg_backend_pid()"));

        using var stop = new CancellationTokenSource();
        var latencies = new List<TimeSpan>();
        var reader = Task.Run(async () =>
        {
            await using var connection = await stock.OpenAsync();
            while (!stop.IsCancellationRequested)
            {
                var watch = Stopwatch.StartNew();
                await StockTable.ExecuteOnAsync(connection, $"SELECT count(*) FROM {stock.Name} WHERE stockhouse_id = 3");
                latencies.Add(watch.Elapsed);
                await Task.Delay(20);
            }
        });

        var policy = new LockRetryPolicy { LockWaitTimeout = TimeSpan.FromSeconds(1), MaxAttempts = 3, InitialDelay = TimeSpan.FromMilliseconds(200) };
        var error = await Assert.ThrowsAsync<LockTimeoutException>(() => SwitchAsync(stock, policy));
        await stop.CancelAsync();
        await reader;

        Assert.Equal(3, error.Attempts);
        Assert.Contains(error.Blockers, b => b.SessionId == holderPid && b.TransactionStartedAt is not null);
        Assert.Contains($"session {holderPid} ", error.Message);
        Assert.True(latencies.Count > 10, $"the reader ran only {latencies.Count} queries");
        Assert.True(latencies.Max() < TimeSpan.FromSeconds(1.5), $"a reader waited {latencies.Max().TotalMilliseconds:F0} ms: {string.Join(", ", latencies.Select(l => (int)l.TotalMilliseconds))}");

        await StockTable.ExecuteOnAsync(holder, "COMMIT");
        Assert.Equal(before, await stock.AllRowsAsync());
        Assert.Equal(workBefore, await stock.AllRowsAsync(stock.WorkTable));
        Assert.Equal(1, (await SwitchAsync(stock, policy)).Attempts);
        Assert.Equal(workBefore, (await stock.AllRowsAsync()).Where(r => r[0] == '1').ToList());
    }

    private static Task<SwitchPartitionResult> SwitchAsync(StockTable stock, LockRetryPolicy policy) =>
        PartitionSwitcher.SwitchAsync(stock.Connection,
            new SwitchPartitionRequest { Table = stock.Name, Partition = stock.Partition(), WorkTable = stock.WorkTable, Retry = policy },
            NullOperationLog.Instance, CancellationToken.None);
}
