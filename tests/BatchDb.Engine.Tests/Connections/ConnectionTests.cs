using System.Net;
using BatchDb.Engine;
using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Tests.Infrastructure;
using BatchDb.Engine.WorkTables;
using MySqlConnector;
using Npgsql;

namespace BatchDb.Engine.Tests.Connections;

public sealed class ConnectionTests
{
    private const string WrongPassword = "Wr0ng-Secret-Value";

    [MySqlFact]
    public async Task MySql_connects_from_parts_and_never_shows_the_password()
    {
        var parts = new MySqlConnectionStringBuilder(TestServers.MySql);
        var connection = await DatabaseEngines.ConnectAsync(new ConnectionOptions
        {
            Provider = DatabaseProvider.MySql,
            Server = parts.Server,
            Port = (int)parts.Port,
            Database = parts.Database,
            Credential = new NetworkCredential(parts.UserID, parts.Password),
            Name = "shop",
        }, CancellationToken.None);

        Assert.Equal("shop", connection.Name);
        Assert.Equal(parts.Database, connection.Database);
        Assert.Contains("MariaDB", connection.ServerVersion);
        Assert.DoesNotContain(parts.Password, connection.ToString());
        Assert.DoesNotContain(typeof(BatchDbConnection).GetProperties(), p => p.GetValue(connection) is string s && s.Contains(parts.Password));
    }

    [MySqlFact]
    public async Task MySql_wrong_password_is_an_authentication_error_without_the_password()
    {
        var parts = new MySqlConnectionStringBuilder(TestServers.MySql) { Password = WrongPassword };
        var error = await Assert.ThrowsAsync<BatchDbException>(() => DatabaseEngines.ConnectAsync(
            new ConnectionOptions { Provider = DatabaseProvider.MySql, ConnectionString = parts.ConnectionString }, CancellationToken.None));

        Assert.Equal(ErrorIds.AuthenticationFailed, error.ErrorId);
        Assert.Equal(BatchDbErrorKind.PermissionDenied, error.Kind);
        Assert.Contains("Access denied", error.Message);
        Assert.DoesNotContain(WrongPassword, error.ToString());
    }

    [PostgresFact]
    public async Task Postgres_connects_and_wrong_password_is_an_authentication_error()
    {
        var connection = await DatabaseEngines.ConnectAsync(
            new ConnectionOptions { Provider = DatabaseProvider.PostgreSql, ConnectionString = TestServers.Postgres }, CancellationToken.None);
        Assert.StartsWith("15.", connection.ServerVersion);
        Assert.Equal(DatabaseProvider.PostgreSql, connection.Provider);

        var parts = new NpgsqlConnectionStringBuilder(TestServers.Postgres) { Password = WrongPassword };
        var error = await Assert.ThrowsAsync<BatchDbException>(() => DatabaseEngines.ConnectAsync(
            new ConnectionOptions { Provider = DatabaseProvider.PostgreSql, ConnectionString = parts.ConnectionString }, CancellationToken.None));
        Assert.Equal(ErrorIds.AuthenticationFailed, error.ErrorId);
        Assert.Contains("28P01", error.Message);
        Assert.DoesNotContain(WrongPassword, error.ToString());
    }

    [Fact]
    public async Task A_connection_needs_a_server_and_a_database()
    {
        var error = await Assert.ThrowsAsync<BatchDbException>(() => DatabaseEngines.ConnectAsync(
            new ConnectionOptions { Provider = DatabaseProvider.MySql, Server = "127.0.0.1" }, CancellationToken.None));
        Assert.Equal(ErrorIds.InvalidArgument, error.ErrorId);
        Assert.Contains("-Database", error.Message);
    }
}
