using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using BatchDb.Engine.Access;

namespace BatchDb.Completion;

/// <summary>Completes role (PostgreSQL) and user (MySQL) names with those of the -Connection's server.</summary>
internal sealed class LoginNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var connection = CompletionResults.ConnectionOf(fakeBoundParameters, "Connection");
        return connection is null
            ? []
            : CompletionResults.Matching(CompletionResults.FromCatalog(token => BatchAccess.GetLoginNamesAsync(connection, token)), wordToComplete);
    }
}
