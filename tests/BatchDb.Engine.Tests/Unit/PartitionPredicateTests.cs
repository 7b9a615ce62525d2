using BatchDb.Engine.Dialects.MySql;

namespace BatchDb.Engine.Tests.Unit;

public sealed class PartitionPredicateTests
{
    [Theory]
    [InlineData("LIST", "`a`", "1", null, "(`a`) IN (1)")]
    [InlineData("LIST", "`a`", "1,NULL", null, "((`a`) IN (1) OR (`a`) IS NULL)")]
    [InlineData("LIST COLUMNS", "`a`,`b`", "(1,'x'),(2,'y')", null, "(`a`,`b`) IN ((1,'x'),(2,'y'))")]
    [InlineData("RANGE", "year(`d`)", "2020", null, "((year(`d`)) IS NULL OR (year(`d`)) < (2020))")]
    [InlineData("RANGE", "`id`", "200", "100", "((`id`) >= (100) AND (`id`) < (200))")]
    [InlineData("RANGE", "`id`", "MAXVALUE", "100", "(`id`) >= (100)")]
    [InlineData("RANGE COLUMNS", "`d`", "'2025-01-01'", "'2024-01-01'", "((`d`) >= ('2024-01-01') AND (`d`) < ('2025-01-01'))")]
    [InlineData("RANGE COLUMNS", "`a`,`b`", "10,'x'", null, "(`a`,`b`) < (10,'x')")]
    [InlineData("RANGE COLUMNS", "`a`,`b`", "10,MAXVALUE", "5,'x'", null)]
    [InlineData("HASH", "`id`", "", null, null)]
    [InlineData("KEY", "`id`", "", null, null)]
    public void Builds_the_rows_inside_condition(string method, string expression, string bound, string? previous, string? expected) =>
        Assert.Equal(expected, MySqlPartitionPredicates.Inside(method, expression, bound, previous));

    [Fact]
    public void Splits_bounds_on_top_level_commas_only() =>
        Assert.Equal(["(1,'a,b')", "'c''d'", "NULL"], MySqlPartitionPredicates.SplitTopLevel("(1,'a,b'),'c''d',NULL"));
}
