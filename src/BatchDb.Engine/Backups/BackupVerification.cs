namespace BatchDb.Engine.Backups;

/// <summary>How Backup-BatchDatabase checks a dump it has written.</summary>
public enum BackupVerification
{
    /// <summary>Read the dump whole: on PostgreSQL pg_restore --list and every data block; on MySQL every table's data section and the completion trailer.</summary>
    List,

    /// <summary>Also restore it into a scratch database, compare the row count of every table with the source, and drop the scratch database.</summary>
    Restore,
}
