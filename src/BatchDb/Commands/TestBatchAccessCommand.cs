using System.Management.Automation;
using BatchDb.Engine.Access;
using BatchDb.Completion;

namespace BatchDb.Commands;

/// <summary>
/// Test-BatchAccess: tells whether the -Connection's login holds what the chosen capabilities need on its database,
/// and lists exactly what it lacks; a runbook checks this before it starts. -Quiet returns only true or false.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "BatchAccess")]
[OutputType(typeof(BatchAccessCheck), typeof(bool))]
public sealed class TestBatchAccessCommand : BatchDbAccessCmdlet
{
    // Boxed, as ConnectBatchDbCommand.Provider is: PowerShell lists the module's public types before BatchDb.Engine can load.
    private object _capability = Array.Empty<BatchCapability>();

    [Parameter(Mandatory = true, Position = 0)]
    public BatchCapability[] Capability { get => (BatchCapability[])_capability; set => _capability = value; }

    /// <summary>Return true when every capability is granted, else false, instead of the checks.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        var request = new AccessRequest { Capabilities = Capability, Tables = Table, Schema = Schema, Where = connection.ToString() };
        var checks = RunEngine((_, _, token) => BatchAccess.TestAsync(connection, request, token));
        if (Quiet)
        {
            WriteObject(checks.All(c => c.Granted));
            return;
        }

        WriteObject(checks, enumerateCollection: true);
    }
}
