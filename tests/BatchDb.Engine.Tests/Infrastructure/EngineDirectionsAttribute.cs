using System.Reflection;
using BatchDb.Engine.Connections;
using Xunit.Sdk;

namespace BatchDb.Engine.Tests.Infrastructure;

/// <summary>Runs a theory for each source and destination engine pair: MariaDB → PostgreSQL, PostgreSQL → MariaDB, and each engine to itself.</summary>
public sealed class EngineDirectionsAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) =>
    [
        [DatabaseProvider.MySql, DatabaseProvider.PostgreSql],
        [DatabaseProvider.PostgreSql, DatabaseProvider.MySql],
        [DatabaseProvider.MySql, DatabaseProvider.MySql],
        [DatabaseProvider.PostgreSql, DatabaseProvider.PostgreSql],
    ];
}
