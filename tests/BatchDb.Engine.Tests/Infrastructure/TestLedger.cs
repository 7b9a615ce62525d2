using BatchDb.Engine;
using BatchDb.Engine.Connections;
using BatchDb.Engine.Executions;

namespace BatchDb.Engine.Tests.Infrastructure;

/// <summary>
/// A ledger of one test's own, in a schema (PostgreSQL) or database (MySQL) named for it, so tests that fill
/// and count executions run in parallel without seeing each other's; dropped afterwards.
/// </summary>
internal sealed class TestLedger : IAsyncDisposable
{
    private TestLedger(StockTable db, BatchDbConnection connection, string schema)
    {
        Db = db;
        Connection = connection;
        Schema = schema;
    }

    /// <summary>SQL access and table clean-up on the same server.</summary>
    public StockTable Db { get; }

    /// <summary>A connection whose ledger is <see cref="Schema"/>.</summary>
    public BatchDbConnection Connection { get; }

    public string Schema { get; }

    public string Executions => $"{Schema}.batch_executions";

    public static async Task<TestLedger> CreateAsync(DatabaseProvider provider, bool initialize = true)
    {
        var db = await StockTable.CreateEmptyAsync(provider, "items");
        var schema = "ledger_" + Guid.NewGuid().ToString("N")[..10];
        var connection = await ConnectAsync(provider, schema);
        var ledger = new TestLedger(db, connection, schema);
        if (initialize)
        {
            await BatchLedger.InitializeAsync(connection, CancellationToken.None);
        }

        return ledger;
    }

    /// <summary>Another connection to the same ledger, as a second host would have.</summary>
    public Task<BatchDbConnection> ConnectAgainAsync() => ConnectAsync(Db.Provider, Schema);

    public async Task<List<string>> RowsAsync(string columns, string where = "1 = 1") =>
        await Db.QueryAsync($"SELECT {columns} FROM {Executions} WHERE {where} ORDER BY execution_id");

    public async ValueTask DisposeAsync()
    {
        await Db.ExecuteAsync(Db.IsPostgres ? $"DROP SCHEMA IF EXISTS {Schema} CASCADE" : $"DROP DATABASE IF EXISTS {Schema}");
        await Db.DisposeAsync();
    }

    private static Task<BatchDbConnection> ConnectAsync(DatabaseProvider provider, string schema) =>
        DatabaseEngines.ConnectAsync(new ConnectionOptions
        {
            Provider = provider,
            ConnectionString = provider == DatabaseProvider.PostgreSql ? TestServers.Postgres : TestServers.MySql,
            LedgerSchema = schema,
            Name = "ledger-test",
        }, CancellationToken.None);
}
