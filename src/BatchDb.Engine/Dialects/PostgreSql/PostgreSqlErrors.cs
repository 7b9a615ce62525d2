using BatchDb.Engine.Errors;
using Npgsql;

namespace BatchDb.Engine.Dialects.PostgreSql;

/// <summary>Turns SQLSTATE codes into BatchDb's error ids and kinds.</summary>
internal static class PostgreSqlErrors
{
    public const string LockNotAvailable = "55P03";
    public const string DeadlockDetected = "40P01";

    public static BatchDbException Translate(Exception ex, string? sql, string? target = null)
    {
        var state = (ex as PostgresException)?.SqlState;
        var (id, kind) = state switch
        {
            "28P01" or "28000" => (ErrorIds.AuthenticationFailed, BatchDbErrorKind.PermissionDenied),
            "42501" => (ErrorIds.PermissionDenied, BatchDbErrorKind.PermissionDenied),
            "42P01" or "3D000" or "3F000" => (ErrorIds.TableNotFound, BatchDbErrorKind.ObjectNotFound),
            LockNotAvailable or DeadlockDetected => (ErrorIds.LockTimeout, BatchDbErrorKind.ResourceBusy),
            null => (ErrorIds.ConnectionFailed, BatchDbErrorKind.ConnectionFailed),
            _ => (ErrorIds.DatabaseError, BatchDbErrorKind.InvalidOperation),
        };
        var where = target is null ? string.Empty : $" ({target})";
        var code = state is null ? string.Empty : $" {state}";
        return new BatchDbException(id, kind, $"PostgreSQL error{code}{where}: {(ex as PostgresException)?.MessageText ?? ex.Message}", ex, sql) { Target = target };
    }
}
