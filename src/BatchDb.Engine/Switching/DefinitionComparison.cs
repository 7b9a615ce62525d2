namespace BatchDb.Engine.Switching;

/// <summary>Compares the named parts of two table definitions (columns, indexes, constraints): one rule for every engine.</summary>
internal static class DefinitionComparison
{
    /// <summary>
    /// Adds a difference for each part only one side has and, when <paramref name="compareDefinitions"/>, for each
    /// part whose definitions differ. Names match under <paramref name="names"/>, the engine's rule for identifiers;
    /// definitions match exactly. Differences come in the live table's order, then the work table's.
    /// </summary>
    public static void AddDifferences(List<DefinitionDifference> differences, string aspect, IReadOnlyList<(string Name, string Definition)> live,
        IReadOnlyList<(string Name, string Definition)> work, StringComparer names, bool compareDefinitions = true)
    {
        var workByName = work.GroupBy(w => w.Name, names).ToDictionary(g => g.Key, g => g.First().Definition, names);
        foreach (var (name, definition) in live)
        {
            if (!workByName.Remove(name, out var workDefinition))
            {
                differences.Add(new DefinitionDifference(aspect, name, definition, null));
            }
            else if (compareDefinitions && !string.Equals(definition, workDefinition, StringComparison.Ordinal))
            {
                differences.Add(new DefinitionDifference(aspect, name, definition, workDefinition));
            }
        }

        foreach (var (name, definition) in work.Where(w => workByName.Remove(w.Name)))
        {
            differences.Add(new DefinitionDifference(aspect, name, null, definition));
        }
    }
}
