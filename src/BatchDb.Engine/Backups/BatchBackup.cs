using BatchDb.Engine.Connections;

namespace BatchDb.Engine.Backups;

/// <summary>A dump Backup-BatchDatabase wrote and checked, and the older dumps of the database it removed.</summary>
/// <param name="Tables">The tables whose data the dump holds.</param>
/// <param name="Verification">What was checked, for example "restored into shop_verify_1a2b3c4d: 12 tables, row counts equal".</param>
/// <param name="Removed">The dumps of this database older than -RetentionDays that were deleted.</param>
public sealed record BatchBackup(BatchDbConnection Connection, string Database, string Path, long SizeBytes, int Tables, string Verification,
    IReadOnlyList<string> Removed, TimeSpan Elapsed);
