using BatchDb.Engine.Connections;

namespace BatchDb.Engine.Executions;

/// <summary>
/// The ledger of one database: its schema (a database on MySQL), its version, the version it had before
/// (null when it was created now), and the statements that were run (or, for a plan, would run).
/// </summary>
public sealed record LedgerInfo(BatchDbConnection Connection, string Schema, int Version, int? PreviousVersion, IReadOnlyList<string> Statements);
