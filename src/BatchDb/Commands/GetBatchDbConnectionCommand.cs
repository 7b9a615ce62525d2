using System.Management.Automation;
using BatchDb.Engine.Connections;
using BatchDb.Internal;
using BatchDb.Completion;

namespace BatchDb.Commands;

/// <summary>Get-BatchDbConnection: lists this session's connections, by name with wildcards.</summary>
[Cmdlet(VerbsCommon.Get, "BatchDbConnection")]
[OutputType(typeof(BatchDbConnection))]
public sealed class GetBatchDbConnectionCommand : BatchDbCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    public string[] Name { get; set; } = ["*"];

    protected override void ProcessRecordCore()
    {
        var patterns = Name.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
        foreach (var connection in ConnectionRegistry.Current.All().Where(c => patterns.Any(p => p.IsMatch(c.Name))))
        {
            WriteObject(connection);
        }
    }
}
