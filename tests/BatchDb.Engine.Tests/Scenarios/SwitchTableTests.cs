using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Switching;
using BatchDb.Engine.Tests.Infrastructure;
using BatchDb.Engine.ViewSwitching;
using BatchDb.Engine.WorkTables;

namespace BatchDb.Engine.Tests.Scenarios;

/// <summary>Whole-table swaps and view switches refuse what they must, and change nothing when they do.</summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class SwitchTableTests
{
    [EngineTheory]
    [BothEngines]
    public async Task A_lock_holder_makes_the_rename_give_up_and_name_it(DatabaseProvider provider)
    {
        await using var db = await CreateItemsAsync(provider);
        var work = db.Track(db.Name + "_work");
        await db.ExecuteAsync($"CREATE TABLE {work} AS SELECT * FROM {db.Name} WHERE 1 = 0");
        await db.ExecuteAsync($"ALTER TABLE {work} ADD PRIMARY KEY (id)");
        await db.ExecuteAsync($"INSERT INTO {work} VALUES (1, 'new')");

        await using var holder = await db.OpenAsync();
        await StockTable.ExecuteOnAsync(holder, db.IsPostgres ? $"BEGIN; SELECT count(*) FROM {db.Name};" : $"START TRANSACTION; SELECT COUNT(*) FROM {db.Name};");
        var holderId = Convert.ToInt64(await StockTable.ExecuteOnAsync(holder, db.IsPostgres ? "SELECT pg_backend_pid()" : "SELECT CONNECTION_ID()"));

        var policy = new LockRetryPolicy { LockWaitTimeout = TimeSpan.FromSeconds(1), MaxAttempts = 2, InitialDelay = TimeSpan.FromMilliseconds(100) };
        var error = await Assert.ThrowsAsync<LockTimeoutException>(() => TableSwitcher.SwitchAsync(db.Connection,
            new SwitchTableRequest { Table = db.Name, Retry = policy }, NullOperationLog.Instance, CancellationToken.None));

        Assert.Equal(2, error.Attempts);
        Assert.Contains(error.Blockers, b => b.SessionId == holderId);
        Assert.Contains("Nothing was changed", error.Message);
        await StockTable.ExecuteOnAsync(holder, "COMMIT");
        Assert.Equal(["1|old", "2|old"], await db.QueryAsync($"SELECT * FROM {db.Name} ORDER BY id"));
        Assert.Equal(["1|new"], await db.QueryAsync($"SELECT * FROM {work} ORDER BY id"));

        var result = await TableSwitcher.SwitchAsync(db.Connection, new SwitchTableRequest { Table = db.Name, Retry = policy }, NullOperationLog.Instance, CancellationToken.None);
        Assert.Equal("Rename", result.Method);
        Assert.Equal(["1|new"], await db.QueryAsync($"SELECT * FROM {db.Name} ORDER BY id"));
        Assert.Equal(["1|old", "2|old"], await db.QueryAsync($"SELECT * FROM {work} ORDER BY id"));
    }

    [EngineTheory]
    [BothEngines]
    public async Task A_work_table_with_another_column_type_is_refused(DatabaseProvider provider)
    {
        await using var db = await CreateItemsAsync(provider);
        var work = db.Track(db.Name + "_work");
        await db.ExecuteAsync($"CREATE TABLE {work} (id BIGINT PRIMARY KEY, name VARCHAR(20))");
        await db.ExecuteAsync($"INSERT INTO {work} VALUES (1, 'new')");

        var error = await Assert.ThrowsAsync<BatchDbException>(() => TableSwitcher.SwitchAsync(db.Connection,
            new SwitchTableRequest { Table = db.Name }, NullOperationLog.Instance, CancellationToken.None));

        Assert.Equal(ErrorIds.DefinitionMismatch, error.ErrorId);
        Assert.Contains("column id: live table has", error.Message);
        Assert.Contains("bigint", error.Message);
        Assert.Equal(["1|old", "2|old"], await db.QueryAsync($"SELECT * FROM {db.Name} ORDER BY id"));
    }

    [EngineTheory]
    [BothEngines]
    public async Task A_view_switch_is_set_up_once_and_a_foreign_view_is_refused(DatabaseProvider provider)
    {
        await using var db = await CreateItemsAsync(provider);
        db.Track(db.Name + "_a");
        db.Track(db.Name + "_b");
        var foreign = db.Track(db.Name + "_v");
        var enabled = await ViewSwitchOperations.EnableAsync(db.Connection, new ViewSwitchRequest { Table = db.Name }, NullOperationLog.Instance, CancellationToken.None);
        Assert.Equal(2, enabled.LiveRows);
        Assert.Equal(["1|old", "2|old"], await db.QueryAsync($"SELECT * FROM {db.Name} ORDER BY id"));

        var again = await Assert.ThrowsAsync<BatchDbException>(() => ViewSwitchOperations.EnableAsync(db.Connection,
            new ViewSwitchRequest { Table = db.Name }, NullOperationLog.Instance, CancellationToken.None));
        Assert.Equal(ErrorIds.ViewSwitchExists, again.ErrorId);

        await db.ExecuteAsync($"CREATE VIEW {foreign} AS SELECT * FROM {db.Name}_a");
        var notOurs = await Assert.ThrowsAsync<BatchDbException>(() => WorkTableOperations.ImportAsync(db.Connection,
            new ImportRequest { Table = foreign, Path = TestData.WriteCsv("3,x\n") }, null, NullOperationLog.Instance, CancellationToken.None));
        Assert.Equal(ErrorIds.ViewSwitchNotFound, notOurs.ErrorId);
        Assert.Contains("Enable-ViewSwitch", notOurs.Message);

        var empty = await Assert.ThrowsAsync<BatchDbException>(() => TableSwitcher.SwitchAsync(db.Connection,
            new SwitchTableRequest { Table = db.Name }, NullOperationLog.Instance, CancellationToken.None));
        Assert.Equal(ErrorIds.WorkTableEmpty, empty.ErrorId);
        Assert.Equal(["1|old", "2|old"], await db.QueryAsync($"SELECT * FROM {db.Name} ORDER BY id"));
        await db.ExecuteAsync($"DELETE FROM {ViewSwitchControl.Table} WHERE view_name = '{db.Name}'");
    }

    private static async Task<StockTable> CreateItemsAsync(DatabaseProvider provider)
    {
        var db = await StockTable.CreateEmptyAsync(provider, provider == DatabaseProvider.PostgreSql ? "m_item" : "M_ITEM");
        await db.ExecuteAsync($"CREATE TABLE {db.Name} (id INT PRIMARY KEY, name VARCHAR(20))");
        await db.ExecuteAsync($"INSERT INTO {db.Name} VALUES (1, 'old'), (2, 'old')");
        return db;
    }
}
