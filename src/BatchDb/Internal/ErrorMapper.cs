using System.Management.Automation;
using BatchDb.Engine.Errors;

namespace BatchDb.Internal;

/// <summary>The one place engine errors become PowerShell error records.</summary>
internal static class ErrorMapper
{
    public static ErrorRecord ToErrorRecord(BatchDbException exception, object? target)
    {
        var category = exception.Kind switch
        {
            BatchDbErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
            BatchDbErrorKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
            BatchDbErrorKind.InvalidData => ErrorCategory.InvalidData,
            BatchDbErrorKind.ResourceBusy => ErrorCategory.ResourceBusy,
            BatchDbErrorKind.ConnectionFailed => ErrorCategory.ConnectionError,
            BatchDbErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
            BatchDbErrorKind.NotSupported => ErrorCategory.NotImplemented,
            BatchDbErrorKind.Cancelled => ErrorCategory.OperationStopped,
            BatchDbErrorKind.TimedOut => ErrorCategory.OperationTimeout,
            _ => ErrorCategory.InvalidOperation,
        };
        var record = new ErrorRecord(exception, exception.ErrorId, category, exception.Target ?? target);
        if (exception.Sql is { } sql)
        {
            record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = $"Failed statement: {sql}" };
        }

        return record;
    }
}
