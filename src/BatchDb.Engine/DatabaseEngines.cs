using BatchDb.Engine.Connections;
using BatchDb.Engine.Dialects.MySql;
using BatchDb.Engine.Dialects.PostgreSql;

namespace BatchDb.Engine;

/// <summary>
/// Where the engines are chosen: the one place that names every dialect. Everything below it reaches a database
/// through the <see cref="Dialect"/> a <see cref="BatchDbConnection"/> carries.
/// </summary>
internal static class DatabaseEngines
{
    public static Dialect For(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.MySql => MySqlDialect.Instance,
        DatabaseProvider.PostgreSql => PostgreSqlDialect.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    /// <inheritdoc cref="BatchDbConnections.ConnectAsync"/>
    public static Task<BatchDbConnection> ConnectAsync(ConnectionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        return BatchDbConnections.ConnectAsync(For(options.Provider), options, cancellationToken);
    }
}
