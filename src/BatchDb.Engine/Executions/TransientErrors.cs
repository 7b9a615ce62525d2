using BatchDb.Engine.Errors;

namespace BatchDb.Engine.Executions;

/// <summary>
/// Which failures are worth another attempt: a lock wait that ran out, a deadlock, a lost connection. Bad input,
/// missing objects, refused validation and everything BatchDb does not recognise are not.
/// </summary>
internal static class TransientErrors
{
    public static bool IsTransient(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is BatchDbException { ErrorId: ErrorIds.LockTimeout or ErrorIds.ConnectionFailed })
            {
                return true;
            }

            if (current is AggregateException aggregate && aggregate.InnerExceptions.Any(IsTransient))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The text stored as an execution's error: the first BatchDb error's id and message, or the failure's own message.</summary>
    public static string Describe(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is BatchDbException batchDb)
            {
                return $"[{batchDb.ErrorId}] {batchDb.Message}";
            }
        }

        return exception.Message;
    }
}
