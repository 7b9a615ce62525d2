using BatchDb.Engine.Switching;

namespace BatchDb.Engine.Tests.Unit;

public sealed class DefinitionComparisonTests
{
    [Fact]
    public void Names_match_under_the_engines_rule_and_differences_keep_the_live_then_work_order()
    {
        (string, string)[] live = [("ID", "int"), ("Name", "varchar(10)"), ("gone", "int")];
        (string, string)[] work = [("extra", "int"), ("name", "varchar(20)"), ("id", "int")];

        var caseless = new List<DefinitionDifference>();
        DefinitionComparison.AddDifferences(caseless, "column", live, work, StringComparer.OrdinalIgnoreCase);
        var exact = new List<DefinitionDifference>();
        DefinitionComparison.AddDifferences(exact, "column", live, work, StringComparer.Ordinal);

        Assert.Equal(["Name:varchar(10)>varchar(20)", "gone:int>", "extra:>int"], caseless.Select(d => $"{d.Name}:{d.Live}>{d.Work}"));
        Assert.Equal(["ID:int>", "Name:varchar(10)>", "gone:int>", "extra:>int", "name:>varchar(20)", "id:>int"], exact.Select(d => $"{d.Name}:{d.Live}>{d.Work}"));
    }

    [Fact]
    public void Without_comparing_definitions_only_missing_parts_count()
    {
        var differences = new List<DefinitionDifference>();
        DefinitionComparison.AddDifferences(differences, "partition", [("a", "x")], [("a", "y"), ("b", "y")], StringComparer.Ordinal, compareDefinitions: false);
        Assert.Equal(["b"], differences.Select(d => d.Name));
    }
}
