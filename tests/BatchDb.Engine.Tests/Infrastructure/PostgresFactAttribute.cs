namespace BatchDb.Engine.Tests.Infrastructure;

/// <summary>A test against the PostgreSQL test server: skipped locally without it, failed on CI without it.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute() => Skip = TestServers.SkipReason(TestServers.PostgresVariable);
}
