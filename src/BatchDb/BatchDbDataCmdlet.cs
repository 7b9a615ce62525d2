using System.Management.Automation;
using BatchDb.Engine.Connections;
using BatchDb.Engine.Errors;
using BatchDb.Internal;
using BatchDb.Completion;

namespace BatchDb;

/// <summary>A cmdlet that works on a database: it takes -Connection (an object or a name), defaulting to the latest one.</summary>
public abstract class BatchDbDataCmdlet : BatchDbCmdlet
{
    /// <summary>The connection from Connect-BatchDb, or its name. Defaults to the most recent connection in this session.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ConnectionTransformation]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    public BatchDbConnection? Connection { get; set; }

    protected BatchDbConnection ResolveConnection() =>
        Connection ?? ConnectionRegistry.Current.Default ?? throw new BatchDbException(ErrorIds.ConnectionNotFound, BatchDbErrorKind.InvalidOperation,
            "There is no connection. Run Connect-BatchDb first, or pass -Connection.");
}
