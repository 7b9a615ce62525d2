using System.Reflection;
using BatchDb.Engine.Connections;
using Xunit.Sdk;

namespace BatchDb.Engine.Tests.Infrastructure;

/// <summary>Runs a theory once on MariaDB/MySQL and once on PostgreSQL.</summary>
public sealed class BothEnginesAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) =>
        [[DatabaseProvider.MySql], [DatabaseProvider.PostgreSql]];
}
