using BatchDb.Engine.Connections;
using BatchDb.Engine.Dialects.MySql;

namespace BatchDb.Engine.Tests.Unit;

public sealed class MySqlConnectionStringTests
{
    [Theory]
    [InlineData("Server=h;Database=shop;SslMode=Required", true)]
    [InlineData("Server=h;Database=shop;ssl mode=Preferred", true)]
    [InlineData("Server=h;Database=ssl_shop;Password=my-ssl-secret", false)]
    [InlineData("Server=h;Database=shop", false)]
    public void An_ssl_mode_is_recognised_by_its_key_only(string connectionString, bool expected) =>
        Assert.Equal(expected, MySqlDialect.GivesSslMode(connectionString));

    [Fact]
    public void Without_an_ssl_mode_of_its_own_the_connection_uses_none()
    {
        var target = MySqlDialect.Instance.BuildTarget(new ConnectionOptions
        {
            Provider = DatabaseProvider.MySql,
            ConnectionString = "Server=h;Database=ssl_shop;User ID=u;Password=my-ssl-secret",
        });
        Assert.Contains("sslmode=None", target.ConnectionString, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("ssl_shop", target.Database);
    }
}
