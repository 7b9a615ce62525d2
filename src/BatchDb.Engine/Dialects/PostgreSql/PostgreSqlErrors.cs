using BatchDb.Engine.Errors;
using Npgsql;

namespace BatchDb.Engine.Dialects.PostgreSql;

/// <summary>Turns SQLSTATE codes into BatchDb's error ids and kinds.</summary>
internal static class PostgreSqlErrors
{
    public static BatchDbException Translate(Exception ex, string? sql, string? target = null)
    {
        var state = (ex as PostgresException)?.SqlState;
        var (id, kind) = state switch
        {
            PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification
                => (ErrorIds.AuthenticationFailed, BatchDbErrorKind.PermissionDenied),
            PostgresErrorCodes.InsufficientPrivilege => (ErrorIds.PermissionDenied, BatchDbErrorKind.PermissionDenied),
            PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidCatalogName or PostgresErrorCodes.InvalidSchemaName
                => (ErrorIds.TableNotFound, BatchDbErrorKind.ObjectNotFound),
            PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.DeadlockDetected => (ErrorIds.LockTimeout, BatchDbErrorKind.ResourceBusy),
            // The session was ended (pg_terminate_backend, a restart) or the server is not accepting sessions yet: transient.
            null or PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                => (ErrorIds.ConnectionFailed, BatchDbErrorKind.ConnectionFailed),
            _ when state.StartsWith("08", StringComparison.Ordinal) => (ErrorIds.ConnectionFailed, BatchDbErrorKind.ConnectionFailed),
            _ => (ErrorIds.DatabaseError, BatchDbErrorKind.InvalidOperation),
        };
        var where = target is null ? string.Empty : $" ({target})";
        if (ex is NpgsqlException { InnerException: TimeoutException })
        {
            return new BatchDbException(ErrorIds.CommandTimedOut, BatchDbErrorKind.TimedOut,
                $"The PostgreSQL server did not answer within the command timeout{where} (it is overloaded, blocked or not responding).", ex, sql) { Target = target };
        }

        if (state is null)
        {
            return ConnectionLost(ex, sql, target);
        }

        return new BatchDbException(id, kind, $"PostgreSQL error {state}{where}: {(ex as PostgresException)?.MessageText ?? ex.Message}", ex, sql) { Target = target };
    }

    /// <summary>A command on a session whose connection was closed under it (pg_terminate_backend, a restart, a network failure).</summary>
    public static BatchDbException ConnectionLost(Exception ex, string? sql, string? target = null) =>
        new(ErrorIds.ConnectionFailed, BatchDbErrorKind.ConnectionFailed,
            $"The connection to the PostgreSQL server was lost{(target is null ? string.Empty : $" ({target})")} (the session was terminated, or the server restarted or is unreachable): {BatchDbException.Causes(ex)}",
            ex, sql)
        { Target = target };
}
