using BatchDb.Engine.Aggregates;
using BatchDb.Engine.Connections;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Executions;
using BatchDb.Engine.Extracts;
using BatchDb.Engine.Partitioning;
using BatchDb.Engine.Sql;
using BatchDb.Engine.Switching;
using BatchDb.Engine.Tests.Infrastructure;
using BatchDb.Engine.ViewSwitching;
using BatchDb.Engine.WorkTables;

namespace BatchDb.Engine.Tests.Connections;

/// <summary>A feature takes what it needs from a session with Require; an engine without it says so in one error.</summary>
public sealed class CapabilityTests
{
    [Capability("change capture from a replication slot")]
    internal interface IOnlySomeEnginesHave
    {
    }

    [EngineTheory]
    [BothEngines]
    public async Task A_session_has_every_capability_of_the_features_and_refuses_one_it_lacks(DatabaseProvider provider)
    {
        var connection = await DatabaseEngines.ConnectAsync(new ConnectionOptions
        {
            Provider = provider,
            ConnectionString = provider == DatabaseProvider.MySql ? TestServers.MySql : TestServers.Postgres,
        }, CancellationToken.None);
        await using var session = await connection.OpenSessionAsync(CancellationToken.None);

        Assert.Same(session, session.Require<ISwapSession>());
        Assert.Same(session, session.Require<IWorkTableSession>());
        Assert.Same(session, session.Require<IViewSwitchSession>());
        Assert.Same(session, session.Require<IRangePartitionSession>());
        Assert.Same(session, session.Require<ILedgerSession>());
        Assert.Same(session, session.Require<IUpsertSession>());
        Assert.Same(session, session.Require<IBulkCopySession>());

        var error = Assert.Throws<BatchDbException>(() => session.Require<IOnlySomeEnginesHave>());
        Assert.Equal(BatchDbErrorKind.NotSupported, error.Kind);
        Assert.Equal(ErrorIds.NotSupported, error.ErrorId);
        var engine = provider == DatabaseProvider.MySql ? "MariaDB" : "PostgreSQL";
        Assert.Equal($"Change capture from a replication slot is not supported on {engine}.", error.Message);
    }
}
