using BatchDb.Engine.Naming;

namespace BatchDb.Engine.Executions;

/// <summary>The ledger's tables in one schema (a database on MySQL).</summary>
internal sealed record LedgerTables(string Schema)
{
    public const int CurrentVersion = 2;

    public QualifiedName Executions { get; } = QualifiedName.Parse($"{Schema}.batch_executions");

    public QualifiedName Schedule { get; } = QualifiedName.Parse($"{Schema}.batch_schedule");

    public QualifiedName Watermarks { get; } = QualifiedName.Parse($"{Schema}.batch_watermarks");

    public QualifiedName Version { get; } = QualifiedName.Parse($"{Schema}.batch_ledger_version");
}
