namespace BatchDb.Engine.Errors;

/// <summary>What kind of failure an engine error is; the module maps each kind to an ErrorCategory.</summary>
public enum BatchDbErrorKind
{
    InvalidArgument,
    ObjectNotFound,
    InvalidData,
    ResourceBusy,
    ConnectionFailed,
    PermissionDenied,
    NotSupported,
    InvalidOperation,
    Cancelled,
    TimedOut,
}
