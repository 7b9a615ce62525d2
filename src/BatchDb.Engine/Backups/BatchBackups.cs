using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Naming;

namespace BatchDb.Engine.Backups;

/// <summary>
/// Backups with the engine's own programs (pg_dump -Fc, mariadb-dump --single-transaction) into a file named by
/// database and time, each dump read back whole (and on request restored into a scratch database and compared),
/// with rotation that deletes only this database's older dumps.
/// </summary>
internal static class BatchBackups
{
    private const string StampFormat = "yyyyMMdd'T'HHmmss'Z'";

    public static async Task<BatchBackup> BackupAsync(BatchDbConnection connection, BackupRequest request, IProgress<OperationProgress>? progress, IOperationLog log,
        CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var folder = Path.GetFullPath(request.Folder);
        if (!Directory.Exists(folder))
        {
            throw new BatchDbException(ErrorIds.FileNotFound, BatchDbErrorKind.ObjectNotFound, $"The backup folder {folder} does not exist.") { Target = folder };
        }

        if (request.RetentionDays is <= 0)
        {
            throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument, "-RetentionDays must be at least 1.");
        }

        await using var session = await connection.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        var backups = session.Require<IBackupSession>();
        var target = TargetOf(connection, connection.Database);
        var path = Path.Combine(folder, $"{connection.Database}_{DateTime.UtcNow.ToString(StampFormat, CultureInfo.InvariantCulture)}{backups.DumpExtension}");
        var activity = $"Backing up {connection.Database} to {path}";
        progress?.Report(new OperationProgress(activity, "Starting", -1));
        try
        {
            await ClientProcess.RunAsync(backups.Dump(target, path), $"dump of {connection.Database}", Relay(progress, activity), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            File.Delete(path);
            throw;
        }

        var size = new FileInfo(path).Length;
        log.Verbose($"Wrote {path} ({size:N0} bytes); reading it back.");
        progress?.Report(new OperationProgress(activity, "Verifying the dump", -1));
        var tables = await VerifyAsync(backups, path, cancellationToken).ConfigureAwait(false);
        var verification = $"{tables} tables in the dump";
        if (request.Verification == BackupVerification.Restore)
        {
            progress?.Report(new OperationProgress(activity, "Restoring into a scratch database", -1));
            verification = await RestoreAndCompareAsync(connection, backups, path, cancellationToken).ConfigureAwait(false);
        }

        var removed = request.RetentionDays is { } days ? Rotate(folder, connection.Database, backups.DumpExtension, path, days, log) : [];
        return new BatchBackup(connection, connection.Database, path, size, tables, verification, removed, stopwatch.Elapsed);
    }

    /// <summary>
    /// Makes <paramref name="database"/> (the connection's by default) exactly the dump: dropped, created again from a
    /// session on the server's maintenance database, and filled; the connection's pooled sessions to it are discarded.
    /// </summary>
    public static async Task<BatchRestore> RestoreAsync(BatchDbConnection connection, string path, string? database, IProgress<OperationProgress>? progress,
        CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        path = RequireDump(path);
        var into = database is null ? connection.Database : QualifiedName.ValidateIdentifier(database, "database");
        string maintenanceDatabase;
        await using (var session = await connection.OpenSessionAsync(cancellationToken).ConfigureAwait(false))
        {
            maintenanceDatabase = session.Require<IBackupSession>().MaintenanceDatabase;
        }

        // Everything from here runs beside the database, which is dropped: no session of this connection stays on it.
        connection.Dialect.ClearPool(connection.ConnectionString);
        await using var admin = await (await OnDatabaseAsync(connection, maintenanceDatabase, cancellationToken).ConfigureAwait(false))
            .OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        var backups = admin.Require<IBackupSession>();
        var tables = await VerifyAsync(backups, path, cancellationToken).ConfigureAwait(false);
        var activity = $"Restoring {path} into {into}";
        progress?.Report(new OperationProgress(activity, $"Creating {into} again", -1));
        await backups.DropDatabaseAsync(into, cancellationToken).ConfigureAwait(false);
        await backups.CreateDatabaseAsync(into, cancellationToken).ConfigureAwait(false);
        await ClientProcess.RunAsync(backups.Restore(TargetOf(connection, into), path, keepOwners: true), $"restore of {path} into {into}", Relay(progress, activity), cancellationToken)
            .ConfigureAwait(false);
        connection.Dialect.ClearPool(connection.ConnectionString);
        return new BatchRestore(connection, into, path, tables, stopwatch.Elapsed);
    }

