namespace BatchDb.Engine.Tests.Infrastructure;

/// <summary>Where the test servers are: connection strings from the environment that scripts/test-servers.sh sets.</summary>
internal static class TestServers
{
    public const string MySqlVariable = "BATCHDB_TEST_MYSQL";
    public const string PostgresVariable = "BATCHDB_TEST_POSTGRES";

    public static readonly string HowToStart =
        "Start the test servers and run the tests with: bash scripts/test-servers.sh run -- bash scripts/test.sh";

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string MySql => Require(MySqlVariable);

    public static string Postgres => Require(PostgresVariable);

    /// <summary>The reason to skip a test that needs <paramref name="variable"/>, or null to run it (always on CI).</summary>
    public static string? SkipReason(string variable) =>
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)) && !IsCi
            ? $"{variable} is not set. {HowToStart}"
            : null;

    private static string Require(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{variable} is not set (CI=true requires the database servers). {HowToStart}");
}
