namespace BatchDb.Engine.Errors;

/// <summary>The stable error identifiers the engine raises.</summary>
internal static class ErrorIds
{
    public const string InvalidIdentifier = "InvalidIdentifier";
    public const string InvalidArgument = "InvalidArgument";
    public const string ConnectionFailed = "ConnectionFailed";
    public const string AuthenticationFailed = "AuthenticationFailed";
    public const string ConnectionNotFound = "ConnectionNotFound";
    public const string TableNotFound = "TableNotFound";
    public const string PartitionNotFound = "PartitionNotFound";
    public const string WorkTableNotFound = "WorkTableNotFound";
    public const string WorkTableExists = "WorkTableExists";
    public const string TableNotPartitioned = "TableNotPartitioned";
    public const string PartitioningNotSupported = "PartitioningNotSupported";
    public const string ViewSwitchNotFound = "ViewSwitchNotFound";
    public const string ViewSwitchExists = "ViewSwitchExists";
    public const string FileNotFound = "FileNotFound";
    public const string EncodingNotSupported = "EncodingNotSupported";
    public const string CsvInvalid = "CsvInvalid";
    public const string CsvEmpty = "CsvEmpty";
    public const string RowsOutsidePartition = "RowsOutsidePartition";
    public const string RowCountTooLow = "RowCountTooLow";
    public const string WorkTableEmpty = "WorkTableEmpty";
    public const string DefinitionMismatch = "DefinitionMismatch";
    public const string LockTimeout = "LockTimeout";
    public const string LedgerNotFound = "LedgerNotFound";
    public const string LedgerConflict = "LedgerConflict";
    public const string BatchAlreadyRunning = "BatchAlreadyRunning";
    public const string ExecutionNotFound = "ExecutionNotFound";
    public const string ExecutionNotRunning = "ExecutionNotRunning";
    public const string RunTimedOut = "RunTimedOut";
    public const string CommandTimedOut = "CommandTimedOut";
    public const string RunLockLost = "RunLockLost";
    public const string CronInvalid = "CronInvalid";
    public const string TimeZoneNotFound = "TimeZoneNotFound";
    public const string ColumnNotFound = "ColumnNotFound";
    public const string WatermarkConflict = "WatermarkConflict";
    public const string UniqueKeyRequired = "UniqueKeyRequired";
    public const string RowsRejected = "RowsRejected";
    public const string PartitionLayoutInvalid = "PartitionLayoutInvalid";
    public const string CaptureNotFound = "CaptureNotFound";
    public const string CaptureExists = "CaptureExists";
    public const string CaptureBusy = "CaptureBusy";
    public const string ReplicationNotEnabled = "ReplicationNotEnabled";
    public const string PermissionDenied = "PermissionDenied";
    public const string LoginNotFound = "LoginNotFound";
    public const string SchemaNotFound = "SchemaNotFound";
    public const string OwnerNotGrantable = "OwnerNotGrantable";
    public const string ClientToolNotFound = "ClientToolNotFound";
    public const string BackupFailed = "BackupFailed";
    public const string BackupInvalid = "BackupInvalid";
    public const string NotSupported = "NotSupported";
    public const string DatabaseError = "DatabaseError";
    public const string Cancelled = "Cancelled";
}
