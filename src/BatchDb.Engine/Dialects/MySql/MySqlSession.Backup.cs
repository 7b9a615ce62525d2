using BatchDb.Engine.Backups;
using BatchDb.Engine.Errors;

namespace BatchDb.Engine.Dialects.MySql;

/// <summary>Backups with mariadb-dump (or mysqldump) in one consistent transaction, read back for every table and the completion trailer.</summary>
internal sealed partial class MySqlSession : IBackupSession
{
    private const string ClientPackage = "mariadb-client";
    private const string TableDataMarker = "-- Dumping data for table ";
    private const string CompletionTrailer = "-- Dump completed";

    public string DumpExtension => ".sql";

    public ClientTool Dump(DumpTarget target, string path) =>
        new(["mariadb-dump", "mysqldump"],
            ["--single-transaction", "--routines", "--triggers", "--hex-blob", "--default-character-set=utf8mb4", "--verbose", .. Login(target), $"--result-file={path}", target.Database],
            Password(target), ClientPackage);

    public string MaintenanceDatabase => "information_schema";

    public ClientTool Restore(DumpTarget target, string path, bool keepOwners) =>
        new(["mariadb", "mysql"], ["--default-character-set=utf8mb4", .. Login(target), target.Database], Password(target), ClientPackage, StandardInput: path);

    public async Task<int> VerifyDumpAsync(string path, Func<ClientTool, Task<string>> run, CancellationToken cancellationToken)
    {
        // Read line by line: a dump can be larger than memory. It is whole when its last line is the completion trailer.
        var tables = 0;
        var last = string.Empty;
        using var reader = new StreamReader(path);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith(TableDataMarker, StringComparison.Ordinal))
            {
                tables++;
            }

            if (line.Length > 0)
            {
                last = line;
            }
        }

        return last.StartsWith(CompletionTrailer, StringComparison.Ordinal) ? tables
            : throw new BatchDbException(ErrorIds.BackupInvalid, BatchDbErrorKind.InvalidData,
                $"{path} is not a whole dump: it does not end with the '{CompletionTrailer}' line that mariadb-dump writes last.")
            { Target = path };
    }

    public Task CreateDatabaseAsync(string name, CancellationToken cancellationToken) =>
        ExecuteAsync($"CREATE DATABASE {Quote(name)} CHARACTER SET utf8mb4", cancellationToken);

    public Task DropDatabaseAsync(string name, CancellationToken cancellationToken) =>
        ExecuteAsync($"DROP DATABASE IF EXISTS {Quote(name)}", cancellationToken);

    public async Task<IReadOnlyDictionary<string, long>> CountRowsAsync(CancellationToken cancellationToken)
    {
        var tables = await QueryAsync(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1", cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables.Select(r => (string)r[0]!))
        {
            counts[table] = Convert.ToInt64((await QueryAsync($"SELECT COUNT(*) FROM {Quote(table)}", cancellationToken).ConfigureAwait(false))[0][0],
                System.Globalization.CultureInfo.InvariantCulture);
        }

        return counts;
    }

    private static string[] Login(DumpTarget target) =>
        [$"--host={target.Server}", $"--port={target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}", $"--user={target.User}"];

    /// <summary>The password in the environment (MYSQL_PWD), which other users cannot read, unlike the arguments.</summary>
    private static Dictionary<string, string> Password(DumpTarget target) => new() { ["MYSQL_PWD"] = target.Password };
}
