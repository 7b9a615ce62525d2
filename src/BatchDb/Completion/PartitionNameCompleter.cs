using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using BatchDb.Engine.Catalog;

namespace BatchDb.Completion;

/// <summary>Completes -Partition with the partitions of the command line's -Table.</summary>
internal sealed class PartitionNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var connection = CompletionResults.ConnectionOf(fakeBoundParameters);
        var table = CompletionResults.StringOf(fakeBoundParameters, "Table");
        if (connection is null || string.IsNullOrWhiteSpace(table))
        {
            return [];
        }

        return CompletionResults.Matching(CompletionResults.FromCatalog(token => CatalogNames.GetPartitionsAsync(connection, table, token)), wordToComplete);
    }
}
