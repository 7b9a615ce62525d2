using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using BatchDb.Engine.Csv;

namespace BatchDb.Completion;

/// <summary>Completes -Encoding with the encodings Import-WorkTable reads.</summary>
internal sealed class EncodingNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionResults.Matching(TextEncodings.SupportedNames, wordToComplete);
}
