using BatchDb.Engine.Connections;

namespace BatchDb.Engine.Backups;

/// <summary>A dump Restore-BatchDatabase restored, and into which database.</summary>
public sealed record BatchRestore(BatchDbConnection Connection, string Database, string Path, int Tables, TimeSpan Elapsed);
