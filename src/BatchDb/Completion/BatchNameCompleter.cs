using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using BatchDb.Engine.Executions;

namespace BatchDb.Completion;

/// <summary>Completes batch names with those the connection's ledger knows (runs and schedules).</summary>
internal sealed class BatchNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var connection = CompletionResults.ConnectionOf(fakeBoundParameters);
        return connection is null
            ? []
            : CompletionResults.Matching(CompletionResults.FromCatalog(token => BatchLedger.GetBatchNamesAsync(connection, token)), wordToComplete);
    }
}
