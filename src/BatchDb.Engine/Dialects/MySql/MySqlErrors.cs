using BatchDb.Engine.Errors;
using MySqlConnector;

namespace BatchDb.Engine.Dialects.MySql;

/// <summary>Turns server error codes into BatchDb's error ids and kinds.</summary>
internal static class MySqlErrors
{
    // Server codes MySqlErrorCode does not name.
    public const int PartitionExchangePartitionedTable = 1731;
    public const int TablesDifferentMetadata = 1736;
    public const int RowDoesNotMatchPartition = 1737;
    public const int PartitionExchangeForeignKey = 1740;
    public const int ConnectionKilled = 1927;
    // Client codes: MySqlConnector reports a lost session with these or with none.
    public const int ClientCannotConnectSocket = 2002;
    public const int ClientCannotConnectHost = 2003;
    public const int ClientServerGone = 2006;
    public const int ClientLostConnection = 2013;

    public static BatchDbException Translate(MySqlException ex, string? sql, string? target = null)
    {
        var (id, kind) = ex.ErrorCode switch
        {
            MySqlErrorCode.AccessDenied => (ErrorIds.AuthenticationFailed, BatchDbErrorKind.PermissionDenied),
            MySqlErrorCode.DatabaseAccessDenied or MySqlErrorCode.TableAccessDenied or MySqlErrorCode.ColumnAccessDenied
                or MySqlErrorCode.SpecifiedAccessDeniedError => (ErrorIds.PermissionDenied, BatchDbErrorKind.PermissionDenied),
            MySqlErrorCode.UnknownDatabase or MySqlErrorCode.NoSuchTable => (ErrorIds.TableNotFound, BatchDbErrorKind.ObjectNotFound),
            MySqlErrorCode.BadFieldError => (ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument),
            MySqlErrorCode.LockWaitTimeout or MySqlErrorCode.LockDeadlock => (ErrorIds.LockTimeout, BatchDbErrorKind.ResourceBusy),
            (MySqlErrorCode)TablesDifferentMetadata or (MySqlErrorCode)PartitionExchangePartitionedTable
                or (MySqlErrorCode)PartitionExchangeForeignKey => (ErrorIds.DefinitionMismatch, BatchDbErrorKind.InvalidOperation),
            (MySqlErrorCode)RowDoesNotMatchPartition => (ErrorIds.RowsOutsidePartition, BatchDbErrorKind.InvalidData),
            _ => (ErrorIds.DatabaseError, BatchDbErrorKind.InvalidOperation),
        };
        if (IsConnectionLost(ex))
        {
            // The client lost the session (KILL, a restart, the network); the causes say which.
            return ConnectionLost(ex, sql, target);
        }

        var where = target is null ? string.Empty : $" ({target})";
        if (ex.ErrorCode == MySqlErrorCode.CommandTimeoutExpired)
        {
            return new BatchDbException(ErrorIds.CommandTimedOut, BatchDbErrorKind.TimedOut,
                $"The MySQL server did not answer within the command timeout{where} (it is overloaded, blocked or not responding).", ex, sql) { Target = target };
        }

        return new BatchDbException(id, kind, $"MySQL error {ex.Number}{where}: {ex.Message}", ex, sql) { Target = target };
    }

    private static bool IsConnectionLost(MySqlException ex) =>
        ex.Number is 0 or ConnectionKilled or ClientCannotConnectSocket or ClientCannotConnectHost or ClientServerGone or ClientLostConnection
        || ex.ErrorCode == MySqlErrorCode.UnableToConnectToHost;

    /// <summary>A command on a session whose connection was closed under it (KILL, a server restart, a network failure).</summary>
    public static BatchDbException ConnectionLost(Exception ex, string? sql, string? target = null) =>
        new(ErrorIds.ConnectionFailed, BatchDbErrorKind.ConnectionFailed,
            $"The connection to the MySQL server was lost{(target is null ? string.Empty : $" ({target})")} (the session was killed, or the server restarted or is unreachable): {BatchDbException.Causes(ex)}",
            ex, sql)
        { Target = target };
}
