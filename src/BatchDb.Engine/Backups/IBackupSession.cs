using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Backups;

/// <summary>What backups need from a database: its dump and restore programs, reading a dump, scratch databases, row counts.</summary>
[Capability("backups")]
internal interface IBackupSession
{
    /// <summary>The extension of this engine's dump files, with its dot.</summary>
    string DumpExtension { get; }

    /// <summary>The program that writes <paramref name="target"/>'s database to <paramref name="path"/>, naming each table on standard error as it goes.</summary>
    ClientTool Dump(DumpTarget target, string path);

    /// <summary>The database to connect to while another one is dropped and created again.</summary>
    string MaintenanceDatabase { get; }

    /// <summary>The program that restores the dump at <paramref name="path"/> into <paramref name="target"/>'s database, which is empty.</summary>
    ClientTool Restore(DumpTarget target, string path, bool keepOwners);

    /// <summary>Reads the dump whole (running a program with <paramref name="run"/> where the engine has one); returns the tables whose data it holds.</summary>
    Task<int> VerifyDumpAsync(string path, Func<ClientTool, Task<string>> run, CancellationToken cancellationToken);

    Task CreateDatabaseAsync(string name, CancellationToken cancellationToken);

    Task DropDatabaseAsync(string name, CancellationToken cancellationToken);

    /// <summary>The exact row count of every table of the session's database (leaf tables only: a partitioned table's rows are its partitions').</summary>
    Task<IReadOnlyDictionary<string, long>> CountRowsAsync(CancellationToken cancellationToken);
}
