using System.Globalization;
using BatchDb.Bench;
using BatchDb.Bench.Infrastructure;
using BatchDb.Bench.Reporting;
using BatchDb.Bench.Scenarios;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

var servers = new List<BenchServer>();
foreach (var (engine, variable) in new[] { ("postgres", "BATCHDB_TEST_POSTGRES"), ("mariadb", "BATCHDB_TEST_MYSQL") })
{
    if (!options.Engines.Contains(engine))
    {
        continue;
    }

    var connectionString = Environment.GetEnvironmentVariable(variable);
    if (string.IsNullOrEmpty(connectionString))
    {
        Console.Error.WriteLine($"{variable} is not set: start the servers with scripts/bench.sh (or scripts/test-servers.sh start, then source its env file).");
        return 2;
    }

    servers.Add(engine == "postgres" ? new PostgresServer(connectionString) : new MariaDbServer(connectionString));
}

var contexts = new List<BenchContext>();
foreach (var server in servers)
{
    contexts.Add(new BenchContext(options, server, await server.ConnectAsync()));
}

var report = new MarkdownReport();
report.Heading(1, "BatchDb benchmarks");
report.Paragraph($"Written by `{("bash scripts/bench.sh " + options.CommandLine).TrimEnd()}` on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC. " +
    $"Every figure is the median of {options.Runs} runs unless it says otherwise; each method ran against the same server, " +
    "the same table definition and the same files, in one session of this program. Run it again to replace this file.");
report.Heading(2, "Machine and servers");
report.Bullets(MarkdownReport.Machine());
foreach (var context in contexts)
{
    report.Paragraph($"{context.Server.Name} settings (the same for every method; the servers are the ones scripts/test-servers.sh starts):");
    report.Table(["Setting", "Value"], context.Server.Settings().Select(s => (IReadOnlyList<string>)[s.Name, s.Value]));
}

report.Paragraph(
    "The data has the seed's T_STOCK shape: (STOCKHOUSE_ID INT, ITEM_ID CHAR(10), AMOUNT INT, VER_ID CHAR(1), UPD_DTTM DATETIME/timestamp), " +
    "LIST-partitioned by warehouse (P_S01…P_S05) with the seed's primary key and IDX_NO1. Warehouse 1 holds the measured rows; " +
    "warehouses 2…5 hold 1,000 rows each and are never touched. Files are quoted CSV as in the seed's T_STOCK.csv; " +
    "each copy of warehouse 1 has its own VER_ID, so a read that mixes two copies shows.");

var scenarios = new (string Name, string Title, string Intro, Func<BenchContext, MarkdownReport, Task> Run)[]
{
    ("load", "Load", "A CSV file of warehouse 1 into its empty work table. BatchDb is the engine path of `Import-WorkTable` (load, then the checks: rows inside the partition, row count against the live partition, ANALYZE); the outside client is run as a separate process, so its time includes starting it and connecting. Row-by-row and 1,000-row INSERTs run over ADO.NET in this process.", LoadBenchmark.RunAsync),
    ("index", "Index after load", "The same import with the work table's indexes (the primary key and IDX_NO1) built after the load, by sorting, and with them kept up to date during it, against the outside client loading into the indexed work table; warehouse 1's file in key order and shuffled. On PostgreSQL the indexes are dropped, the rows copied and the indexes built in one transaction, with maintenance_work_mem raised to 256MB for it; on MariaDB the primary key stays (InnoDB keeps rows in its order) and IDX_NO1 is dropped and added again.", IndexAfterLoadBenchmark.RunAsync),
    ("swap", "Swap under live readers", "Readers query 10 consecutive items of warehouse 1 at a fixed schedule from their own sessions; latency is measured from each query's scheduled start, so a reader held up also delays its next queries as a service's queue would. Every read must return 10 rows of one version.", SwapBenchmark.RunAsync),
    ("blocked", "Blocked swap", "A query holds the table for the blocking time while the switch is asked for; the readers keep querying. The lock step waits at most its timeout per attempt, and every reader that arrives meanwhile queues behind it, so the lock timeout is also the longest a reader is held.", BlockedSwapBenchmark.RunAsync),
    ("burst", "The 10:00 burst", "The seed's morning burst: ten warehouses' files of 100,000 rows arrive together, and each replaces its warehouse's partition of a ten-partition table while the readers query all ten warehouses. " +
        "BatchDb runs as an operator runs it, in a real pwsh from the built module, in the two forms a script takes; the hand-written script runs the outside client per warehouse, all at once, with no checks. " +
        "*Process* is from starting pwsh (or bash) to its exit; *inside pwsh* is what the script measured from its first line (importing the module and connecting included) to its last. " +
        "The methods take turns, each run loading the version that is not live, and every warehouse is checked after every run.", BurstBenchmark.RunAsync),
    ("naive", "Naive replacement", "Replacing warehouse 1's rows with a new copy from a file, while the readers run: BatchDb's load + switch against the two replacements a script would write by hand, both using the outside client's bulk load so that only the method differs.", NaiveReplacementBenchmark.RunAsync),
};
foreach (var scenario in scenarios.Where(s => options.Scenarios.Contains(s.Name)))
{
    report.Heading(2, scenario.Title);
    report.Paragraph(scenario.Intro);
    foreach (var context in contexts)
    {
        await scenario.Run(context, report);
        report.Save(options.ReportPath);
    }
}

// Change capture reads the PostgreSQL server and writes into each engine's staging.
if (options.Scenarios.Contains("cdc") && contexts.Find(c => c.Server.Provider == BatchDb.Engine.Connections.DatabaseProvider.PostgreSql) is { } postgres)
{
    report.Heading(2, "Change capture");
    report.Paragraph("Receive-ChangeCapture's engine path draining a capture after a burst at the source: every row of a table inserted in one " +
        "transaction, then every row updated in one transaction (id, UUID, DECIMAL, Japanese text, a timestamp). One run per burst; " +
        "the rows in staging are checked after each.");
    foreach (var context in contexts)
    {
        await CaptureBenchmark.RunAsync(postgres, context, report);
        report.Save(options.ReportPath);
    }
}

// Extracts run between the two servers, in each direction.
if (options.Scenarios.Contains("extract") && contexts.Find(c => c.Server.Provider == BatchDb.Engine.Connections.DatabaseProvider.PostgreSql) is { } extractPostgres
    && contexts.Find(c => c.Server.Provider == BatchDb.Engine.Connections.DatabaseProvider.MySql) is { } extractMariaDb)
{
    report.Heading(2, "Extract");
    report.Paragraph("Copy-BatchData's engine path copying a whole orders table of the seed's online shape (UUID ids, DECIMAL(15,2), timestamps to the microsecond, " +
        "text with Japanese, quotes and commas; an index on updated_at, the watermark column, as a table read incrementally has) into an unindexed staging table, in each direction between the two servers, against the pipe an operator would " +
        "build by hand, run as separate processes. Every run starts from a settled target server (PostgreSQL after a CHECKPOINT, InnoDB with its dirty pages " +
        "written out), so that no run pays for the writes of the one before it. After every run the staging table is compared row for row with the source (a hash of every row's values), " +
        "so a fast wrong copy fails the benchmark.");
    await ExtractBenchmark.RunAsync(extractPostgres, extractMariaDb, report);
    report.Save(options.ReportPath);
}

foreach (var context in contexts)
{
    context.Server.DropStock();
}

report.Save(options.ReportPath);
Console.Error.WriteLine($"Report written to {options.ReportPath}.");
return 0;
