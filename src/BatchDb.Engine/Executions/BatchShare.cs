using System.Globalization;
using System.Text.RegularExpressions;
using BatchDb.Engine.Errors;

namespace BatchDb.Engine.Executions;

/// <summary>
/// One worker's share of a batch split among <see cref="Count"/> workers (a Kubernetes Indexed Job's pods, runbook
/// jobs): worker <see cref="Index"/>, from 0. Items are dealt by their sorted names, so every worker that sees the same
/// items takes a disjoint part of them and together they take each exactly once.
/// </summary>
internal sealed partial record BatchShare
{
    /// <summary>The operation of the ledger step that records one item of a share as done.</summary>
    internal const string ItemOperation = "Select-BatchShare";

    /// <summary>The parameter of that step that names the item.</summary>
    internal const string ItemParameter = "Item";

    /// <summary>The run parameter that holds <see cref="RunOptions.ResumeKey"/>.</summary>
    internal const string ResumeKeyParameter = "ResumeKey";

    public BatchShare(int index, int count)
    {
        if (count < 1 || index < 0 || index >= count)
        {
            throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
                $"Share {index} of {count} does not exist: the index runs from 0 to the count less 1.");
        }

        (Index, Count) = (index, count);
    }

    public int Index { get; }

    public int Count { get; }

    /// <summary>The ledger's name for this share's runs: one run per batch and share at a time.</summary>
    internal string BatchName(string batch) => string.Create(CultureInfo.InvariantCulture, $"{batch} share {Index}/{Count}");

    /// <summary>The items of this share, in the order of their names: the one at place p (0-based, sorted) is share p mod Count's.</summary>
    internal IEnumerable<T> Select<T>(IEnumerable<T> items, Func<T, string> name) =>
        items.OrderBy(name, StringComparer.Ordinal).Where((_, place) => place % Count == Index);

    /// <summary>The batch a share's ledger name belongs to ("morning share 1/3" is batch "morning"), or null for any other name.</summary>
    internal static string? WholeBatchName(string batchName) =>
        ShareName().Match(batchName) is { Success: true } match ? match.Groups[1].Value : null;

    /// <summary>A ledger name pattern (* and ?) that also takes the shares of the batches it names.</summary>
    internal static string SharesPattern(string pattern) => pattern + " share */*";

    [GeneratedRegex(@"\A(.+) share [0-9]+/[0-9]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex ShareName();

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"share {Index} of {Count}");
}
