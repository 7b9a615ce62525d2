using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using BatchDb.Engine.Connections;
using BatchDb.Internal;

namespace BatchDb.Completion;

/// <summary>What the completers share: matching the typed word, quoting, and the connection a command line names.</summary>
internal static class CompletionResults
{
    /// <summary>How long a completer may ask the database; Tab must never hang on a slow or unreachable server.</summary>
    private static readonly TimeSpan CatalogBudget = TimeSpan.FromSeconds(2);

    public static IEnumerable<CompletionResult> Matching(IEnumerable<string> candidates, string wordToComplete, string? prefix = null)
    {
        var word = wordToComplete.Trim('\'', '"');
        foreach (var candidate in candidates.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var text = prefix + candidate;
            if (text.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            {
                yield return new CompletionResult(Quote(text), text, CompletionResultType.ParameterValue, text);
            }
        }
    }

    /// <summary>The -Connection (or <paramref name="parameter"/>) of the command line, an object or a name, else the session's default.</summary>
    public static BatchDbConnection? ConnectionOf(IDictionary fakeBoundParameters, string parameter = "Connection")
    {
        var value = fakeBoundParameters.Contains(parameter) ? fakeBoundParameters[parameter] : null;
        value = value is PSObject wrapped ? wrapped.BaseObject : value;
        return value switch
        {
            BatchDbConnection connection => connection,
            string name => ConnectionRegistry.Current.Find(name),
            _ => ConnectionRegistry.Current.Default,
        };
    }

    /// <summary>Runs a catalog look-up within the budget; nothing when it fails or takes too long.</summary>
    public static IReadOnlyList<string> FromCatalog(Func<CancellationToken, Task<IReadOnlyList<string>>> lookup)
    {
        using var budget = new CancellationTokenSource(CatalogBudget);
        try
        {
            var task = Task.Run(() => lookup(budget.Token), budget.Token);
            return task.Wait(CatalogBudget) ? task.Result : [];
        }
        catch (AggregateException)
        {
            return [];
        }
        catch (OperationCanceledException)
        {
            return [];
        }
    }

    public static string? StringOf(IDictionary fakeBoundParameters, string name)
    {
        var value = fakeBoundParameters.Contains(name) ? fakeBoundParameters[name] : null;
        return (value is PSObject wrapped ? wrapped.BaseObject : value) as string;
    }

    private static string Quote(string text) =>
        text.Length > 0 && text.All(c => char.IsLetterOrDigit(c) || c is '_' or '.' or '-' or '/')
            ? text
            : "'" + CodeGeneration.EscapeSingleQuotedStringContent(text) + "'";
}
