using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using BatchDb.Engine.Cdc;

namespace BatchDb.Completion;

/// <summary>Completes change capture names with those on the capture's database: -Source where the command has it, else -Connection.</summary>
internal sealed class CaptureNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var connection = CompletionResults.ConnectionOf(fakeBoundParameters, fakeBoundParameters.Contains("Source") ? "Source" : "Connection");
        return connection is null
            ? []
            : CompletionResults.Matching(CompletionResults.FromCatalog(token => ChangeCaptures.GetNamesAsync(connection, token)), wordToComplete);
    }
}
