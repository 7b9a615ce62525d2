using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using BatchDb.Internal;

namespace BatchDb.Completion;

/// <summary>Completes -Connection with the names of this runspace's connections.</summary>
internal sealed class ConnectionNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionResults.Matching(ConnectionRegistry.Current.All().Select(c => c.Name), wordToComplete);
}
