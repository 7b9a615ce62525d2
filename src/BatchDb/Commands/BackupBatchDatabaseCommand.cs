using System.Management.Automation;
using BatchDb.Engine.Backups;

namespace BatchDb.Commands;

/// <summary>
/// Backup-BatchDatabase: dumps the -Connection's database with the engine's own program (pg_dump -Fc; mariadb-dump
/// --single-transaction) into a file named by database and time in -Path, reads the dump back whole (-Verify Restore
/// also restores it into a scratch database and compares every table's row count), and with -RetentionDays deletes
/// this database's dumps older than that, and no other file. The password reaches the program through its
/// environment, never its command line.
/// </summary>
[Cmdlet(VerbsData.Backup, "BatchDatabase", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(BatchBackup))]
public sealed class BackupBatchDatabaseCommand : BatchDbChangeCmdlet
{
    // Boxed, as ConnectBatchDbCommand.Provider is: PowerShell lists the module's public types before BatchDb.Engine can load.
    private object _verify = BackupVerification.List;

    /// <summary>The folder the dump is written to; the current folder by default.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = ".";

    /// <summary>How the dump is checked: List (read back whole) or Restore (also restored into a scratch database and compared).</summary>
    [Parameter]
    public BackupVerification Verify { get => (BackupVerification)_verify; set => _verify = value; }

    /// <summary>Delete this database's dumps in -Path that are older than this many days.</summary>
    [Parameter]
    [ValidateRange(1, 36500)]
    public int? RetentionDays { get; set; }

    protected override void ProcessRecordCore()
    {
        var connection = ResolveConnection();
        var folder = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        var action = $"Dump {connection.Database} into {folder}" + (RetentionDays is { } days ? $" and delete its dumps older than {days} days there" : string.Empty);
        if (!ShouldProcess($"{connection.Database} on {connection}", action))
        {
            return;
        }

        WriteObject(RunRecorded(connection, connection.Database,
            new Dictionary<string, object?> { ["Path"] = folder, ["Verify"] = Verify.ToString(), ["RetentionDays"] = RetentionDays },
            countsTowardRun: false,
            (progress, log, token) => BatchBackups.BackupAsync(connection, new BackupRequest(folder, Verify, RetentionDays), progress, log, token),
            backup => backup.SizeBytes));
    }
}
