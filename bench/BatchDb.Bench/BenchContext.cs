using BatchDb.Bench.Infrastructure;
using BatchDb.Bench.Measurement;
using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Switching;
using BatchDb.Engine.WorkTables;

namespace BatchDb.Bench;

/// <summary>One engine's server, BatchDb's connection to it, and the files every scenario loads.</summary>
internal sealed class BenchContext(BenchOptions options, BenchServer server, BatchDbConnection connection)
{
    /// <summary>Rows in each of the warehouses 2…5, which no benchmark touches.</summary>
    private const int OtherWarehouseRows = 1_000;

    public BenchOptions Options { get; } = options;

    public BenchServer Server { get; } = server;

    public BatchDbConnection Connection { get; } = connection;

    /// <summary>Warehouse 1's <paramref name="rows"/> rows, all of version <paramref name="version"/>.</summary>
    public string WarehouseOne(int rows, char version) => StockCsv.Write(Options.WorkDirectory, [1], rows, version);

    /// <summary>
    /// T_STOCK afresh: warehouse 1 with <paramref name="rows"/> rows of version 1 (warehouses 2…5 with 1,000 each),
    /// and its empty work table made by the engine, as New-WorkTable makes it.
    /// </summary>
    public async Task CreateStockAsync(int rows)
    {
        Server.CreateStock(WarehouseOne(rows, '1'), StockCsv.Write(Options.WorkDirectory, [2, 3, 4, 5], OtherWarehouseRows, '1'));
        await WorkTableOperations.CreateAsync(Connection,
            new WorkTableRequest { Table = Server.Table, Partition = Server.Partition, WorkTable = Server.WorkTable }, NullOperationLog.Instance, CancellationToken.None);
    }

    /// <summary>Import-WorkTable's engine path: the file into the work table, checked.</summary>
    public Task<ImportResult> ImportAsync(string csv, IProgress<OperationProgress>? progress = null, long indexAfterLoadBytes = WorkTableOperations.IndexAfterLoadBytes) =>
        WorkTableOperations.ImportAsync(Connection,
            new ImportRequest { Table = Server.Table, Partition = Server.Partition, WorkTable = Server.WorkTable, Path = csv, IndexAfterLoadBytes = indexAfterLoadBytes },
            progress, NullOperationLog.Instance, CancellationToken.None);

    /// <summary>Switch-Partition's engine path: warehouse 1's partition with its work table, under <paramref name="retry"/> or the cmdlet's defaults.</summary>
    public Task<SwitchPartitionResult> SwitchAsync(LockRetryPolicy? retry = null) =>
        PartitionSwitcher.SwitchAsync(Connection,
            new SwitchPartitionRequest { Table = Server.Table, Partition = Server.Partition, WorkTable = Server.WorkTable, Retry = retry ?? new LockRetryPolicy() },
            NullOperationLog.Instance, CancellationToken.None);

    public ReaderLoad Readers(int rows) => new(Server, Options.Readers, Options.ReaderQueriesPerSecond, rows);

    public void Say(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {Server.Name}: {message}");
}
