using BatchDb.Engine.Backups;
using BatchDb.Engine.Errors;

namespace BatchDb.Engine.Dialects.PostgreSql;

/// <summary>Backups with pg_dump's custom format, read back whole with pg_restore, restored with pg_restore.</summary>
internal sealed partial class PostgreSqlSession : IBackupSession
{
    private const string ClientPackage = "postgresql-client";

    public string DumpExtension => ".dump";

    public ClientTool Dump(DumpTarget target, string path) =>
        new(["pg_dump"], ["--format=custom", "--verbose", "--no-password", .. Login(target), "--file", path], Password(target), ClientPackage);

    public string MaintenanceDatabase => "postgres";

    public ClientTool Restore(DumpTarget target, string path, bool keepOwners) =>
        new(["pg_restore"], ["--exit-on-error", "--single-transaction", "--verbose", "--no-password",
            .. keepOwners ? Array.Empty<string>() : ["--no-owner", "--no-privileges"], .. Login(target), path], Password(target), ClientPackage);

    public async Task<int> VerifyDumpAsync(string path, Func<ClientTool, Task<string>> run, CancellationToken cancellationToken)
    {
        // The table of contents is at the start of the archive and the data after it: --list reads the first, and a
        // restore into no database (the SQL it would run, to the null device) reads every data block to its end.
        string listing;
        try
        {
            listing = await run(new ClientTool(["pg_restore"], ["--list", path], new Dictionary<string, string>(), ClientPackage)).ConfigureAwait(false);
            await run(new ClientTool(["pg_restore"], ["--file", OperatingSystem.IsWindows() ? "NUL" : "/dev/null", path], new Dictionary<string, string>(), ClientPackage))
                .ConfigureAwait(false);
        }
        catch (BatchDbException ex) when (ex.ErrorId == ErrorIds.BackupFailed)
        {
            throw new BatchDbException(ErrorIds.BackupInvalid, BatchDbErrorKind.InvalidData, $"{path} is not a whole pg_dump archive: {ex.Message}", ex) { Target = path };
        }

        return listing.Split('\n').Count(line => line.Contains(" TABLE DATA ", StringComparison.Ordinal));
    }

    public Task CreateDatabaseAsync(string name, CancellationToken cancellationToken) =>
        ExecuteAsync($"CREATE DATABASE {Quote(name)} TEMPLATE template0 ENCODING 'UTF8'", cancellationToken);

    public Task DropDatabaseAsync(string name, CancellationToken cancellationToken) =>
        ExecuteAsync($"DROP DATABASE IF EXISTS {Quote(name)} WITH (FORCE)", cancellationToken);

    public async Task<IReadOnlyDictionary<string, long>> CountRowsAsync(CancellationToken cancellationToken)
    {
        var tables = await QueryAsync(
            """
            SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%' ORDER BY 1
            """,
            cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables.Select(r => (string)r[0]!))
        {
            counts[table] = (long)(await QueryAsync($"SELECT COUNT(*) FROM {table}", cancellationToken).ConfigureAwait(false))[0][0]!;
        }

        return counts;
    }

    private static string[] Login(DumpTarget target) =>
        ["--host", target.Server, "--port", target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--username", target.User, "--dbname", target.Database];

    /// <summary>The password in the environment (PGPASSWORD), which other users cannot read, unlike the arguments.</summary>
    private static Dictionary<string, string> Password(DumpTarget target) => new() { ["PGPASSWORD"] = target.Password };
}
