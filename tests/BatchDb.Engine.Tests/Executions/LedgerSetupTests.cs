using BatchDb.Engine.Connections;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Executions;
using BatchDb.Engine.Tests.Infrastructure;

namespace BatchDb.Engine.Tests.Executions;

public sealed class LedgerSetupTests
{
    [EngineTheory]
    [BothEngines]
    public async Task Initialize_creates_the_ledger_once_and_then_changes_nothing(DatabaseProvider provider)
    {
        await using var ledger = await TestLedger.CreateAsync(provider, initialize: false);

        var plan = await BatchLedger.PlanAsync(ledger.Connection, CancellationToken.None);
        Assert.Null(plan.PreviousVersion);
        Assert.Contains(plan.Statements, s => s.Contains("CREATE TABLE IF NOT EXISTS") && s.Contains("batch_executions"));
        Assert.Contains(plan.Statements, s => s.Contains("batch_schedule"));
        Assert.Equal(0, await CountTablesAsync(ledger));

        var created = await BatchLedger.InitializeAsync(ledger.Connection, CancellationToken.None);
        Assert.Equal(2, created.Version);
        Assert.Equal(ledger.Schema, created.Schema);
        Assert.Equal(4, await CountTablesAsync(ledger));
        Assert.Equal(["1", "2"], await ledger.Db.QueryAsync($"SELECT version FROM {ledger.Schema}.batch_ledger_version ORDER BY version"));

        var again = await BatchLedger.InitializeAsync(ledger.Connection, CancellationToken.None);
        Assert.Equal(2, again.PreviousVersion);
        Assert.Empty(again.Statements);
        Assert.Equal(["1", "2"], await ledger.Db.QueryAsync($"SELECT version FROM {ledger.Schema}.batch_ledger_version ORDER BY version"));
    }

    [EngineTheory]
    [BothEngines]
    public async Task A_version_1_ledger_is_upgraded_in_place_and_keeps_its_executions(DatabaseProvider provider)
    {
        await using var ledger = await TestLedger.CreateAsync(provider);
        await using (var run = await BatchRuns.StartAsync(ledger.Connection, new RunOptions { BatchName = "before-upgrade" }, Diagnostics.NullOperationLog.Instance, CancellationToken.None))
        {
            await run.CompleteAsync(ExecutionStatus.Succeeded, 3, null, CancellationToken.None);
        }

        await ledger.Db.ExecuteAsync($"DROP TABLE {ledger.Schema}.batch_watermarks");
        await ledger.Db.ExecuteAsync($"DELETE FROM {ledger.Schema}.batch_ledger_version WHERE version = 2");

        var upgraded = await BatchLedger.InitializeAsync(ledger.Connection, CancellationToken.None);

        Assert.Equal((1, 2), (upgraded.PreviousVersion, upgraded.Version));
        Assert.DoesNotContain(upgraded.Statements, s => s.Contains("batch_executions", StringComparison.Ordinal));
        Assert.Equal(4, await CountTablesAsync(ledger));
        Assert.Equal(["before-upgrade|Succeeded|3"], await ledger.RowsAsync("batch_name, status, records_processed"));
    }

    [EngineTheory]
    [BothEngines]
    public async Task A_batch_executions_table_that_BatchDb_did_not_make_is_not_adopted(DatabaseProvider provider)
    {
        await using var ledger = await TestLedger.CreateAsync(provider, initialize: false);
        await ledger.Db.ExecuteAsync(ledger.Db.IsPostgres ? $"CREATE SCHEMA {ledger.Schema}" : $"CREATE DATABASE {ledger.Schema}");
        await ledger.Db.ExecuteAsync($"""
            CREATE TABLE {ledger.Executions} (batch_id VARCHAR(50) PRIMARY KEY, batch_name VARCHAR(100), start_time TIMESTAMP NULL,
              end_time TIMESTAMP NULL, status VARCHAR(20), records_processed INT, error_message TEXT)
            """);

        var error = await Assert.ThrowsAsync<BatchDbException>(() => BatchLedger.InitializeAsync(ledger.Connection, CancellationToken.None));

        Assert.Equal(ErrorIds.LedgerConflict, error.ErrorId);
        Assert.Contains("was not created by BatchDb", error.Message);
        Assert.Equal(1, await CountTablesAsync(ledger));
    }

    [EngineTheory]
    [BothEngines]
    public async Task Reading_a_database_without_a_ledger_says_to_initialize_it(DatabaseProvider provider)
    {
        await using var ledger = await TestLedger.CreateAsync(provider, initialize: false);

        var error = await Assert.ThrowsAsync<BatchDbException>(() => BatchLedger.GetExecutionsAsync(ledger.Connection, new ExecutionQuery(), CancellationToken.None));

        Assert.Equal(ErrorIds.LedgerNotFound, error.ErrorId);
        Assert.Contains("Run Initialize-BatchSchema first", error.Message);
    }

    private static async Task<int> CountTablesAsync(TestLedger ledger) =>
        int.Parse((await ledger.Db.QueryAsync(
            $"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '{ledger.Schema}' AND table_name LIKE 'batch%'"))[0]);
}
