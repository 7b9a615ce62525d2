namespace BatchDb.Engine.Dialects.MySql;

/// <summary>
/// Builds the SQL condition that is true for exactly the rows a partition holds, from the catalog's
/// method, expression and bounds (server-generated text, not user input). Returns null where a
/// predicate cannot express the rule (HASH, KEY, multi-column MAXVALUE); the server's own exchange
/// validation then stays on.
/// </summary>
internal static class MySqlPartitionPredicates
{
    public static string? Inside(string method, string expression, string bound, string? previousBound) => method switch
    {
        "LIST" => List(expression, bound),
        "LIST COLUMNS" => $"({expression}) IN ({bound})",
        "RANGE" => Range(expression, bound, previousBound, tuple: false),
        "RANGE COLUMNS" => Range(expression, bound, previousBound, tuple: true),
        _ => null,
    };

    private static string List(string expression, string bound)
    {
        var values = SplitTopLevel(bound);
        var nonNull = values.Where(v => !v.Equals("NULL", StringComparison.OrdinalIgnoreCase)).ToList();
        var inList = nonNull.Count > 0 ? $"({expression}) IN ({string.Join(",", nonNull)})" : "FALSE";
        return nonNull.Count == values.Count ? inList : $"({inList} OR ({expression}) IS NULL)";
    }

    private static string? Range(string expression, string bound, string? previousBound, bool tuple)
    {
        var upperValues = SplitTopLevel(bound);
        var isMultiColumn = tuple && upperValues.Count > 1;
        string? upper;
        if (upperValues.All(IsMaxValue))
        {
            upper = null;
        }
        else if (upperValues.Any(IsMaxValue))
        {
            return null;
        }
        else
        {
            upper = $"({expression}) < ({bound})";
        }

        string? lower;
        if (previousBound is null)
        {
            // NULL sorts below every value, so RANGE puts it in the first partition.
            lower = isMultiColumn ? null : $"({expression}) IS NULL";
            return (lower, upper) switch
            {
                (null, null) => "TRUE",
                (null, _) => upper,
                (_, null) => "TRUE",
                _ => $"({lower} OR {upper})",
            };
        }

        if (SplitTopLevel(previousBound).Any(IsMaxValue))
        {
            return null;
        }

        lower = $"({expression}) >= ({previousBound})";
        return upper is null ? lower : $"({lower} AND {upper})";
    }

    private static bool IsMaxValue(string value) => value.Equals("MAXVALUE", StringComparison.OrdinalIgnoreCase);

    /// <summary>Splits a bound list on commas outside quotes and parentheses.</summary>
    internal static List<string> SplitTopLevel(string text)
    {
        var parts = new List<string>();
        var depth = 0;
        char? quote = null;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is { } q)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == q)
                {
                    quote = null;
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                parts.Add(text[start..i].Trim());
                start = i + 1;
            }
        }

        parts.Add(text[start..].Trim());
        return parts;
    }
}
