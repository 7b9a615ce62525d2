using System.Management.Automation;
using BatchDb.Engine.Executions;

namespace BatchDb.Commands;

/// <summary>
/// Initialize-BatchSchema: creates the batch ledger (executions, schedules, schema version) in the connection's
/// ledger schema, or upgrades it; on a current ledger it changes nothing. -WhatIf shows the DDL.
/// </summary>
[Cmdlet(VerbsData.Initialize, "BatchSchema", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(LedgerInfo))]
public sealed class InitializeBatchSchemaCommand : BatchDbDataCmdlet
{
    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        var plan = RunEngine((_, _, token) => BatchLedger.PlanAsync(connection, token));
        if (plan.Statements.Count == 0)
        {
            WriteVerbose($"The ledger in {plan.Schema} is at version {plan.Version}; nothing to do.");
            WriteObject(plan);
            return;
        }

        var ddl = string.Join(";" + Environment.NewLine, plan.Statements) + ";";
        if (!ShouldProcess($"Create the batch ledger (version {plan.Version}) in {plan.Schema} on {connection}:{Environment.NewLine}{ddl}",
            $"Create the batch ledger in {plan.Schema}?", "Initialize-BatchSchema"))
        {
            return;
        }

        WriteObject(RunEngine((_, _, token) => BatchLedger.InitializeAsync(connection, token)));
    }
}
