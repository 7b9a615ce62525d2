namespace BatchDb.Engine.Backups;

/// <summary>Where Backup-BatchDatabase writes, how it checks the dump, and how long this database's dumps are kept.</summary>
internal sealed record BackupRequest(string Folder, BackupVerification Verification, int? RetentionDays);
