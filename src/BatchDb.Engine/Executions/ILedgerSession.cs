using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Executions;

/// <summary>What the execution ledger needs from a database: the engine's pieces of the ledger's SQL.</summary>
[Capability("the execution ledger")]
internal interface ILedgerSession
{
    LedgerSql Ledger { get; }
}
