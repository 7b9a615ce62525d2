namespace BatchDb.Engine.Errors;

/// <summary>
/// An engine failure with a stable <see cref="ErrorId"/> (for scripts that branch on it) and a
/// <see cref="Kind"/>. <see cref="Sql"/> carries the statement that failed, never a password.
/// </summary>
public class BatchDbException : Exception
{
    public BatchDbException(string errorId, BatchDbErrorKind kind, string message, Exception? innerException = null, string? sql = null)
        : base(message, innerException)
    {
        ErrorId = errorId;
        Kind = kind;
        Sql = sql;
    }

    public string ErrorId { get; }

    public BatchDbErrorKind Kind { get; }

    public string? Sql { get; }

    /// <summary>The object the error is about (a table, a file), for the error record's target.</summary>
    public string? Target { get; init; }

    /// <summary>The distinct messages of an exception and its inner exceptions, outermost first ("A → B").</summary>
    internal static string Causes(Exception exception)
    {
        var messages = new List<string>();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (!messages.Contains(current.Message))
            {
                messages.Add(current.Message);
            }
        }

        return string.Join(" → ", messages);
    }
}
