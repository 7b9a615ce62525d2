namespace BatchDb.Engine.Tests.Infrastructure;

/// <summary>A test against the MariaDB/MySQL test server: skipped locally without it, failed on CI without it.</summary>
public sealed class MySqlFactAttribute : FactAttribute
{
    public MySqlFactAttribute() => Skip = TestServers.SkipReason(TestServers.MySqlVariable);
}
