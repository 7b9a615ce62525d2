namespace BatchDb.Engine.Tests.Infrastructure;

/// <summary>A theory against both test servers: skipped locally unless both are there, failed on CI without them.</summary>
public sealed class EngineTheoryAttribute : TheoryAttribute
{
    public EngineTheoryAttribute() =>
        Skip = TestServers.SkipReason(TestServers.MySqlVariable) ?? TestServers.SkipReason(TestServers.PostgresVariable);
}
