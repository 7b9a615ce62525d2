using BatchDb.Engine.Errors;
using MySql.Data.MySqlClient;

namespace BatchDb.Engine.Dialects.MySql;

/// <summary>Turns server error numbers into BatchDb's error ids and kinds.</summary>
internal static class MySqlErrors
{
    public const int LockWaitTimeout = 1205;
    public const int Deadlock = 1213;

    public static BatchDbException Translate(MySqlException ex, string? sql, string? target = null)
    {
        // MySql.Data wraps some server errors (1045 during authentication) in an outer exception of its own.
        var server = ex;
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is MySqlException { Number: > 0 } wrapped)
            {
                server = wrapped;
            }
        }

        var (id, kind) = server.Number switch
        {
            1045 => (ErrorIds.AuthenticationFailed, BatchDbErrorKind.PermissionDenied),
            1044 or 1142 or 1143 or 1227 => (ErrorIds.PermissionDenied, BatchDbErrorKind.PermissionDenied),
            1049 or 1146 => (ErrorIds.TableNotFound, BatchDbErrorKind.ObjectNotFound),
            1054 => (ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument),
            LockWaitTimeout or Deadlock => (ErrorIds.LockTimeout, BatchDbErrorKind.ResourceBusy),
            0 or 1042 or 2002 or 2003 or 2006 or 2013 => (ErrorIds.ConnectionFailed, BatchDbErrorKind.ConnectionFailed),
            1736 or 1731 or 1740 => (ErrorIds.DefinitionMismatch, BatchDbErrorKind.InvalidOperation),
            _ => (ErrorIds.DatabaseError, BatchDbErrorKind.InvalidOperation),
        };
        var where = target is null ? string.Empty : $" ({target})";
        if (server.Number == 0)
        {
            // No server error: the client lost the session (KILL, a restart, the network); the causes say which.
            return ConnectionLost(ex, sql, target);
        }

        return new BatchDbException(id, kind, $"MySQL error {server.Number}{where}: {server.Message}", ex, sql) { Target = target };
    }

    /// <summary>A command on a session whose connection was closed under it (KILL, a server restart, a network failure).</summary>
    public static BatchDbException ConnectionLost(Exception ex, string? sql, string? target = null) =>
        new(ErrorIds.ConnectionFailed, BatchDbErrorKind.ConnectionFailed,
            $"The connection to the MySQL server was lost{(target is null ? string.Empty : $" ({target})")} (the session was killed, or the server restarted or is unreachable): {BatchDbException.Causes(ex)}",
            ex, sql)
        { Target = target };
}
