using System.Management.Automation;
using BatchDb.Engine.Access;
using BatchDb.Completion;

namespace BatchDb.Commands;

/// <summary>
/// Grant-BatchAccess: gives a login exactly the privileges the chosen BatchDb capabilities need on the -Connection
/// database (ledger, work tables and swaps, staging, read-only source, change capture), creating the login from
/// -Credential or giving it that password when it exists. The password is sent as the server's verifier, never in
/// clear; -WhatIf prints every statement.
/// </summary>
[Cmdlet(VerbsSecurity.Grant, "BatchAccess", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = RoleSet)]
[OutputType(typeof(BatchAccessGrant))]
public sealed class GrantBatchAccessCommand : BatchDbAccessCmdlet
{
    private const string RoleSet = "Role";
    private const string LoginSet = "Login";

    // Boxed, as ConnectBatchDbCommand.Provider is: PowerShell lists the module's public types before BatchDb.Engine can load.
    private object _capability = Array.Empty<BatchCapability>();

    /// <summary>An existing role or user to grant to.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = RoleSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LoginNameCompleter))]
    public string Role { get; set; } = string.Empty;

    /// <summary>The login to create, or whose password to set, and grant to: its user name and password.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LoginSet)]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter(Mandatory = true)]
    public BatchCapability[] Capability { get => (BatchCapability[])_capability; set => _capability = value; }

    /// <summary>MySQL and MariaDB: the hosts the login may connect from; '%' (any) by default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string HostName { get; set; } = "%";

    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        var login = ParameterSetName == LoginSet ? Credential!.UserName : Role;
        var password = ParameterSetName == LoginSet ? Credential!.GetNetworkCredential().Password : null;
        var request = new AccessRequest { Capabilities = Capability, Tables = Table, Schema = Schema, HostName = HostName, Where = connection.ToString() };
        var planned = RunEngine((_, _, token) => BatchAccess.PlanAsync(connection, login, password, request, token));
        var approved = planned.Where(s => ShouldProcess($"login {login} on {connection}", s.Display)).ToList();
        if (approved.Count == 0)
        {
            return;
        }

        RunEngine(async (_, _, token) =>
        {
            await BatchAccess.ApplyAsync(connection, approved, token).ConfigureAwait(false);
            return true;
        });
        WriteObject(new BatchAccessGrant(connection, login, Capability, approved.Select(s => s.Display).ToList()));
    }
}
