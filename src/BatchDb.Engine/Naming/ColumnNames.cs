namespace BatchDb.Engine.Naming;

/// <summary>Finding a column by the name a user wrote: the exact spelling first, then ignoring case.</summary>
internal static class ColumnNames
{
    public static T? Find<T>(IEnumerable<T> columns, Func<T, string> nameOf, string wanted)
    {
        T? caseless = default;
        var foundCaseless = false;
        foreach (var column in columns)
        {
            var name = nameOf(column);
            if (name == wanted)
            {
                return column;
            }

            if (!foundCaseless && string.Equals(name, wanted, StringComparison.OrdinalIgnoreCase))
            {
                (caseless, foundCaseless) = (column, true);
            }
        }

        return caseless;
    }

    public static string? Find(IEnumerable<string> names, string wanted) => Find(names, n => n, wanted);

    /// <summary>The position of <paramref name="wanted"/> in <paramref name="names"/> (null entries never match), or -1.</summary>
    public static int IndexOf(IReadOnlyList<string?> names, string wanted) =>
        Find(Enumerable.Range(0, names.Count).Where(i => names[i] is not null).Select(i => (int?)i), i => names[i!.Value]!, wanted) ?? -1;
}
