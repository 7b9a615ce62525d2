using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using BatchDb.Engine.Catalog;

namespace BatchDb.Completion;

/// <summary>
/// Completes table names from the catalog of the command line's connection: the default schema's tables, or
/// a schema's (database's on MySQL) once the word has 'schema.'.
/// </summary>
internal sealed class TableNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var connection = parameterName == "SourceTable" && fakeBoundParameters.Contains("Source")
            ? CompletionResults.ConnectionOf(new Hashtable { ["Connection"] = fakeBoundParameters["Source"] })
            : CompletionResults.ConnectionOf(fakeBoundParameters);
        if (connection is null)
        {
            return [];
        }

        var word = wordToComplete.Trim('\'', '"');
        var dot = word.IndexOf('.', StringComparison.Ordinal);
        var schema = dot > 0 ? word[..dot] : null;
        var names = CompletionResults.FromCatalog(token => CatalogNames.GetTablesAsync(connection, schema, token));
        return CompletionResults.Matching(names, wordToComplete, schema is null ? null : schema + ".");
    }
}
