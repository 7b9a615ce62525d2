using System.Globalization;
using BatchDb.Engine.Errors;

namespace BatchDb.Engine.Executions;

/// <summary>
/// One worker's share of a batch split among <see cref="Count"/> workers (a Kubernetes Indexed Job's pods, runbook
/// jobs): worker <see cref="Index"/>, from 0. Items are dealt by their sorted names, so every worker that sees the same
/// items takes a disjoint part of them and together they take each exactly once.
/// </summary>
internal sealed record BatchShare
{
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

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"share {Index} of {Count}");
}
