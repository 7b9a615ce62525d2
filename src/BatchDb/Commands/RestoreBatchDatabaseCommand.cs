using System.Management.Automation;
using BatchDb.Engine.Backups;

namespace BatchDb.Commands;

/// <summary>
/// Restore-BatchDatabase: makes the -Connection's database (or -Database on the same server) exactly a dump that
/// Backup-BatchDatabase wrote, after reading the dump back whole: the database is dropped, created again and filled. It is not recorded in the ledger: the dump may hold the ledger
/// itself, which the restore replaces.
/// </summary>
[Cmdlet(VerbsData.Restore, "BatchDatabase", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(BatchRestore))]
public sealed class RestoreBatchDatabaseCommand : BatchDbDataCmdlet
{
    /// <summary>The dump file.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>The database to restore into, on the -Connection's server; the connection's own by default. It is dropped and created again.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Database { get; set; }

    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        var file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        var into = Database ?? connection.Database;
        if (!ShouldProcess($"{into} on {connection}", $"Drop the database and create it again from {file}"))
        {
            return;
        }

        WriteObject(RunEngine((progress, _, token) => BatchBackups.RestoreAsync(connection, file, Database, progress, token)));
    }
}
