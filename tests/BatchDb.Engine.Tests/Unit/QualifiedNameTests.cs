using BatchDb.Engine.Errors;
using BatchDb.Engine.Naming;

namespace BatchDb.Engine.Tests.Unit;

public sealed class QualifiedNameTests
{
    [Theory]
    [InlineData("T_STOCK", null, "T_STOCK")]
    [InlineData("shop.T_STOCK", "shop", "T_STOCK")]
    [InlineData("batch.staging_orders", "batch", "staging_orders")]
    [InlineData("在庫", null, "在庫")]
    [InlineData("_x$1", null, "_x$1")]
    public void Accepts_plain_and_qualified_names(string text, string? schema, string name)
    {
        var parsed = QualifiedName.Parse(text);
        Assert.Equal(schema, parsed.Schema);
        Assert.Equal(name, parsed.Name);
        Assert.Equal(text, parsed.ToString());
    }

    [Theory]
    [InlineData("T_STOCK`; DROP TABLE x")]
    [InlineData("T_STOCK\"; DROP TABLE x")]
    [InlineData("T STOCK")]
    [InlineData("a.b.c")]
    [InlineData("a..b")]
    [InlineData("")]
    [InlineData("1table")]
    [InlineData("t-stock")]
    [InlineData("x'--")]
    public void Rejects_anything_else_with_a_clear_error(string text)
    {
        var error = Assert.Throws<BatchDbException>(() => QualifiedName.Parse(text));
        Assert.Equal(ErrorIds.InvalidIdentifier, error.ErrorId);
        Assert.Equal(BatchDbErrorKind.InvalidArgument, error.Kind);
        Assert.Contains($"'{text}'", error.Message);
    }

    [Fact]
    public void Rejects_names_longer_than_63_characters()
    {
        Assert.Throws<BatchDbException>(() => QualifiedName.Parse(new string('a', 64)));
        Assert.Equal(63, QualifiedName.Parse(new string('a', 63)).Name.Length);
    }
}
