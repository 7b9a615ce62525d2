using BatchDb.Engine.Connections;
using BatchDb.Engine.Dialects.MySql;
using MySqlConnector;

namespace BatchDb.Engine.Tests.Unit;

public sealed class MySqlConnectionStringTests
{
    [Fact]
    public void The_users_ssl_mode_is_kept_and_char36_is_read_as_text()
    {
        var target = MySqlDialect.Instance.BuildTarget(new ConnectionOptions
        {
            Provider = DatabaseProvider.MySql,
            ConnectionString = "Server=h;Database=ssl_shop;User ID=u;Password=my-ssl-secret;SslMode=Required",
        });
        var built = new MySqlConnectionStringBuilder(target.ConnectionString);
        Assert.Equal(MySqlSslMode.Required, built.SslMode);
        Assert.Equal(MySqlGuidFormat.None, built.GuidFormat);
        Assert.True(built.AllowLoadLocalInfile);
        Assert.Equal("ssl_shop", target.Database);
        Assert.Equal(3306, target.Port);
    }
}
