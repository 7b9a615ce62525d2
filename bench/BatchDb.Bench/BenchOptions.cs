using System.Globalization;

namespace BatchDb.Bench;

/// <summary>What one benchmark run measures; every value can be set on the command line (see <see cref="Usage"/>).</summary>
internal sealed record BenchOptions
{
    public const string Usage = """
        usage: BatchDb.Bench [options]
          --sizes 100000,1000000   rows in the switched partition (default 100000,1000000)
          --large                  add 10,000,000 rows to the sizes
          --runs N                 runs per measurement; the report shows medians (default 5, at least 5 for a report)
          --only load,index,swap,blocked,naive,burst,cdc,extract   scenarios to run (default all; cdc needs the PostgreSQL server, extract both)
          --engines postgres,mariadb       engines to run (default both)
          --report PATH            where the markdown report goes (default docs/benchmarks.md)
          --work-dir PATH          where CSV files are written (default a folder under /tmp)
        Connection strings come from BATCHDB_TEST_POSTGRES and BATCHDB_TEST_MYSQL (scripts/test-servers.sh sets them).
        """;

    public IReadOnlyList<int> Sizes { get; init; } = [100_000, 1_000_000];

    public int Runs { get; init; } = 5;

    public IReadOnlySet<string> Scenarios { get; init; } = new HashSet<string> { "load", "index", "swap", "blocked", "naive", "burst", "cdc", "extract" };

    public IReadOnlySet<string> Engines { get; init; } = new HashSet<string> { "postgres", "mariadb" };

    public string ReportPath { get; init; } = Path.Combine("docs", "benchmarks.md");

    public string WorkDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "batchdb-bench");

    /// <summary>Reader clients querying the partition, and their queries per second in all.</summary>
    public int Readers { get; init; } = 8;

    public int ReaderQueriesPerSecond { get; init; } = 200;

    public int Switches { get; init; } = 50;

    /// <summary>How long the blocking query of the blocked-swap scenario holds the table.</summary>
    public TimeSpan BlockingQuery { get; init; } = TimeSpan.FromSeconds(30);

    public string CommandLine { get; init; } = string.Empty;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions { CommandLine = string.Join(' ', args) };
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            options = args[i] switch
            {
                "--sizes" => options with { Sizes = Value().Split(',').Select(s => int.Parse(s, NumberStyles.AllowThousands, CultureInfo.InvariantCulture)).ToList() },
                "--large" => options with { Sizes = [.. options.Sizes, 10_000_000] },
                "--runs" => options with { Runs = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--only" => options with { Scenarios = Names(Value(), options.Scenarios) },
                "--engines" => options with { Engines = Names(Value(), options.Engines) },
                "--report" => options with { ReportPath = Value() },
                "--work-dir" => options with { WorkDirectory = Value() },
                "--help" or "-h" => throw new ArgumentException(Usage),
                _ => throw new ArgumentException($"Unknown option {args[i]}.\n{Usage}"),
            };
        }

        if (options.Runs < 1 || options.Sizes.Count == 0 || options.Sizes.Any(s => s < 1_000))
        {
            throw new ArgumentException($"Runs must be at least 1 and every size at least 1000 rows.\n{Usage}");
        }

        return options;
    }

    private static HashSet<string> Names(string list, IReadOnlySet<string> known)
    {
        var names = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(n => n.ToLowerInvariant()).ToHashSet();
        var unknown = names.Except(known).ToList();
        return unknown.Count == 0 ? names : throw new ArgumentException($"Unknown name(s): {string.Join(", ", unknown)}; known: {string.Join(", ", known)}.\n{Usage}");
    }
}