    /// <summary>Restores into a new scratch database, compares every table's row count with the source's, and drops it.</summary>
    private static async Task<string> RestoreAndCompareAsync(BatchDbConnection connection, IBackupSession backups, string path, CancellationToken cancellationToken)
    {
        var scratch = QualifiedName.Derived(connection.Database, $"verify_{Guid.NewGuid():N}"[..15]);
        await backups.CreateDatabaseAsync(scratch, cancellationToken).ConfigureAwait(false);
        try
        {
            await ClientProcess.RunAsync(backups.Restore(TargetOf(connection, scratch), path, keepOwners: false), $"restore of {path} into {scratch}", null, cancellationToken)
                .ConfigureAwait(false);
            // backups is a session on the source database itself.
            var source = await backups.CountRowsAsync(cancellationToken).ConfigureAwait(false);
            IReadOnlyDictionary<string, long> restored;
            await using (var check = await (await OnDatabaseAsync(connection, scratch, cancellationToken).ConfigureAwait(false)).OpenSessionAsync(cancellationToken).ConfigureAwait(false))
            {
                restored = await check.Require<IBackupSession>().CountRowsAsync(cancellationToken).ConfigureAwait(false);
            }

            var differing = source.Keys.Union(restored.Keys)
                .Where(t => source.GetValueOrDefault(t, -1) != restored.GetValueOrDefault(t, -1))
                .Select(t => $"{t} ({(source.TryGetValue(t, out var s) ? s.ToString("N0", CultureInfo.InvariantCulture) : "none")} in {connection.Database}, " +
                    $"{(restored.TryGetValue(t, out var r) ? r.ToString("N0", CultureInfo.InvariantCulture) : "none")} restored)")
                .ToList();
            return differing.Count == 0
                ? $"restored into {scratch}: {restored.Count} tables, row counts equal"
                : throw new BatchDbException(ErrorIds.BackupInvalid, BatchDbErrorKind.InvalidData,
                    $"The dump {path} restored into {scratch} differs from {connection.Database} in {string.Join(", ", differing)}; " +
                    "the dump is kept, but rows changed since it was taken or it is incomplete. Back up again when the database is quiet.")
                { Target = path };
        }
        finally
        {
            await backups.DropDatabaseAsync(scratch, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes the dumps of <paramref name="database"/> in the folder older than the retention, by the time in their names; no other file.</summary>
    private static List<string> Rotate(string folder, string database, string extension, string kept, int days, IOperationLog log)
    {
        var pattern = new Regex($"^{Regex.Escape(database)}_(?<stamp>\\d{{8}}T\\d{{6}}Z){Regex.Escape(extension)}$", RegexOptions.CultureInvariant);
        var limit = DateTime.UtcNow.AddDays(-days);
        var removed = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            if (file == kept || pattern.Match(Path.GetFileName(file)) is not { Success: true } match
                || !DateTime.TryParseExact(match.Groups["stamp"].Value, StampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var taken)
                || taken >= limit)
            {
                continue;
            }

            File.Delete(file);
            removed.Add(file);
            log.Verbose($"Removed {file}, older than {days} days.");
        }

        return removed;
    }

    private static string RequireDump(string path)
    {
        var full = Path.GetFullPath(path);
        return File.Exists(full) ? full : throw new BatchDbException(ErrorIds.FileNotFound, BatchDbErrorKind.ObjectNotFound, $"The dump {full} does not exist.") { Target = full };
    }

    /// <summary>Reads a dump whole, running the engine's program where it has one.</summary>
    private static Task<int> VerifyAsync(IBackupSession backups, string path, CancellationToken cancellationToken) =>
        backups.VerifyDumpAsync(path, tool => ClientProcess.RunAsync(tool, $"reading {path}", null, cancellationToken), cancellationToken);

    /// <summary>A client program's lines of standard error, as the status of the operation's progress.</summary>
    private static Action<string> Relay(IProgress<OperationProgress>? progress, string activity) =>
        line => progress?.Report(new OperationProgress(activity, line.Length > 100 ? line[..100] : line, -1));

    /// <summary>The connection's server and login, on another database of that server.</summary>
    private static Task<BatchDbConnection> OnDatabaseAsync(BatchDbConnection connection, string database, CancellationToken cancellationToken) =>
        BatchDbConnections.ConnectAsync(connection.Dialect,
            new ConnectionOptions { Provider = connection.Provider, ConnectionString = connection.ConnectionString, Database = database, Name = database }, cancellationToken);

    private static DumpTarget TargetOf(BatchDbConnection connection, string database)
    {
        var settings = new DbConnectionStringBuilder { ConnectionString = connection.ConnectionString };
        var password = settings.TryGetValue("Password", out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty : string.Empty;
        return new DumpTarget(connection.Server, connection.Port, connection.UserName, password, database);
    }
}
